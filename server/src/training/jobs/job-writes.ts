import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AppPubSub } from '../../pubsub/pubsub.js';
import type { JobReadCache } from './job-cache.js';

/**
 * Where every write to a job's row or metric points is announced, once it has committed and
 * before the writer answers: this instance's read snapshots are dropped at once, the other
 * instances' when the pubsub topic `job:written` reaches them (Redis: within its latency).
 */
export class JobWrites {
  constructor(
    private readonly cache: JobReadCache,
    private readonly pubsub: AppPubSub,
  ) {}

  /** A job's row or points changed (null: some jobs changed, which ones unknown). */
  written(jobId: string | null): void {
    this.cache.invalidate(jobId);
    this.pubsub.publish('job:written', { jobId });
  }

  /** Applies every instance's announcements (this one's too, harmlessly twice) until `stop`. */
  follow(log: (line: string) => void): { stop(): Promise<void> } {
    const iterator = this.pubsub.subscribe('job:written')[Symbol.asyncIterator]();
    void (async () => {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) this.cache.invalidate(next.value.jobId);
    })().catch((error: Error) => log(`job cache invalidations: ${error.message}`));
    return { stop: async () => void (await iterator.return?.()) };
  }
}

const SINGLE_ROW_WRITES = new Set(['update', 'upsert', 'delete']);
const MANY_ROW_WRITES = new Set(['updateMany', 'updateManyAndReturn', 'deleteMany']);

/**
 * The Prisma client with every TrainingJob write announced to `written` after it returns (for a
 * statement outside an interactive transaction: after it committed). Inside an interactive
 * `$transaction(async (tx) => …)` (none writes a job today) the announcement would come before
 * the commit, so a read could keep the old row until the TTL: call `JobWrites.written` again after
 * such a transaction. Raw SQL writes (the trainer report's metrics and heartbeat) announce
 * themselves. A MetricPoint write through Prisma (none today) drops every snapshot.
 */
export function announceJobWrites(prisma: PrismaClient, written: (jobId: string | null) => void): PrismaClient {
  const idIn = (args: unknown): string | null => {
    const id = (args as { where?: { id?: unknown } } | undefined)?.where?.id;
    return typeof id === 'string' ? id : null;
  };
  return prisma.$extends({
    query: {
      trainingJob: {
        async $allOperations({ operation, args, query }) {
          const result = await query(args);
          if (SINGLE_ROW_WRITES.has(operation)) written((result as { id?: string } | null)?.id ?? idIn(args));
          else if (MANY_ROW_WRITES.has(operation)) written(idIn(args));
          return result;
        },
      },
      metricPoint: {
        async $allOperations({ operation, args, query }) {
          const result = await query(args);
          if (!operation.startsWith('find') && !['count', 'aggregate', 'groupBy'].includes(operation)) written(null);
          return result;
        },
      },
    },
  }) as unknown as PrismaClient;
}
