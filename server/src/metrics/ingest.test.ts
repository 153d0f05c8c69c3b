import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client.js';
import { storeMetrics, validateMetrics, type MetricInput } from './ingest.js';

describe('metric ingestion', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', inMemory: true });
    await db.sql.exec(`
      INSERT INTO "Workspace" (id, name) VALUES ('ws_1', 'w');
      INSERT INTO "Dataset" (id, "workspaceId", name, status, "storagePath", "updatedAt") VALUES ('ds_1', 'ws_1', 'd', 'READY', 'datasets/x', now());
      INSERT INTO "TrainingJob" (id, "workspaceId", "datasetId", preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", estimate, "totalEpochs", provider, "trainerTokenHash", "updatedAt")
      VALUES ('job_1', 'ws_1', 'ds_1', 'BALANCED', '{}', 'tiny-llama', 'NVIDIA H100 PCIe', 'SPOT', 24, '{}', 3, 'local', 'h', now());`);
  });
  afterAll(() => db.close());

  const point = (step: number, loss: number, split: 'TRAIN' | 'EVAL' = 'TRAIN'): MetricInput => ({ split, step, loss, learningRate: 1e-4, gpuUtilization: null });

  it('stores a batch once and counts a re-sent batch as updates, not new rows', async () => {
    const batch = [point(1, 2.5), point(2, 2.4), point(2, 2.6, 'EVAL')];
    expect(await storeMetrics(db.sql, 'job_1', batch)).toMatchObject({ inserted: 3, updated: 0 });
    expect(await storeMetrics(db.sql, 'job_1', [point(2, 2.3), point(3, 2.2)])).toMatchObject({ inserted: 1, updated: 1 });
    const rows = await db.sql.query<{ split: string; step: number; loss: number }>('SELECT split, step, loss FROM "MetricPoint" ORDER BY split, step');
    expect(rows).toEqual([
      { split: 'TRAIN', step: 1, loss: 2.5 },
      { split: 'TRAIN', step: 2, loss: 2.3 },
      { split: 'TRAIN', step: 3, loss: 2.2 },
      { split: 'EVAL', step: 2, loss: 2.6 },
    ]);
  });

  it('refuses non-finite numbers, bad steps, duplicates within a report and oversized batches', () => {
    expect(validateMetrics([{ split: 'TRAIN', step: 1, loss: Number.NaN }])[0]).toEqual({ field: 'metrics[0].loss', message: expect.stringMatching(/finite number or null \(got NaN\)/) });
    expect(validateMetrics([{ split: 'TRAIN', step: -1 }])[0]?.field).toBe('metrics[0].step');
    expect(validateMetrics([point(1, 1), point(1, 2)])[0]?.message).toMatch(/appears twice/);
    expect(validateMetrics(Array.from({ length: 1001 }, (_, i) => point(i, 1)))[0]?.message).toMatch(/at most 1000 points/);
    expect(validateMetrics([point(1, 1), point(1, 1, 'EVAL')])).toEqual([]);
  });
});
