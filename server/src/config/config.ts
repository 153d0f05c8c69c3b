import path from 'node:path';

/** Everything the server reads from the environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  /** Where clients reach the server (signed links); absent → the address it listens on. */
  publicUrl?: string;
  dataDir: string;
  production: boolean;
  databaseUrl?: string;
  redisUrl?: string;
  supabase?: {
    url: string;
    serviceRoleKey: string;
    buckets: { datasets: string; checkpoints: string; artifacts: string; exports: string };
  };
  runpod: { apiKey?: string; restUrl?: string; graphqlUrl?: string; trainerImage: string };
  provider: 'auto' | 'runpod' | 'local' | 'demo';
  demoSpeedup?: number;
  adminKey?: string;
  /** Signs download/upload URLs and encrypts stored secrets; absent → kept in the data dir. */
  secret?: string;
  maxUploadBytes: number;
  importDemoData: boolean;
  /** The trainer's Python for the local provider (default: trainer/.venv/bin/python). */
  trainerPython?: string;
  supervisor: SupervisorLimits;
}

export interface SupervisorLimits {
  tickMs: number;
  /** Trainer silent this long → a warning event; twice as long → the job fails. */
  heartbeatTimeoutMs: number;
  /** A pod that has not started running after this long is given up and relaunched. */
  podStartTimeoutMs: number;
  /** Spot interruptions resumed automatically before the job is failed. */
  maxInterruptions: number;
  /** Launch attempts when the provider has no capacity or rate-limits, with exponential backoff. */
  maxLaunchAttempts: number;
  launchBackoffMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const API_KEY_PATTERN = /^brk_[A-Za-z0-9]{32,64}$/;

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}"); unset it to use ${fallback}`);
      return fallback;
    }
    return value;
  };
  const url = (name: string) => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    try {
      return new URL(raw).toString().replace(/\/$/, '');
    } catch {
      problems.push(`${name} must be an absolute URL such as http://127.0.0.1:4000 (got "${raw}")`);
      return undefined;
    }
  };

  const port = integer('PORT', 4000, 0, 65535);
  const host = get('HOST') ?? '127.0.0.1';
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must be a postgres:// or postgresql:// URL (got "${databaseUrl.split('@').pop()}"); unset it to use the embedded PGlite database`);
  }
  const redisUrl = get('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push(`REDIS_URL must be a redis:// or rediss:// URL; unset it to use in-process pub/sub`);
  }

  const supabaseUrl = url('SUPABASE_URL');
  const serviceRoleKey = get('SUPABASE_SERVICE_ROLE_KEY');
  if (Boolean(get('SUPABASE_URL')) !== Boolean(serviceRoleKey)) {
    problems.push('SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY go together: set both to use Supabase Storage, or neither to use the local folder');
  }
  const bucket = (name: string, fallback: string) => {
    const value = get(name) ?? fallback;
    if (!/^[a-z0-9][a-z0-9._-]{1,62}$/.test(value)) problems.push(`${name} must be a bucket name of lowercase letters, digits, ".", "_" or "-" (got "${value}")`);
    return value;
  };
  const buckets = {
    datasets: bucket('SUPABASE_BUCKET_DATASETS', 'datasets'),
    checkpoints: bucket('SUPABASE_BUCKET_CHECKPOINTS', 'checkpoints'),
    artifacts: bucket('SUPABASE_BUCKET_ARTIFACTS', 'artifacts'),
    exports: bucket('SUPABASE_BUCKET_EXPORTS', 'exports'),
  };

  const providerRaw = (get('BRIGHTRUN_PROVIDER') ?? 'auto').toLowerCase();
  const providers = ['auto', 'runpod', 'local', 'demo'] as const;
  const provider = providers.find((p) => p === providerRaw) ?? 'auto';
  if (provider !== providerRaw) problems.push(`BRIGHTRUN_PROVIDER must be one of ${providers.join(', ')} (got "${providerRaw}")`);
  const runpodKey = get('RUNPOD_API_KEY');
  if (provider === 'runpod' && !runpodKey) problems.push('BRIGHTRUN_PROVIDER=runpod needs RUNPOD_API_KEY (a RunPod API key from runpod.io → Settings → API Keys)');

  const adminKey = get('BRIGHTRUN_ADMIN_KEY');
  if (adminKey && !API_KEY_PATTERN.test(adminKey)) {
    problems.push('BRIGHTRUN_ADMIN_KEY must look like brk_ followed by 32–64 letters or digits; generate one with: node -e "console.log(\'brk_\'+require(\'crypto\').randomBytes(24).toString(\'hex\'))"');
  }
  const secret = get('BRIGHTRUN_SECRET');
  if (secret && secret.length < 32) problems.push('BRIGHTRUN_SECRET must be at least 32 characters (random); unset it to keep a generated one in the data dir');

  const speedupRaw = get('BRIGHTRUN_DEMO_SPEEDUP');
  let demoSpeedup: number | undefined;
  if (speedupRaw !== undefined) {
    demoSpeedup = Number(speedupRaw);
    if (!Number.isFinite(demoSpeedup) || demoSpeedup < 1) {
      problems.push(`BRIGHTRUN_DEMO_SPEEDUP must be a number ≥ 1 (got "${speedupRaw}")`);
      demoSpeedup = undefined;
    }
  }
  const demoData = (get('BRIGHTRUN_DEMO_DATA') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(demoData)) problems.push(`BRIGHTRUN_DEMO_DATA must be "on" or "off" (got "${demoData}")`);

  const maxUploadMb = integer('BRIGHTRUN_MAX_UPLOAD_MB', 500, 1, 10_000);
  const supervisor = {
    tickMs: integer('BRIGHTRUN_SUPERVISOR_TICK_MS', 5_000, 50, 600_000),
    heartbeatTimeoutMs: integer('BRIGHTRUN_HEARTBEAT_TIMEOUT_S', 600, 1, 86_400) * 1000,
    podStartTimeoutMs: integer('BRIGHTRUN_POD_START_TIMEOUT_S', 1200, 1, 86_400) * 1000,
    maxInterruptions: integer('BRIGHTRUN_MAX_INTERRUPTIONS', 5, 0, 100),
    maxLaunchAttempts: integer('BRIGHTRUN_MAX_LAUNCH_ATTEMPTS', 6, 1, 100),
    launchBackoffMs: integer('BRIGHTRUN_LAUNCH_BACKOFF_MS', 15_000, 10, 3_600_000),
  };
  const publicUrl = url('BRIGHTRUN_PUBLIC_URL');
  const runpodRest = url('RUNPOD_REST_URL');
  const runpodGraphql = url('RUNPOD_GRAPHQL_URL');
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host,
    publicUrl,
    dataDir: path.resolve(cwd, get('BRIGHTRUN_DATA_DIR') ?? '.data'),
    production: env.NODE_ENV === 'production',
    databaseUrl,
    redisUrl,
    supabase: supabaseUrl && serviceRoleKey ? { url: supabaseUrl, serviceRoleKey, buckets } : undefined,
    runpod: {
      apiKey: runpodKey,
      restUrl: runpodRest,
      graphqlUrl: runpodGraphql,
      trainerImage: get('BRIGHTRUN_TRAINER_IMAGE') ?? 'ghcr.io/brightrun/lora-trainer:latest',
    },
    provider,
    demoSpeedup,
    adminKey,
    secret,
    maxUploadBytes: maxUploadMb * 1024 * 1024,
    importDemoData: demoData === 'on',
    trainerPython: get('BRIGHTRUN_TRAINER_PYTHON'),
    supervisor,
  };
}
