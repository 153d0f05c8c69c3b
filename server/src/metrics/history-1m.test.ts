import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { rebuildRollups } from './rollup.js';
import { readSeries } from './history.js';
import { METRIC_BACKENDS, bulkInsertPoints, insertJob, openTestDatabase } from '../../test/support/metrics.js';

const POINTS = 1_000_000;

describe.each(METRIC_BACKENDS)('a 1,000,000-point series (%s)', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await insertJob(db, 'job_1m');
    await bulkInsertPoints(db, 'job_1m', POINTS);
    await rebuildRollups(db.sql, 'job_1m');
  }, 300_000);
  afterAll(() => db?.close());

  it('comes back downsampled to at most 1,000 points in well under 100 ms', async () => {
    // The first statement of a fresh connection pays for loading catalogs; a running server has.
    await readSeries(db.sql, { jobId: 'job_1m', split: 'TRAIN', fromStep: 500, toStep: 90_000, maxPoints: 100 });
    const timings: number[] = [];
    let series;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      series = await readSeries(db.sql, { jobId: 'job_1m', split: 'TRAIN', maxPoints: 1000 });
      timings.push(performance.now() - started);
    }
    const median = [...timings].sort((a, b) => a - b)[2]!;
    console.log(`[${backend}] 1,000,000 points → ${series!.points.length} points: median ${median.toFixed(1)} ms (runs ${timings.map((t) => t.toFixed(1)).join(', ')} ms)`);
    expect(series).toMatchObject({ totalPoints: POINTS, downsampled: true, method: 'MIN_MAX' });
    expect(series!.points.length).toBeLessThanOrEqual(1000);
    expect(series!.points.length).toBeGreaterThan(900);
    expect(series!.points[0]!.step).toBe(0);
    expect(series!.points[series!.points.length - 1]!.step).toBe(POINTS - 1);
    expect(median).toBeLessThan(100);
  });
});
