import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';
import { startRunPodStandIn, type RunPodStandIn } from '../src/training/providers/runpod/standin.js';
import { DEFAULT_TRAINER_PYTHON, trainerInstalled } from '../src/training/providers/local.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** The ws socket, with errors it raises after graphql-ws has let go of it (a restart mid-handshake) kept quiet. */
class QuietWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => undefined);
  }
}

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl', import.meta.url);
const step = (label: string) => process.env.E2E_DEBUG && console.log(`[e2e] ${new Date().toISOString()} ${label}`);
const runnable = trainerInstalled() || process.env.CI === 'true';
const TRAINER_ROOT = path.dirname(path.dirname(path.dirname(DEFAULT_TRAINER_PYTHON)));

/**
 * A notebook-style watcher: a graphql-ws client (not the server's code) that streams a job's
 * metrics and, whenever its connection drops, reconnects with the last step it saw.
 */
function watchMetrics(wsUrl: string, key: string, jobId: string) {
  const received: { split: string; step: number }[] = [];
  let lastStep: number | null = null;
  let stopped = false;
  let reconnects = 0;
  let drop: () => void = () => undefined;
  const query = 'subscription($jobId: ID!, $afterStep: Int) { trainingMetrics(jobId: $jobId, afterStep: $afterStep) { split step } }';
  const loop = (async () => {
    while (!stopped) {
      let connected = false;
      const client = createClient({ url: wsUrl, webSocketImpl: QuietWebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: true, on: { connected: () => void (connected = true) } });
      await new Promise<void>((resolve) => {
        // A connection caught half-way by the server's restart can hang: give up on it and retry.
        const watchdog = setTimeout(() => { if (!connected) { client.terminate(); resolve(); } }, 3000);
        const unsubscribe = client.subscribe<{ trainingMetrics: { split: string; step: number }[] }>({ query, variables: { jobId, afterStep: lastStep } }, {
          next: (result) => {
            for (const point of result.data?.trainingMetrics ?? []) {
              received.push(point);
              if (point.split === 'TRAIN') lastStep = point.step;
            }
          },
          error: () => { clearTimeout(watchdog); resolve(); }, // the connection dropped (the server restarted)
          complete: () => { clearTimeout(watchdog); resolve(); },
        });
        drop = () => { clearTimeout(watchdog); unsubscribe(); resolve(); };
      });
      void client.dispose(); // not awaited: after a refused connection it may never settle
      if (!stopped) {
        reconnects += 1;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  })();
  return {
    received,
    get reconnects() { return reconnects; },
    /** Drops the subscription as a flaky network would; the watcher comes back with afterStep. */
    drop: () => drop(),
    stop: async () => { stopped = true; drop(); await Promise.race([loop, new Promise((r) => setTimeout(r, 3000))]); },
  };
}

/**
 * The whole product path on a spot pod: RunPod's API contract (the stand-in validates every REST
 * body against the published OpenAPI file) → the real trainer on CPU → an interruption after the
 * first checkpoint → automatic resume → a server restart mid-job → completion.
 */
describe.runIf(runnable)('a spot job on RunPod (stand-in) with the real trainer', () => {
  let standIn: RunPodStandIn;
  let server: TestServer;
  const trainerLogs: string[] = [];
  const podApiUrls: string[] = [];

  beforeAll(async () => {
    standIn = await startRunPodStandIn({
      killGraceMs: 5000,
      launch: (pod) => {
        podApiUrls.push(pod.env.BRIGHTRUN_API_URL ?? '');
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
    const plan = { datasetId, preset: 'BALANCED', overrides: { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16', cloudType: 'SPOT' } };
    const estimate = await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { cost { pricePerHourUsd priceSource } } } } }`,
      { input: plan });
    expect(estimate.data!.estimateTraining.estimate.cost.priceSource).toBe('RUNPOD_LIVE');

    const started = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`,
      { input: { plan, acknowledgeDatasetWarnings: true, maxSteps: 160, checkpointEverySteps: 10 } });
    const jobId = started.data!.startTrainingJob.job.id;
    step('started');
    const watcher = watchMetrics(`${server.url.replace('http', 'ws')}/graphql/ws`, server.adminKey, jobId);
    const statuses: string[] = [];
    const jobWatch = createClient({ url: `${server.url.replace('http', 'ws')}/graphql/ws`, webSocketImpl: QuietWebSocket, connectionParams: { authorization: `Bearer ${server.adminKey}` }, retryAttempts: 0 });
    jobWatch.subscribe<{ trainingJobUpdated: { status: string } }>({ query: 'subscription($id: ID!) { trainingJobUpdated(id: $id) { status } }', variables: { id: jobId } }, {
      next: (r) => {
        const status = r.data!.trainingJobUpdated.status;
        if (statuses[statuses.length - 1] !== status) statuses.push(status);
      },
      error: () => undefined, // ends with the server restart
      complete: () => undefined,
    });
    step('step 3');
    await waitForJob(server, jobId, (j) => j.currentStep >= 3, 240_000);
    watcher.drop();

    step('before checkpoint wait');
    const firstCheckpoint = await waitForJob(server, jobId, (j) => j.events.some((e: { kind: string }) => e.kind === 'CHECKPOINT'), 240_000);
    const podId = firstCheckpoint.attempts[0].podId ?? standIn.pods()[0]!.id;
    await standIn.interrupt(standIn.pods().find((p) => p.status === 'RUNNING')?.id ?? podId);

    step('interrupted');
    const resumed = await waitForJob(server, jobId, (j) => j.attempts.length === 2 && j.status === 'TRAINING', 240_000);
    expect(resumed.attempts[0].endReason).toBe('INTERRUPTED');
    expect(resumed.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['INTERRUPTED', 'RESUMING']));

    step('resumed');
    await jobWatch.dispose();
    step('disposed');
    await server.restart();

    step('restarted');
    // 160 CPU steps of the real trainer: about 10 min on a loaded 2-core machine (measured 20 steps/min at load 13).
    const job = await waitForJob(server, jobId, settled, 900_000);
    expect(job.status, `${JSON.stringify(job.events.slice(-10))}\n${trainerLogs.join('').slice(-3000)}`).toBe('COMPLETED');
    expect(job.interruptionCount).toBe(1);
    expect(job.stages.map((s: { stage: string }) => s.stage)).toContain('INTERRUPTED');

    const steps = (await server.services.db.prisma.metricPoint.findMany({ where: { jobId, split: 'TRAIN' }, orderBy: { step: 'asc' } })).map((p) => p.step);
    expect(steps).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));

    // The watcher got every step exactly once, across a forced drop and the server restart.
    const deadline = Date.now() + 20_000;
    while (watcher.received.filter((p) => p.split === "TRAIN").length < 160 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    step('completed, waiting watcher');
    await watcher.stop();
    const trainSeen = watcher.received.filter((p) => p.split === 'TRAIN').map((p) => p.step).sort((a, b) => a - b);
    expect(trainSeen).toEqual(steps);
    expect(watcher.reconnects).toBeGreaterThanOrEqual(2);
    // The job's own stream, up to the restart: in order, through the interruption and the resume.
    const afterTraining = statuses.slice(statuses.indexOf('TRAINING'));
    expect(afterTraining.slice(0, afterTraining.indexOf('INTERRUPTED') + 2)).toEqual(expect.arrayContaining(['TRAINING', 'INTERRUPTED', 'PROVISIONING']));
    expect(afterTraining.indexOf('INTERRUPTED')).toBeLessThan(afterTraining.lastIndexOf('PROVISIONING'));

    // Every pod was sent to the trainer's own endpoint (job tokens only), and the trainer completed
    // through it: the public /graphql refuses job tokens, so it never got anything from a pod.
    expect(podApiUrls.length).toBeGreaterThanOrEqual(2);
    expect(podApiUrls.every((url) => url === `${server.url}/trainer/graphql`)).toBe(true);

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
  }, 1_800_000);
});
