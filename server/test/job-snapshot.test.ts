import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey, hashSecret, trainerTokenFor } from '../src/auth/keys.js';
import { BACKENDS, startTestServer, uploadFile, type TestServer } from './harness.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);
const HEADER = 'query($id: ID!) { trainingJob(id: $id) { id status substatus currentStep totalSteps progress spendUsd cancelReason lastHeartbeatAt latestMetrics { train { step loss } } } }';

/**
 * trainingJob(id) is answered from a per-instance snapshot (training/jobs/job-cache.ts). Whatever
 * writes the job, the next read after the write returns shows it: the snapshot lives an hour
 * here, so only the invalidation can make a change visible.
 */
describe.each(BACKENDS)('trainingJob(id) after each kind of write (%s)', (backend) => {
  let server: TestServer;
  let secret: string;
  let jobId: string;
  beforeAll(async () => {
    server = await startTestServer(backend, { BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_SUPERVISOR_TICK_MS: '600000', BRIGHTRUN_JOB_CACHE_TTL_MS: '3600000' });
    secret = (await readFile(path.join(server.dataDir, 'secret.key'), 'utf8')).trim();
    const datasetId = (await uploadFile(server, { name: 's.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
    const started = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } } }`, { input: { plan: { datasetId }, acknowledgeDatasetWarnings: true } });
    jobId = started.data!.startTrainingJob.job.id;
  });
  afterAll(() => server?.stop());

  const read = async (key = server.adminKey) => {
    const result = await server.gql(HEADER, { id: jobId }, key);
    expect(result.errors).toBeUndefined();
    return result.data!.trainingJob;
  };
  const report = async (input: Record<string, unknown>) => {
    const result = await server.trainerGql('mutation($j: ID!, $i: TrainerReportInput!) { trainerReport(jobId: $j, input: $i) { acceptedMetrics } }', { j: jobId, i: input }, trainerTokenFor(secret, jobId));
    expect(result.errors).toBeUndefined();
  };

  it('shows every write in the very next read', async () => {
    expect(await read()).toMatchObject({ status: 'QUEUED', currentStep: 0, latestMetrics: { train: null } });
    expect(server.services.jobQueries).toBeDefined();

    // A status change (the lifecycle, through Prisma).
    await server.services.lifecycle.apply(jobId, { type: 'PROVISION' }, { kind: 'provisioning', message: 'test pod' });
    expect((await read()).status).toBe('PROVISIONING');
    await report({ stage: 'TRAINING' });
    expect((await read()).status).toBe('TRAINING');

    // Metric points and progress (the trainer report's own transaction, through the driver).
    await report({ progress: { step: 10, totalSteps: 100, epoch: 0.1, totalEpochs: 1 }, metrics: [{ split: 'TRAIN', step: 10, loss: 1.25 }] });
    expect(await read()).toMatchObject({ currentStep: 10, totalSteps: 100, progress: 0.1, latestMetrics: { train: { step: 10, loss: 1.25 } } });
    await report({ metrics: [{ split: 'TRAIN', step: 11, loss: 1.0 }] });
    expect((await read()).latestMetrics.train).toEqual({ step: 11, loss: 1.0 });

    // A heartbeat alone, and a substatus.
    const before = (await read()).lastHeartbeatAt as string;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await report({});
    expect((await read()).lastHeartbeatAt).not.toBe(before);
    await report({ substatus: 'step 11 of 100' });
    expect((await read()).substatus).toBe('step 11 of 100');

    // Spend (the supervisor's write) and a cancellation request (a mutation).
    await server.services.lifecycle.update(jobId, { spendUsd: 1.5 });
    expect((await read()).spendUsd).toBe(1.5);
    const cancelled = await server.gql('mutation($input: CancelTrainingJobInput!) { cancelTrainingJob(input: $input) { __typename } }', { input: { id: jobId, reason: 'enough for today' } });
    expect(cancelled.errors).toBeUndefined();
    expect((await read()).cancelReason).toBe('enough for today');
  });

  it("is null for another workspace's key, before and after this workspace's snapshot exists", async () => {
    const otherKey = generateApiKey();
    await server.services.db.sql.query(`INSERT INTO "Workspace" (id, name) VALUES ('ws_other', 'other')`);
    await server.services.db.sql.query(`INSERT INTO "ApiKey" (id, "workspaceId", name, prefix, "keyHash", scopes) VALUES ('key_other', 'ws_other', 'other', $1, $2, '{READ}')`, [otherKey.slice(0, 12), hashSecret(otherKey)]);
    expect(await read()).not.toBeNull(); // this workspace's snapshot now exists
    expect(await read(otherKey)).toBeNull();
    expect((await server.gql(HEADER, { id: 'job_0000000000000000000000' })).data!.trainingJob).toBeNull();
  });
});
