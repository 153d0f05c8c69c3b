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

  /** Plan fields go into input.plan, the rest beside it (as StartTrainingJobInput nests them). */
  const start = ({ preset, overrides, configurationId, provider, ...rest }: Record<string, unknown>, idempotencyKey?: string) =>
    server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) {
      __typename ... on StartTrainingJobSuccess { job { id status isSimulated provider } } ... on Error { message code }
      ... on ValidationError { fieldErrors { field message } } ... on DatasetNotReadyError { failedChecks { key passed } } } }`,
      { input: { plan: { datasetId, preset, overrides, configurationId, provider }, ...rest, idempotencyKey } });

  it('estimates cost as arithmetic: compute = hours × the hourly rate, plus storage and a stated buffer', async () => {
    const result = await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { __typename ... on EstimateTrainingSuccess { estimate {
      hours { low high } totalSteps cost { lowUsd highUsd pricePerHourUsd priceSource storageUsd bufferShare compute { lowUsd highUsd } buffer { lowUsd highUsd } } } } } }`, { input: { datasetId } });
    const e = result.data!.estimateTraining.estimate;
    expect(e.cost.priceSource).toBe('SIMULATED'); // a demo job is priced in simulated time, never as a real fallback price
    expect(e.cost.pricePerHourUsd).toBe(2.49);
    expect(e.cost.compute.lowUsd).toBeCloseTo(e.hours.low * 2.49, 1);
    expect(e.cost.compute.highUsd).toBeCloseTo(e.hours.high * 2.49, 1);
    expect(e.cost.highUsd).toBeCloseTo(e.cost.compute.highUsd + e.cost.storageUsd + e.cost.buffer.highUsd, 1);
    expect(e.totalSteps).toBeGreaterThan(0);
  });

  it('refuses a dataset that is not ready unless its warnings are acknowledged, and bad hyperparameters field by field', async () => {
    expect((await start({})).data!.startTrainingJob).toMatchObject({ __typename: 'DatasetNotReadyError', code: 'DATASET_NOT_READY', failedChecks: [{ key: 'TRAINABLE_VOLUME', passed: false }] });
    const bad = await start({ acknowledgeDatasetWarnings: true, overrides: { loraRank: 128, learningRate: 0.5 } });
    expect(bad.data!.startTrainingJob.fieldErrors).toEqual([
      { field: 'input.plan.overrides.loraRank', message: expect.stringMatching(/between 4 and 64 \(got 128\)/) },
      { field: 'input.plan.overrides.learningRate', message: expect.stringMatching(/got 0\.5/) },
    ]);
    const badKey = await start({ acknowledgeDatasetWarnings: true }, 'short');
    expect(badKey.data!.startTrainingJob.fieldErrors).toEqual([{ field: 'input.idempotencyKey', message: 'must be 8–200 characters (a UUID is ideal)' }]);
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
    expect(job.events.some((e: { kind: string; rawKind: string }) => e.kind === 'CHECKPOINT' && e.rawKind === 'checkpoint')).toBe(true);

    const artifact = job.artifact;
    expect(artifact.name).toMatch(/^sample-Conservative-\d{4}-\d{2}-\d{2}$/);
    expect([artifact.version, artifact.dataset.id, artifact.job.id]).toEqual([1, datasetId, id]);
    for (const file of artifact.files) {
      const body = Buffer.from(await (await fetch(file.downloadUrl)).arrayBuffer());
      expect([body.length, createHash('sha256').update(body).digest('hex')]).toEqual([file.sizeBytes, file.sha256]);
    }
  });

  it('streams a job live: metrics and updates complete when it finishes, each change once; pod logs live and as the last lines', async () => {
    const { createClient } = await import('graphql-ws');
    const { default: WebSocket } = await import('ws');
    const id = (await start({ acknowledgeDatasetWarnings: true, maxSteps: 40, preset: 'AGGRESSIVE' })).data!.startTrainingJob.job.id;
    const client = createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${server.adminKey}` }, retryAttempts: 0 });
    const collect = <T>(query: string) => {
      const items: T[] = [];
      const done = new Promise<T[]>((resolve, reject) => client.subscribe<T>({ query, variables: { id } }, { next: (r) => (r.errors ? reject(new Error(JSON.stringify(r.errors))) : items.push(r.data as T)), error: reject, complete: () => resolve(items) }));
      return done;
    };
    const metrics = collect<{ trainingMetrics: { split: string; step: number }[] }>('subscription($id: ID!) { trainingMetrics(jobId: $id) { split step } }');
    const updates = collect<{ trainingJobUpdated: { status: string; currentStep: number; spendUsd: number; substatus: string | null } }>('subscription($id: ID!) { trainingJobUpdated(id: $id) { status currentStep spendUsd substatus } }');
    // Subscribed before the pod exists: the logs stream of the latest pod then is empty and ends, so follow it once a pod is up
    // (the pod keeps its lines after it ends, so a job that already finished still streams them all).
    await waitForJob(server, id, (j) => j.attempts.length > 0);
    const logs = collect<{ podLogs: { message: string; source: string } }>('subscription($id: ID!) { podLogs(jobId: $id, tail: 1000) { message source } }');
    const timeout = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('did not complete')), ms));
    const [points, changes, lines] = await Promise.race([Promise.all([metrics, updates, logs]), timeout(60_000)]);
    await client.dispose();

    const train = points.flatMap((b) => b.trainingMetrics).filter((p) => p.split === 'TRAIN').map((p) => p.step);
    expect(train).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const seen = changes.map((c) => JSON.stringify(c.trainingJobUpdated));
    expect(seen.filter((c, i) => i > 0 && c === seen[i - 1])).toEqual([]);
    expect(changes[changes.length - 1]!.trainingJobUpdated.status).toBe('COMPLETED');
    const messages = lines.map((l) => l.podLogs.message);
    expect(messages[0]).toMatch(/\[demo\] simulated trainer/);
    // The pod is released as the job completes, which may stop the simulation before it says so.
    expect(messages[messages.length - 1]).toMatch(/^\[demo\] simulation (finished|stopped)$/);

    const recent = await server.gql('query($id: ID!) { trainingJob(id: $id) { logs(lines: 2) { podId attempt lines { message source at } } } }', { id });
    expect(recent.data!.trainingJob.logs).toMatchObject({ attempt: 1, lines: [{ source: 'CONTAINER' }, { message: messages[messages.length - 1], source: 'CONTAINER' }] });
    expect(recent.data!.trainingJob.logs.lines).toHaveLength(2);
    const tooMany = await server.gql('query($id: ID!) { trainingJob(id: $id) { logs(lines: 1001) { podId } } }', { id });
    expect(tooMany.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('lists a job\'s checkpoints, and sets an adapter\'s status and deletes it only with its name typed', async () => {
    const id = (await start({ acknowledgeDatasetWarnings: true, maxSteps: 20 })).data!.startTrainingJob.job.id;
    const job = await waitForJob(server, id, settled);
    const checkpoints = await server.gql('query($id: ID!) { trainingJob(id: $id) { checkpoints(first: 5) { totalCount edges { node { id step sizeBytes files { name sizeBytes sha256 } } } } } }', { id });
    const connection = checkpoints.data!.trainingJob.checkpoints;
    expect(connection.totalCount).toBe(1);
    expect(connection.edges[0].node).toMatchObject({ step: 10, files: [{ name: 'trainer_state.json' }] });
    expect(connection.edges[0].node.sizeBytes).toBe(connection.edges[0].node.files[0].sizeBytes);

    const artifact = job.artifact;
    const status = await server.gql('mutation($id: ID!) { setModelArtifactStatus(input: { id: $id, status: PRODUCTION }) { __typename ... on SetModelArtifactStatusSuccess { modelArtifact { status } } } }', { id: artifact.id });
    expect(status.data!.setModelArtifactStatus.modelArtifact.status).toBe('PRODUCTION');
    const filtered = await server.gql('{ modelArtifacts(filter: { status: [PRODUCTION] }) { totalCount edges { node { id } } } }');
    expect(filtered.data!.modelArtifacts).toEqual({ totalCount: 1, edges: [{ node: { id: artifact.id } }] });
    const wrong = await server.gql('mutation($id: ID!) { deleteModelArtifact(input: { id: $id, confirmName: "nope" }) { __typename ... on ConfirmationMismatchError { expectedName } } }', { id: artifact.id });
    expect(wrong.data!.deleteModelArtifact).toEqual({ __typename: 'ConfirmationMismatchError', expectedName: artifact.name });
    const deleted = await server.gql('mutation($id: ID!, $name: String!) { deleteModelArtifact(input: { id: $id, confirmName: $name }) { __typename } }', { id: artifact.id, name: artifact.name });
    expect(deleted.data!.deleteModelArtifact.__typename).toBe('DeleteModelArtifactSuccess');
    expect((await server.gql('query($id: ID!) { modelArtifact(id: $id) { id } trainingJob(id: $jobId) { artifact { id } } }'.replace('trainingJob(id: $jobId)', `trainingJob(id: "${id}")`), { id: artifact.id })).data).toEqual({ modelArtifact: null, trainingJob: { artifact: null } });
    expect((await fetch(artifact.files[0].downloadUrl)).status).toBe(404);
  });

  it('lists the providers of this server and refuses one that is not configured', async () => {
    const catalog = await server.gql('{ trainingCatalog { providers { name simulated isDefault ready } presets { key } } }');
    const providers = catalog.data!.trainingCatalog.providers;
    expect(providers).toContainEqual({ name: 'DEMO', simulated: true, isDefault: true, ready: true });
    // RunPod is always offered; without a key (server or workspace) it is not ready and refused with the fix.
    expect(providers).toContainEqual({ name: 'RUNPOD', simulated: false, isDefault: false, ready: false });
    expect(providers.some((p: { name: string }) => p.name === 'LOCAL')).toBe(false);
    const refused = await start({ acknowledgeDatasetWarnings: true, provider: 'RUNPOD' });
    expect(refused.data!.startTrainingJob.__typename).toBe('ValidationError');
    expect(refused.data!.startTrainingJob.fieldErrors).toContainEqual({ field: 'input.plan.provider', message: expect.stringMatching(/RunPod needs an API key/) });
    const local = await start({ acknowledgeDatasetWarnings: true, provider: 'LOCAL' });
    expect(local.data!.startTrainingJob).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ field: 'input.plan.provider', message: expect.stringMatching(/LOCAL is not configured on this server/) }] });
  });

  /** A job long enough to be caught while it trains: the default plan on the sample (30–40 simulated steps) can finish between two 150 ms polls at this speedup, as seen in CI. */
  const LONG_RUN = { epochs: 10, batchSize: 1 };

  it('cancels a running job with a required reason, stops its pod and keeps its spend', async () => {
    const started = await start({ acknowledgeDatasetWarnings: true, overrides: LONG_RUN });
    const id = started.data!.startTrainingJob.job.id;
    await waitForJob(server, id, (j) => j.status === 'TRAINING');
    const noReason = await server.gql(`mutation($id: ID!) { cancelTrainingJob(input: { id: $id, reason: " " }) { __typename ... on ValidationError { fieldErrors { field } } } }`, { id });
    expect(noReason.data!.cancelTrainingJob).toEqual({ __typename: 'ValidationError', fieldErrors: [{ field: 'input.reason' }] });
    const cancelled = await server.gql(`mutation($id: ID!) { cancelTrainingJob(input: { id: $id, reason: "wrong preset" }) { __typename ... on CancelTrainingJobSuccess { job { status cancelReason } } } }`, { id });
    expect(cancelled.data!.cancelTrainingJob.job).toEqual({ status: 'CANCELLED', cancelReason: 'wrong preset' });
    const job = await waitForJob(server, id, (j) => j.attempts.every((a: { endReason: string | null }) => a.endReason));
    expect(job.attempts[0].endReason).toBe('CANCELLED');
    expect(job.spendUsd).toBeGreaterThan(0);
    const twice = await server.gql(`mutation($id: ID!) { cancelTrainingJob(input: { id: $id, reason: "again" }) { __typename ... on JobFinishedError { status } } }`, { id });
    expect(twice.data!.cancelTrainingJob).toEqual({ __typename: 'JobFinishedError', status: 'CANCELLED' });
  });

  it('settles a finished job whose release never happened (a crash between the transition and the pod stop)', async () => {
    const started = await start({ acknowledgeDatasetWarnings: true, overrides: LONG_RUN });
    const id = started.data!.startTrainingJob.job.id;
    await waitForJob(server, id, (j) => j.status === 'TRAINING');
    // As if the server died right after writing CANCELLED: no listener ran, the attempt is open.
    await server.services.db.sql.query(`UPDATE "TrainingJob" SET status = 'CANCELLED', "finishedAt" = now(), "cancelReason" = 'crash test' WHERE id = $1`, [id]);
    await server.services.supervisor.tick();
    const job = await waitForJob(server, id, (j) => j.attempts.every((a: { endReason: string | null }) => a.endReason));
    expect(job.attempts.map((a: { endReason: string }) => a.endReason)).toEqual(['CANCELLED']);
  });

  it('saves a named configuration, lists and reads it, starts a job from it, and deletes it', async () => {
    const saved = await server.gql(`mutation { saveTrainingConfiguration(input: { name: "Careful r12", preset: CONSERVATIVE, overrides: { loraRank: 12 } }) {
      __typename ... on SaveTrainingConfigurationSuccess { configuration { id preset overrides } } } }`);
    const configuration = saved.data!.saveTrainingConfiguration.configuration;
    expect(configuration).toMatchObject({ preset: 'CONSERVATIVE', overrides: { loraRank: 12, loraAlpha: 24 } });
    const listed = await server.gql('{ trainingConfigurations { totalCount edges { node { name } } } }');
    expect(listed.data!.trainingConfigurations).toEqual({ totalCount: 1, edges: [{ node: { name: 'Careful r12' } }] });
    const read = await server.gql('query($id: ID!) { trainingConfiguration(id: $id) { name } node(id: $id) { ... on TrainingConfiguration { name } } }', { id: configuration.id });
    expect(read.data).toEqual({ trainingConfiguration: { name: 'Careful r12' }, node: { name: 'Careful r12' } });
    const badName = await server.gql(`mutation { saveTrainingConfiguration(input: { name: " " }) { __typename ... on ValidationError { fieldErrors { field } } } }`);
    expect(badName.data!.saveTrainingConfiguration.fieldErrors).toEqual([{ field: 'input.name' }]);
    const started = await start({ acknowledgeDatasetWarnings: true, configurationId: configuration.id, maxSteps: 5 });
    const id = started.data!.startTrainingJob.job.id;
    const job = await server.gql('query($id: ID!) { trainingJob(id: $id) { preset hyperparameters { loraRank loraAlpha } configuration { name } } }', { id });
    expect(job.data!.trainingJob).toEqual({ preset: 'CONSERVATIVE', hyperparameters: { loraRank: 12, loraAlpha: 24 }, configuration: { name: 'Careful r12' } });
    await waitForJob(server, id, settled);
    const deleted = await server.gql('mutation($id: ID!) { deleteTrainingConfiguration(input: { id: $id }) { __typename ... on DeleteTrainingConfigurationSuccess { configuration { name } } } }', { id: configuration.id });
    expect(deleted.data!.deleteTrainingConfiguration).toEqual({ __typename: 'DeleteTrainingConfigurationSuccess', configuration: { name: 'Careful r12' } });
    // The job keeps its frozen copy; its link to the deleted configuration is gone.
    const after = await server.gql('query($id: ID!, $cfg: ID!) { trainingJob(id: $id) { configuration { name } hyperparameters { loraRank } } trainingConfiguration(id: $cfg) { name } }', { id, cfg: configuration.id });
    expect(after.data).toEqual({ trainingJob: { configuration: null, hyperparameters: { loraRank: 12 } }, trainingConfiguration: null });
    const again = await server.gql('mutation($id: ID!) { deleteTrainingConfiguration(input: { id: $id }) { __typename } }', { id: configuration.id });
    expect(again.data!.deleteTrainingConfiguration.__typename).toBe('NotFoundError');
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
