import type { TrainingJob } from '../../generated/prisma/client.js';
import type { LatestPoints } from './job-row.js';

/** A job's row and its newest TRAIN and EVAL points, as one read returned them. */
export interface JobSnapshot {
  job: TrainingJob;
  latest: LatestPoints;
}

/**
 * How long a snapshot is served without reading again. Writes do not wait for it: every write to
 * a job's row or its metric points invalidates the snapshot on this instance before the write
 * returns (JobWrites), and on the other instances when the pubsub topic `job:written` reaches
 * them. The TTL only bounds staleness should an invalidation be lost (a Redis reconnect, a write
 * made outside the server). A chosen bound, not a measured one; BRIGHTRUN_JOB_CACHE_TTL_MS sets it
 * (0: no snapshots, every read goes to the database).
 */
export const JOB_CACHE_TTL_MS = 2_000;
/** Snapshots kept at most, least recently used first out (one is a row plus two points: a few KB). */
export const JOB_CACHE_MAX_ENTRIES = 2_000;

interface Fill {
  promise: Promise<JobSnapshot | null>;
  /** False once the job was written while this read was on its way: its result is not kept. */
  valid: boolean;
}

/**
 * Per-job read snapshots for `trainingJob(id)`, the query every open monitor polls: a hit costs
 * no database round trip. Concurrent misses for one job share one read. A read that overlapped
 * a write is handed to the requests that asked before the write was done (they were concurrent
 * with it) but never kept, so no request that starts after a write returns can see the row from
 * before it. Workspace scoping is checked on every hit: a job of another workspace is null.
 */
export class JobReadCache {
  private readonly entries = new Map<string, { snapshot: JobSnapshot; expiresAt: number }>();
  private readonly fills = new Map<string, Fill>();

  constructor(
    private readonly read: (jobId: string) => Promise<JobSnapshot | null>,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  /** The job and its latest points if it belongs to `workspaceId`; null otherwise. */
  async get(workspaceId: string, jobId: string): Promise<JobSnapshot | null> {
    const snapshot = await this.snapshot(jobId);
    return snapshot && snapshot.job.workspaceId === workspaceId ? snapshot : null;
  }

  /** Forgets one job's snapshot (and any read of it on its way), or every job's with null. */
  invalidate(jobId: string | null): void {
    if (jobId === null) {
      this.entries.clear();
      for (const fill of this.fills.values()) fill.valid = false;
      this.fills.clear();
      return;
    }
    this.entries.delete(jobId);
    const fill = this.fills.get(jobId);
    if (fill) {
      fill.valid = false;
      this.fills.delete(jobId);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private snapshot(jobId: string): Promise<JobSnapshot | null> {
    const ttl = this.options.ttlMs ?? JOB_CACHE_TTL_MS;
    if (ttl <= 0) return this.read(jobId);
    const now = this.now();
    const entry = this.entries.get(jobId);
    if (entry) {
      this.entries.delete(jobId);
      if (entry.expiresAt > now) {
        this.entries.set(jobId, entry); // most recently used last
        return Promise.resolve(entry.snapshot);
      }
    }
    const flying = this.fills.get(jobId);
    if (flying) return flying.promise;
    const fill = { valid: true } as Fill;
    // The TTL counts from before the read: the snapshot is never older than it says.
    const expiresAt = now + ttl;
    // Settling and keeping happen in one callback: no invalidation can slip in between.
    const settle = () => {
      if (this.fills.get(jobId) === fill) this.fills.delete(jobId);
    };
    fill.promise = this.read(jobId).then(
      (snapshot) => {
        settle();
        // Unknown ids are not kept: a job created later must not read as missing.
        if (fill.valid && snapshot) this.remember(jobId, snapshot, expiresAt);
        return snapshot;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    this.fills.set(jobId, fill);
    return fill.promise;
  }

  private remember(jobId: string, snapshot: JobSnapshot, expiresAt: number): void {
    const max = this.options.maxEntries ?? JOB_CACHE_MAX_ENTRIES;
    while (this.entries.size >= max) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(jobId, { snapshot, expiresAt });
  }
}
