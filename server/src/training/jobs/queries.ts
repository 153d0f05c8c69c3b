import type { Checkpoint, JobAttempt, JobEvent, ModelArtifact, Prisma, PrismaClient, TrainingConfiguration, TrainingJob } from '../../generated/prisma/client.js';
import type { SqlRunner } from '../../db/sql.js';
import { keyset, pageOf, type PageRequest, type PageResult } from '../../db/keyset.js';
import { ACTIVE_STATUSES } from '../state-machine.js';
import { RECORDED_AT_TEXT } from '../../metrics/ingest.js';
import { readJob, readJobWithLatestPoints } from './job-row.js';
import type { StoredPoint } from '../../metrics/history.js';
import type { JobReadCache, JobSnapshot } from './job-cache.js';

/** Event kinds that move a job between stages (the stage timeline is built from them). */
export const STAGE_EVENT_KINDS = ['queued', 'provisioning', 'resuming', 'stage', 'interrupted', 'completed', 'failed', 'cancelled', 'auto_cancelled', 'launch_failed', 'trainer_silent', 'too_many_interruptions'];

export interface JobFilter {
  status?: TrainingJob['status'][] | null;
  active?: boolean | null;
  datasetId?: string | null;
}

/** Recent optimizer steps and when they were stored: the pace behind a job's ETA. */
export interface PaceSample {
  step: number;
  recordedAt: Date;
}

const byKey = <T, K>(rows: T[], key: (row: T) => K) => {
  const map = new Map<K, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
};

/**
 * Reads of jobs as the API shows them. Every by-job lookup takes many job ids at once, so a list
 * of 50 jobs costs one statement per field, not one per row (the loaders in loaders.ts batch them).
 */
export class JobQueries {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: SqlRunner,
    private readonly cache?: JobReadCache,
  ) {}

  /** Through the driver: the monitor polls it (see job-row.ts). */
  find(workspaceId: string, id: string): Promise<TrainingJob | null> {
    return readJob(this.sql, workspaceId, id);
  }

  /**
   * The job with its newest points, from this instance's read snapshot when it has one (no
   * database round trip; see job-cache.ts for why it is never stale after a write returns).
   */
  snapshot(workspaceId: string, id: string): Promise<JobSnapshot | null> {
    return this.cache ? this.cache.get(workspaceId, id) : readJobWithLatestPoints(this.sql, workspaceId, id);
  }

  where(workspaceId: string, filter: JobFilter = {}): Prisma.TrainingJobWhereInput {
    const where: Prisma.TrainingJobWhereInput = { workspaceId };
    if (filter.status?.length) where.status = { in: filter.status };
    if (filter.active) where.status = { in: [...ACTIVE_STATUSES] };
    if (filter.datasetId) where.datasetId = filter.datasetId;
    return where;
  }

  /** Newest first. */
  async list(workspaceId: string, filter: JobFilter, page: PageRequest): Promise<PageResult<TrainingJob>> {
    const { orderBy, where, take } = keyset({ field: 'createdAt', direction: 'desc' }, page);
    const rows = await this.prisma.trainingJob.findMany({ where: { AND: [this.where(workspaceId, filter), ...(where ? [where] : [])] }, orderBy, take });
    return pageOf(rows, page);
  }

  count(workspaceId: string, filter: JobFilter): Promise<number> {
    return this.prisma.trainingJob.count({ where: this.where(workspaceId, filter) });
  }

  /** The workspace's running jobs, oldest first. */
  active(workspaceId: string): Promise<TrainingJob[]> {
    return this.prisma.trainingJob.findMany({ where: { workspaceId, status: { in: [...ACTIVE_STATUSES] } }, orderBy: { createdAt: 'asc' } });
  }

  byIds(ids: readonly string[]): Promise<TrainingJob[]> {
    return this.prisma.trainingJob.findMany({ where: { id: { in: [...ids] } } });
  }

  async attempts(jobIds: readonly string[]): Promise<Map<string, JobAttempt[]>> {
    const rows = await this.prisma.jobAttempt.findMany({ where: { jobId: { in: [...jobIds] } }, orderBy: [{ jobId: 'asc' }, { number: 'asc' }] });
    return byKey(rows, (r) => r.jobId);
  }

  async stageEvents(jobIds: readonly string[]): Promise<Map<string, JobEvent[]>> {
    const rows = await this.prisma.jobEvent.findMany({ where: { jobId: { in: [...jobIds] }, kind: { in: STAGE_EVENT_KINDS } }, orderBy: { id: 'asc' } });
    return byKey(rows, (r) => r.jobId);
  }

  /** The newest `last` events of each job, oldest first: one statement for all the jobs. */
  async recentEvents(jobIds: readonly string[], last: number): Promise<Map<string, JobEvent[]>> {
    const rows = await this.sql.query<{ id: string; jobId: string; kind: string; level: JobEvent['level']; message: string; data: unknown; createdAt: string }>(
      `SELECT "id"::text AS "id", "jobId", "kind", "level", "message", "data", to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt" FROM (
         SELECT e.*, row_number() OVER (PARTITION BY "jobId" ORDER BY "id" DESC) AS n FROM "JobEvent" e WHERE "jobId" = ANY($1::text[])
       ) ranked WHERE n <= $2 ORDER BY "jobId", n DESC`,
      [[...jobIds], last],
    );
    return byKey(
      rows.map((r) => ({ ...r, id: BigInt(r.id), data: (r.data ?? null) as JobEvent['data'], createdAt: new Date(r.createdAt) })),
      (r) => r.jobId,
    );
  }

  async artifacts(jobIds: readonly string[]): Promise<Map<string, ModelArtifact>> {
    const rows = await this.prisma.modelArtifact.findMany({ where: { jobId: { in: [...jobIds] }, deletedAt: null } });
    return new Map(rows.map((r) => [r.jobId, r]));
  }

  configurations(ids: readonly string[]): Promise<TrainingConfiguration[]> {
    return this.prisma.trainingConfiguration.findMany({ where: { id: { in: [...ids] } } });
  }

  /** The latest TRAIN and EVAL point of each job: one index scan per (job, split). */
  async latestMetrics(jobIds: readonly string[]): Promise<Map<string, { train: StoredPoint | null; eval: StoredPoint | null }>> {
    // One index probe per (job, split) — the newest step through the primary key — instead of
    // DISTINCT ON, which reads every stored point of the job (a long run has millions).
    const rows = await this.sql.query<StoredPoint & { jobId: string }>(
      `SELECT j."jobId", p."split", p."step", p."loss", p."learningRate", p."gradNorm", p."epoch", p."tokensPerSecond",
              p."gpuUtilization", p."gpuMemoryGb", p."perplexity", ${RECORDED_AT_TEXT.replaceAll('"recordedAt"', 'p."recordedAt"')} AS "recordedAt"
         FROM unnest($1::text[]) AS j("jobId")
        CROSS JOIN (VALUES ('TRAIN'::"MetricSplit"), ('EVAL'::"MetricSplit")) AS s("split")
        CROSS JOIN LATERAL (
          SELECT * FROM "MetricPoint" m WHERE m."jobId" = j."jobId" AND m."split" = s."split" ORDER BY m."step" DESC LIMIT 1
        ) p`,
      [[...new Set(jobIds)]],
    );
    const out = new Map<string, { train: StoredPoint | null; eval: StoredPoint | null }>();
    for (const { jobId, ...point } of rows) {
      const entry = out.get(jobId) ?? { train: null, eval: null };
      if (point.split === 'TRAIN') entry.train = point;
      else entry.eval = point;
      out.set(jobId, entry);
    }
    return out;
  }

  /** The last `window` TRAIN steps of each job with their store times, newest first. */
  async pace(jobIds: readonly string[], window = 50): Promise<Map<string, PaceSample[]>> {
    const rows = await this.sql.query<{ jobId: string; step: number; recordedAt: string }>(
      `SELECT "jobId", "step", ${RECORDED_AT_TEXT} AS "recordedAt" FROM (
         SELECT p.*, row_number() OVER (PARTITION BY "jobId" ORDER BY "step" DESC) AS n FROM "MetricPoint" p WHERE "jobId" = ANY($1::text[]) AND "split" = 'TRAIN'
       ) ranked WHERE n <= $2 ORDER BY "jobId", "step" DESC`,
      [[...jobIds], window],
    );
    return byKey(rows.map((r) => ({ jobId: r.jobId, step: r.step, recordedAt: new Date(r.recordedAt) })), (r) => r.jobId);
  }

  /** A job's committed checkpoints, newest step first. */
  async checkpoints(jobId: string, page: PageRequest): Promise<PageResult<Checkpoint>> {
    const { orderBy, where, take } = keyset({ field: 'step', direction: 'desc' }, page);
    const rows = await this.prisma.checkpoint.findMany({ where: { AND: [{ jobId, status: 'COMMITTED' }, ...(where ? [where] : [])] }, orderBy, take });
    return pageOf(rows, page);
  }

  countCheckpoints(jobId: string): Promise<number> {
    return this.prisma.checkpoint.count({ where: { jobId, status: 'COMMITTED' } });
  }

  /** One attempt or checkpoint by id, if its job belongs to the workspace (for `node(id:)`). */
  attempt(workspaceId: string, id: string): Promise<JobAttempt | null> {
    return this.prisma.jobAttempt.findFirst({ where: { id, job: { workspaceId } } });
  }

  checkpoint(workspaceId: string, id: string): Promise<Checkpoint | null> {
    return this.prisma.checkpoint.findFirst({ where: { id, status: 'COMMITTED', job: { workspaceId } } });
  }
}
