import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';
import { startRunPodStandIn, type RunPodStandIn } from '../src/training/providers/runpod/standin.js';
import { DEFAULT_TRAINER_PYTHON, trainerInstalled } from '../src/training/providers/local.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl', import.meta.url);
const runnable = trainerInstalled() || process.env.CI === 'true';
const TRAINER_ROOT = path.dirname(path.dirname(path.dirname(DEFAULT_TRAINER_PYTHON)));

/**
 * The whole product path on a spot pod: RunPod's API contract (the stand-in validates every REST
 * body against the published OpenAPI file) → the real trainer on CPU → an interruption after the
 * first checkpoint → automatic resume → a server restart mid-job → completion.
 */
describe.runIf(runnable)('a spot job on RunPod (stand-in) with the real trainer', () => {
  let standIn: RunPodStandIn;
  let server: TestServer;
  const trainerLogs: string[] = [];

  beforeAll(async () => {
    standIn = await startRunPodStandIn({
      killGraceMs: 5000,
      launch: (pod) => {
        const child = spawn(DEFAULT_TRAINER_PYTHON, ['-m', 'brightrun_trainer', 'run'], {
          cwd: TRAINER_ROOT,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PYTHONUNBUFFERED: '1', ...pod.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const keep = (chunk: Buffer) => trainerLogs.push(`[${pod.id}] ${chunk.toString()}`);
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        return { stop: (signal) => void child.kill(signal), exited: new Promise((resolve) => child.on('close', (code) => resolve({ code }))) };
      },
    });
    server = await startTestServer('pglite', {
      BRIGHTRUN_PROVIDER: 'runpod',
      RUNPOD_API_KEY: standIn.apiKey,
      RUNPOD_REST_URL: standIn.restUrl,
      RUNPOD_GRAPHQL_URL: standIn.graphqlUrl,
      BRIGHTRUN_SUPERVISOR_TICK_MS: '200',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await standIn?.close();
  });

  it('is interrupted after its first checkpoint, resumes by itself, survives a server restart and completes', async () => {
    const upload = await uploadFile(server, { name: 'sample.jsonl', content: await readFile(SAMPLE) });
    const datasetId = upload.data!.uploadDataset.dataset.id;
    const plan = { datasetId, acknowledgeDatasetWarnings: true, preset: 'BALANCED', overrides: { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16', cloudType: 'SPOT' } };
    const estimate = await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { cost { pricePerHour priceSource } } } } }`,
      { input: { datasetId, preset: 'BALANCED', overrides: plan.overrides } });
    expect(estimate.data!.estimateTraining.estimate.cost.priceSource).toBe('RUNPOD_LIVE');

    const started = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`,
      { input: { ...plan, maxSteps: 24, checkpointEverySteps: 4 } });
    const jobId = started.data!.startTrainingJob.job.id;

    const firstCheckpoint = await waitForJob(server, jobId, (j) => j.events.some((e: { kind: string }) => e.kind === 'checkpoint'), 240_000);
    const podId = firstCheckpoint.attempts[0].podId ?? standIn.pods()[0]!.id;
    await standIn.interrupt(standIn.pods().find((p) => p.status === 'RUNNING')?.id ?? podId);

    const resumed = await waitForJob(server, jobId, (j) => j.attempts.length === 2 && j.status === 'TRAINING', 240_000);
    expect(resumed.attempts[0].endReason).toBe('INTERRUPTED');
    expect(resumed.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['interrupted', 'resuming']));

    await server.restart();

    const job = await waitForJob(server, jobId, (j) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(j.status), 300_000);
    expect(job.status, `${JSON.stringify(job.events.slice(-10))}\n${trainerLogs.join('').slice(-3000)}`).toBe('COMPLETED');
    expect(job.interruptionCount).toBe(1);
    expect(job.stages.map((s: { stage: string }) => s.stage)).toContain('INTERRUPTED');

    const steps = (await server.services.db.prisma.metricPoint.findMany({ where: { jobId, split: 'TRAIN' }, orderBy: { step: 'asc' } })).map((p) => p.step);
    expect(steps).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));

    // Every REST request the provider made was valid against RunPod's published contract.
    expect(standIn.requests.filter((r) => r.graphqlFields?.includes('podRentInterruptable')).length).toBeGreaterThanOrEqual(1);

    // The adapter downloads intact and loads in PEFT onto the same base.
    const dir = await mkdtemp(path.join(tmpdir(), 'adapter-'));
    for (const file of job.artifact.files) {
      const body = Buffer.from(await (await fetch(file.downloadUrl)).arrayBuffer());
      expect(createHash('sha256').update(body).digest('hex')).toBe(file.sha256);
      await writeFile(path.join(dir, file.name), body);
    }
    const script = 'import sys\nfrom peft import PeftModel\nfrom brightrun_trainer.tiny_llama import build_tokenizer, build_model\n' +
      'tok = build_tokenizer()\nmodel = PeftModel.from_pretrained(build_model(tok), sys.argv[1])\nprint(sum(p.numel() for n, p in model.named_parameters() if "lora_" in n))\n';
    const { stdout } = await promisify(execFile)(DEFAULT_TRAINER_PYTHON, ['-c', script, dir], { cwd: TRAINER_ROOT });
    expect(Number(stdout.trim())).toBeGreaterThan(0);
  }, 900_000);
});
