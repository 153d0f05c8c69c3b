import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config/config.js';
import { openDatabase, type Database } from './db/client.js';
import { createAppPubSub, type AppPubSub, type PubSubHandle } from './pubsub/pubsub.js';
import type { Storage } from './storage/storage.js';
import { LocalStorage } from './storage/local.js';
import { SupabaseStorage } from './storage/supabase.js';
import { DatasetService } from './datasets/service.js';
import { JobLifecycle } from './training/jobs/lifecycle.js';
import { TrainerApi } from './training/trainer-api/service.js';
import { JobService } from './training/jobs/service.js';
import { Supervisor } from './training/supervisor.js';
import { ProviderRegistry } from './training/provider-registry.js';
import type { TrainingProvider } from './training/providers/provider.js';
import { SecretBox } from './auth/secrets.js';
import { postgresLeadership, soleLeadership } from './db/leadership.js';
import { SettingsService } from './settings/service.js';
import { ModelCacheService } from './settings/model-cache.js';
import { WEIGHTS_CACHE_DIR } from './training/providers/runpod-provider.js';
import { NotificationService } from './notifications/service.js';
import { jobLink } from './notifications/kinds.js';
import { SpendService } from './spend/service.js';
import { TRAINER_GRAPHQL_PATH } from './http/paths.js';
import { JobQueries } from './training/jobs/queries.js';
import { JobReadCache } from './training/jobs/job-cache.js';
import { JobWrites, announceJobWrites } from './training/jobs/job-writes.js';
import { readJobWithLatestPoints } from './training/jobs/job-row.js';
import { DatasetLookup } from './datasets/lookup.js';
import { ConfigurationService } from './training/configurations.js';
import { ArtifactService } from './artifacts/service.js';
import { ApiKeyService } from './api-keys/service.js';
import { MetricsService } from './metrics/service.js';
import { HeavyOperations } from './limits/heavy.js';
import { PodLogService } from './training/pod-logs.js';
import { Authenticator } from './auth/authenticate.js';
import { createWorkspaceLock } from './db/workspace-lock.js';
import { RunPodProbeService } from './status/runpod-probe.js';

/** Everything resolvers and background work reach through the context. */
export interface Services {
  config: Config;
  publicUrl: string;
  db: Database;
  storage: Storage;
  pubsub: AppPubSub;
  datasets: DatasetService;
  lifecycle: JobLifecycle;
  trainerApi: TrainerApi;
  /** The default provider (jobs that name none run here). */
  provider: TrainingProvider;
  providers: ProviderRegistry;
  jobs: JobService;
  /** The default provider's supervisor; `supervisors` holds one per provider. */
  supervisor: Supervisor;
  supervisors: Supervisor[];
  settings: SettingsService;
  /** The workspace's RunPod network volume used as the model cache. */
  modelCache: ModelCacheService;
  notifications: NotificationService;
  spend: SpendService;
  jobQueries: JobQueries;
  /** Every write to a job's row or points announces itself here (drops read snapshots on every instance). */
  jobWrites: JobWrites;
  datasetLookup: DatasetLookup;
  configurations: ConfigurationService;
  artifacts: ArtifactService;
  apiKeys: ApiKeyService;
  /** API keys and job tokens → who calls, cached; revocations reach every instance's cache. */
  authenticator: Authenticator;
  metrics: MetricsService;
  podLogs: PodLogService;
  /** The bound on concurrent heavy operations, per workspace and in total (limits/heavy.ts). */
  heavy: HeavyOperations;
  /** Whether each workspace reaches RunPod, and its GPU stock; cached (systemStatus). */
  runpodStatus: RunPodProbeService;
}

export interface ServicesHandle {
  services: Services;
  /** Present when storage is the local folder: its signed-URL routes. */
  localStorage?: LocalStorage;
  pubsubHandle: PubSubHandle;
  close(): Promise<void>;
}

export async function createServices(config: Config, publicUrl: string): Promise<ServicesHandle> {
  await mkdir(config.dataDir, { recursive: true });
  const secret = config.secret ?? (await loadOrCreateSecret(config.dataDir));
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  let pubsubHandle: PubSubHandle;
  try {
    pubsubHandle = await createAppPubSub(config.redisUrl);
  } catch (error) {
    await db.close();
    throw error;
  }
  const localStorage = config.supabase ? undefined : new LocalStorage({ root: path.join(config.dataDir, 'storage'), publicUrl, secret });
  const storage: Storage = config.supabase
    ? new SupabaseStorage({ url: config.supabase.url, serviceRoleKey: config.supabase.serviceRoleKey, buckets: config.supabase.buckets })
    : localStorage!;
  const pubsub = pubsubHandle.pubsub;
  // trainingJob(id) snapshots; from here on every TrainingJob write through Prisma drops the job's.
  const jobCache = new JobReadCache((jobId) => readJobWithLatestPoints(db.sql, null, jobId), { ttlMs: config.jobCacheTtlMs });
  const jobWrites = new JobWrites(jobCache, pubsub);
  db.prisma = announceJobWrites(db.prisma, (jobId) => jobWrites.written(jobId));
  const followingJobWrites = jobWrites.follow((line) => console.error(line));
  const lifecycle = new JobLifecycle(db.prisma, pubsub);
  // Loopback notification targets (http://127.0.0.1, localhost) only outside production: tests and local receivers.
  const settings = new SettingsService(db.prisma, new SecretBox(secret), { allowLoopbackWebhooks: !config.production });
  // Secrets written in clear by earlier versions (the Slack URL) are encrypted before anything reads them.
  await settings.encryptPlaintextSecrets();
  const notifications = new NotificationService({ prisma: db.prisma, pubsub, targets: settings, publicUrl, log: (line) => console.error(line) });
  lifecycle.onTransition(notifications.transitionListener());
  const spend = new SpendService(db.sql);
  const modelCache = new ModelCacheService({
    prisma: db.prisma,
    apiKeyFor: async (workspaceId) => (await settings.runpodApiKey(workspaceId)) ?? config.runpod.apiKey ?? null,
    restUrl: config.runpod.restUrl,
    graphqlUrl: config.runpod.graphqlUrl,
    lock: createWorkspaceLock(db.sql, db.kind, 'model-cache'),
    mountPath: WEIGHTS_CACHE_DIR,
  });
  let providers: ProviderRegistry;
  try {
    providers = new ProviderRegistry(config, db.prisma, { runpodApiKeyFor: (workspaceId) => settings.runpodApiKey(workspaceId), modelCacheFor: (workspaceId) => modelCache.modelCacheFor(workspaceId) });
  } catch (error) {
    await pubsubHandle.close();
    await db.close();
    throw error;
  }
  const provider = providers.default;
  // One supervisor per provider: each drives the jobs of its own (Supervisor filters by provider name).
  const supervisors = providers.all().map(
    (p) =>
      new Supervisor(db.prisma, lifecycle, p, {
        ...config.supervisor,
        // Pods talk to their own endpoint, which takes job tokens only.
        apiUrl: `${publicUrl}${TRAINER_GRAPHQL_PATH}`,
        serverSecret: secret,
        leadership: config.databaseUrl ? postgresLeadership(config.databaseUrl, p === provider ? 'supervisor' : `supervisor:${p.name}`, (line) => console.error(line)) : soleLeadership,
        log: (line) => console.error(line),
        notify: async (job, kind, title, body) => void (await notifications.tryNotify(job.workspaceId, { kind, title, body, link: jobLink(job.id), jobId: job.id })),
        // The workspace's Hugging Face token reaches its pods as HF_TOKEN (gated base models); never the RunPod key.
        podSecrets: async (job): Promise<Record<string, string>> => {
          const token = await settings.huggingFaceToken(job.workspaceId);
          return token ? { HF_TOKEN: token } : {};
        },
      }),
  );
  const supervisor = supervisors[0]!;
  const authenticator = new Authenticator(db.prisma);
  const heavy = new HeavyOperations(config.heavy);
  const services: Services = {
    config,
    publicUrl,
    db,
    storage,
    pubsub,
    datasets: new DatasetService(db.prisma, db.sql, storage, config.maxUploadBytes),
    lifecycle,
    trainerApi: new TrainerApi(db.prisma, db.sql, storage, pubsub, lifecycle, jobWrites),
    provider,
    jobs: new JobService(db.prisma, lifecycle, (name) => providers.get(name), secret, spend, { lock: createWorkspaceLock(db.sql, db.kind, 'job-start'), launchSettings: (workspaceId) => settings.launchSettings(workspaceId) }),
    providers,
    supervisors,
    settings,
    modelCache,
    notifications,
    spend,
    supervisor,
    jobQueries: new JobQueries(db.prisma, db.sql, jobCache),
    jobWrites,
    datasetLookup: new DatasetLookup(db.prisma),
    configurations: new ConfigurationService(db.prisma),
    artifacts: new ArtifactService(db.prisma, storage),
    // Other instances (and this one's sockets) hear of it through app.ts's `credential:revoked` listener.
    apiKeys: new ApiKeyService(db.prisma, (key) => {
      authenticator.invalidateKey(key.id);
      pubsub.publish('credential:revoked', { keyId: key.id, workspaceId: key.workspaceId });
    }),
    authenticator,
    metrics: new MetricsService(db.prisma, db.sql, storage, pubsub, heavy),
    podLogs: new PodLogService(db.prisma, providers),
    heavy,
    runpodStatus: new RunPodProbeService({
      apiKeyFor: async (workspaceId) => {
        const own = await settings.runpodApiKey(workspaceId);
        if (own) return { key: own, source: 'WORKSPACE' };
        return config.runpod.apiKey ? { key: config.runpod.apiKey, source: 'SERVER' } : null;
      },
      runpodOffered: () => providers.all().some((p) => p.name === 'runpod'),
      restUrl: config.runpod.restUrl,
      graphqlUrl: config.runpod.graphqlUrl,
    }),
  };
  return {
    services,
    localStorage,
    pubsubHandle,
    async close() {
      for (const each of supervisors) await each.stop();
      await notifications.close();
      await providers.close();
      await followingJobWrites.stop();
      await pubsubHandle.close();
      await db.close();
    },
  };
}

/**
 * The key behind signed links and encrypted settings. Without BRIGHTRUN_SECRET it is generated
 * once and kept beside the data (so links survive restarts); several instances must share one
 * through BRIGHTRUN_SECRET.
 */
async function loadOrCreateSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'secret.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const secret = randomBytes(32).toString('hex');
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    return (await readFile(file, 'utf8')).trim();
  }
}
