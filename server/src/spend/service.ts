import type { SqlRunner } from '../db/sql.js';
import { parseMonth, previousMonth, utcTimestamp } from './month.js';

export interface JobSpend {
  jobId: string;
  /** GPU plus the model-cache storage attributed to the job's running hours (storageUsd). */
  spendUsd: number;
  /** The model-cache volume's storage attributed to the job: its per-hour share × the hours its pods ran in the month. */
  storageUsd: number;
  /** Attempts (pod lifetimes) of the job that ran during the month. */
  attempts: number;
}

export interface MonthlySpend {
  month: string;
  /** GPU spend of the month's jobs + modelCacheStorageUsd (the volume counted once). */
  totalUsd: number;
  /** The model-cache volume(s) of the workspace for their time inside the month (up to now), used or not. */
  modelCacheStorageUsd: number;
  previousMonthUsd: number;
  changeUsd: number;
  /** Null when the previous month cost nothing (no meaningful percentage). */
  changePercent: number | null;
  /** Jobs that ran in the month, most expensive first. */
  jobs: JobSpend[];
  budgetUsd: number | null;
  /** totalUsd / budgetUsd; null without a budget (or with a budget of 0). */
  budgetUsedShare: number | null;
}

/**
 * Spend per month, in one SQL statement. Only real money: demo (simulated) jobs are left out of the
 * month, its jobs and the budget. A job's spend in a month is the sum over its attempts of
 * the part of [startedAt, endedAt ?? now] inside the month: × pricePerHour, or — when RunPod's
 * billing reconciled the attempt (billedUsd) — that bill prorated by the share of the attempt's
 * time inside the month (all of it to the month it started in, for a zero-length attempt).
 * Amounts are numeric in SQL and rounded to 4 decimals (the precision spend is stored with).
 *
 * Model-cache storage: a job's spend also carries its attempts' `storageUsdPerHour` × their time in
 * the month (its share of the volume); the month counts the volume once, whole — size × rate ÷ 730
 * per hour it existed inside the month, up to now — as `modelCacheStorageUsd`, so
 * total = Σ jobs' GPU spend + modelCacheStorageUsd (job shares are part of the latter, not added again).
 */
const SPEND_SQL = `
WITH bounds AS (
  SELECT $2::timestamp AS prev_start, $3::timestamp AS month_start, $4::timestamp AS month_end, $5::timestamp AS now
), spans AS (
  SELECT a."jobId" AS job_id, a."pricePerHour" AS price, a."billedUsd" AS billed, a."storageUsdPerHour" AS storage, a."startedAt" AS s,
         GREATEST(a."startedAt", COALESCE(a."endedAt", b.now)) AS e, b.prev_start, b.month_start, b.month_end
  FROM "JobAttempt" a
  JOIN "TrainingJob" j ON j.id = a."jobId"
  CROSS JOIN bounds b
  WHERE j."workspaceId" = $1 AND NOT j."isSimulated" AND a."startedAt" < b.month_end AND COALESCE(a."endedAt", b.now) >= b.prev_start
), parts AS (
  SELECT sp.job_id, m.which, sp.price, sp.billed, sp.storage, sp.s, m.lo, m.hi,
         GREATEST(EXTRACT(EPOCH FROM (LEAST(sp.e, m.hi) - GREATEST(sp.s, m.lo))), 0) AS inside,
         EXTRACT(EPOCH FROM (sp.e - sp.s)) AS total
  FROM spans sp
  CROSS JOIN LATERAL (VALUES ('current', sp.month_start, sp.month_end), ('previous', sp.prev_start, sp.month_start)) AS m(which, lo, hi)
), priced AS (
  SELECT job_id, which,
         CASE
           WHEN billed IS NOT NULL AND total > 0 THEN billed * inside / total
           WHEN billed IS NOT NULL THEN CASE WHEN s >= lo AND s < hi THEN billed ELSE 0 END
           ELSE price * inside / 3600
         END AS usd,
         storage * inside / 3600 AS storage_usd,
         (inside > 0 OR (total = 0 AND s >= lo AND s < hi)) AS ran
  FROM parts
), per_job AS (
  SELECT job_id,
         COALESCE(SUM(usd + storage_usd) FILTER (WHERE which = 'current'), 0) AS cur,
         COALESCE(SUM(usd + storage_usd) FILTER (WHERE which = 'previous'), 0) AS prev,
         COALESCE(SUM(storage_usd) FILTER (WHERE which = 'previous'), 0) AS prev_storage,
         COALESCE(SUM(storage_usd) FILTER (WHERE which = 'current'), 0) AS cur_storage,
         COUNT(*) FILTER (WHERE which = 'current' AND ran) AS attempts
  FROM priced
  GROUP BY job_id
), volumes AS (
  SELECT v."sizeGb" * v."usdPerGbMonth" / 730 AS per_hour, v."createdAt" AS s, GREATEST(v."createdAt", COALESCE(v."deletedAt", b.now)) AS e, b.prev_start, b.month_start, b.month_end
  FROM "ModelCacheVolume" v
  CROSS JOIN bounds b
  WHERE v."workspaceId" = $1 AND v."createdAt" < b.month_end
), volume_cost AS (
  SELECT COALESCE(SUM(per_hour * GREATEST(EXTRACT(EPOCH FROM (LEAST(e, month_end) - GREATEST(s, month_start))), 0) / 3600), 0) AS cur,
         COALESCE(SUM(per_hour * GREATEST(EXTRACT(EPOCH FROM (LEAST(e, month_start) - GREATEST(s, prev_start))), 0) / 3600), 0) AS prev
  FROM volumes
)
SELECT ROUND(COALESCE(SUM(cur - cur_storage), 0) + (SELECT cur FROM volume_cost), 4)::text AS total,
       ROUND(COALESCE(SUM(prev - prev_storage), 0) + (SELECT prev FROM volume_cost), 4)::text AS previous,
       ROUND((SELECT cur FROM volume_cost), 4)::text AS volume,
       COALESCE(json_agg(json_build_object('jobId', job_id, 'spendUsd', ROUND(cur, 4), 'storageUsd', ROUND(cur_storage, 4), 'attempts', attempts) ORDER BY cur DESC, job_id) FILTER (WHERE attempts > 0), '[]') AS jobs,
       (SELECT "monthlyBudgetUsd"::text FROM "WorkspaceSettings" WHERE "workspaceId" = $1) AS budget
FROM per_job`;

interface SpendRow {
  total: string;
  volume: string;
  previous: string;
  jobs: JobSpend[] | string;
  budget: string | null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export class SpendService {
  constructor(private readonly sql: SqlRunner) {}

  /** The workspace's spend in `month` ("YYYY-MM"; absent → the current UTC month), compared with the month before. */
  async monthly(workspaceId: string, month?: string | null, now = new Date()): Promise<{ ok: true; spend: MonthlySpend } | { ok: false; message: string }> {
    const parsed = parseMonth(month, now);
    if (!parsed.ok) return parsed;
    const range = parsed.month;
    const params = [workspaceId, utcTimestamp(previousMonth(range).start), utcTimestamp(range.start), utcTimestamp(range.end), utcTimestamp(now)];
    const [row] = await this.sql.query<SpendRow>(SPEND_SQL, params);
    const totalUsd = Number(row!.total);
    const previousMonthUsd = Number(row!.previous);
    const budgetUsd = row!.budget === null ? null : Number(row!.budget);
    const jobs = (typeof row!.jobs === 'string' ? JSON.parse(row!.jobs) : row!.jobs) as JobSpend[];
    return {
      ok: true,
      spend: {
        month: range.label,
        totalUsd,
        modelCacheStorageUsd: Number(row!.volume),
        previousMonthUsd,
        changeUsd: round(totalUsd - previousMonthUsd, 4),
        changePercent: previousMonthUsd > 0 ? round(((totalUsd - previousMonthUsd) / previousMonthUsd) * 100, 2) : null,
        jobs: jobs.map((j) => ({ jobId: j.jobId, spendUsd: Number(j.spendUsd), storageUsd: Number(j.storageUsd), attempts: Number(j.attempts) })),
        budgetUsd,
        budgetUsedShare: budgetUsd ? round(totalUsd / budgetUsd, 4) : null,
      },
    };
  }
}
