import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client.js';
import { parseMonth } from './month.js';
import { SpendService } from './service.js';

const NOW = new Date('2026-03-10T04:00:00Z');

describe('SpendService', () => {
  let db: Database;
  let spend: SpendService;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', inMemory: true });
    const job = (id: string, ws: string) =>
      `('${id}', '${ws}', 'ds_${ws}', 'BALANCED', '{}', 'm', 'NVIDIA H100 PCIe', 'SPOT', 24, '{}', 3, 'local', 'h_${id}', now())`;
    const attempt = (id: string, jobId: string, n: number, price: number, start: string, end: string | null, billed: number | null = null) =>
      `('${id}', '${jobId}', ${n}, 'SPOT', ${price}, '${start}', ${end ? `'${end}'` : 'NULL'}, ${billed ?? 'NULL'})`;
    await db.sql.exec(`
      INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'a'), ('ws_b', 'b'), ('ws_empty', 'e'), ('ws_v', 'v');
      INSERT INTO "WorkspaceSettings" ("workspaceId", "monthlyBudgetUsd", "updatedAt") VALUES ('ws_a', 100, now());
      INSERT INTO "Dataset" (id, "workspaceId", name, status, "storagePath", "updatedAt") VALUES ('ds_ws_a', 'ws_a', 'd', 'READY', 'x', now()), ('ds_ws_b', 'ws_b', 'd', 'READY', 'x', now()), ('ds_ws_v', 'ws_v', 'd', 'READY', 'x', now());
      INSERT INTO "TrainingJob" (id, "workspaceId", "datasetId", preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", estimate, "totalEpochs", provider, "trainerTokenHash", "updatedAt")
      VALUES ${[job('job_1', 'ws_a'), job('job_2', 'ws_a'), job('job_3', 'ws_a'), job('job_b', 'ws_b'), job('job_v', 'ws_v')].join(', ')};
      INSERT INTO "JobAttempt" (id, "jobId", number, "cloudType", "pricePerHour", "startedAt", "endedAt", "billedUsd") VALUES
        -- job_1: interrupted across the Feb/Mar boundary (2 h each side at $2), resumed at $3 for 2.5 h, then a third attempt still running at $2.50.
        ${attempt('att_1a', 'job_1', 1, 2, '2026-02-28 22:00', '2026-03-01 02:00')},
        ${attempt('att_1b', 'job_1', 2, 3, '2026-03-01 03:00', '2026-03-01 05:30')},
        ${attempt('att_1c', 'job_1', 3, 2.5, '2026-03-10 00:00', null)},
        -- job_2: RunPod billed $10 for 8 h spanning Mar/Apr: half of the bill in each month (not 8 h × $1).
        ${attempt('att_2a', 'job_2', 1, 1, '2026-03-31 20:00', '2026-04-01 04:00', 10)},
        -- job_3: February only.
        ${attempt('att_3a', 'job_3', 1, 2, '2026-02-10 00:00', '2026-02-10 03:00')},
        -- ws_v: a job whose pods mounted the model-cache volume: $0.07/h of storage attributed for its 3 h.
        ('att_va', 'job_v', 1, 'SPOT', 2, '2026-03-05 00:00', '2026-03-05 03:00', NULL),
        -- another workspace, same months.
        ${attempt('att_ba', 'job_b', 1, 100, '2026-03-02 00:00', '2026-03-02 01:00')};`);
    await db.sql.exec(`
      UPDATE "JobAttempt" SET "storageUsdPerHour" = 0.07 WHERE id = 'att_va';
      INSERT INTO "ModelCacheVolume" (id, "workspaceId", "runpodVolumeId", name, "dataCenterId", "sizeGb", "usdPerGbMonth", "createdAt", "deletedAt") VALUES
        -- 730 GB at $0.07/GB-month: $0.07 an hour, live since Feb 20 (216 h in February, 220 h in March up to NOW).
        ('mcv_1', 'ws_v', 'vol1', 'brightrun-model-cache-ws_v', 'US-KS-2', 730, 0.07, '2026-02-20 00:00', NULL),
        -- 100 GB at $0.073: $0.01 an hour, for one day of March, then deleted.
        ('mcv_0', 'ws_v', 'vol0', 'brightrun-model-cache-ws_v', 'EU-RO-1', 100, 0.073, '2026-03-01 00:00', '2026-03-02 00:00');`);
    spend = new SpendService(db.sql);
  });
  afterAll(() => db.close());

  const report = async (workspace: string, month?: string) => {
    const result = await spend.monthly(workspace, month, NOW);
    if (!result.ok) throw new Error(result.message);
    return result.spend;
  };

  it('sums attempt time inside the month × price, billed amounts prorated, the running attempt up to now', async () => {
    expect(await report('ws_a')).toEqual({
      month: '2026-03',
      totalUsd: 26.5, // job_1: 4 + 7.5 + 10; job_2: 5
      modelCacheStorageUsd: 0,
      previousMonthUsd: 10, // job_1: 4; job_3: 6
      changeUsd: 16.5,
      changePercent: 165,
      jobs: [
        { jobId: 'job_1', spendUsd: 21.5, storageUsd: 0, attempts: 3 },
        { jobId: 'job_2', spendUsd: 5, storageUsd: 0, attempts: 1 },
      ],
      budgetUsd: 100,
      budgetUsedShare: 0.265,
    });
  });

  it('compares with the month before, with no percentage when that month cost nothing', async () => {
    expect(await report('ws_a', '2026-04')).toMatchObject({ month: '2026-04', totalUsd: 5, previousMonthUsd: 26.5, changeUsd: -21.5, changePercent: -81.13, jobs: [{ jobId: 'job_2', spendUsd: 5, attempts: 1 }] });
    expect(await report('ws_a', '2026-02')).toMatchObject({ totalUsd: 10, previousMonthUsd: 0, changeUsd: 10, changePercent: null, jobs: [{ jobId: 'job_3', spendUsd: 6, attempts: 1 }, { jobId: 'job_1', spendUsd: 4, attempts: 1 }] });
  });

  it('keeps workspaces apart and reports an empty month as zeros', async () => {
    expect(await report('ws_b')).toMatchObject({ totalUsd: 100, previousMonthUsd: 0, jobs: [{ jobId: 'job_b', spendUsd: 100, attempts: 1 }], budgetUsd: null, budgetUsedShare: null });
    expect(await report('ws_empty')).toEqual({ month: '2026-03', totalUsd: 0, modelCacheStorageUsd: 0, previousMonthUsd: 0, changeUsd: 0, changePercent: null, jobs: [], budgetUsd: null, budgetUsedShare: null });
  });

  it('counts the model-cache volume once for the month (used or not) and shows each job its attributed share', async () => {
    expect(await report('ws_v')).toEqual({
      month: '2026-03',
      totalUsd: 21.64, // GPU 3 h × $2 = 6; volumes 220 h × 0.07 + 24 h × 0.01 = 15.64 (the job's 0.21 share is part of it)
      modelCacheStorageUsd: 15.64,
      previousMonthUsd: 15.12, // February: 216 h × 0.07 of storage, no job
      changeUsd: 6.52,
      changePercent: 43.12,
      jobs: [{ jobId: 'job_v', spendUsd: 6.21, storageUsd: 0.21, attempts: 1 }],
      budgetUsd: null,
      budgetUsedShare: null,
    });
    expect(await report('ws_v', '2026-04')).toMatchObject({ totalUsd: 0, modelCacheStorageUsd: 0 }); // nothing after NOW
  });

  it('refuses a month not written YYYY-MM, saying how to write it', async () => {
    for (const bad of ['2026-13', '2026-3', 'March', '1999-12', '']) {
      expect(await spend.monthly('ws_a', bad, NOW)).toEqual({ ok: false, message: `must be a month as "YYYY-MM" (e.g. "2026-03"), from 2000-01 on; got ${JSON.stringify(bad)}` });
    }
  });
});

describe('parseMonth', () => {
  it('gives UTC month bounds, the current month by default', () => {
    expect(parseMonth(undefined, new Date('2026-12-31T23:59:59Z'))).toEqual({ ok: true, month: { label: '2026-12', start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') } });
    expect(parseMonth(' 2026-01 ', NOW)).toMatchObject({ ok: true, month: { label: '2026-01' } });
  });
});
