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
import { createProvider } from './training/providers/select.js';
import type { TrainingProvider } from './training/providers/provider.js';
import { SecretBox } from './auth/secrets.js';
import { postgresLeadership, soleLeadership } from './db/leadership.js';
import { SettingsService } from './settings/service.js';
import { NotificationService } from './notifications/service.js';
import { jobLink } from './notifications/kinds.js';
import { SpendService } from './spend/service.js';

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
  provider: TrainingProvider;
  jobs: JobService;
  supervisor: Supervisor;
  settings: SettingsService;
  notifications: NotificationService;
  spend: SpendService;
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
  const lifecycle = new JobLifecycle(db.prisma, pubsub);
  // Loopback notification targets (http://127.0.0.1, localhost) only outside production: tests and local receivers.
  const settings = new SettingsService(db.prisma, new SecretBox(secret), { allowLoopbackWebhooks: !config.production });
  const notifications = new NotificationService({ prisma: db.prisma, pubsub, targets: settings, publicUrl, log: (line) => console.error(line) });
  lifecycle.onTransition(notifications.transitionListener());
  const spend = new SpendService(db.sql);
  let provider: TrainingProvider;
  try {
    provider = createProvider(config, db.prisma);
  } catch (error) {
    await pubsubHandle.close();
    await db.close();
    throw error;
  }
  const supervisor = new Supervisor(db.prisma, lifecycle, provider, {
    ...config.supervisor,
    apiUrl: `${publicUrl}/graphql`,
    serverSecret: secret,
    leadership: config.databaseUrl ? postgresLeadership(config.databaseUrl, 'supervisor', (line) => console.error(line)) : soleLeadership,
    log: (line) => console.error(line),
    notify: async (job, kind, title, body) => void (await notifications.tryNotify(job.workspaceId, { kind, title, body, link: jobLink(job.id), jobId: job.id })),
  });
  const services: Services = {
    config,
    publicUrl,
    db,
    storage,
    pubsub,
    datasets: new DatasetService(db.prisma, db.sql, storage, config.maxUploadBytes),
    lifecycle,
    trainerApi: new TrainerApi(db.prisma, db.sql, storage, pubsub, lifecycle),
    provider,
    jobs: new JobService(db.prisma, lifecycle, () => provider, secret, spend),
    settings,
    notifications,
    spend,
    supervisor,
  };
  return {
    services,
    localStorage,
    pubsubHandle,
    async close() {
      await supervisor.stop();
      await notifications.close();
      await provider.close?.();
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
