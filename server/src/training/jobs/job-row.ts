import { Prisma, type TrainingJob } from '../../generated/prisma/client.js';
import type { SqlRunner } from '../../db/sql.js';
import type { StoredPoint } from '../../metrics/history.js';

// The API's hottest read — a job by id, polled by every monitor — through the driver instead of
// Prisma's query engine, which costs about three times the statement itself (measured in-process
// on the shared 2-core machine: findFirst 2.3–3.7 ms, findUnique 1.8–2.7 ms, the same SELECT through
// the driver 0.6–0.9 ms per call, sequential, under load). The column map is typed by the model,
// so a new column fails the typecheck until it is mapped; job-row.test.ts compares every field
// with what Prisma returns, on both backends.

type Kind = 'plain' | 'date' | 'decimal';

const COLUMNS: Record<keyof TrainingJob, Kind> = {
  id: 'plain',
  workspaceId: 'plain',
  datasetId: 'plain',
  configurationId: 'plain',
  idempotencyKey: 'plain',
  preset: 'plain',
  hyperparameters: 'plain',
  baseModel: 'plain',
  gpuType: 'plain',
  cloudType: 'plain',
  allowOnDemandFallback: 'plain',
  maxDurationHours: 'plain',
  costCapUsd: 'decimal',
  estimate: 'plain',
  status: 'plain',
  substatus: 'plain',
  currentStep: 'plain',
  totalSteps: 'plain',
  currentEpoch: 'plain',
  totalEpochs: 'plain',
  spendUsd: 'decimal',
  provider: 'plain',
  isSimulated: 'plain',
  trainerTokenHash: 'plain',
  interruptionCount: 'plain',
  lastHeartbeatAt: 'date',
  lastProgressAt: 'date',
  cancelReason: 'plain',
  cancelRequestedAt: 'date',
  errorCode: 'plain',
  errorMessage: 'plain',
  createdAt: 'date',
  startedAt: 'date',
  finishedAt: 'date',
  updatedAt: 'date',
};

const ENTRIES = Object.entries(COLUMNS) as [keyof TrainingJob, Kind][];

/** Timestamps as UTC ISO text and decimals as text: no driver or session time zone can shift them. */
const SELECT_LIST = ENTRIES.map(([name, kind]) =>
  kind === 'date' ? `to_char("${name}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${name}"` : kind === 'decimal' ? `"${name}"::text AS "${name}"` : `"${name}"`,
).join(', ');

function fromRow(row: Record<string, unknown>): TrainingJob {
  const job: Record<string, unknown> = {};
  for (const [name, kind] of ENTRIES) {
    const value = row[name];
    job[name] = value === null || value === undefined ? null : kind === 'date' ? new Date(value as string) : kind === 'decimal' ? new Prisma.Decimal(value as string) : value;
  }
  return job as unknown as TrainingJob;
}

/** A job of this workspace by id, shaped exactly as Prisma returns it; null when there is none. */
export async function readJob(sql: SqlRunner, workspaceId: string, id: string): Promise<TrainingJob | null> {
  const rows = await sql.query(`SELECT ${SELECT_LIST} FROM "TrainingJob" WHERE "id" = $1 AND "workspaceId" = $2`, [id, workspaceId], { prepare: true });
  return rows[0] ? fromRow(rows[0]) : null;
}

/** A job by id whatever its workspace (the trainer endpoint: the token already names the job). */
export async function readJobById(sql: SqlRunner, id: string): Promise<TrainingJob | null> {
  const rows = await sql.query(`SELECT ${SELECT_LIST} FROM "TrainingJob" WHERE "id" = $1`, [id], { prepare: true });
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The newest point of one split of the job `j`, as a JSON object shaped like StoredPoint. */
const latestPointJson = (split: 'TRAIN' | 'EVAL') =>
  `(SELECT json_build_object('split', m."split", 'step', m."step", 'loss', m."loss", 'learningRate', m."learningRate", 'gradNorm', m."gradNorm",
      'epoch', m."epoch", 'tokensPerSecond', m."tokensPerSecond", 'gpuUtilization', m."gpuUtilization", 'gpuMemoryGb', m."gpuMemoryGb",
      'perplexity', m."perplexity", 'recordedAt', to_char(m."recordedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
     FROM "MetricPoint" m WHERE m."jobId" = "TrainingJob"."id" AND m."split" = '${split}' ORDER BY m."step" DESC LIMIT 1)`;

export interface LatestPoints {
  train: StoredPoint | null;
  eval: StoredPoint | null;
}

/**
 * The job and its newest TRAIN and EVAL points in one statement (two primary-key probes): what a
 * monitor's header asks for, in one round trip instead of two. `workspaceId` null: whatever the
 * workspace (the job cache reads by id and checks the workspace itself).
 */
export async function readJobWithLatestPoints(sql: SqlRunner, workspaceId: string | null, id: string): Promise<{ job: TrainingJob; latest: LatestPoints } | null> {
  const rows = await sql.query<Record<string, unknown> & { latestTrain: StoredPoint | string | null; latestEval: StoredPoint | string | null }>(
    `SELECT ${SELECT_LIST}, ${latestPointJson('TRAIN')} AS "latestTrain", ${latestPointJson('EVAL')} AS "latestEval"
       FROM "TrainingJob" WHERE "id" = $1${workspaceId === null ? '' : ' AND "workspaceId" = $2'}`,
    workspaceId === null ? [id] : [id, workspaceId],
    { prepare: true },
  );
  const row = rows[0];
  if (!row) return null;
  // pg parses json columns; be strict about the other shape rather than trusting it.
  const point = (value: StoredPoint | string | null) => (value === null ? null : typeof value === 'string' ? (JSON.parse(value) as StoredPoint) : value);
  return { job: fromRow(row), latest: { train: point(row.latestTrain), eval: point(row.latestEval) } };
}
