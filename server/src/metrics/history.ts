import type { MetricPointEvent } from '../pubsub/pubsub.js';
import type { SqlRunner } from '../db/sql.js';
import { RECORDED_AT_TEXT } from './ingest.js';
import { COARSEST_WIDTH, MAX_STEP, chooseGrid, coverRange, widthsUpTo, type CoverPiece } from './tiers.js';

export type MetricSplit = 'TRAIN' | 'EVAL';

/** A stored point as clients get it: the pubsub event's values plus when it was stored. */
export interface StoredPoint extends Omit<MetricPointEvent, 'recordedAt'> {
  /** ISO-8601, UTC. */
  recordedAt: string;
}

export interface SeriesQuery {
  jobId: string;
  split: MetricSplit;
  fromStep?: number | null;
  toStep?: number | null;
  maxPoints: number;
}

export interface MetricSeries {
  jobId: string;
  split: MetricSplit;
  /** Points stored in [fromStep, toStep]. */
  totalPoints: number;
  downsampled: boolean;
  /** 'RAW' (every point) or 'MIN_MAX' (per bucket, the points with the lowest and highest loss). */
  method: 'RAW' | 'MIN_MAX';
  /** Steps per bucket when downsampled. */
  bucketSteps: number | null;
  points: StoredPoint[];
}

export const MIN_MAX_POINTS = 2;
export const MAX_MAX_POINTS = 10_000;

// Points leave the database as one JSON array of arrays: parsing one JSON text is ~10× faster on
// PGlite (and no slower on Postgres) than materialising thousands of rows value by value.
const POINTS_JSON = `coalesce(json_agg(json_build_array("step", "loss", "learningRate", "gradNorm", "epoch", "tokensPerSecond", "gpuUtilization", "gpuMemoryGb", "perplexity", ${RECORDED_AT_TEXT}) ORDER BY "step"), '[]')::text AS points`;
type PointTuple = [number, number | null, number | null, number | null, number | null, number | null, number | null, number | null, number | null, string];

function parsePoints(split: MetricSplit, rows: { points: string }[]): StoredPoint[] {
  return (JSON.parse(rows[0]?.points ?? '[]') as PointTuple[]).map(([step, loss, learningRate, gradNorm, epoch, tokensPerSecond, gpuUtilization, gpuMemoryGb, perplexity, recordedAt]) => ({
    split, step, loss, learningRate, gradNorm, epoch, tokensPerSecond, gpuUtilization, gpuMemoryGb, perplexity, recordedAt,
  }));
}

/**
 * The rows a cover reads, in one shape (bucket_start, cnt, first_step, last_step, min_loss,
 * min_step, max_loss, max_step): rollup buckets of several widths, and raw points at the edges.
 * One UNION ALL branch per piece, each a plain range on a primary key, so the plan is an index
 * range scan even where no statistics exist (PGlite never runs autovacuum's ANALYZE).
 */
function piecesSql(pieces: CoverPiece[], params: unknown[]): string {
  const branches = pieces.map((piece) => {
    params.push(piece.from / piece.width, piece.to / piece.width - 1);
    const [lo, hi] = [`$${params.length - 1}::int`, `$${params.length}::int`];
    if (piece.width === 1) {
      return `SELECT "step"::bigint, 1, "step", "step", "loss", "step", "loss", "step" FROM "MetricPoint"
        WHERE "jobId" = $1 AND "split" = $2::"MetricSplit" AND "step" BETWEEN ${lo} AND ${hi}`;
    }
    return `SELECT "bucket"::bigint * ${piece.width}, "count", "firstStep", "lastStep", "minLoss", "minLossStep", "maxLoss", "maxLossStep" FROM "MetricRollup"
      WHERE "jobId" = $1 AND "split" = $2::"MetricSplit" AND "width" = ${piece.width} AND "bucket" BETWEEN ${lo} AND ${hi}`;
  });
  const columns = '(bucket_start, cnt, first_step, last_step, min_loss, min_step, max_loss, max_step)';
  if (branches.length === 0) return `SELECT * FROM (VALUES (0::bigint, 0, 0, 0, 0::float8, 0, 0::float8, 0)) AS none${columns} WHERE false`;
  return `SELECT * FROM (${branches.join('\n  UNION ALL ')}) AS pieces${columns}`;
}

/**
 * A job's series over a step range, every point when at most `maxPoints` are stored there, else
 * downsampled by min/max buckets: the first and last points, and per bucket the points with the
 * lowest and highest loss (real points, all their fields). Reads the pre-aggregated rollups plus
 * a few raw rows at the edges, so the cost depends on maxPoints, not on the series' length.
 */
export async function readSeries(sql: Pick<SqlRunner, 'query'>, query: SeriesQuery): Promise<MetricSeries> {
  const { jobId, split, maxPoints } = query;
  const from = query.fromStep ?? 0;
  const to = query.toStep ?? MAX_STEP;
  const base = { jobId, split, totalPoints: 0, downsampled: false, method: 'RAW' as const, bucketSteps: null, points: [] };
  if (to < from) return base;

  const statsParams: unknown[] = [jobId, split];
  const statsPieces = piecesSql(coverRange(from, to, widthsUpTo(COARSEST_WIDTH)), statsParams);
  const [stats] = await sql.query<{ total: string | null; first: number | null; last: number | null }>(
    `SELECT sum(cnt) AS total, min(first_step) AS first, max(last_step) AS last FROM (${statsPieces}) AS covered`,
    statsParams,
  );
  const totalPoints = Number(stats?.total ?? 0);
  if (totalPoints === 0) return base;
  const first = stats!.first!;
  const last = stats!.last!;
  if (totalPoints <= maxPoints) {
    const rows = await sql.query<{ points: string }>(
      `SELECT ${POINTS_JSON} FROM "MetricPoint" WHERE "jobId" = $1 AND "split" = $2::"MetricSplit" AND "step" BETWEEN $3 AND $4`,
      [jobId, split, first, last],
    );
    return { ...base, totalPoints, points: parsePoints(split, rows) };
  }

  // Each bucket gives up to two points (its min and max), plus the first and last points.
  const maxBuckets = Math.floor((maxPoints - 2) / 2);
  const grid = maxBuckets >= 1 ? chooseGrid(first, last, maxBuckets) : null;
  const params: unknown[] = [jobId, split];
  const pieces = piecesSql(grid ? coverRange(first, last, widthsUpTo(grid.sourceWidth)) : [], params);
  params.push(grid?.origin ?? 0, grid?.bucketSteps ?? 1, first, last);
  const n = params.length;
  // The chosen steps reach the final scan as one array (an InitPlan), so it is an index lookup
  // per step however the planner misjudges the CTE's size.
  const rows = await sql.query<{ points: string }>(
    `WITH buckets AS (
       SELECT (bucket_start - $${n - 3}::bigint) / $${n - 2}::bigint AS ob,
              min(first_step) AS first_step,
              (array_agg(min_step ORDER BY min_loss ASC, min_step ASC) FILTER (WHERE min_loss IS NOT NULL))[1] AS min_step,
              (array_agg(max_step ORDER BY max_loss DESC, max_step ASC) FILTER (WHERE max_loss IS NOT NULL))[1] AS max_step
       FROM (${pieces}) AS covered GROUP BY 1
     ),
     chosen AS (
       SELECT coalesce(min_step, first_step) AS step FROM buckets
       UNION ALL SELECT max_step FROM buckets WHERE max_step IS NOT NULL
       UNION ALL SELECT $${n - 1}::int UNION ALL SELECT $${n}::int
     )
     SELECT ${POINTS_JSON} FROM "MetricPoint"
     WHERE "jobId" = $1 AND "split" = $2::"MetricSplit" AND "step" = ANY((SELECT array_agg(step) FROM chosen)::int[])`,
    params,
  );
  return { ...base, totalPoints, downsampled: true, method: 'MIN_MAX', bucketSteps: grid?.bucketSteps ?? null, points: parsePoints(split, rows) };
}
