import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { storeMetrics } from './ingest.js';
import { rebuildRollups } from './rollup.js';
import { readSeries, type StoredPoint } from './history.js';
import { chooseGrid } from './tiers.js';
import { METRIC_BACKENDS, bulkInsertPoints, insertJob, openTestDatabase } from '../../test/support/metrics.js';

const N = 20_000;

describe.each(METRIC_BACKENDS)('readSeries (%s)', (backend) => {
  let db: Database;
  let all: StoredPoint[];
  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await insertJob(db, 'job_h');
    await bulkInsertPoints(db, 'job_h', N);
    await rebuildRollups(db.sql, 'job_h');
    // A few points without loss, and a sparse EVAL series, through the ingestion path.
    await storeMetrics(db.sql, 'job_h', [
      { split: 'TRAIN', step: N + 5, loss: null, learningRate: 1e-5 },
      ...Array.from({ length: 40 }, (_, i) => ({ split: 'EVAL' as const, step: (i + 1) * 500, loss: 3 - i / 20 })),
    ]);
    all = [];
    for (const fromStep of [0, 10_000, 20_000]) {
      all.push(...(await readSeries(db.sql, { jobId: 'job_h', split: 'TRAIN', maxPoints: 10_000, fromStep, toStep: fromStep + 9_999 })).points);
    }
  });
  afterAll(() => db?.close());

  it('returns every point, unchanged, when the range fits in maxPoints', async () => {
    expect(all).toHaveLength(N + 1);
    expect(all.map((p) => p.step)).toEqual([...Array.from({ length: N }, (_, i) => i), N + 5]);
    const series = await readSeries(db.sql, { jobId: 'job_h', split: 'TRAIN', fromStep: 100, toStep: 1099, maxPoints: 1000 });
    expect(series).toMatchObject({ jobId: 'job_h', split: 'TRAIN', totalPoints: 1000, downsampled: false, method: 'RAW', bucketSteps: null });
    expect(series.points).toEqual(all.slice(100, 1100));
    expect(series.points[0]).toMatchObject({ split: 'TRAIN', step: 100, learningRate: 1e-4, gradNorm: 1, tokensPerSecond: 3000, gpuUtilization: 95, gpuMemoryGb: 40, perplexity: null });
    expect(series.points[0]!.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const evals = await readSeries(db.sql, { jobId: 'job_h', split: 'EVAL', maxPoints: 1000 });
    expect(evals.points.map((p) => p.step)).toEqual(Array.from({ length: 40 }, (_, i) => (i + 1) * 500));
  });

  it('downsamples to at most maxPoints real points, keeping the first, the last, and each bucket’s min and max', async () => {
    const cases = [
      { fromStep: undefined, toStep: undefined, maxPoints: 1000 },
      { fromStep: 1234, toStep: 17_777, maxPoints: 500 },
      { fromStep: 37, toStep: 19_990, maxPoints: 10 },
      { fromStep: 5000, toStep: 5999, maxPoints: 999 },
      { fromStep: 0, toStep: 50_000, maxPoints: 3 },
      { fromStep: 3, toStep: 70, maxPoints: 2 },
    ];
    for (const query of cases) {
      const series = await readSeries(db.sql, { jobId: 'job_h', split: 'TRAIN', ...query });
      const inRange = all.filter((p) => p.step >= (query.fromStep ?? 0) && p.step <= (query.toStep ?? Infinity));
      expect(series.totalPoints).toBe(inRange.length);
      expect(series).toMatchObject({ downsampled: true, method: 'MIN_MAX' });
      expect(series.points.length).toBeLessThanOrEqual(query.maxPoints);
      expect(series.points[0]).toEqual(inRange[0]);
      expect(series.points[series.points.length - 1]).toEqual(inRange[inRange.length - 1]);
      const steps = series.points.map((p) => p.step);
      expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
      const byStep = new Map(all.map((p) => [p.step, p]));
      for (const point of series.points) expect(point).toEqual(byStep.get(point.step));
      const maxBuckets = Math.floor((query.maxPoints - 2) / 2);
      if (maxBuckets === 0) continue;
      const grid = chooseGrid(inRange[0]!.step, inRange[inRange.length - 1]!.step, maxBuckets);
      expect(series.bucketSteps).toBe(grid.bucketSteps);
      // Enough detail: a large range fills at least half of the buckets it may use.
      if (query.maxPoints >= 500) expect(series.points.length).toBeGreaterThan(query.maxPoints / 2);
      const buckets = new Map<number, StoredPoint[]>();
      for (const p of inRange) {
        const bucket = Math.floor((p.step - grid.origin) / grid.bucketSteps);
        buckets.set(bucket, buckets.get(bucket) ?? []).get(bucket)!.push(p);
      }
      for (const members of buckets.values()) {
        const withLoss = members.filter((p) => p.loss !== null);
        if (withLoss.length === 0) continue;
        const min = withLoss.reduce((a, b) => (b.loss! < a.loss! ? b : a));
        const max = withLoss.reduce((a, b) => (b.loss! > a.loss! ? b : a));
        expect(steps).toContain(min.step);
        expect(steps).toContain(max.step);
      }
    }
  });

  it('answers empty ranges and unknown jobs with no points', async () => {
    expect(await readSeries(db.sql, { jobId: 'job_h', split: 'TRAIN', fromStep: 30_000, maxPoints: 10 })).toMatchObject({ totalPoints: 0, points: [], downsampled: false });
    expect(await readSeries(db.sql, { jobId: 'job_h', split: 'TRAIN', fromStep: 10, toStep: 5, maxPoints: 10 })).toMatchObject({ totalPoints: 0, points: [] });
    expect(await readSeries(db.sql, { jobId: 'job_none', split: 'EVAL', maxPoints: 10 })).toMatchObject({ totalPoints: 0, points: [] });
  });
});
