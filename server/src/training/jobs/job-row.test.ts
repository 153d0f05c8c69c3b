import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';
import { createTempDatabase } from '../../db/temp-database.js';
import { Prisma } from '../../generated/prisma/client.js';
import { readJob, readJobById, readJobWithLatestPoints } from './job-row.js';

const postgresUrl = process.env.TEST_DATABASE_URL;
const backends = postgresUrl ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(backends)('readJob on %s', (backend) => {
  let db: Database;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (backend === 'postgres') {
      const temp = await createTempDatabase(postgresUrl!, 'jobrow');
      drop = temp.drop;
      db = await openDatabase({ url: temp.url, dataDir: '' });
    } else db = await openDatabase({ dataDir: '', inMemory: true });
    await db.sql.exec(`INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'a'), ('ws_b', 'b');`);
    await db.prisma.dataset.create({ data: { id: 'ds_1', workspaceId: 'ws_a', name: 'd', status: 'READY', storagePath: 'datasets/ds_1/source.jsonl' } });
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('returns exactly what Prisma returns, for every column, set and unset', async () => {
    const full = {
      id: 'job_full', workspaceId: 'ws_a', datasetId: 'ds_1', idempotencyKey: 'k-1', preset: 'BALANCED',
      hyperparameters: { learningRate: 0.0002, nested: { list: [1, 2.5, 'x', null] } }, baseModel: 'tiny-llama', gpuType: 'NVIDIA H100 PCIe',
      cloudType: 'SPOT' as const, allowOnDemandFallback: true, maxDurationHours: 12.5, costCapUsd: new Prisma.Decimal('123.45'),
      estimate: { costUsd: { low: 1.5, high: 2.25 } }, status: 'TRAINING' as const, substatus: 'step 40', currentStep: 40, totalSteps: 400,
      currentEpoch: 0.3, totalEpochs: 3, spendUsd: new Prisma.Decimal('7.07'), provider: 'demo', isSimulated: true, trainerTokenHash: 'h1',
      interruptionCount: 2, lastHeartbeatAt: new Date('2026-11-30T01:02:03.456Z'), cancelReason: 'r', cancelRequestedAt: new Date('2026-11-30T02:00:00.001Z'),
      errorCode: 'E', errorMessage: 'm', startedAt: new Date('2026-11-29T23:59:59.999Z'), finishedAt: new Date('2026-11-30T03:00:00Z'),
    };
    await db.prisma.trainingJob.create({ data: full });
    await db.prisma.trainingJob.create({
      data: { id: 'job_bare', workspaceId: 'ws_a', datasetId: 'ds_1', preset: 'BALANCED', hyperparameters: {}, baseModel: 'm', gpuType: 'g', cloudType: 'ON_DEMAND', maxDurationHours: 1, estimate: {}, totalEpochs: 1, provider: 'demo', trainerTokenHash: 'h2' },
    });
    for (const id of ['job_full', 'job_bare']) {
      const viaPrisma = await db.prisma.trainingJob.findUniqueOrThrow({ where: { id } });
      const viaDriver = await readJob(db.sql, 'ws_a', id);
      expect(viaDriver).toEqual(viaPrisma);
      expect(await readJobById(db.sql, id)).toEqual(viaPrisma);
      // Same key set (no column forgotten or invented) and the same runtime types.
      expect(Object.keys(viaDriver!).sort()).toEqual(Object.keys(viaPrisma).sort());
      for (const key of Object.keys(viaPrisma) as (keyof typeof viaPrisma)[]) {
        const [a, b] = [viaDriver![key], viaPrisma[key]];
        expect(a?.constructor?.name, key).toBe(b?.constructor?.name);
        if (b instanceof Date) expect((a as Date).getTime(), key).toBe(b.getTime());
        if (Prisma.Decimal.isDecimal(b)) expect(String(a), key).toBe(String(b));
      }
    }
  });

  it('is null for another workspace\'s job and for an unknown id', async () => {
    expect(await readJob(db.sql, 'ws_b', 'job_full')).toBeNull();
    expect(await readJob(db.sql, 'ws_a', 'job_nope')).toBeNull();
    expect(await readJobById(db.sql, 'job_nope')).toBeNull();
  });
});

describe.each(backends)('readJobWithLatestPoints on %s', (backend) => {
  let db: Database;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (backend === 'postgres') {
      const temp = await createTempDatabase(postgresUrl!, 'jobrow');
      drop = temp.drop;
      db = await openDatabase({ url: temp.url, dataDir: '' });
    } else db = await openDatabase({ dataDir: '', inMemory: true });
    await db.sql.exec(`INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'a');`);
    await db.prisma.dataset.create({ data: { id: 'ds_1', workspaceId: 'ws_a', name: 'd', status: 'READY', storagePath: 'datasets/ds_1/source.jsonl' } });
    for (const id of ['job_points', 'job_empty']) {
      await db.prisma.trainingJob.create({
        data: { id, workspaceId: 'ws_a', datasetId: 'ds_1', preset: 'BALANCED', hyperparameters: {}, baseModel: 'm', gpuType: 'g', cloudType: 'SPOT', maxDurationHours: 1, estimate: {}, totalEpochs: 1, provider: 'demo', trainerTokenHash: `h_${id}` },
      });
    }
    await db.sql.query(
      `INSERT INTO "MetricPoint" ("jobId", split, step, loss, "learningRate", "gradNorm", epoch, "tokensPerSecond", "gpuUtilization", "gpuMemoryGb", perplexity)
       SELECT 'job_points', 'TRAIN'::"MetricSplit", s, 3.0 / s, 0.0002, 0.5, s / 100.0, 1234.5, 97.0, 61.25, exp(3.0 / s) FROM generate_series(1, 40) s
       UNION ALL SELECT 'job_points', 'EVAL'::"MetricSplit", 20, 1.75, NULL, NULL, 0.2, NULL, NULL, NULL, NULL`,
    );
  });
  afterAll(async () => {
    await db?.close();
    await drop();
  });

  it('returns the job and the same latest points as the batched latestMetrics query', async () => {
    const { JobQueries } = await import('./queries.js');
    const queries = new JobQueries(db.prisma, db.sql);
    for (const id of ['job_points', 'job_empty']) {
      const together = await readJobWithLatestPoints(db.sql, 'ws_a', id);
      expect(together!.job).toEqual(await db.prisma.trainingJob.findUniqueOrThrow({ where: { id } }));
      expect(together!.latest).toEqual((await queries.latestMetrics([id])).get(id) ?? { train: null, eval: null });
    }
    const points = (await readJobWithLatestPoints(db.sql, 'ws_a', 'job_points'))!.latest;
    expect(points.train).toMatchObject({ split: 'TRAIN', step: 40, loss: 3 / 40, gpuMemoryGb: 61.25, recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(points.eval).toMatchObject({ split: 'EVAL', step: 20, loss: 1.75, learningRate: null });
    expect(await readJobWithLatestPoints(db.sql, 'ws_b', 'job_points')).toBeNull();
  });
});
