import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoTrainer } from '../../server/src/training/providers/demo-trainer.js';
import { startRunPodStandIn, type RunPodStandIn } from '../../server/src/training/providers/runpod/standin.js';
import { BrightRun, JobFailedError, ProviderCapacityError, type LiveMetricPoint } from '../src/index.js';
import { clientFor, SAMPLE_JSON, startTestServer, type TestServer } from './server.js';

const STEPS = 80;

/**
 * A spot job on the RunPod stand-in whose pods run the demo trainer in-process (the real trainer
 * contract, synthetic numbers): interrupted after its checkpoint, it resumes on a new pod from
 * that checkpoint and reports the steps after it again.
 */
describe('metrics across a spot interruption (RunPod stand-in, demo trainer in its pods)', () => {
  let standIn: RunPodStandIn;
  let server: TestServer;
  let br: BrightRun;
  beforeAll(async () => {
    standIn = await startRunPodStandIn({
      killGraceMs: 200,
      launch: (pod) => {
        const controller = new AbortController();
        const run = runDemoTrainer(
          { apiUrl: pod.env.BRIGHTRUN_API_URL!, jobId: pod.env.BRIGHTRUN_JOB_ID!, token: pod.env.BRIGHTRUN_JOB_TOKEN!, durationSeconds: 10, signal: controller.signal },
          STEPS,
        );
        return { stop: () => controller.abort(new Error('SIGTERM')), exited: run.then(() => ({ code: 0 }), () => ({ code: 143 })) };
      },
    });
    server = await startTestServer('pglite', {
      BRIGHTRUN_PROVIDER: 'runpod',
      RUNPOD_API_KEY: standIn.apiKey,
      RUNPOD_REST_URL: standIn.restUrl,
      RUNPOD_GRAPHQL_URL: standIn.graphqlUrl,
      BRIGHTRUN_SUPERVISOR_TICK_MS: '200',
      BRIGHTRUN_MAX_LAUNCH_ATTEMPTS: '2',
      BRIGHTRUN_LAUNCH_BACKOFF_MS: '50',
    });
    br = clientFor(server);
    // The default base model (Llama 3 70B) is gated: a RunPod job needs the workspace's Hugging Face token.
    await server.gql('mutation { updateWorkspaceSettings(input: { huggingFaceToken: "hf_sdkSpotResumeToken00000000" }) { __typename } }');
  });
  afterAll(async () => {
    await server?.stop();
    await standIn?.close();
  });

  it('yields the recomputed steps again marked as replacements, every new step once, and ends with the stored values', async () => {
    const dataset = await br.datasets.upload(SAMPLE_JSON);
    const job = await br.jobs.start({ datasetId: dataset.id, preset: 'CONSERVATIVE', maxSteps: STEPS, acknowledgeDatasetWarnings: true, overrides: { cloudType: 'SPOT' } });
    const points: LiveMetricPoint[] = [];
    const streaming = (async () => {
      for await (const point of br.jobs.metrics(job.id).stream()) points.push(point);
    })();

    // Interrupt once the checkpoint is committed and the job has trained past it.
    let checkpointStep = 0;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const state = await server.gql<{ trainingJob: { currentStep: number; checkpoints: { edges: { node: { step: number; committedAt: string | null } }[] } } }>(
        'query($id: ID!) { trainingJob(id: $id) { currentStep checkpoints(first: 1) { edges { node { step committedAt } } } } }',
        { id: job.id },
      );
      const checkpoint = state.data!.trainingJob.checkpoints.edges[0]?.node;
      if (checkpoint?.committedAt && state.data!.trainingJob.currentStep >= checkpoint.step + 5) {
        checkpointStep = checkpoint.step;
        await standIn.interrupt(standIn.pods().find((p) => p.status === 'RUNNING')!.id);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(checkpointStep).toBeGreaterThan(0);

    const finished = await br.jobs.waitForCompletion(job.id, { timeoutMs: 120_000 });
    await streaming;
    expect(finished.interruptionCount).toBe(1);

    const train = points.filter((p) => p.split === 'TRAIN');
    // Every step once as news…
    expect(train.filter((p) => !p.replacement).map((p) => p.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    // …and the steps between the checkpoint and the interruption again, as replacements.
    const replaced = train.filter((p) => p.replacement).map((p) => p.step);
    expect(replaced.length).toBeGreaterThan(0);
    expect(Math.min(...replaced)).toBe(checkpointStep + 1);
    expect(new Set(replaced).size).toBe(replaced.length);
    for (const step of replaced) expect(train.findIndex((p) => p.step === step && !p.replacement)).toBeLessThan(train.findIndex((p) => p.step === step && p.replacement));

    // Keeping the last value per step gives exactly what the server stored.
    const last = new Map(train.map((p) => [p.step, p] as const));
    const stored = await br.jobs.metrics(job.id).history({ maxPoints: 10_000 });
    expect(stored.points.map((p) => [p.step, p.loss, p.recordedAt])).toEqual([...last.values()].map((p) => [p.step, p.loss, p.recordedAt]));
  }, 180_000);

  it('rejects waitForCompletion with ProviderCapacityError when RunPod has no GPU to give', async () => {
    const [dataset] = await br.datasets.list().toArray();
    standIn.failNextCreates(10, 'NO_CAPACITY');
    const job = await br.jobs.start({ datasetId: dataset!.id, preset: 'CONSERVATIVE', maxSteps: 10, acknowledgeDatasetWarnings: true });
    const error = await br.jobs.waitForCompletion(job.id, { timeoutMs: 60_000 }).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderCapacityError);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error).toMatchObject({ code: 'NO_CAPACITY', jobId: job.id, job: { status: 'FAILED' } });
  }, 90_000);
});
