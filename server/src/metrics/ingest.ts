import type { SqlRunner } from '../db/sql.js';
import type { MetricPointEvent } from '../pubsub/pubsub.js';
import { refreshRollups } from './rollup.js';

/** The report path's statements are prepared (db/sql.ts): the same few texts, every 2 s per job. */
const PREPARED = { prepare: true } as const;

/**
 * "recordedAt" as ISO-8601 text in UTC. The column is a timestamp without time zone holding UTC
 * (as Prisma writes and reads it); formatting in SQL keeps a driver from reading it as local time.
 */
export const RECORDED_AT_TEXT = `to_char("recordedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const MAX_POINTS_PER_REPORT = 1000;
const VALUE_FIELDS = ['loss', 'learningRate', 'gradNorm', 'epoch', 'tokensPerSecond', 'gpuUtilization', 'gpuMemoryGb', 'perplexity'] as const;

export type MetricInput = Partial<Record<(typeof VALUE_FIELDS)[number], number | null>> & { split: 'TRAIN' | 'EVAL'; step: number };

export interface MetricProblem {
  field: string;
  message: string;
}

/** Checks a batch before anything is written: every problem, each naming the point and field. */
export function validateMetrics(points: MetricInput[]): MetricProblem[] {
  const problems: MetricProblem[] = [];
  if (points.length > MAX_POINTS_PER_REPORT) {
    problems.push({ field: 'metrics', message: `at most ${MAX_POINTS_PER_REPORT} points per report (got ${points.length}); send them in several reports` });
    return problems;
  }
  const seen = new Set<string>();
  points.forEach((point, i) => {
    if (!Number.isInteger(point.step) || point.step < 0) problems.push({ field: `metrics[${i}].step`, message: `must be a whole number ≥ 0 (got ${point.step})` });
    const key = `${point.split}:${point.step}`;
    if (seen.has(key)) problems.push({ field: `metrics[${i}]`, message: `${point.split} step ${point.step} appears twice in this report` });
    seen.add(key);
    for (const field of VALUE_FIELDS) {
      const value = point[field];
      if (value !== undefined && value !== null && !Number.isFinite(value)) {
        problems.push({ field: `metrics[${i}].${field}`, message: `must be a finite number or null (got ${value}); send null for a value the trainer could not measure` });
      }
    }
  });
  return problems.slice(0, 50);
}

/** A stored point as published on 'job:metrics': `recordedAt` is when the database stored it (ISO). */
export type StoredMetricPoint = MetricPointEvent & { recordedAt: string };

/**
 * Stores a batch with one multi-row statement and refreshes the rollups it touched, in one
 * transaction. Unique on (job, split, step): a retried report or a resumed run re-sending steps
 * updates in place, so every step is stored exactly once and counted once in the rollups.
 */
export async function storeMetrics(sql: SqlRunner, jobId: string, points: MetricInput[]): Promise<StoredMetrics> {
  if (points.length === 0) return NOTHING_STORED;
  return sql.transaction((tx) => storeMetricsIn(tx, jobId, points));
}

export interface StoredMetrics {
  inserted: number;
  updated: number;
  stored: StoredMetricPoint[];
}

export const NOTHING_STORED: StoredMetrics = Object.freeze({ inserted: 0, updated: 0, stored: [] as StoredMetricPoint[] }) as StoredMetrics;

/** storeMetrics inside a transaction the caller opened (and commits): a trainer report adds its heartbeat to it. */
export async function storeMetricsIn(tx: Pick<SqlRunner, 'query'>, jobId: string, points: MetricInput[]): Promise<StoredMetrics> {
  if (points.length === 0) return NOTHING_STORED;
  const column = (field: (typeof VALUE_FIELDS)[number]) => points.map((p) => p[field] ?? null);
  const splits = points.map((p) => p.split);
  const steps = points.map((p) => p.step);
  // One writer per job at a time: the rollup recomputation below must see every committed point.
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`metrics:${jobId}`], PREPARED);
  const rows = await tx.query<{ inserted: boolean; recordedAt: string }>(
    `INSERT INTO "MetricPoint" ("jobId", "split", "step", "loss", "learningRate", "gradNorm", "epoch", "tokensPerSecond", "gpuUtilization", "gpuMemoryGb", "perplexity")
     SELECT $1, s.split::"MetricSplit", s.step, s.loss, s.lr, s.grad, s.epoch, s.tps, s.gpu, s.mem, s.ppl
     FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[])
       AS s(split, step, loss, lr, grad, epoch, tps, gpu, mem, ppl)
     ON CONFLICT ("jobId", "split", "step") DO UPDATE SET
       "loss" = EXCLUDED."loss", "learningRate" = EXCLUDED."learningRate", "gradNorm" = EXCLUDED."gradNorm",
       "epoch" = EXCLUDED."epoch", "tokensPerSecond" = EXCLUDED."tokensPerSecond", "gpuUtilization" = EXCLUDED."gpuUtilization",
       "gpuMemoryGb" = EXCLUDED."gpuMemoryGb", "perplexity" = EXCLUDED."perplexity", "recordedAt" = now()
     RETURNING (xmax = 0) AS inserted, ${RECORDED_AT_TEXT} AS "recordedAt"`,
    [jobId, splits, steps, column('loss'), column('learningRate'), column('gradNorm'), column('epoch'), column('tokensPerSecond'), column('gpuUtilization'), column('gpuMemoryGb'), column('perplexity')],
    PREPARED,
  );
  await refreshRollups(tx, jobId, splits, steps);
  const inserted = rows.filter((r) => r.inserted).length;
  // now() is the transaction's start: every row of the batch has the same recordedAt.
  const recordedAt = rows[0]!.recordedAt;
  const stored = points.map((p) => ({
    split: p.split,
    step: p.step,
    loss: p.loss ?? null,
    learningRate: p.learningRate ?? null,
    gradNorm: p.gradNorm ?? null,
    epoch: p.epoch ?? null,
    tokensPerSecond: p.tokensPerSecond ?? null,
    gpuUtilization: p.gpuUtilization ?? null,
    gpuMemoryGb: p.gpuMemoryGb ?? null,
    perplexity: p.perplexity ?? null,
    recordedAt,
  }));
  return { inserted, updated: rows.length - inserted, stored };
}
