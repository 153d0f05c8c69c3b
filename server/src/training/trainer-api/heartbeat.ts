import type { SqlRunner } from '../../db/sql.js';

/** What a trainer report writes on its job's row besides the metric points. */
export interface HeartbeatPatch {
  /** The report's time: lastHeartbeatAt, and updatedAt as Prisma's @updatedAt would set it. */
  at: Date;
  substatus?: string;
  /** The step moved (or training resumed): the stall clock restarts. */
  progressed: boolean;
  progress?: { step: number; totalSteps: number; epoch: number };
}

/**
 * Writes a report's heartbeat (and progress) through the driver, so it can share the metric
 * points' transaction: one statement, no Prisma round trip. Returns whether a cancellation was
 * requested. Timestamps go in as UTC text cast to `timestamp` (the columns hold UTC without a
 * zone, as Prisma writes them; the cast ignores the trailing Z, so no session time zone applies).
 */
export async function writeHeartbeat(sql: Pick<SqlRunner, 'query'>, jobId: string, patch: HeartbeatPatch): Promise<{ cancelRequested: boolean }> {
  const params: unknown[] = [jobId, patch.at.toISOString()];
  const sets = [`"lastHeartbeatAt" = $2::timestamp`, `"updatedAt" = $2::timestamp`];
  const set = (column: string, value: unknown, cast: string) => {
    params.push(value);
    sets.push(`"${column}" = $${params.length}::${cast}`);
  };
  if (patch.progressed) sets.push(`"lastProgressAt" = $2::timestamp`);
  if (patch.substatus !== undefined) set('substatus', patch.substatus, 'text');
  if (patch.progress) {
    set('currentStep', patch.progress.step, 'int');
    set('totalSteps', patch.progress.totalSteps, 'int');
    set('currentEpoch', patch.progress.epoch, 'float8');
  }
  const rows = await sql.query<{ cancelRequested: boolean }>(
    `UPDATE "TrainingJob" SET ${sets.join(', ')} WHERE "id" = $1 RETURNING "cancelRequestedAt" IS NOT NULL AS "cancelRequested"`,
    params,
    { prepare: true }, // one text per patch shape: a handful
  );
  if (!rows[0]) throw new Error(`job ${jobId} vanished while its report was stored`);
  return { cancelRequested: rows[0].cancelRequested };
}
