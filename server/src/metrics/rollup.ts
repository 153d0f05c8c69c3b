import type { SqlRunner } from '../db/sql.js';
import { ROLLUP_WIDTHS, TIER_FANOUT } from './tiers.js';

// MetricRollup holds, per (job, split, width, bucket), the count, first/last step and the min and
// max loss with the step that has them. Buckets are recomputed from what lies below them (points
// for the finest tier, the finer tier otherwise), never incremented: storing a point twice, or
// out of order, leaves exactly the rollup a fresh computation would give.

type Query = Pick<SqlRunner, 'query'>;

const COLUMNS = `"jobId", "split", "width", "bucket", "count", "firstStep", "lastStep", "minLoss", "minLossStep", "maxLoss", "maxLossStep"`;
const UPSERT = `ON CONFLICT ("jobId", "split", "width", "bucket") DO UPDATE SET
  "count" = EXCLUDED."count", "firstStep" = EXCLUDED."firstStep", "lastStep" = EXCLUDED."lastStep",
  "minLoss" = EXCLUDED."minLoss", "minLossStep" = EXCLUDED."minLossStep", "maxLoss" = EXCLUDED."maxLoss", "maxLossStep" = EXCLUDED."maxLossStep"`;

// Ties on loss go to the earliest step, at every tier, so a tier agrees with the one below it.
const FROM_POINTS = `count(*)::int, min(p."step"), max(p."step"),
  min(p."loss"), (array_agg(p."step" ORDER BY p."loss" ASC, p."step" ASC) FILTER (WHERE p."loss" IS NOT NULL))[1],
  max(p."loss"), (array_agg(p."step" ORDER BY p."loss" DESC, p."step" ASC) FILTER (WHERE p."loss" IS NOT NULL))[1]`;
const FROM_CHILDREN = `sum(r."count")::int, min(r."firstStep"), max(r."lastStep"),
  min(r."minLoss"), (array_agg(r."minLossStep" ORDER BY r."minLoss" ASC, r."minLossStep" ASC) FILTER (WHERE r."minLoss" IS NOT NULL))[1],
  max(r."maxLoss"), (array_agg(r."maxLossStep" ORDER BY r."maxLoss" DESC, r."maxLossStep" ASC) FILTER (WHERE r."maxLoss" IS NOT NULL))[1]`;

// The (split, bucket) pairs of `width` that the given steps fall in.
const touched = (width: number) => `(SELECT DISTINCT s.split::"MetricSplit" AS split, s.step / ${width} AS bucket FROM unnest($2::text[], $3::int[]) AS s(split, step))`;

/**
 * Recomputes every rollup bucket that contains one of these (split, step) pairs, finest tier
 * first. Run it in the transaction that stored the points, after they were stored, holding the
 * job's lock (see storeMetrics) so two reports cannot recompute the same bucket from stale reads.
 */
export async function refreshRollups(tx: Query, jobId: string, splits: string[], steps: number[]): Promise<void> {
  if (steps.length === 0) return;
  const finest = ROLLUP_WIDTHS[0];
  // One LATERAL aggregate per touched bucket: a nested loop of primary-key range scans whatever
  // the planner believes about table sizes (PGlite has no statistics unless ANALYZE runs).
  // `BETWEEN bucket * w AND bucket * w + (w - 1)` keeps the index usable and never overflows int.
  await tx.query(
    `INSERT INTO "MetricRollup" (${COLUMNS})
     SELECT $1, b.split, ${finest}, b.bucket, a.*
     FROM ${touched(finest)} b
     CROSS JOIN LATERAL (
       SELECT ${FROM_POINTS} FROM "MetricPoint" p
       WHERE p."jobId" = $1 AND p."split" = b.split AND p."step" BETWEEN b.bucket * ${finest} AND b.bucket * ${finest} + ${finest - 1}
     ) a
     ${UPSERT}`,
    [jobId, splits, steps],
    { prepare: true },
  );
  for (let i = 1; i < ROLLUP_WIDTHS.length; i++) {
    const width = ROLLUP_WIDTHS[i]!;
    const child = ROLLUP_WIDTHS[i - 1]!;
    await tx.query(
      `INSERT INTO "MetricRollup" (${COLUMNS})
       SELECT $1, b.split, ${width}, b.bucket, a.*
       FROM ${touched(width)} b
       CROSS JOIN LATERAL (
         SELECT ${FROM_CHILDREN} FROM "MetricRollup" r
         WHERE r."jobId" = $1 AND r."split" = b.split AND r."width" = ${child}
           AND r."bucket" BETWEEN b.bucket * ${TIER_FANOUT} AND b.bucket * ${TIER_FANOUT} + ${TIER_FANOUT - 1}
       ) a
       ${UPSERT}`,
      [jobId, splits, steps],
      { prepare: true },
    );
  }
}

/**
 * Recomputes a job's rollups from all its points (the migration's backfill does the same for
 * every job). For points written without storeMetrics, e.g. a bulk load.
 */
export async function rebuildRollups(sql: SqlRunner, jobId: string): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('DELETE FROM "MetricRollup" WHERE "jobId" = $1', [jobId]);
    const finest = ROLLUP_WIDTHS[0];
    await tx.query(
      `INSERT INTO "MetricRollup" (${COLUMNS})
       SELECT $1, p."split", ${finest}, p."step" / ${finest}, ${FROM_POINTS}
       FROM "MetricPoint" p WHERE p."jobId" = $1
       GROUP BY p."split", p."step" / ${finest}`,
      [jobId],
    );
    for (let i = 1; i < ROLLUP_WIDTHS.length; i++) {
      await tx.query(
        `INSERT INTO "MetricRollup" (${COLUMNS})
         SELECT $1, r."split", ${ROLLUP_WIDTHS[i]}, r."bucket" / ${TIER_FANOUT}, ${FROM_CHILDREN}
         FROM "MetricRollup" r WHERE r."jobId" = $1 AND r."width" = ${ROLLUP_WIDTHS[i - 1]}
         GROUP BY r."split", r."bucket" / ${TIER_FANOUT}`,
        [jobId],
      );
    }
  });
}
