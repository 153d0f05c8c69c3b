import type { SqlRunner } from '../db/sql.js';
import type { AppPubSub, MetricPointEvent } from '../pubsub/pubsub.js';
import type { StoredPoint } from './history.js';
import { RECORDED_AT_TEXT } from './ingest.js';

// trainingMetrics: what is stored after `afterStep`, read in pages, then live batches, with no
// gap and no duplicate across the hand-over. The pubsub listener is registered before the first
// read, and everything it receives meanwhile waits in a queue; once the stored points are sent,
// queued points the reads already delivered are dropped (see HandOver).

export const BACKLOG_PAGE = 1000;
// A point stored longer ago than this has had its event published long since; only points this
// recent can still have their event on the way, so only they are remembered for de-duplication.
const IN_FLIGHT_SECONDS = 60;

type Tuple = [string, number, number | null, number | null, number | null, number | null, number | null, number | null, number | null, number | null, string, boolean];
const pointKey = (p: { split: string; step: number }) => `${p.split}:${p.step}`;
const signature = (p: MetricPointEvent | StoredPoint) => JSON.stringify([p.loss, p.learningRate, p.gradNorm, p.epoch, p.tokensPerSecond, p.gpuUtilization, p.gpuMemoryGb, p.perplexity]);

/**
 * The job's stored points after `afterStep`, ordered by (step, split: TRAIN first), a page at a
 * time: each page is one index range scan per split. `recent` marks points stored in the last
 * minute.
 */
export async function* backlogPages(sql: Pick<SqlRunner, 'query'>, jobId: string, afterStep: number, pageSize = BACKLOG_PAGE): AsyncGenerator<(StoredPoint & { recent: boolean })[]> {
  let cursor = { step: afterStep, split: 'EVAL' };
  for (;;) {
    // Resume after (step, split): TRAIN sorts before EVAL at the same step.
    const trainFrom = cursor.step + 1;
    const evalFrom = cursor.split === 'TRAIN' ? cursor.step : cursor.step + 1;
    const columns = `json_build_array("split", "step", "loss", "learningRate", "gradNorm", "epoch", "tokensPerSecond", "gpuUtilization", "gpuMemoryGb", "perplexity",
      ${RECORDED_AT_TEXT}, "recordedAt" >= LOCALTIMESTAMP - interval '${IN_FLIGHT_SECONDS} seconds')`;
    const [row] = await sql.query<{ page: string }>(
      `SELECT coalesce(json_agg(p.point ORDER BY p.step, p.split), '[]')::text AS page FROM (
         (SELECT "step", "split", ${columns} AS point FROM "MetricPoint" WHERE "jobId" = $1 AND "split" = 'TRAIN' AND "step" >= $2 ORDER BY "step" LIMIT $4)
         UNION ALL
         (SELECT "step", "split", ${columns} AS point FROM "MetricPoint" WHERE "jobId" = $1 AND "split" = 'EVAL' AND "step" >= $3 ORDER BY "step" LIMIT $4)
       ) AS p`,
      [jobId, trainFrom, evalFrom, pageSize],
    );
    const tuples = (JSON.parse(row?.page ?? '[]') as Tuple[]).slice(0, pageSize);
    if (tuples.length === 0) return;
    yield tuples.map(([split, step, loss, learningRate, gradNorm, epoch, tokensPerSecond, gpuUtilization, gpuMemoryGb, perplexity, recordedAt, recent]) => ({
      split: split as StoredPoint['split'], step, loss, learningRate, gradNorm, epoch, tokensPerSecond, gpuUtilization, gpuMemoryGb, perplexity, recordedAt, recent,
    }));
    const last = tuples[tuples.length - 1]!;
    cursor = { step: last[1], split: last[0] };
  }
}

/**
 * Decides which live points the stored-points phase already delivered. A report whose event was
 * still on its way while the reads ran reaches us twice: from the database, then as that event.
 * So during the hand-over (the batches queued during the reads, and the first one after them):
 * points at or before `afterStep` are dropped (the client said it has them), and the first event
 * for a point just read is dropped when it carries exactly the values read; any event for a
 * point ends that point's watch, as a later one is a genuine re-send. The trainer reports one
 * batch at a time (its next report waits for the answer, which comes after the publish), so
 * after that first batch no late event can remain, and everything is forwarded.
 */
export class HandOver {
  private readonly sent = new Map<string, string>();
  private released = false;

  constructor(private readonly afterStep: number) {
    this.lastStep = afterStep;
  }

  /**
   * The highest step sent (or known to the client) so far: where the final read goes on from
   * when the job finishes. Reports carry a step's TRAIN and EVAL points together.
   */
  lastStep: number;

  rememberSent(point: StoredPoint & { recent: boolean }): void {
    this.lastStep = Math.max(this.lastStep, point.step);
    if (point.recent) this.sent.set(pointKey(point), signature(point));
  }

  /** The points of a live batch the client has not seen. */
  filter(points: MetricPointEvent[]): MetricPointEvent[] {
    for (const point of points) this.lastStep = Math.max(this.lastStep, point.step);
    if (this.released) return points;
    return points.filter((point) => {
      if (point.step <= this.afterStep) return false;
      const key = pointKey(point);
      const sent = this.sent.get(key);
      if (sent === undefined) return true;
      this.sent.delete(key);
      return sent !== signature(point);
    });
  }

  release(): void {
    this.released = true;
    this.sent.clear();
  }
}

/** A queue of live batches fed by the pubsub listener; `next()` waits for one, null once closed. */
class BatchQueue {
  private readonly batches: MetricPointEvent[][] = [];
  private waiting: (() => void) | null = null;
  private closed = false;

  push(batch: MetricPointEvent[]) {
    this.batches.push(batch);
    this.wake();
  }
  close() {
    this.closed = true;
    this.batches.length = 0;
    this.wake();
  }
  /** How many batches arrived and were not taken yet. */
  get size() {
    return this.batches.length;
  }
  /** Everything queued, without waiting. */
  drain(): MetricPointEvent[][] {
    return this.batches.splice(0);
  }
  /** Wakes a waiting `next()` without a batch (it then answers null if nothing came). */
  interrupt() {
    this.wake();
  }
  async next(stop?: () => boolean): Promise<MetricPointEvent[] | null> {
    while (this.batches.length === 0 && !this.closed && !stop?.()) await new Promise<void>((resolve) => (this.waiting = resolve));
    return this.batches.shift() ?? null;
  }
  private wake() {
    this.waiting?.();
    this.waiting = null;
  }
}

export interface LiveMetricsOptions {
  jobId: string;
  workspaceId: string;
  /** Send only what is stored after this step (a reconnecting client's last step); null: everything. */
  afterStep: number | null;
  pageSize?: number;
  /**
   * Resolves once the job has finished. The stream then forwards what is queued, reads what was
   * stored after the last step it sent (nothing reported before the end is lost), and completes.
   */
  finished?: Promise<void>;
}

export type LivePoint = StoredPoint;

/**
 * Batches of points, oldest first: the stored backlog, then live batches as reports arrive. The
 * pubsub listener is registered by this call, before anything is read. `return()` ends the stream
 * at once, even while it waits for the next report (an async generator alone would only notice
 * at its next yield, keeping the listener of a finished job forever).
 */
export function liveMetrics(deps: { sql: Pick<SqlRunner, 'query'>; pubsub: AppPubSub }, options: LiveMetricsOptions): AsyncIterableIterator<LivePoint[]> {
  const source = deps.pubsub.subscribe('job:metrics', options.jobId);
  const queue = new BatchQueue();
  // `for await` calls next() synchronously, and the repeater adds its listener in that call.
  const pump = (async () => {
    try {
      for await (const event of source) if (event.workspaceId === options.workspaceId) queue.push(event.points);
    } finally {
      queue.close();
    }
  })();
  const stop = async () => {
    queue.close();
    await source.return?.();
    await pump;
  };

  async function* run(): AsyncGenerator<LivePoint[]> {
    const afterStep = options.afterStep ?? -1;
    const handOver = new HandOver(afterStep);
    try {
      for await (const page of backlogPages(deps.sql, options.jobId, afterStep, options.pageSize)) {
        for (const point of page) handOver.rememberSent(point);
        yield page.map(({ recent: _recent, ...point }) => point);
      }
      // Batches queued during the reads, then the first one after them, may repeat what was read.
      let checked = queue.size + 1;
      let finished = false;
      void options.finished?.then(() => {
        finished = true;
        queue.interrupt();
      });
      for (;;) {
        const batch = await queue.next(() => finished);
        if (batch === null) break;
        const fresh = handOver.filter(batch);
        if (--checked === 0) handOver.release();
        if (fresh.length > 0) yield fresh.map(toLivePoint);
      }
      if (!finished) return;
      for (const batch of queue.drain()) {
        const fresh = handOver.filter(batch);
        if (fresh.length > 0) yield fresh.map(toLivePoint);
      }
      // A report whose event had not arrived when the job finished is read from the database.
      for await (const page of backlogPages(deps.sql, options.jobId, handOver.lastStep, options.pageSize)) {
        yield page.map(({ recent: _recent, ...point }) => point);
      }
    } finally {
      await stop();
    }
  }

  const generator = run();
  return {
    next: () => generator.next(),
    return: async () => {
      await stop();
      return generator.return(undefined);
    },
    throw: async (error?: unknown) => {
      await stop();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function toLivePoint(point: MetricPointEvent & { recordedAt?: string }): LivePoint {
  return { ...point, recordedAt: point.recordedAt ?? new Date().toISOString() };
}
