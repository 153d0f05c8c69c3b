import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_HEAVY_LIMITS, type HeavyLimits } from '../limits/heavy.js';
import { DEFAULT_TRAINER_IMAGE } from '../version.js';
import { JOB_CACHE_TTL_MS } from '../training/jobs/job-cache.js';

/** Everything the server reads from the environment, validated once at start. */
export interface Config {
  port: number;
  host: string;
  /** Where clients reach the server (signed links); absent → the address it listens on. */
  publicUrl?: string;
  dataDir: string;
  /** The built dashboard served on the API's origin (BRIGHTRUN_WEB_DIR; default web/build). */
  webDir: string;
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
  /** How long a demo job runs (in simulated hours, so what it spends) against its estimate; 1 = as estimated. */
  demoPace: number;
  adminKey?: string;
  /** Signs download/upload URLs and encrypts stored secrets; absent → kept in the data dir. */
  secret?: string;
  maxUploadBytes: number;
  importDemoData: boolean;
  /** The trainer's Python for the local provider (default: trainer/.venv/bin/python). */
  trainerPython?: string;
  supervisor: SupervisorLimits;
  limits: RequestLimits;
  /** Concurrent heavy operations (metric exports, large metric history); see limits/heavy.ts. */
  heavy: HeavyLimits;
  /** How long a trainingJob(id) read snapshot may be served (ms; 0: no snapshots). Writes invalidate it at once; see training/jobs/job-cache.ts. */
  jobCacheTtlMs: number;
}

/**
 * What one request, operation, socket or client may ask of the server; all enforced before the
 * work they bound (see http/limits/). Printed in the schema header and README; defaults there.
 */
export interface RequestLimits {
  /** JSON/GraphQL request bodies and graphql-ws messages (multipart uploads: maxUploadBytes). */
  maxBodyBytes: number;
  /** Lexical tokens of one document, counted before it is parsed. */
  maxTokens: number;
  /** Nested fields of one operation (braces may nest this much + 10 before parsing). */
  maxDepth: number;
  /** Aliases of one operation, fragments expanded. */
  maxAliases: number;
  /** Fields in one selection set. */
  maxBreadth: number;
  /** Objects an operation may return, multiplied through its page sizes (http/limits/query-limits.ts). */
  maxCost: number;
  /** Estimated JSON bytes of one response (or one subscription event). */
  maxResponseBytes: number;
  /** Operations in flight on one graphql-ws socket. */
  maxSubscriptionsPerSocket: number;
  /** Requests (and graphql-ws operations) per window; 0 turns a limit off. `perTrainerToken`:
   *  requests to /trainer/graphql per job token (a trainer reports about once per 2 s). */
  rateLimit: { perKey: number; perIp: number; perTrainerToken: number; windowMs: number };
  /** Take the client address from X-Forwarded-For (behind a proxy you run) rather than the socket. */
  trustProxy: boolean;
}

export interface SupervisorLimits {
  tickMs: number;
  /** Trainer silent this long → a warning event; twice as long → the job fails. */
  heartbeatTimeoutMs: number;
  /** A pod that has not started running after this long is given up and relaunched. */
  podStartTimeoutMs: number;
  /** Reports keep coming but the step has not moved for this long while TRAINING → a stall: the job fails. */
  stallTimeoutMs: number;
  /** Spot interruptions resumed automatically before the job is failed. */
  maxInterruptions: number;
  /** Launch attempts when the provider has no capacity or rate-limits, with exponential backoff. */
  maxLaunchAttempts: number;
  launchBackoffMs: number;
}

/** The limits' defaults, in the units of their variables: one source for config, schema header and README. */
export const LIMIT_DEFAULTS = {
  BRIGHTRUN_MAX_BODY_KB: 1024,
  BRIGHTRUN_MAX_QUERY_TOKENS: 5_000,
  BRIGHTRUN_MAX_QUERY_DEPTH: 10,
  BRIGHTRUN_MAX_QUERY_ALIASES: 30,
  BRIGHTRUN_MAX_QUERY_BREADTH: 100,
  BRIGHTRUN_MAX_QUERY_COST: 50_000,
  BRIGHTRUN_MAX_RESPONSE_MB: 8,
  BRIGHTRUN_MAX_SUBSCRIPTIONS_PER_SOCKET: 50,
  BRIGHTRUN_RATE_LIMIT_PER_KEY: 1_200,
  BRIGHTRUN_RATE_LIMIT_PER_IP: 2_400,
  /** A trainer sends a report every 2 s (trainer/brightrun_trainer/api/reporter.py) plus a few
   *  checkpoint calls and retries: about 40 a minute, so 600 leaves it 15 times the room. */
  BRIGHTRUN_TRAINER_RATE_LIMIT_PER_TOKEN: 600,
  BRIGHTRUN_RATE_LIMIT_WINDOW_S: 60,
} as const;

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
  const paceRaw = get('BRIGHTRUN_DEMO_PACE');
  let demoPace = 1;
  if (paceRaw !== undefined) {
    const pace = Number(paceRaw);
    if (!Number.isFinite(pace) || pace < 0.1 || pace > 10) problems.push(`BRIGHTRUN_DEMO_PACE must be a number from 0.1 to 10, the demo job's duration (and spend) against its estimate, e.g. 1.5 to see the cost warnings (got "${paceRaw}")`);
    else demoPace = pace;
  }
  const demoData = (get('BRIGHTRUN_DEMO_DATA') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(demoData)) problems.push(`BRIGHTRUN_DEMO_DATA must be "on" or "off" (got "${demoData}")`);

  const maxUploadMb = integer('BRIGHTRUN_MAX_UPLOAD_MB', 500, 1, 10_000);
  const supervisor = {
    tickMs: integer('BRIGHTRUN_SUPERVISOR_TICK_MS', 5_000, 50, 600_000),
    heartbeatTimeoutMs: integer('BRIGHTRUN_HEARTBEAT_TIMEOUT_S', 600, 1, 86_400) * 1000,
    podStartTimeoutMs: integer('BRIGHTRUN_POD_START_TIMEOUT_S', 1200, 1, 86_400) * 1000,
    stallTimeoutMs: integer('BRIGHTRUN_STALL_TIMEOUT_S', 1800, 1, 86_400) * 1000,
    maxInterruptions: integer('BRIGHTRUN_MAX_INTERRUPTIONS', 5, 0, 100),
    maxLaunchAttempts: integer('BRIGHTRUN_MAX_LAUNCH_ATTEMPTS', 6, 1, 100),
    launchBackoffMs: integer('BRIGHTRUN_LAUNCH_BACKOFF_MS', 15_000, 10, 3_600_000),
  };
  const trustProxy = (get('BRIGHTRUN_TRUST_PROXY') ?? 'off').toLowerCase();
  if (!['on', 'off'].includes(trustProxy)) problems.push(`BRIGHTRUN_TRUST_PROXY must be "on" or "off" (got "${trustProxy}")`);
  const limit = (name: keyof typeof LIMIT_DEFAULTS, min: number, max: number) => integer(name, LIMIT_DEFAULTS[name], min, max);
  const limits: RequestLimits = {
    maxBodyBytes: limit('BRIGHTRUN_MAX_BODY_KB', 1, 1_048_576) * 1024,
    maxTokens: limit('BRIGHTRUN_MAX_QUERY_TOKENS', 10, 1_000_000),
    maxDepth: limit('BRIGHTRUN_MAX_QUERY_DEPTH', 2, 100),
    maxAliases: limit('BRIGHTRUN_MAX_QUERY_ALIASES', 0, 100_000),
    maxBreadth: limit('BRIGHTRUN_MAX_QUERY_BREADTH', 1, 100_000),
    maxCost: limit('BRIGHTRUN_MAX_QUERY_COST', 1, 1_000_000_000),
    maxResponseBytes: limit('BRIGHTRUN_MAX_RESPONSE_MB', 1, 1024) * 1024 * 1024,
    maxSubscriptionsPerSocket: limit('BRIGHTRUN_MAX_SUBSCRIPTIONS_PER_SOCKET', 1, 10_000),
    rateLimit: {
      perKey: limit('BRIGHTRUN_RATE_LIMIT_PER_KEY', 0, 10_000_000),
      perIp: limit('BRIGHTRUN_RATE_LIMIT_PER_IP', 0, 10_000_000),
      perTrainerToken: limit('BRIGHTRUN_TRAINER_RATE_LIMIT_PER_TOKEN', 0, 10_000_000),
      windowMs: limit('BRIGHTRUN_RATE_LIMIT_WINDOW_S', 1, 86_400) * 1000,
    },
    trustProxy: trustProxy === 'on',
  };
  const heavy: HeavyLimits = {
    ...DEFAULT_HEAVY_LIMITS,
    perWorkspace: integer('BRIGHTRUN_HEAVY_PER_WORKSPACE', DEFAULT_HEAVY_LIMITS.perWorkspace, 1, 1_000),
    total: integer('BRIGHTRUN_HEAVY_TOTAL', DEFAULT_HEAVY_LIMITS.total, 1, 10_000),
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
    webDir: path.resolve(cwd, get('BRIGHTRUN_WEB_DIR') ?? fileURLToPath(new URL('../../../web/build/', import.meta.url))),
    production: env.NODE_ENV === 'production',
    databaseUrl,
    redisUrl,
    supabase: supabaseUrl && serviceRoleKey ? { url: supabaseUrl, serviceRoleKey, buckets } : undefined,
    runpod: {
      apiKey: runpodKey,
      restUrl: runpodRest,
      graphqlUrl: runpodGraphql,
      trainerImage: get('BRIGHTRUN_TRAINER_IMAGE') ?? DEFAULT_TRAINER_IMAGE,
    },
    provider,
    demoSpeedup,
    demoPace,
    adminKey,
    secret,
    maxUploadBytes: maxUploadMb * 1024 * 1024,
    importDemoData: demoData === 'on',
    trainerPython: get('BRIGHTRUN_TRAINER_PYTHON'),
    supervisor,
    limits,
    heavy,
    jobCacheTtlMs: integer('BRIGHTRUN_JOB_CACHE_TTL_MS', JOB_CACHE_TTL_MS, 0, 3_600_000),
  };
}
