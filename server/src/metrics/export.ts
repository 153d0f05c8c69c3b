import { Readable } from 'node:stream';
import type { SqlRunner } from '../db/sql.js';
import type { Storage } from '../storage/storage.js';
import { RECORDED_AT_TEXT } from './ingest.js';

export const CSV_HEADER = 'split,step,loss,learning_rate,grad_norm,epoch,tokens_per_second,gpu_utilization,gpu_memory_gb,perplexity,recorded_at\n';
export const EXPORT_LINK_SECONDS = 3600;
const PAGE_ROWS = 5000;

export interface MetricsExport {
  url: string;
  expiresAt: Date;
  rows: number;
}

// float8::text is the shortest text that reads back as the same double (Postgres ≥ 12).
const csvValue = (column: string) => `coalesce("${column}"::text, '')`;
const CSV_LINE = `concat_ws(',', "split", "step", ${['loss', 'learningRate', 'gradNorm', 'epoch', 'tokensPerSecond', 'gpuUtilization', 'gpuMemoryGb', 'perplexity'].map(csvValue).join(', ')},
  ${RECORDED_AT_TEXT}) || E'\\n'`;

/**
 * Every point of one split as CSV text, a page of at most `PAGE_ROWS` rows at a time (keyset on
 * the primary key), so memory holds one page whatever the series' length. The database formats
 * the lines: one text value per page crosses the driver.
 */
export async function* csvPages(sql: Pick<SqlRunner, 'query'>, jobId: string, split: 'TRAIN' | 'EVAL', pageRows = PAGE_ROWS): AsyncGenerator<{ text: string; rows: number }> {
  let after = -1;
  for (;;) {
    const [page] = await sql.query<{ rows: number; last: number | null; text: string | null }>(
      `SELECT count(*)::int AS rows, max("step") AS last, string_agg(line, '' ORDER BY "step") AS text FROM (
         SELECT "step", ${CSV_LINE} AS line FROM "MetricPoint"
         WHERE "jobId" = $1 AND "split" = $2::"MetricSplit" AND "step" > $3 ORDER BY "step" LIMIT $4
       ) AS page`,
      [jobId, split, after, pageRows],
    );
    if (!page || page.rows === 0) return;
    yield { text: page.text ?? '', rows: page.rows };
    if (page.rows < pageRows) return;
    after = page.last!;
  }
}

/**
 * What an export holds: the job's point count and the newest recordedAt (µs). Points are only
 * added or re-sent (which moves recordedAt), so equal fingerprints mean equal files.
 */
export interface ExportFingerprint {
  rows: number;
  lastRecordedMicros: string;
}

export async function exportFingerprint(sql: Pick<SqlRunner, 'query'>, jobId: string): Promise<ExportFingerprint> {
  const [row] = await sql.query<{ rows: number; last: string }>(
    `SELECT count(*)::int AS rows, coalesce(floor(extract(epoch FROM max("recordedAt")) * 1000000)::bigint, 0)::text AS last FROM "MetricPoint" WHERE "jobId" = $1`,
    [jobId],
  );
  return { rows: row?.rows ?? 0, lastRecordedMicros: row?.last ?? '0' };
}

const stamp = (at: Date) => at.toISOString().replace(/[-:.]/g, '');
const EXPORT_NAME = /\/metrics-(\d{8}T\d{9}Z)-(\d+)-(\d+)\.csv$/;

/** The storage path of an export written at `at`: `exports/<workspaceId>/<jobId>/metrics-<UTC time>-<rows>-<last recordedAt>.csv`. */
export const exportPath = (workspaceId: string, jobId: string, at: Date, fingerprint: ExportFingerprint) =>
  `exports/${workspaceId}/${jobId}/metrics-${stamp(at)}-${fingerprint.rows}-${fingerprint.lastRecordedMicros}.csv`;

/** When the export at `path` was written, and what it holds; null for a name this module did not make. */
export function parseExportPath(path: string): { writtenAt: Date; fingerprint: ExportFingerprint } | null {
  const match = EXPORT_NAME.exec(path);
  if (!match) return null;
  const t = match[1]!;
  const writtenAt = new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.${t.slice(15, 18)}Z`);
  return Number.isNaN(writtenAt.getTime()) ? null : { writtenAt, fingerprint: { rows: Number(match[2]), lastRecordedMicros: match[3]! } };
}

/** Writes every point of the job (TRAIN then EVAL, by step) as CSV to `path`; returns the data rows written. */
export async function writeMetricsCsv(sql: Pick<SqlRunner, 'query'>, storage: Storage, jobId: string, path: string): Promise<number> {
  let rows = 0;
  async function* csv() {
    yield CSV_HEADER;
    for (const split of ['TRAIN', 'EVAL'] as const) {
      for await (const page of csvPages(sql, jobId, split)) {
        rows += page.rows;
        yield page.text;
      }
    }
  }
  await storage.put(path, Readable.from(csv()), { contentType: 'text/csv; charset=utf-8' });
  return rows;
}

export interface ExportLimits {
  /** A written file is handed out again (with a fresh link) for this long while the job's points are unchanged. */
  reuseSeconds: number;
  /** A file is deleted this long after it was written: after the last link to it expired (reuse + link lifetime). */
  keepSeconds: number;
  /** Export files a workspace may hold at once (those not yet expired). */
  maxPerWorkspace: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { reuseSeconds: EXPORT_LINK_SECONDS, keepSeconds: 2 * EXPORT_LINK_SECONDS, maxPerWorkspace: 50 };

/** A workspace holds its limit of export files; the oldest expires in `retryAfterSeconds`. */
export class TooManyExportsError extends Error {
  readonly code = 'TOO_MANY_EXPORTS';
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`This workspace holds ${limit} metric exports, the most it may; each is deleted ${Math.round(DEFAULT_EXPORT_LIMITS.keepSeconds / 3600)} hours after it was written. Retry in ${retryAfterSeconds} s, or reuse a link you already have.`);
  }
}

/** Runs the write of a file under the server's bound on heavy operations. */
export type HeavyRunner = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Metric CSV exports, deduplicated: the same job with the same points gets the same file (one
 * write, however many callers ask at once or within `reuseSeconds`), each file is deleted by
 * `sweep()` once its last link expired, and a workspace holds at most `maxPerWorkspace` files.
 */
export class MetricExports {
  private readonly inFlight = new Map<string, Promise<{ path: string; rows: number }>>();

  constructor(
    private readonly sql: Pick<SqlRunner, 'query'>,
    private readonly storage: Storage,
    readonly limits: ExportLimits = DEFAULT_EXPORT_LIMITS,
  ) {}

  async export(job: { id: string; workspaceId: string }, heavy: HeavyRunner = (work) => work(), now = () => new Date()): Promise<MetricsExport> {
    const fingerprint = await exportFingerprint(this.sql, job.id);
    const key = `${job.id}:${fingerprint.rows}:${fingerprint.lastRecordedMicros}`;
    let file = this.inFlight.get(key);
    if (!file) {
      file = this.findOrWrite(job, fingerprint, heavy, now).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, file);
    }
    const { path, rows } = await file;
    // Taken before signing, so the link lives at least until expiresAt.
    const expiresAt = new Date(Date.now() + EXPORT_LINK_SECONDS * 1000);
    const url = await this.storage.signedDownloadUrl(path, { expiresInSeconds: EXPORT_LINK_SECONDS, downloadName: `${job.id}-metrics.csv` });
    return { url, expiresAt, rows };
  }

  private async findOrWrite(job: { id: string; workspaceId: string }, fingerprint: ExportFingerprint, heavy: HeavyRunner, now: () => Date) {
    const at = now();
    const reusable = (await this.storage.list(`exports/${job.workspaceId}/${job.id}`))
      .map((o) => ({ path: o.path, parsed: parseExportPath(o.path) }))
      .filter(({ parsed }) => parsed && parsed.fingerprint.rows === fingerprint.rows && parsed.fingerprint.lastRecordedMicros === fingerprint.lastRecordedMicros)
      .filter(({ parsed }) => at.getTime() - parsed!.writtenAt.getTime() < this.limits.reuseSeconds * 1000)
      .sort((a, b) => b.parsed!.writtenAt.getTime() - a.parsed!.writtenAt.getTime());
    if (reusable[0]) return { path: reusable[0].path, rows: fingerprint.rows };

    const live = (await this.storage.list(`exports/${job.workspaceId}`))
      .map((o) => parseExportPath(o.path)?.writtenAt ?? o.updatedAt ?? at)
      .filter((writtenAt) => at.getTime() - writtenAt.getTime() < this.limits.keepSeconds * 1000)
      .sort((a, b) => a.getTime() - b.getTime());
    if (live.length >= this.limits.maxPerWorkspace) {
      const oldestGoneAt = live[0]!.getTime() + this.limits.keepSeconds * 1000;
      throw new TooManyExportsError(this.limits.maxPerWorkspace, Math.max(1, Math.ceil((oldestGoneAt - at.getTime()) / 1000)));
    }
    return heavy(async () => {
      const path = exportPath(job.workspaceId, job.id, now(), fingerprint);
      const rows = await writeMetricsCsv(this.sql, this.storage, job.id, path);
      return { path, rows };
    });
  }

  /** Deletes every export file older than `keepSeconds` (its links expired); returns how many. */
  async sweep(now = new Date()): Promise<number> {
    const expired = (await this.storage.list('exports'))
      .filter((o) => {
        const writtenAt = parseExportPath(o.path)?.writtenAt ?? o.updatedAt;
        return writtenAt != null && now.getTime() - writtenAt.getTime() >= this.limits.keepSeconds * 1000;
      })
      .map((o) => o.path);
    for (let i = 0; i < expired.length; i += 100) await this.storage.delete(expired.slice(i, i + 100));
    return expired.length;
  }
}
