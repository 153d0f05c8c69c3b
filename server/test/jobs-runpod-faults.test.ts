import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';
import { startRunPodStandIn, type RunPodStandIn } from '../src/training/providers/runpod/standin.js';
import { runDemoTrainer } from '../src/training/providers/demo-trainer.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);
const finished = settled;

/**
 * The supervisor against RunPod's failure modes, on the stand-in. The pod's workload is the demo
 * trainer (it speaks the real trainer contract with the pod's env) or, for a stalled trainer,
 * nothing at all.
 */
describe('RunPod failure modes (stand-in)', () => {
  let standIn: RunPodStandIn;
  let server: TestServer;
  let datasetId: string;
  let workload: 'train' | 'silent' | 'heartbeat' = 'train';

  beforeAll(async () => {
    standIn = await startRunPodStandIn({
      killGraceMs: 500,
      launch: (pod) => {
        const controller = new AbortController();
        if (workload !== 'train') {
          // Alive but not training: heartbeats only ('heartbeat'), or nothing at all ('silent').
          const beat = workload === 'heartbeat' ? setInterval(() => void fetch(pod.env.BRIGHTRUN_API_URL!, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${pod.env.BRIGHTRUN_JOB_TOKEN}` },
            body: JSON.stringify({ query: 'mutation($j: ID!) { trainerReport(jobId: $j, input: {}) { cancelRequested } }', variables: { j: pod.env.BRIGHTRUN_JOB_ID } }),
          }).catch(() => undefined), 300) : undefined;
          let stop!: () => void;
          const exited = new Promise<{ code: number | null }>((resolve) => (stop = () => { clearInterval(beat); resolve({ code: 143 }); }));
          return { stop: () => stop(), exited };
        }
        const run = runDemoTrainer({ apiUrl: pod.env.BRIGHTRUN_API_URL!, jobId: pod.env.BRIGHTRUN_JOB_ID!, token: pod.env.BRIGHTRUN_JOB_TOKEN!, durationSeconds: 1.5, signal: controller.signal }, 20);
        return { stop: () => controller.abort(), exited: run.then(() => ({ code: 0 }), () => ({ code: 143 })) };
      },
    });
    server = await startTestServer('pglite', {
      BRIGHTRUN_PROVIDER: 'runpod',
      RUNPOD_API_KEY: standIn.apiKey,
      RUNPOD_REST_URL: standIn.restUrl,
      RUNPOD_GRAPHQL_URL: standIn.graphqlUrl,
      BRIGHTRUN_SUPERVISOR_TICK_MS: '100',
      BRIGHTRUN_LAUNCH_BACKOFF_MS: '50',
      BRIGHTRUN_MAX_LAUNCH_ATTEMPTS: '4',
      BRIGHTRUN_HEARTBEAT_TIMEOUT_S: '2',
    });
    datasetId = (await uploadFile(server, { name: 'sample.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
    // The default base model (Llama 3 70B) is gated: a real launch needs the workspace's Hugging Face token.
    await server.gql('mutation { updateWorkspaceSettings(input: { huggingFaceToken: "hf_faultsSuiteToken0000000000" }) { __typename } }');
  });
  afterAll(async () => {
    await server?.stop();
    await standIn?.close();
  });
  beforeEach(() => {
    workload = 'train';
  });

  const start = async ({ overrides, ...rest }: Record<string, unknown> = {}) => {
    const result = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`,
      { input: { plan: { datasetId, overrides }, acknowledgeDatasetWarnings: true, maxSteps: 20, ...rest } });
    return result.data!.startTrainingJob.job.id as string;
  };

  it('tries the community cloud, then retries with backoff when RunPod has no capacity, then runs', async () => {
    standIn.failNextCreates(3); // secure + community on the first launch, secure on the second
    const before = standIn.requests.length;
    const job = await waitForJob(server, await start(), finished);
    expect(job.status).toBe('COMPLETED');
    expect(job.events.filter((e: { kind: string }) => e.kind === 'LAUNCH_RETRY')).toHaveLength(1);
    expect(job.events.find((e: { kind: string }) => e.kind === 'LAUNCH_RETRY').message).toMatch(/no longer any instances available|capacity/i);
    const creates = standIn.requests.slice(before).filter((r) => r.graphqlFields?.includes('podRentInterruptable'));
    expect(creates.map((r) => (r.body as { variables: { input: { cloudType: string } } }).variables.input.cloudType)).toEqual(['SECURE', 'COMMUNITY', 'SECURE', 'COMMUNITY']);
    // The pod gets the job's identity and token, never the user's RunPod key.
    const env = standIn.pod(job.attempts[0].podId)!.env;
    expect(Object.keys(env).sort()).toEqual(['BRIGHTRUN_API_URL', 'BRIGHTRUN_JOB_ID', 'BRIGHTRUN_JOB_TOKEN', 'HF_HOME', 'HF_TOKEN']);
    expect(Object.values(env)).not.toContain(standIn.apiKey);
  });

  it('fails with the reason when capacity never comes', async () => {
    standIn.failNextCreates(50);
    const job = await waitForJob(server, await start(), finished);
    expect(job.status).toBe('FAILED');
    expect(job.errorMessage).toMatch(/gave up after 4 attempts/);
    standIn.failNextCreates(0);
  });

  it("honours 429 Retry-After and still starts the pod", async () => {
    standIn.rateLimitNext(1, 1);
    const before = Date.now();
    const job = await waitForJob(server, await start(), (j) => j.attempts.length > 0 || finished(j));
    expect(job.attempts).toHaveLength(1);
    expect(Date.now() - before).toBeGreaterThanOrEqual(1000);
    await waitForJob(server, job.id, finished);
  });

  it('fails a stalled trainer after the heartbeat timeout, with a warning first, and stops its pod', async () => {
    workload = 'silent';
    const job = await waitForJob(server, await start(), finished, 30_000);
    expect(job.status).toBe('FAILED');
    expect(job.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['TRAINER_QUIET', 'TRAINER_SILENT']));
    expect(standIn.pod(job.attempts[0].podId)?.status).toBe('TERMINATED');
  });

  it('stops a job at its max duration', async () => {
    workload = 'silent';
    const id = await start({ overrides: { maxDurationHours: 0.1 } });
    await waitForJob(server, id, (j) => j.attempts.length > 0);
    await server.services.db.prisma.trainingJob.update({ where: { id }, data: { startedAt: new Date(Date.now() - 7 * 60_000) } });
    const job = await waitForJob(server, id, finished);
    expect([job.status, job.cancelReason]).toEqual(['CANCELLED', 'Stopped at its max duration of 0.1 h']);
  });

  it('warns at 80% / 100% of the estimate (event + notification) and stops at the cost cap', async () => {
    workload = 'heartbeat';
    const id = await start({ costCapUsd: 0.002 });
    await waitForJob(server, id, (j) => j.attempts.length > 0);
    // Make the estimate's high end tiny, so a few seconds at $1.49/h cross both marks.
    const row = await server.services.db.prisma.trainingJob.findUniqueOrThrow({ where: { id } });
    await server.services.db.prisma.trainingJob.update({ where: { id }, data: { estimate: { ...(row.estimate as object), cost: { ...(row.estimate as { cost: object }).cost, high: 0.0004 } } } });
    const job = await waitForJob(server, id, finished, 30_000);
    expect([job.status, job.cancelReason]).toEqual(['CANCELLED', 'Stopped at its cost cap of $0.00']);
    expect(job.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['COST_WARNING_100']));
    const notes = await server.gql('{ notifications(first: 20) { edges { node { kind title } } } }');
    expect(notes.data!.notifications.edges.map((e: { node: { kind: string } }) => e.node.kind)).toContain('COST_WARNING');
    expect(job.spendUsd).toBeGreaterThanOrEqual(0.002);
  });

  it('refuses to turn a spot job into on-demand unless the user opted in', async () => {
    standIn.spotUnavailable(true);
    try {
      const refused = await waitForJob(server, await start(), finished);
      expect(refused.status).toBe('FAILED');
      expect(refused.errorMessage).toMatch(/on-demand/);
      const fallback = await waitForJob(server, await start({ allowOnDemandFallback: true }), (j) => j.attempts.length > 0 || finished(j));
      expect(fallback.attempts[0].cloudType).toBe('ON_DEMAND');
      await waitForJob(server, fallback.id, finished);
    } finally {
      standIn.spotUnavailable(false);
    }
  });

  it('fails clearly when the RunPod balance is too low', async () => {
    standIn.insufficientBalance(true);
    try {
      const job = await waitForJob(server, await start(), finished);
      expect(job.status).toBe('FAILED');
      expect(job.errorMessage).toMatch(/balance/i);
    } finally {
      standIn.insufficientBalance(false);
    }
  });

  it("runs a job on the provider it names when the server offers several (demo by default, RunPod with the workspace's own key)", async () => {
    // No RUNPOD_API_KEY on the server: RunPod is offered, and ready once the workspace sets its key.
    const podsBefore = standIn.pods().length;
    const mixed = await startTestServer('pglite', {
      BRIGHTRUN_PROVIDER: 'demo',
      BRIGHTRUN_DEMO_SPEEDUP: '20000',
      RUNPOD_REST_URL: standIn.restUrl,
      RUNPOD_GRAPHQL_URL: standIn.graphqlUrl,
      BRIGHTRUN_SUPERVISOR_TICK_MS: '100',
    });
    try {
      const providers = async () => (await mixed.gql('{ trainingCatalog { providers { name isDefault simulated ready setupHint } } }')).data!.trainingCatalog.providers;
      expect(await providers()).toEqual([
        { name: 'DEMO', isDefault: true, simulated: true, ready: true, setupHint: null },
        { name: 'RUNPOD', isDefault: false, simulated: false, ready: false, setupHint: expect.stringMatching(/RunPod needs an API key: set yours in Settings/) },
      ]);
      const dataset = (await uploadFile(mixed, { name: 'sample.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
      await mixed.gql('mutation { updateWorkspaceSettings(input: { huggingFaceToken: "hf_faultsSuiteToken0000000000" }) { __typename } }');
      const launchResult = (provider?: string) => mixed.gql('mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on StartTrainingJobSuccess { job { id provider isSimulated } } ... on Error { message } ... on ValidationError { fieldErrors { field message } } } }', {
        input: { plan: { datasetId: dataset, provider }, acknowledgeDatasetWarnings: true, maxSteps: 20 },
      });
      const launch = async (provider?: string) => (await launchResult(provider)).data!.startTrainingJob.job as { id: string; provider: string; isSimulated: boolean };
      // Without a key anywhere: the estimate says so and the start is refused on the provider field, before any pod.
      const estimate = await mixed.gql('query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { warnings { code } } } } }', { input: { datasetId: dataset, provider: 'RUNPOD' } });
      expect(estimate.data!.estimateTraining.estimate.warnings).toContainEqual({ code: 'PROVIDER_NOT_READY' });
      expect((await launchResult('RUNPOD')).data!.startTrainingJob).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ field: 'input.plan.provider', message: expect.stringMatching(/RunPod needs an API key/) }] });
      expect(standIn.pods()).toHaveLength(podsBefore);
      await mixed.gql('mutation($key: String!) { updateWorkspaceSettings(input: { runpodApiKey: $key }) { __typename } }', { key: standIn.apiKey });
      expect((await providers())[1]).toMatchObject({ name: 'RUNPOD', ready: true, setupHint: null });
      const onRunPod = await launch('RUNPOD');
      const byDefault = await launch();
      expect([onRunPod.provider, onRunPod.isSimulated, byDefault.provider, byDefault.isSimulated]).toEqual(['RUNPOD', false, 'DEMO', true]);
      const [runpodJob, demoJob] = await Promise.all([waitForJob(mixed, onRunPod.id, finished), waitForJob(mixed, byDefault.id, finished)]);
      expect([runpodJob.status, demoJob.status]).toEqual(['COMPLETED', 'COMPLETED']);
      expect(standIn.pod(runpodJob.attempts[0].podId)).toBeTruthy();
      expect(demoJob.attempts[0].podId).toMatch(/^demo-/);
    } finally {
      await mixed.stop();
    }
  }, 120_000); // a second server on top of the suite's: 43 s seen under a load average of 18

  it('cancels: the pod is terminated and the spend settled', async () => {
    workload = 'silent';
    const id = await start();
    const running = await waitForJob(server, id, (j) => j.attempts.length > 0);
    // The pod's log, through RunPod's log stream: the provider's own lines about the pod.
    const logs = await server.gql('query($id: ID!) { trainingJob(id: $id) { logs(lines: 10) { podId lines { source message } } } }', { id });
    expect(logs.data!.trainingJob.logs.podId).toBe(running.attempts[0].podId);
    expect(logs.data!.trainingJob.logs.lines).toContainEqual({ source: 'SYSTEM', message: expect.stringMatching(/^pod created/) });
    await server.gql(`mutation($id: ID!) { cancelTrainingJob(input: { id: $id, reason: "changed my mind" }) { __typename } }`, { id });
    const job = await waitForJob(server, id, (j) => j.attempts[0].endReason !== null);
    expect([job.status, job.attempts[0].endReason]).toEqual(['CANCELLED', 'CANCELLED']);
    expect(standIn.pod(running.attempts[0].podId)?.status).toBe('TERMINATED');
  });
});
