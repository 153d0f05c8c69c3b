import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/auth/bootstrap.js';
import { BACKENDS, startTestServer, type TestServer } from './harness.js';

const SPEND = `query($month: String) { spend(month: $month) { __typename
  ... on SpendSuccess { spend { month totalUsd previousMonthUsd changeUsd changePercent jobs { jobId spendUsd attempts } budgetUsd budgetUsedShare } }
  ... on ValidationError { fieldErrors { field message } } } }`;

describe.each(BACKENDS)('spend (%s)', (backend) => {
  let server: TestServer;
  let otherKey: string;
  beforeAll(async () => {
    // Jobs are inserted as finished, so the supervisor leaves their attempts alone.
    server = await startTestServer(backend, { BRIGHTRUN_SUPERVISOR_TICK_MS: '600000' });
    const other = await createWorkspace(server.services.db.prisma, 'Other team');
    otherKey = other.adminKey;
    const job = (id: string, ws: string, ds: string) =>
      `('${id}', '${ws}', '${ds}', 'COMPLETED', 'BALANCED', '{}', 'm', 'NVIDIA H100 PCIe', 'SPOT', 24, '{}', 3, 'local', 'h_${id}', now())`;
    const startedAnHourAgo = new Date(Date.now() - 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
    await server.services.db.sql.exec(`
      INSERT INTO "Dataset" (id, "workspaceId", name, status, "storagePath", "updatedAt") VALUES
        ('ds_a', '${server.bootstrap.workspaceId}', 'd', 'READY', 'x', now()), ('ds_b', '${other.workspaceId}', 'd', 'READY', 'x', now());
      INSERT INTO "TrainingJob" (id, "workspaceId", "datasetId", status, preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", estimate, "totalEpochs", provider, "trainerTokenHash", "updatedAt") VALUES
        ${job('job_a1', server.bootstrap.workspaceId, 'ds_a')}, ${job('job_a2', server.bootstrap.workspaceId, 'ds_a')}, ${job('job_b1', other.workspaceId, 'ds_b')};
      INSERT INTO "JobAttempt" (id, "jobId", number, "cloudType", "pricePerHour", "startedAt", "endedAt", "billedUsd") VALUES
        ('att_1', 'job_a1', 1, 'SPOT', 2.0000, '2025-01-31 23:00', '2025-02-01 01:00', NULL),
        ('att_2', 'job_a1', 2, 'SPOT', 2.4000, '2025-02-01 02:00', '2025-02-01 02:30', NULL),
        ('att_3', 'job_a2', 1, 'ON_DEMAND', 3.0000, '2025-02-10 00:00', '2025-02-10 04:00', 11.5000),
        ('att_4', 'job_a2', 2, 'SPOT', 1.2000, '${startedAnHourAgo}', NULL, NULL),
        ('att_5', 'job_b1', 1, 'SPOT', 9.0000, '2025-02-05 00:00', '2025-02-05 10:00', NULL);`);
    await server.gql(`mutation { updateWorkspaceSettings(input: { monthlyBudgetUsd: 40 }) { __typename } }`);
  });
  afterAll(() => server?.stop());

  const spend = async (month?: string, key?: string) => (await server.gql(SPEND, { month }, key)).data!.spend;

  it('reports a month: attempts prorated across the boundary, billed amounts, the previous month, the budget', async () => {
    expect((await spend('2025-02')).spend).toEqual({
      month: '2025-02',
      totalUsd: 14.7, // job_a1: 1 h × $2 + 0.5 h × $2.40 = 3.20; job_a2: billed 11.50 (not 4 h × $3)
      previousMonthUsd: 2, // job_a1: 1 h × $2 in January
      changeUsd: 12.7,
      changePercent: 635,
      jobs: [
        { jobId: 'job_a2', spendUsd: 11.5, attempts: 1 },
        { jobId: 'job_a1', spendUsd: 3.2, attempts: 2 },
      ],
      budgetUsd: 40,
      budgetUsedShare: 0.3675,
    });
    expect((await spend('2025-01')).spend).toMatchObject({ totalUsd: 2, previousMonthUsd: 0, changePercent: null, jobs: [{ jobId: 'job_a1', spendUsd: 2, attempts: 1 }] });
  });

  it('defaults to the current month, counting a running attempt up to now', async () => {
    const current = (await spend()).spend;
    const now = new Date();
    expect(current.month).toBe(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`);
    const running = current.jobs.find((j: { jobId: string }) => j.jobId === 'job_a2');
    // An hour at $1.20 — or less when the hour began in the previous month.
    if (now.getUTCDate() > 1 || now.getUTCHours() >= 1) expect(running.spendUsd).toBeCloseTo(1.2, 1);
    expect(running.attempts).toBe(1);
  });

  it("keeps another workspace's spend out", async () => {
    expect((await spend('2025-02', otherKey)).spend).toMatchObject({ totalUsd: 90, jobs: [{ jobId: 'job_b1', spendUsd: 90, attempts: 1 }], budgetUsd: null, budgetUsedShare: null });
  });

  it('refuses a malformed month with the expected format', async () => {
    expect(await spend('2025-2')).toEqual({
      __typename: 'ValidationError',
      fieldErrors: [{ field: 'month', message: expect.stringMatching(/^must be a month as "YYYY-MM" \(e\.g\. "\d{4}-\d{2}"\), from 2000-01 on; got "2025-2"$/) }],
    });
  });
});
