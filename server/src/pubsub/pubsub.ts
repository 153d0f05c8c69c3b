import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';

/** Every event the server publishes, keyed by topic; one place so publishers and subscribers agree. */
export type PubSubEvents = {
  /** A job's status, stage, progress or spend changed; `status` is the job's status then, when the publisher knew it. */
  'job:updated': [jobId: string, payload: { jobId: string; workspaceId: string; status?: string }];
  /** A trainer report stored new metric points (steps given so subscribers can fetch or forward). */
  'job:metrics': [jobId: string, payload: { jobId: string; workspaceId: string; points: MetricPointEvent[] }];
  /** A job's row or metric points were written (null: jobs unknown): every instance drops its read snapshot (training/jobs/job-writes.ts). */
  'job:written': [payload: { jobId: string | null }];
  /** Any job of a workspace changed (feeds the header's active-jobs indicator). */
  'workspace:jobs': [workspaceId: string, payload: { jobId: string }];
  'workspace:notification': [workspaceId: string, payload: { notificationId: string }];
  /** An API key was revoked: every instance drops it from its authentication cache and closes its sockets. */
  'credential:revoked': [payload: { keyId: string; workspaceId: string }];
  /** A dashboard session was signed out: every instance closes the sockets opened with its cookie. */
  'session:revoked': [payload: { sessionId: string }];
};

export interface MetricPointEvent {
  /** When the server stored it (ISO-8601). */
  recordedAt?: string;
  split: 'TRAIN' | 'EVAL';
  step: number;
  loss: number | null;
  learningRate: number | null;
  gradNorm: number | null;
  epoch: number | null;
  tokensPerSecond: number | null;
  gpuUtilization: number | null;
  gpuMemoryGb: number | null;
  perplexity: number | null;
}

export type AppPubSub = PubSub<PubSubEvents>;

export interface PubSubHandle {
  pubsub: AppPubSub;
  kind: 'in-process' | 'redis';
  close(): Promise<void>;
}

/** In-process by default; with REDIS_URL, events fan out to every server instance. */
export async function createAppPubSub(redisUrl?: string): Promise<PubSubHandle> {
  if (!redisUrl) return { pubsub: createPubSub<PubSubEvents>(), kind: 'in-process', close: async () => undefined };
  // Redis forbids ordinary commands on a subscribed connection: publish and subscribe need one each.
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  try {
    await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  } catch (error) {
    publishClient.disconnect();
    subscribeClient.disconnect();
    throw new Error(`Cannot connect to Redis at REDIS_URL (${(error as Error).message}); unset REDIS_URL to use in-process pub/sub`, { cause: error });
  }
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<PubSubEvents>({ eventTarget }),
    kind: 'redis',
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
