import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { migrate, readMigrations } from '../db/migrate.js';
import { storeMetrics, type MetricInput } from './ingest.js';
import { rebuildRollups } from './rollup.js';
import { ROLLUP_WIDTHS } from './tiers.js';
import { METRIC_BACKENDS, insertJob, openTestDatabase } from '../../test/support/metrics.js';
import { openDatabase } from '../db/client.js';

interface Rollup { split: string; width: number; bucket: number; count: number; firstStep: number; lastStep: number; minLoss: number | null; minLossStep: number | null; maxLoss: number | null; maxLossStep: number | null }

const readRollups = (db: Database, jobId: string) =>
  db.sql.query<Rollup>(`SELECT split, width, bucket, count, "firstStep", "lastStep", "minLoss", "minLossStep", "maxLoss", "maxLossStep" FROM "MetricRollup" WHERE "jobId" = $1 ORDER BY split, width, bucket`, [jobId]);

/** What the rollups must be for these final point values, computed plainly. */
function expectedRollups(points: Map<string, MetricInput>): Rollup[] {
  const out = new Map<string, Rollup>();
  const sorted = [...points.values()].sort((a, b) => (a.split === b.split ? a.step - b.step : a.split === 'TRAIN' ? -1 : 1));
  for (const p of sorted) {
    for (const width of ROLLUP_WIDTHS) {
      const key = `${p.split}:${width}:${Math.floor(p.step / width)}`;
      const r = out.get(key) ?? { split: p.split, width, bucket: Math.floor(p.step / width), count: 0, firstStep: p.step, lastStep: p.step, minLoss: null, minLossStep: null, maxLoss: null, maxLossStep: null };
      r.count++;
      r.lastStep = p.step;
      const loss = p.loss ?? null;
      if (loss !== null && (r.minLoss === null || loss < r.minLoss)) Object.assign(r, { minLoss: loss, minLossStep: p.step });
      if (loss !== null && (r.maxLoss === null || loss > r.maxLoss)) Object.assign(r, { maxLoss: loss, maxLossStep: p.step });
      out.set(key, r);
    }
  }
  return [...out.values()].sort((a, b) => (a.split === b.split ? (a.width === b.width ? a.bucket - b.bucket : a.width - b.width) : a.split === 'TRAIN' ? -1 : 1));
}

describe.each(METRIC_BACKENDS)('metric rollups (%s)', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await insertJob(db, 'job_r');
  });
  afterAll(() => db?.close());

  it('stay exact under re-sent, out-of-order and tied points, and match a rebuild from scratch', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const truth = new Map<string, MetricInput>();
    // 40 reports of up to 200 points scattered over ~300k steps (crossing buckets of every tier),
    // a third of them re-sending steps already stored with new values, losses drawn from a few
    // values so ties happen, some losses missing.
    for (let report = 0; report < 40; report++) {
      const batch = new Map<string, MetricInput>();
      const known = [...truth.values()];
      for (let i = 0; i < 1 + Math.floor(random() * 200); i++) {
        const resend = report % 3 === 2 && known.length > 0;
        const base = resend ? known[Math.floor(random() * known.length)]! : null;
        const split = base?.split ?? (random() < 0.8 ? 'TRAIN' : 'EVAL');
        const step = base?.step ?? Math.floor(random() ** 3 * 300_000);
        const loss = random() < 0.1 ? null : Math.round(random() * 8) / 4;
        batch.set(`${split}:${step}`, { split, step, loss, learningRate: 1e-4 });
      }
      await storeMetrics(db.sql, 'job_r', [...batch.values()]);
      for (const [key, point] of batch) truth.set(key, point);
    }
    const incremental = await readRollups(db, 'job_r');
    expect(incremental).toEqual(expectedRollups(truth));
    await rebuildRollups(db.sql, 'job_r');
    expect(await readRollups(db, 'job_r')).toEqual(incremental);
  });

  it('count a re-sent report once', async () => {
    await insertJob(db, 'job_twice');
    const batch: MetricInput[] = Array.from({ length: 100 }, (_, i) => ({ split: 'TRAIN', step: 1000 - i * 7, loss: i % 5 }));
    await storeMetrics(db.sql, 'job_twice', batch);
    await storeMetrics(db.sql, 'job_twice', batch.slice().reverse());
    const [top] = await db.sql.query<{ count: number }>(`SELECT sum(count)::int AS count FROM "MetricRollup" WHERE "jobId" = 'job_twice' AND width = 262144`);
    expect(top?.count).toBe(100);
  });
});

describe('the rollup migration', () => {
  it('backfills the points stored before it, as rebuildRollups would', async () => {
    const all = await readMigrations();
    const rollupMigration = all.findIndex((m) => m.name.endsWith('_metric_rollups'));
    expect(rollupMigration).toBeGreaterThan(0);
    const db = await openDatabase({ dataDir: '', inMemory: true });
    try {
      // Start over from the schema as it was before the rollups existed.
      await db.sql.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
      await migrate(db.sql, all.slice(0, rollupMigration));
      await insertJob(db, 'job_old');
      await db.sql.query(`INSERT INTO "MetricPoint" ("jobId", split, step, loss) SELECT 'job_old', 'TRAIN', s, (s * 7919 % 1000) / 100.0 FROM generate_series(0, 20000, 3) AS s`);
      await migrate(db.sql, all);
      const backfilled = await readRollups(db, 'job_old');
      expect(backfilled.length).toBeGreaterThan(300);
      await rebuildRollups(db.sql, 'job_old');
      expect(await readRollups(db, 'job_old')).toEqual(backfilled);
    } finally {
      await db.close();
    }
  });
});
