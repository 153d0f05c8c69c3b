import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);

describe.each(BACKENDS)('training jobs on the demo provider (%s)', (backend) => {
  let server: TestServer;
  let datasetId: string;
  beforeAll(async () => {
    server = await startTestServer(backend, { BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '20000', BRIGHTRUN_SUPERVISOR_TICK_MS: '100' });
    const upload = await uploadFile(server, { name: 'sample.json', content: await readFile(SAMPLE) });
    datasetId = upload.data!.uploadDataset.dataset.id;
  });
  afterAll(() => server?.stop());

  const start = (input: Record<string, unknown>, idempotencyKey?: string) =>
    server.gql(`mutation($input: StartTrainingJobInput!, $key: String) { startTrainingJob(input: $input, idempotencyKey: $key) {
      __typename ... on StartTrainingJobSuccess { job { id status isSimulated } } ... on Error { message code }
      ... on ValidationError { fieldErrors { field message } } ... on DatasetNotReadyError { failedChecks } } }`, { input: { datasetId, ...input }, key: idempotencyKey });

  it('estimates cost as arithmetic: compute = hours × the hourly rate, plus storage and a stated buffer', async () => {
    const result = await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { __typename ... on EstimateTrainingSuccess { estimate {
      hours { low high } totalSteps cost { low high pricePerHour priceSource storageUsd bufferShare compute { low high } buffer { low high } } } } } }`, { input: { datasetId } });
    const e = result.data!.estimateTraining.estimate;
    expect(e.cost.priceSource).toBe('FALLBACK');
    expect(e.cost.pricePerHour).toBe(2.49);
    expect(e.cost.compute.low).toBeCloseTo(e.hours.low * 2.49, 1);
    expect(e.cost.compute.high).toBeCloseTo(e.hours.high * 2.49, 1);
    expect(e.cost.high).toBeCloseTo(e.cost.compute.high + e.cost.storageUsd + e.cost.buffer.high, 1);
    expect(e.totalSteps).toBeGreaterThan(0);
  });

  it('refuses a dataset that is not ready unless its warnings are acknowledged, and bad hyperparameters field by field', async () => {
    expect((await start({})).data!.startTrainingJob).toMatchObject({ __typename: 'DatasetNotReadyError', failedChecks: ['trainable_volume'] });
    const bad = await start({ acknowledgeDatasetWarnings: true, overrides: { loraRank: 128, learningRate: 0.5 } });
    expect(bad.data!.startTrainingJob.fieldErrors).toEqual([
      { field: 'overrides.loraRank', message: expect.stringMatching(/between 4 and 64 \(got 128\)/) },
      { field: 'overrides.learningRate', message: expect.stringMatching(/got 0\.5/) },
    ]);
  });

  it('runs a simulated job end to end through the real trainer operations, labelled as simulated', async () => {
    const started = await start({ acknowledgeDatasetWarnings: true, preset: 'CONSERVATIVE', maxSteps: 60 }, 'demo-run-0001');
    const { id, status, isSimulated } = started.data!.startTrainingJob.job;
    expect([status, isSimulated]).toEqual(['QUEUED', true]);
    const again = await start({ acknowledgeDatasetWarnings: true, preset: 'CONSERVATIVE', maxSteps: 60 }, 'demo-run-0001');
    expect(again.data!.startTrainingJob.job.id).toBe(id);

    const job = await waitForJob(server, id, settled);
    expect(job.status, JSON.stringify(job.events)).toBe('COMPLETED');
    expect(job.stages.map((s: { stage: string }) => s.stage)).toEqual(['QUEUED', 'PROVISIONING', 'PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING']);
    expect(job.currentStep).toBe(60);
    expect(job.progress).toBe(1);
    const points = await server.services.db.prisma.metricPoint.groupBy({ by: ['split'], where: { jobId: id }, _count: true });
    expect(points.find((p) => p.split === 'TRAIN')?._count).toBe(60);
    expect(job.attempts).toHaveLength(1);
    expect(job.attempts[0].endReason).toBe('COMPLETED');
    expect(job.spendUsd).toBeGreaterThan(0);
    expect(job.events.some((e: { kind: string }) => e.kind === 'checkpoint')).toBe(true);

    const artifact = job.artifact;
    expect(artifact.name).toMatch(/^sample-Conservative-\d{4}-\d{2}-\d{2}$/);
    expect([artifact.version, artifact.dataset.id, artifact.job.id]).toEqual([1, datasetId, id]);
    for (const file of artifact.files) {
      const body = Buffer.from(await (await fetch(file.downloadUrl)).arrayBuffer());
      expect([body.length, createHash('sha256').update(body).digest('hex')]).toEqual([file.sizeBytes, file.sha256]);
    }
  });

  it('cancels a running job with a required reason, stops its pod and keeps its spend', async () => {
    const started = await start({ acknowledgeDatasetWarnings: true });
    const id = started.data!.startTrainingJob.job.id;
    await waitForJob(server, id, (j) => j.status === 'TRAINING');
    const noReason = await server.gql(`mutation($id: ID!) { cancelTrainingJob(id: $id, reason: " ") { __typename ... on ValidationError { fieldErrors { field } } } }`, { id });
    expect(noReason.data!.cancelTrainingJob).toEqual({ __typename: 'ValidationError', fieldErrors: [{ field: 'reason' }] });
    const cancelled = await server.gql(`mutation($id: ID!) { cancelTrainingJob(id: $id, reason: "wrong preset") { __typename ... on CancelTrainingJobSuccess { job { status cancelReason } } } }`, { id });
    expect(cancelled.data!.cancelTrainingJob.job).toEqual({ status: 'CANCELLED', cancelReason: 'wrong preset' });
    const job = await waitForJob(server, id, (j) => j.attempts.every((a: { endReason: string | null }) => a.endReason));
    expect(job.attempts[0].endReason).toBe('CANCELLED');
    expect(job.spendUsd).toBeGreaterThan(0);
    const twice = await server.gql(`mutation($id: ID!) { cancelTrainingJob(id: $id, reason: "again") { __typename } }`, { id });
    expect(twice.data!.cancelTrainingJob.__typename).toBe('JobFinishedError');
  });

  it('saves a named configuration and starts a job from it', async () => {
    const saved = await server.gql(`mutation { saveTrainingConfiguration(name: "Careful r12", preset: CONSERVATIVE, overrides: { loraRank: 12 }) {
      __typename ... on SaveTrainingConfigurationSuccess { configuration { id preset overrides } } } }`);
    const configuration = saved.data!.saveTrainingConfiguration.configuration;
    expect(configuration).toMatchObject({ preset: 'CONSERVATIVE', overrides: { loraRank: 12, loraAlpha: 24 } });
    const listed = await server.gql('{ trainingConfigurations { name } }');
    expect(listed.data!.trainingConfigurations).toEqual([{ name: 'Careful r12' }]);
    const started = await start({ acknowledgeDatasetWarnings: true, configurationId: configuration.id, maxSteps: 5 });
    const id = started.data!.startTrainingJob.job.id;
    const job = await server.gql('query($id: ID!) { trainingJob(id: $id) { preset hyperparameters { loraRank loraAlpha } configuration { name } } }', { id });
    expect(job.data!.trainingJob).toEqual({ preset: 'CONSERVATIVE', hyperparameters: { loraRank: 12, loraAlpha: 24 }, configuration: { name: 'Careful r12' } });
    await waitForJob(server, id, settled);
  });

  it('streams the active jobs for the header indicator', async () => {
    const { createClient } = await import('graphql-ws');
    const { default: WebSocket } = await import('ws');
    const client = createClient({ url: `${server.url.replace('http', 'ws')}/graphql/ws`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${server.adminKey}` }, retryAttempts: 0 });
    const snapshots: string[][] = [];
    const unsubscribe = client.subscribe<{ activeTrainingJobs: { id: string }[] }>({ query: 'subscription { activeTrainingJobs { id } }' }, {
      next: (r) => void snapshots.push(r.data!.activeTrainingJobs.map((j) => j.id)), error: () => undefined, complete: () => undefined,
    });
    while (snapshots.length === 0) await new Promise((r) => setTimeout(r, 50));
    const id = (await start({ acknowledgeDatasetWarnings: true, maxSteps: 5 })).data!.startTrainingJob.job.id;
    await waitForJob(server, id, settled);
    await new Promise((r) => setTimeout(r, 300));
    unsubscribe();
    await client.dispose();
    expect(snapshots[0]).not.toContain(id);
    expect(snapshots.some((s) => s.includes(id))).toBe(true);
    expect(snapshots[snapshots.length - 1]).not.toContain(id);
  });

  it("keeps jobs to their workspace", async () => {
    const { createWorkspace } = await import('../src/auth/bootstrap.js');
    const other = await createWorkspace(server.services.db.prisma, 'Other');
    const theirs = await server.gql(`{ trainingJobs { totalCount } }`, {}, other.adminKey);
    expect(theirs.data!.trainingJobs.totalCount).toBe(0);
  });
});
