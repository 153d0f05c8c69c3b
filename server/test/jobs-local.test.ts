import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';
import { trainerInstalled } from '../src/training/providers/local.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl', import.meta.url);

// The real trainer as a subprocess (CPU, tiny-llama). `npm test` installs it first; under CI a
// missing trainer is a failure, not a skip.
const runnable = trainerInstalled() || process.env.CI === 'true';

describe.runIf(runnable)('training on the local provider: the real trainer as a subprocess', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { BRIGHTRUN_PROVIDER: 'local', BRIGHTRUN_SUPERVISOR_TICK_MS: '200' });
  });
  afterAll(() => server?.stop());

  it('trains tiny-llama on the sample: stages in order, every step stored once, a PEFT adapter with matching sha256', async () => {
    const upload = await uploadFile(server, { name: 'sample.jsonl', content: await readFile(SAMPLE) });
    const datasetId = upload.data!.uploadDataset.dataset.id;
    const overrides = { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16', gpuType: 'NVIDIA H100 PCIe' };
    const pastJobs = async () => (await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { pastJobs throughputSource } } } }`,
      { input: { datasetId, preset: 'BALANCED', overrides, provider: 'LOCAL' } })).data!.estimateTraining.estimate;
    expect(await pastJobs()).toEqual({ pastJobs: 0, throughputSource: 'MODEL' });
    const started = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on StartTrainingJobSuccess { job { id } } ... on Error { message } ... on ValidationError { fieldErrors { field message } } } }`, {
      input: { plan: { datasetId, preset: 'BALANCED', overrides, provider: 'LOCAL' }, acknowledgeDatasetWarnings: true, maxSteps: 12, checkpointEverySteps: 5 },
    });
    const jobId = started.data!.startTrainingJob.job?.id;
    expect(jobId, JSON.stringify(started.data)).toBeTruthy();
    const job = await waitForJob(server, jobId, settled, 240_000);
    expect(job.status, JSON.stringify(job.events.slice(-8))).toBe('COMPLETED');
    expect(job.stages.map((s: { stage: string }) => s.stage)).toEqual(['QUEUED', 'PROVISIONING', 'PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING']);
    const train = await server.services.db.prisma.metricPoint.findMany({ where: { jobId, split: 'TRAIN' }, orderBy: { step: 'asc' } });
    expect(train.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(job.events.filter((e: { kind: string }) => e.kind === 'CHECKPOINT').length).toBeGreaterThanOrEqual(2);
    // Nothing is rented on this machine: no event calls it a spot pod or quotes an hourly price.
    expect(job.events.map((e: { message: string }) => e.message).join('\n')).not.toMatch(/\bspot\b|\/h\b/);
    const names = job.artifact.files.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['adapter_model.safetensors', 'adapter_config.json']));
    for (const file of job.artifact.files) {
      const body = Buffer.from(await (await fetch(file.downloadUrl)).arrayBuffer());
      const { createHash } = await import('node:crypto');
      expect([body.length, createHash('sha256').update(body).digest('hex')]).toEqual([file.sizeBytes, file.sha256]);
    }
    // The measured throughput now informs estimates for the same model, GPU and sequence length.
    expect(await pastJobs()).toEqual({ pastJobs: 1, throughputSource: 'CALIBRATED' });
  }, 300_000);
});
