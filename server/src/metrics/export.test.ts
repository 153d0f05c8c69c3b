import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { startLocalFileServer } from '../storage/local.fixture.js';
import { HeavyOperations } from '../limits/heavy.js';
import { storeMetrics } from './ingest.js';
import { CSV_HEADER, MetricExports, TooManyExportsError, parseExportPath } from './export.js';
import { METRIC_BACKENDS, bulkInsertPoints, insertJob, openTestDatabase } from '../../test/support/metrics.js';

describe.each(METRIC_BACKENDS)('metric exports (%s)', (backend) => {
  let db: Database;
  let files: Awaited<ReturnType<typeof startLocalFileServer>>;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
    files = await startLocalFileServer();
    await insertJob(db, 'job_x', 'ws_x');
    await bulkInsertPoints(db, 'job_x', 3_000);
    await insertJob(db, 'job_y', 'ws_x', 'hash_y');
    await bulkInsertPoints(db, 'job_y', 10);
  });
  afterAll(async () => {
    await files?.close();
    await db?.close();
  });

  const job = { id: 'job_x', workspaceId: 'ws_x' };
  const exportFiles = () => files.storage.list('exports');

  it('200 concurrent exports of the same job write one file, and every link reads it', async () => {
    const exports = new MetricExports(db.sql, files.storage);
    let writes = 0;
    const heavy = new HeavyOperations({ perWorkspace: 2, total: 4, queuePerWorkspace: 0, maxWaitMs: 0 });
    const results = await Promise.all(Array.from({ length: 200 }, () => exports.export(job, (work) => { writes++; return heavy.run(job.workspaceId, 'metrics export', work); })));
    expect(writes).toBe(1);
    const stored = await exportFiles();
    expect(stored).toHaveLength(1);
    expect(results.every((r) => r.rows === 3_000)).toBe(true);
    const csv = await (await fetch(results[199]!.url)).text();
    expect(csv.startsWith(CSV_HEADER)).toBe(true);
    expect(csv.trimEnd().split('\n')).toHaveLength(3_001);
    // Later calls within the reuse window hand out the same file with a fresh link.
    const again = await exports.export(job);
    expect(await exportFiles()).toEqual(stored);
    expect(again.rows).toBe(3_000);
  });

  it('a new point makes a new file; the old one stays until its links expired', async () => {
    const exports = new MetricExports(db.sql, files.storage);
    await storeMetrics(db.sql, 'job_x', [{ split: 'EVAL', step: 100, loss: 1.5 }]);
    const result = await exports.export(job);
    expect(result.rows).toBe(3_001);
    expect(await exportFiles()).toHaveLength(2);
  });

  it('sweeps files older than keepSeconds and keeps the rest', async () => {
    const exports = new MetricExports(db.sql, files.storage);
    const paths = (await exportFiles()).map((f) => f.path);
    const newest = Math.max(...paths.map((p) => parseExportPath(p)!.writtenAt.getTime()));
    expect(await exports.sweep(new Date(newest + 1_000))).toBe(0);
    expect(await exports.sweep(new Date(newest + exports.limits.keepSeconds * 1000 + 1))).toBe(2);
    expect(await exportFiles()).toEqual([]);
    // An empty area sweeps cleanly too.
    expect(await exports.sweep()).toBe(0);
  });

  it('bounds the files a workspace holds, with the time until the oldest expires', async () => {
    const exports = new MetricExports(db.sql, files.storage, { reuseSeconds: 3600, keepSeconds: 7200, maxPerWorkspace: 1 });
    await exports.export(job);
    const refused = await exports.export({ id: 'job_y', workspaceId: 'ws_x' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyExportsError);
    expect((refused as TooManyExportsError).retryAfterSeconds).toBeGreaterThan(7000);
    expect(await exportFiles()).toHaveLength(1);
    // The same job and points are still served: no new file is needed.
    await expect(exports.export(job)).resolves.toMatchObject({ rows: 3_001 });
    await exports.sweep(new Date(Date.now() + 7_200_001));
  });
});
