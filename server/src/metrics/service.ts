import type { PrismaClient } from '../db/client.js';
import type { SqlRunner } from '../db/sql.js';
import type { AppPubSub } from '../pubsub/pubsub.js';
import type { Storage } from '../storage/storage.js';
import { MetricExports, type MetricsExport } from './export.js';
import { HeavyOperations } from '../limits/heavy.js';
import { MAX_MAX_POINTS, MIN_MAX_POINTS, readSeries, type MetricSeries, type MetricSplit } from './history.js';
import { liveMetrics, type LivePoint } from './live.js';
import { MAX_STEP } from './tiers.js';
import { isTerminal, type JobStatus } from '../training/state-machine.js';

export interface MetricsJob {
  id: string;
  workspaceId: string;
}

export interface SeriesArgs {
  split: MetricSplit;
  fromStep?: number | null;
  toStep?: number | null;
  maxPoints: number;
}

/** What a caller asked for that cannot be answered, each naming the argument and the fix. */
export function checkSeriesArgs(args: SeriesArgs): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!Number.isInteger(args.maxPoints) || args.maxPoints < MIN_MAX_POINTS || args.maxPoints > MAX_MAX_POINTS) {
    problems.push({ field: 'maxPoints', message: `must be between ${MIN_MAX_POINTS} and ${MAX_MAX_POINTS.toLocaleString('en-US')} (got ${args.maxPoints}); ask for a narrower fromStep/toStep range to see more detail` });
  }
  for (const field of ['fromStep', 'toStep'] as const) {
    const value = args[field];
    if (value != null && (value < 0 || value > MAX_STEP)) problems.push({ field, message: `must be a step ≥ 0 (got ${value})` });
  }
  if (args.fromStep != null && args.toStep != null && args.fromStep > args.toStep) {
    problems.push({ field: 'toStep', message: `must be ≥ fromStep (got fromStep ${args.fromStep}, toStep ${args.toStep})` });
  }
  return problems;
}

/** A job's metric history, exports and live stream; every entry point is scoped to a workspace. */
export class MetricsService {
  readonly exports: MetricExports;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
    storage: Storage,
    private readonly pubsub: AppPubSub,
    private readonly heavy: HeavyOperations = new HeavyOperations(),
  ) {
    this.exports = new MetricExports(sql, storage);
  }

  /** The job, if it belongs to the workspace; null otherwise (other workspaces' jobs do not exist). */
  findJob(workspaceId: string, jobId: string): Promise<MetricsJob | null> {
    return this.prisma.trainingJob.findFirst({ where: { id: jobId, workspaceId }, select: { id: true, workspaceId: true } });
  }

  /** Call checkSeriesArgs first: this assumes valid arguments. */
  series(job: MetricsJob, args: SeriesArgs): Promise<MetricSeries> {
    return readSeries(this.sql, { jobId: job.id, ...args });
  }

  /** The job's CSV: the same file for the same points (one write however many ask); the write counts as a heavy operation. */
  exportCsv(job: MetricsJob): Promise<MetricsExport> {
    return this.exports.export(job, (work) => this.heavy.run(job.workspaceId, 'metrics export', work));
  }

  /** The live stream; it completes once the job has finished and everything it stored was sent. */
  stream(job: MetricsJob, afterStep: number | null): AsyncIterableIterator<LivePoint[]> {
    const watch = this.watchFinished(job.id);
    const live = liveMetrics({ sql: this.sql, pubsub: this.pubsub }, { jobId: job.id, workspaceId: job.workspaceId, afterStep, finished: watch.finished });
    const end = async () => void (await watch.stop());
    return {
      next: async () => {
        const result = await live.next();
        if (result.done) await end();
        return result;
      },
      return: async (value?: unknown) => {
        await end();
        return live.return!(value as never);
      },
      throw: async (error?: unknown) => {
        await end();
        return live.throw!(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Resolves once the job is COMPLETED, FAILED or CANCELLED (checked at once, then on each update). */
  private watchFinished(jobId: string): { finished: Promise<void>; stop: () => Promise<unknown> } {
    const updates = this.pubsub.subscribe('job:updated', jobId)[Symbol.asyncIterator]();
    let pending = updates.next(); // registers the listener before the first read
    const terminal = async () => {
      const job = await this.prisma.trainingJob.findUnique({ where: { id: jobId }, select: { status: true } });
      return !job || isTerminal(job.status);
    };
    const finished = (async () => {
      if (await terminal()) return;
      for (;;) {
        const event = await pending;
        if (event.done) return new Promise<void>(() => undefined); // the stream was closed first
        // Most updates carry the status (progress reports): no read for each subscriber then.
        const status = event.value.status;
        if (status ? isTerminal(status as JobStatus) : await terminal()) return;
        pending = updates.next();
      }
    })();
    return { finished, stop: async () => updates.return?.() };
  }
}
