import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainerTokenFor } from '../src/auth/keys.js';
import { BACKENDS, startTestServer, uploadFile, type TestServer } from './harness.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The trainer contract from the trainer's side: what it may do with its token, and what it may not. */
describe.each(BACKENDS)('trainer operations (%s)', (backend) => {
  let server: TestServer;
  let secret: string;
  let jobs: string[];

  beforeAll(async () => {
    // A supervisor that never ticks: the test plays the pod itself.
    server = await startTestServer(backend, { BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_SUPERVISOR_TICK_MS: '600000' });
    secret = (await readFile(path.join(server.dataDir, 'secret.key'), 'utf8')).trim();
    const datasetId = (await uploadFile(server, { name: 's.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
    jobs = [];
    for (let i = 0; i < 2; i++) {
      const r = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } } }`, { input: { plan: { datasetId }, acknowledgeDatasetWarnings: true } });
      jobs.push(r.data!.startTrainingJob.job.id);
    }
    // As the supervisor would: a pod is being provisioned.
    for (const id of jobs) await server.services.lifecycle.apply(id, { type: 'PROVISION' }, { kind: 'provisioning', message: 'test pod' });
  });
  afterAll(() => server?.stop());

  const asTrainer = (jobId: string, query: string, variables: Record<string, unknown> = {}, tokenFor = jobId) =>
    server.trainerGql(query, { jobId, ...variables }, trainerTokenFor(secret, tokenFor));
  const report = (jobId: string, input: Record<string, unknown>, tokenFor = jobId) =>
    asTrainer(jobId, 'mutation($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { acceptedMetrics duplicateMetrics cancelRequested } }', { input }, tokenFor);

  it("reads its spec, with a signed dataset URL whose bytes match the dataset's sha256", async () => {
    const spec = await asTrainer(jobs[0]!, 'query($jobId: ID!) { trainerJob(jobId: $jobId) { jobId attempt baseModel hyperparameters { loraRank epochs quantization keepCheckpoints } dataset { url sha256 sizeBytes encoding } resumeFrom { step } } }');
    const job = spec.data!.trainerJob;
    expect(job).toMatchObject({ jobId: jobs[0], baseModel: 'meta-llama/Meta-Llama-3-70B-Instruct', hyperparameters: { loraRank: 16, epochs: 3, quantization: 'NF4' }, resumeFrom: null });
    const bytes = Buffer.from(await (await fetch(job.dataset.url)).arrayBuffer());
    expect([bytes.length, sha(bytes)]).toEqual([job.dataset.sizeBytes, job.dataset.sha256]);
  });

  it("is scoped to its own job on its own endpoint: another job's token, an API key and no token are refused", async () => {
    const other = await asTrainer(jobs[0]!, 'query($jobId: ID!) { trainerJob(jobId: $jobId) { jobId } }', {}, jobs[1]!);
    expect(other.errors?.[0]).toMatchObject({ message: expect.stringMatching(/belongs to job/), extensions: { code: 'FORBIDDEN' } });
    const withKey = await server.trainerGql('query($jobId: ID!) { trainerJob(jobId: $jobId) { jobId } }', { jobId: jobs[0] }, server.adminKey);
    expect(withKey).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const noToken = await server.trainerGql('query($jobId: ID!) { trainerJob(jobId: $jobId) { jobId } }', { jobId: jobs[0] }, null);
    expect(noToken.status).toBe(401);
    // The public endpoint neither knows trainer operations nor takes job tokens.
    const onPublic = await server.gql('query($jobId: ID!) { trainerJob(jobId: $jobId) { jobId } }', { jobId: jobs[0] });
    expect(onPublic.errors?.[0]?.message).toMatch(/Cannot query field "trainerJob"/);
    const trainerReadsDatasets = await server.gql('{ datasets { totalCount } }', {}, trainerTokenFor(secret, jobs[0]!));
    expect(trainerReadsDatasets).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    // And the trainer endpoint knows nothing but trainer operations.
    const publicOnTrainer = await asTrainer(jobs[0]!, '{ datasets { totalCount } }');
    expect(publicOnTrainer.errors?.[0]?.message).toMatch(/Cannot query field "datasets"/);
  });

  it('stores each (split, step) once however often it is re-sent, and refuses bad points with the field named', async () => {
    await report(jobs[0]!, { stage: 'PREPROCESSING', substatus: 'tokenizing' });
    await report(jobs[0]!, { stage: 'PREPROCESSING', substatus: 'tokenizing' }); // a retried report is a no-op
    await report(jobs[0]!, { stage: 'TRAINING' });
    const points = Array.from({ length: 10 }, (_, i) => ({ split: 'TRAIN', step: i + 1, loss: 3 - i * 0.1, learningRate: 1e-4 }));
    expect((await report(jobs[0]!, { metrics: points })).data!.trainerReport).toEqual({ acceptedMetrics: 10, duplicateMetrics: 0, cancelRequested: false });
    expect((await report(jobs[0]!, { metrics: points.slice(5) })).data!.trainerReport).toMatchObject({ acceptedMetrics: 0, duplicateMetrics: 5 });
    expect(await server.services.db.prisma.metricPoint.count({ where: { jobId: jobs[0] } })).toBe(10);

    const tooMany = await report(jobs[0]!, { metrics: Array.from({ length: 1001 }, (_, i) => ({ split: 'TRAIN', step: i })) });
    expect(tooMany.errors?.[0]).toMatchObject({ message: expect.stringMatching(/input\.metrics: at most 1000 items \(got 1001\)/), extensions: { code: 'BAD_USER_INPUT' } });
    const negative = await report(jobs[0]!, { metrics: [{ split: 'EVAL', step: -3, loss: 1 }] });
    expect(negative.errors?.[0]?.message).toMatch(/input\.metrics\[0\]\.step: must be at least 0 \(got -3\)/);
    const twice = await report(jobs[0]!, { metrics: [{ split: 'EVAL', step: 3, loss: 1 }, { split: 'EVAL', step: 3, loss: 2 }] });
    expect(twice.errors?.[0]?.message).toMatch(/metrics\[1\]: EVAL step 3 appears twice/);
  });

  it('commits a checkpoint only when every file arrived, keeps the last K, and offers it for resume', async () => {
    const files = [{ name: 'adapter_model.safetensors', bytes: Buffer.from('weights') }, { name: 'trainer_state.json', bytes: Buffer.from('{"global_step":5}') }];
    const manifest = files.map((f) => ({ name: f.name, sizeBytes: f.bytes.length, sha256: sha(f.bytes) }));
    const requested = await asTrainer(jobs[0]!, 'mutation($jobId: ID!, $files: [TrainerFileInput!]!) { trainerRequestCheckpointUpload(jobId: $jobId, step: 5, files: $files) { checkpointId uploads { name url method headers { name value } } } }', { files: manifest });
    const { checkpointId, uploads } = requested.data!.trainerRequestCheckpointUpload;
    const commit = () => asTrainer(jobs[0]!, 'mutation($jobId: ID!, $id: ID!) { trainerCommitCheckpoint(jobId: $jobId, checkpointId: $id) { step } }', { id: checkpointId });
    const torn = await commit(); // nothing uploaded yet: never "latest"
    expect(torn.errors?.[0]?.message).toMatch(/upload incomplete: adapter_model\.safetensors \(not uploaded\)/);
    for (const u of uploads) {
      const body = files.find((f) => f.name === u.name)!.bytes;
      expect((await fetch(u.url, { method: u.method, headers: Object.fromEntries(u.headers.map((h: any) => [h.name, h.value])), body })).ok).toBe(true);
    }
    expect((await commit()).data!.trainerCommitCheckpoint).toEqual({ step: 5 });
    const spec = await asTrainer(jobs[0]!, 'query($jobId: ID!) { trainerJob(jobId: $jobId) { resumeFrom { step files { name url sha256 } } } }');
    const resume = spec.data!.trainerJob.resumeFrom;
    expect(resume.step).toBe(5);
    const state = resume.files.find((f: { name: string }) => f.name === 'trainer_state.json');
    expect(await (await fetch(state.url)).text()).toBe('{"global_step":5}');
  });

  it('refuses bad file lists and completion without the adapter, then finishes the job and refuses the token afterwards', async () => {
    const bad = await asTrainer(jobs[0]!, 'mutation($jobId: ID!, $files: [TrainerFileInput!]!) { trainerRequestArtifactUpload(jobId: $jobId, files: $files) { uploads { name } } }', { files: [{ name: '../escape', sizeBytes: 1, sha256: 'x' }] });
    expect(bad.errors?.[0]?.message).toMatch(/files\[0\]\.name: "\.\.\/escape" must be a relative path.*files\[0\]\.sha256: must be 64 lowercase hex/);
    const summary = { totalSteps: 10, epochs: 1, trainRuntimeSeconds: 12, trainExamples: 40, evalExamples: 4, truncatedExamples: 0, initialLoss: 3, finalLoss: 2.1, evalLoss: 2.2 };
    const complete = (files: unknown[]) => asTrainer(jobs[0]!, 'mutation($jobId: ID!, $summary: TrainerSummaryInput!) { trainerComplete(jobId: $jobId, summary: $summary) { artifactId name version } }', { summary: { ...summary, files } });
    const noAdapter = await complete([{ name: 'README.md', sizeBytes: 1, sha256: 'a'.repeat(64) }]);
    expect(noAdapter.errors?.[0]?.message).toMatch(/must include adapter_model\.safetensors/);

    const files = [{ name: 'adapter_model.safetensors', bytes: Buffer.from('adapter') }, { name: 'adapter_config.json', bytes: Buffer.from('{}') }];
    const manifest = files.map((f) => ({ name: f.name, sizeBytes: f.bytes.length, sha256: sha(f.bytes) }));
    const up = await asTrainer(jobs[0]!, 'mutation($jobId: ID!, $files: [TrainerFileInput!]!) { trainerRequestArtifactUpload(jobId: $jobId, files: $files) { uploads { name url method } } }', { files: manifest });
    for (const u of up.data!.trainerRequestArtifactUpload.uploads) await fetch(u.url, { method: u.method, body: files.find((f) => f.name === u.name)!.bytes });
    const done = await complete(manifest);
    expect(done.data!.trainerComplete).toMatchObject({ name: expect.stringMatching(/^s-Balanced-/), version: 1 });
    const artifact = await server.gql('query($id: ID!) { modelArtifact(id: $id) { qualityRating perplexity finalLoss job { status } } }', { id: done.data!.trainerComplete.artifactId });
    expect(artifact.data!.modelArtifact).toMatchObject({ qualityRating: 3, finalLoss: 2.1, job: { status: 'COMPLETED' } });
    expect(artifact.data!.modelArtifact.perplexity).toBeCloseTo(Math.exp(2.2), 5);

    const after = await report(jobs[0]!, {});
    expect(after.errors?.[0]).toMatchObject({ extensions: { code: 'JOB_TERMINAL' } });
  });

  it('records a failure with its code and message', async () => {
    await report(jobs[1]!, { stage: 'PREPROCESSING' });
    await asTrainer(jobs[1]!, 'mutation($jobId: ID!, $failure: TrainerFailureInput!) { trainerFail(jobId: $jobId, failure: $failure) { jobId } }', { failure: { code: 'BAD_DATA', message: 'pair 3 has no target', detail: 'trace' } });
    const job = await server.gql('query($id: ID!) { trainingJob(id: $id) { status errorCode errorMessage } }', { id: jobs[1] });
    // The trainer's reason, then what to do about it.
    expect(job.data!.trainingJob).toEqual({ status: 'FAILED', errorCode: 'BAD_DATA', errorMessage: 'pair 3 has no target Fix: correct the dataset at the place the message names, upload it again and start a new job.' });
  });
});
