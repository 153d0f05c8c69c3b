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

/** The storage path of an export made at `at`: `exports/<workspaceId>/<jobId>/metrics-<UTC timestamp>.csv`. */
export const exportPath = (workspaceId: string, jobId: string, at: Date) =>
  `exports/${workspaceId}/${jobId}/metrics-${at.toISOString().replace(/[-:.]/g, '')}.csv`;

/**
 * Streams a job's whole history (TRAIN then EVAL, by step) as CSV into storage and returns a
 * signed link to it, valid an hour.
 */
export async function exportMetricsCsv(sql: Pick<SqlRunner, 'query'>, storage: Storage, job: { id: string; workspaceId: string }, now = new Date()): Promise<MetricsExport> {
  let rows = 0;
  async function* csv() {
    yield CSV_HEADER;
    for (const split of ['TRAIN', 'EVAL'] as const) {
      for await (const page of csvPages(sql, job.id, split)) {
        rows += page.rows;
        yield page.text;
      }
    }
  }
  const path = exportPath(job.workspaceId, job.id, now);
  await storage.put(path, Readable.from(csv()), { contentType: 'text/csv; charset=utf-8' });
  // Taken before signing, so the link lives at least until expiresAt.
  const expiresAt = new Date(Date.now() + EXPORT_LINK_SECONDS * 1000);
  const url = await storage.signedDownloadUrl(path, { expiresInSeconds: EXPORT_LINK_SECONDS, downloadName: `${job.id}-metrics.csv` });
  return { url, expiresAt, rows };
}
