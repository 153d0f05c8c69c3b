import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';
import { startRunPodStandIn, type RunPodStandIn, type StandInLaunchedPod, type StandInProcess } from '../src/training/providers/runpod/standin.js';
import { RunPodClient } from '../src/training/providers/runpod/client.js';
import { runDemoTrainer } from '../src/training/providers/demo-trainer.js';
import { createWorkspace } from '../src/auth/bootstrap.js';
import { trainerInstalled } from '../src/training/providers/local.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);
const ROOT_PACKAGE = new URL('../../package.json', import.meta.url);

/** What the next pods run, in launch order; the last entry repeats. */
type Workload = 'train' | 'interruptible' | 'crash' | 'stall' | 'oom';

/** A trainer-contract client for a pod (the pod's env carries the job's URL, id and token). */
function trainerCall(pod: StandInLaunchedPod) {
  return async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(pod.env.BRIGHTRUN_API_URL!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pod.env.BRIGHTRUN_JOB_TOKEN}` },
      body: JSON.stringify({ query, variables: { jobId: pod.env.BRIGHTRUN_JOB_ID, ...variables } }),
    });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  };
}
const REPORT = 'mutation($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { cancelRequested } }';

/**
 * Pods that behave like the real trainer in the ways the supervisor must tell apart:
 * - interruptible: trains (a step every 100 ms) until SIGTERM, then reports `sigterm` and exits 143;
 * - crash: exits with code 1 without a word; oom: reports OUT_OF_MEMORY through trainerFail, exits 1;
 * - stall: reaches TRAINING, then only heartbeats (a hung loop with a live reporter thread);
 * - train: the demo trainer, which completes.
 */
function workloadProcess(kind: Workload, pod: StandInLaunchedPod): StandInProcess {
  const call = trainerCall(pod);
  let finish!: (code: number | null) => void;
  const exited = new Promise<{ code: number | null }>((resolve) => (finish = (code) => resolve({ code })));
  const timers: NodeJS.Timeout[] = [];
  const end = (code: number | null) => {
    for (const t of timers) clearInterval(t);
    finish(code);
  };
  if (kind === 'train') {
    const controller = new AbortController();
    runDemoTrainer({ apiUrl: pod.env.BRIGHTRUN_API_URL!, jobId: pod.env.BRIGHTRUN_JOB_ID!, token: pod.env.BRIGHTRUN_JOB_TOKEN!, durationSeconds: 1.5, signal: controller.signal }, 20).then(() => end(0), () => end(143));
    return { stop: () => controller.abort(), exited };
  }
  if (kind === 'crash') {
    timers.push(setTimeout(() => end(1), 300));
    return { stop: () => end(137), exited };
  }
  if (kind === 'oom') {
    void call('mutation($jobId: ID!, $f: TrainerFailureInput!) { trainerFail(jobId: $jobId, failure: $f) { jobId } }', {
      f: { code: 'OUT_OF_MEMORY', message: 'CUDA out of memory. Tried to allocate 2.00 GiB' },
    }).then(() => end(1));
    return { stop: () => end(137), exited };
  }
  let step = 0;
  void call(REPORT, { input: { stage: 'TRAINING', substatus: 'training' } }).then(() => {
    timers.push(setInterval(() => {
      if (kind === 'interruptible') step += 1;
      void call(REPORT, { input: kind === 'interruptible' ? { progress: { step, totalSteps: 1000, epoch: 0.1, totalEpochs: 1 } } : {} }).catch(() => undefined);
    }, 100));
  });
  return {
    stop: (signal) => {
      if (signal === 'SIGKILL' || kind !== 'interruptible') return end(137);
      // What run_mode.py does on SIGTERM: say so in a last report, then exit 143.
      void call(REPORT, { input: { events: [{ level: 'WARNING', kind: 'sigterm', message: 'The pod received SIGTERM (spot interruption?)' }] } }).finally(() => end(143));
    },
    exited,
  };
}

const START = `mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename
  ... on StartTrainingJobSuccess { job { id provider isSimulated } }
  ... on BudgetExceededError { message budgetUsd spentUsd estimateHighUsd reservedUsd }
  ... on Error { message } } }`;
const TINY = { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16', cloudType: 'SPOT' };

/**
 * Real runs and honest money, against the RunPod stand-in (every REST body validated against the
 * published OpenAPI contract). The server's default provider is the demo simulation, with RunPod
 * beside it, so simulated and real jobs share one workspace as they do for a new user.
 */
describe('real runs and honest money (RunPod stand-in)', () => {
  let standIn: RunPodStandIn;
  let server: TestServer;
  let datasetId: string;
  let plan: (workloads: Workload[]) => void;
  let clockOffsetMs = 0;

  beforeAll(async () => {
    let queue: Workload[] = ['train'];
    plan = (workloads) => void (queue = [...workloads]);
    standIn = await startRunPodStandIn({
      killGraceMs: 1000,
      now: () => Date.now() + clockOffsetMs,
      launch: (pod) => workloadProcess((queue.length > 1 ? queue.shift() : queue[0])!, pod),
    });
    server = await startTestServer('pglite', {
      BRIGHTRUN_PROVIDER: 'demo',
      BRIGHTRUN_DEMO_SPEEDUP: '20000',
      RUNPOD_API_KEY: standIn.apiKey,
      RUNPOD_REST_URL: standIn.restUrl,
      RUNPOD_GRAPHQL_URL: standIn.graphqlUrl,
      BRIGHTRUN_SUPERVISOR_TICK_MS: '100',
      BRIGHTRUN_HEARTBEAT_TIMEOUT_S: '120',
      // Long enough that a loaded machine's slow demo trainer is not a stall; the stall test waits it out.
      BRIGHTRUN_STALL_TIMEOUT_S: '8',
    });
    datasetId = (await uploadFile(server, { name: 'sample.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
  });
  afterAll(async () => {
    await server?.stop();
    await standIn?.close();
  });

  const start = async (extra: Record<string, unknown> = {}, key?: string, dataset = datasetId) => {
    const { provider = 'RUNPOD', overrides = TINY, ...rest } = extra;
    const result = await server.gql(START, { input: { plan: { datasetId: dataset, provider, overrides }, acknowledgeDatasetWarnings: true, maxSteps: 20, ...rest } }, key);
    return result.data!.startTrainingJob;
  };
  const exits = (job: Record<string, any>) => job.attempts.map((a: { exit: string }) => a.exit);
  const attemptsOf = async (id: string) =>
    (await server.gql('query($id: ID!) { trainingJob(id: $id) { attempts { number podId exit endReason spendUsd } } }', { id })).data!.trainingJob.attempts as { podId: string; exit: string | null }[];

  it("launches the trainer image of the server's own version (not :latest)", async () => {
    plan(['train']);
    const job = await waitForJob(server, (await start()).job.id, settled);
    expect(job.status, `${job.errorMessage} ${JSON.stringify(job.events.slice(-4))}`).toBe('COMPLETED');
    const version = (JSON.parse(await readFile(ROOT_PACKAGE, 'utf8')) as { version: string }).version;
    expect(standIn.pod(job.attempts[0].podId)!.image).toBe(`ghcr.io/brightrun/lora-trainer:${version}`);
  });

  it("bills a spot pod bid-resumed after three interruptions exactly what RunPod billed, each attempt only for its own window", async () => {
    plan(['interruptible', 'interruptible', 'interruptible', 'train']);
    const id = (await start()).job.id;
    for (let n = 1; n <= 3; n++) {
      await waitForJob(server, id, (j) => j.attempts.length === n && j.status === 'TRAINING' && j.currentStep >= 2, 30_000);
      clockOffsetMs += 3_600_000; // each run lasts an hour on RunPod's clock: $1.49 at the spot bid
      const podId = (await attemptsOf(id))[n - 1]!.podId;
      await standIn.interrupt(podId);
    }
    const job = await waitForJob(server, id, settled, 60_000);
    expect(job.status).toBe('COMPLETED');
    expect(job.interruptionCount).toBe(3);
    expect(exits(await (async () => ({ attempts: await attemptsOf(id) }))())).toEqual(['SPOT_INTERRUPTION', 'SPOT_INTERRUPTION', 'SPOT_INTERRUPTION', 'COMPLETED']);
    const podIds = new Set(job.attempts.map((a: { podId: string }) => a.podId));
    expect(podIds.size).toBe(1); // bid-resumed: one pod id for all four attempts
    const client = new RunPodClient({ apiKey: standIn.apiKey, restUrl: standIn.restUrl, graphqlUrl: standIn.graphqlUrl });
    const bill = await client.podBilling([...podIds][0] as string);
    expect(bill.totalAmount).toBeGreaterThan(3 * 1.49);
    expect(Math.abs(job.spendUsd - bill.totalAmount)).toBeLessThan(0.01);
    for (const attempt of job.attempts.slice(0, 3)) expect(attempt.spendUsd).toBeCloseTo(1.49, 1);
  }, 120_000);

  it('fails a trainer error at once with its reason and a fix; retries a silent pod death at most twice', async () => {
    plan(['oom']);
    const oom = await waitForJob(server, (await start()).job.id, settled);
    expect(oom.status).toBe('FAILED');
    expect(oom.attempts).toHaveLength(1);
    expect(oom.errorMessage).toMatch(/^CUDA out of memory\. Tried to allocate 2\.00 GiB Fix: lower batchSize/);
    expect(exits({ attempts: await attemptsOf(oom.id) })).toEqual(['TRAINER_ERROR']);

    plan(['crash']);
    const crash = await waitForJob(server, (await start()).job.id, settled, 30_000);
    expect(crash.status).toBe('FAILED');
    expect(crash.interruptionCount).toBe(0);
    expect(exits({ attempts: await attemptsOf(crash.id) })).toEqual(['SILENT_EXIT', 'SILENT_EXIT', 'SILENT_EXIT']);
    expect(crash.errorMessage).toMatch(/^The pod exited 3 times without the trainer reporting an error or an interruption/);
    expect(crash.events.filter((e: { kind: string }) => e.kind === 'POD_EXITED')).toHaveLength(2);
  }, 60_000);

  it('calls a heartbeat without step progress past the limit a stall, and stops the pod', async () => {
    plan(['stall']);
    const job = await waitForJob(server, (await start()).job.id, settled, 30_000);
    expect(job.status).toBe('FAILED');
    expect(job.errorMessage).toMatch(/^Training stalled: the trainer kept reporting but stayed at step 0/);
    expect(job.events.map((e: { kind: string }) => e.kind)).toContain('TRAINING_STALLED');
    expect(job.events.map((e: { kind: string }) => e.kind)).not.toContain('TRAINER_SILENT');
    expect(exits({ attempts: await attemptsOf(job.id) })).toEqual(['STALLED']);
    expect(standIn.pod(job.attempts[0].podId)?.status).toBe('TERMINATED');
  }, 60_000);

  it('keeps simulated jobs out of real money: spend, budget, artifact versions, labels', async () => {
    const demo = await waitForJob(server, (await start({ provider: 'DEMO' })).job.id, settled);
    expect([demo.status, demo.estimate.cost.priceSource]).toEqual(['COMPLETED', 'SIMULATED']);
    expect(demo.spendUsd).toBeGreaterThan(0);
    const artifacts = await server.gql('query($id: ID!) { modelArtifacts(first: 50, filter: { datasetId: $id }) { edges { node { version isSimulated qualityRatingLabel job { id } } } } }', { id: datasetId });
    const nodes = artifacts.data!.modelArtifacts.edges.map((e: { node: Record<string, any> }) => e.node);
    const real = nodes.filter((a: { isSimulated: boolean }) => !a.isSimulated).map((a: { version: number }) => a.version).sort();
    const simulated = nodes.filter((a: { isSimulated: boolean }) => a.isSimulated);
    expect(simulated.map((a: { version: number; job: { id: string } }) => [a.version, a.job.id])).toEqual([[1, demo.id]]);
    expect(real).toEqual(Array.from({ length: real.length }, (_, i) => i + 1)); // one unbroken sequence of real versions
    expect(simulated[0].qualityRatingLabel).toMatch(/simulated/);
    const series = await server.gql('query($id: ID!) { jobMetrics(jobId: $id) { ... on JobMetricsSuccess { series { isSimulated totalPoints } } } }', { id: demo.id });
    expect(series.data!.jobMetrics.series.isSimulated).toBe(true);
    expect(demo.events.map((e: { message: string }) => e.message).join('\n')).not.toMatch(/\bspot\b/);

    const spend = (await server.gql('{ spend { ... on SpendSuccess { spend { totalUsd jobs { jobId spendUsd } } } } }')).data!.spend.spend;
    expect(spend.jobs.map((j: { jobId: string }) => j.jobId)).not.toContain(demo.id);
    const realSpend = await server.services.db.prisma.trainingJob.aggregate({ where: { isSimulated: false, workspaceId: server.bootstrap.workspaceId }, _sum: { spendUsd: true } });
    expect(spend.totalUsd).toBeCloseTo(Number(realSpend._sum.spendUsd), 2);

    // A budget smaller than the demo job's simulated cost does not stop another demo job.
    await server.gql('mutation { updateWorkspaceSettings(input: { monthlyBudgetUsd: 0.0 }) { __typename } }');
    try {
      expect((await start({ provider: 'DEMO' })).__typename).toBe('StartTrainingJobSuccess');
      expect((await start()).__typename).toBe('BudgetExceededError');
    } finally {
      await server.gql('mutation { updateWorkspaceSettings(input: { monthlyBudgetUsd: null }) { __typename } }');
    }
  }, 60_000);

  it('estimates a step-limited run for those steps, and learns throughput only from jobs with the same quantization', async () => {
    const ESTIMATE = `query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { totalSteps pastJobs hours { high } stages { stage hours { high } } cost { highUsd } } } ... on ValidationError { fieldErrors { field message } } } }`;
    const estimate = async (input: Record<string, unknown>) => (await server.gql(ESTIMATE, { input: { datasetId, provider: 'RUNPOD', ...input } })).data!.estimateTraining;
    // Llama 3 70B, whose training takes long enough to show the step limit in hours and dollars.
    const full = (await estimate({ overrides: { epochs: 3 } })).estimate;
    const smoke = (await estimate({ overrides: { epochs: 3 }, maxSteps: 2 })).estimate;
    expect(full.totalSteps).toBeGreaterThan(20);
    expect(smoke.totalSteps).toBe(2);
    const training = (e: { stages: { stage: string; hours: { high: number } }[] }) => e.stages.find((s) => s.stage === 'TRAINING')!.hours.high;
    expect(training(full)).toBeGreaterThan(0.1);
    expect(training(smoke)).toBeLessThan(training(full) / 5);
    expect(smoke.hours.high).toBeLessThan(full.hours.high);
    expect(smoke.cost.highUsd).toBeLessThan(full.cost.highUsd);
    expect((await estimate({ maxSteps: 0 })).fieldErrors).toEqual([{ field: 'input.maxSteps', message: 'must be a whole number ≥ 1 (got 0)' }]);
    // Completed RunPod jobs above ran tiny-llama in BF16 at 512 tokens: they inform that key only.
    expect((await estimate({ overrides: TINY })).estimate.pastJobs).toBeGreaterThanOrEqual(1);
    expect((await estimate({ overrides: { ...TINY, quantization: 'NF4' } })).estimate.pastJobs).toBe(0);
    expect((await estimate({ overrides: { ...TINY, maxSequenceLength: 1024 } })).estimate.pastJobs).toBe(0);
  });

  it('holds a budget under concurrency: ten simultaneous starts that each fit cannot all pass', async () => {
    const team = await createWorkspace(server.services.db.prisma, 'Budget team');
    const dataset = (await uploadFile(server, { name: 'sample.json', content: await readFile(SAMPLE) }, {}, team.adminKey)).data!.uploadDataset.dataset.id;
    const high = (await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { cost { highUsd } } } } }`,
      { input: { datasetId: dataset, provider: 'RUNPOD', overrides: TINY, maxSteps: 20 } }, team.adminKey)).data!.estimateTraining.estimate.cost.highUsd as number;
    expect(high).toBeGreaterThan(0);
    await server.gql(`mutation($b: Float!) { updateWorkspaceSettings(input: { monthlyBudgetUsd: $b }) { __typename } }`, { b: Math.ceil(high * 150) / 100 }, team.adminKey);
    plan(['stall']);
    const results = await Promise.all(Array.from({ length: 10 }, () => start({}, team.adminKey, dataset)));
    const passed = results.filter((r) => r.__typename === 'StartTrainingJobSuccess');
    const refused = results.filter((r) => r.__typename === 'BudgetExceededError');
    expect([passed.length, refused.length]).toEqual([1, 9]);
    expect(refused[0].reservedUsd).toBeCloseTo(high, 2);
    expect(refused[0].message).toMatch(/reserved by running and queued jobs/);
    await server.gql('mutation($id: ID!) { cancelTrainingJob(input: { id: $id, reason: "budget test done" }) { __typename } }', { id: passed[0].job.id }, team.adminKey);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await server.services.db.prisma.jobAttempt.count({ where: { jobId: passed[0].job.id, endedAt: null } })) > 0) await new Promise((r) => setTimeout(r, 100));
  }, 60_000);

  it('needs a Hugging Face token for a gated model before launch, then passes it to the pod as HF_TOKEN with the weights on the volume disk', async () => {
    const ESTIMATE = `query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { warnings { code message } } } } }`;
    const warnings = async () => ((await server.gql(ESTIMATE, { input: { datasetId, provider: 'RUNPOD' } })).data!.estimateTraining.estimate.warnings as { code: string; message: string }[]);
    // The default base model is Llama 3 70B, gated on Hugging Face.
    expect((await warnings()).find((w) => w.code === 'HUGGING_FACE_TOKEN_MISSING')?.message).toMatch(/Llama 3 70B Instruct .* is gated on Hugging Face.*huggingFaceToken/);
    const refused = await server.gql(START, { input: { plan: { datasetId, provider: 'RUNPOD' }, acknowledgeDatasetWarnings: true, maxSteps: 20 } });
    expect(refused.data!.startTrainingJob.__typename).toBe('ValidationError');
    expect(refused.data!.startTrainingJob.message).toMatch(/gated/);
    // A simulated job downloads nothing: no token needed.
    expect((await server.gql(START, { input: { plan: { datasetId, provider: 'DEMO' }, acknowledgeDatasetWarnings: true, maxSteps: 20 } })).data!.startTrainingJob.__typename).toBe('StartTrainingJobSuccess');

    const token = 'hf_RunsSuiteGatedModelToken1234';
    await server.gql('mutation($t: String!) { updateWorkspaceSettings(input: { huggingFaceToken: $t }) { __typename } }', { t: token });
    try {
      const shown = await server.gql('{ workspaceSettings { huggingFaceToken { isSet lastFour } } }');
      expect(shown.data!.workspaceSettings.huggingFaceToken).toEqual({ isSet: true, lastFour: '1234' });
      expect(JSON.stringify(shown)).not.toContain(token);
      expect((await warnings()).map((w) => w.code)).not.toContain('HUGGING_FACE_TOKEN_MISSING');
      plan(['train']);
      const before = standIn.requests.length;
      const job = await waitForJob(server, (await start({ overrides: { cloudType: 'SPOT' } })).job.id, settled);
      expect(job.status).toBe('COMPLETED');
      const pod = standIn.pod(job.attempts[0].podId)!;
      expect(pod.env.HF_TOKEN).toBe(token);
      expect(Object.values(pod.env)).not.toContain(standIn.apiKey);
      // 141 GB of BF16 weights go to the volume disk (kept across a stop and bid-resume), where HF_HOME points.
      expect(pod.env.HF_HOME).toBe('/workspace/huggingface');
      expect([pod.volumeMountPath, pod.volumeInGb >= 150, pod.containerDiskInGb <= 40]).toEqual(['/workspace', true, true]);
      const spot = standIn.requests.slice(before).find((r) => r.graphqlFields?.includes('podRentInterruptable'));
      expect((spot!.body as { variables: { input: { volumeInGb: number } } }).variables.input.volumeInGb).toBe(pod.volumeInGb);
      // Never in a job event either.
      expect(JSON.stringify(job.events)).not.toContain(token);
    } finally {
      await server.gql('mutation { updateWorkspaceSettings(input: { huggingFaceToken: null }) { __typename } }');
    }
  }, 60_000);

  it("launches with the workspace's own RunPod key and applies its default GPU, cloud type and preset", async () => {
    // A workspace key that RunPod refuses: launching with it fails, so it is the one used (not RUNPOD_API_KEY).
    await server.gql('mutation { updateWorkspaceSettings(input: { runpodApiKey: "rpa_workspace_key_RunPod_refuses" }) { __typename } }');
    try {
      plan(['train']);
      const refused = await waitForJob(server, (await start()).job.id, settled, 30_000);
      expect(refused.status).toBe('FAILED');
      expect(refused.errorMessage).toMatch(/Unauthorized|API key/i);
      expect(refused.attempts).toHaveLength(0);
    } finally {
      await server.gql('mutation { updateWorkspaceSettings(input: { runpodApiKey: null }) { __typename } }');
    }

    await server.gql('mutation { updateWorkspaceSettings(input: { defaultGpuType: "NVIDIA H200", defaultCloudType: ON_DEMAND, defaultPreset: CONSERVATIVE }) { __typename } }');
    try {
      const estimate = await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { cost { pricePerHourUsd priceSource } } } } }`,
        { input: { datasetId, provider: 'RUNPOD', overrides: { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16' } } });
      expect(estimate.data!.estimateTraining.estimate.cost).toEqual({ pricePerHourUsd: 3.59, priceSource: 'RUNPOD_LIVE' }); // H200 secure on-demand
      plan(['train']);
      const started = await start({ overrides: { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16' } });
      const job = await waitForJob(server, started.job.id, settled);
      expect(job.status).toBe('COMPLETED');
      const row = await server.services.db.prisma.trainingJob.findUniqueOrThrow({ where: { id: job.id } });
      expect([row.gpuType, row.cloudType, row.preset]).toEqual(['NVIDIA H200', 'ON_DEMAND', 'CONSERVATIVE']);
      expect(standIn.pod(job.attempts[0].podId)).toMatchObject({ gpuTypeId: 'NVIDIA H200', interruptible: false });
      // An explicit choice still wins over the defaults.
      const explicit = await start({ overrides: { ...TINY, gpuType: 'NVIDIA H100 PCIe' } });
      const explicitJob = await waitForJob(server, explicit.job.id, settled);
      expect(standIn.pod(explicitJob.attempts[0].podId)).toMatchObject({ gpuTypeId: 'NVIDIA H100 PCIe', interruptible: true });
    } finally {
      await server.gql('mutation { updateWorkspaceSettings(input: { defaultGpuType: "NVIDIA H100 PCIe", defaultCloudType: SPOT, defaultPreset: BALANCED }) { __typename } }');
    }
  }, 60_000);
});

describe.runIf(trainerInstalled() || process.env.CI === 'true')('the local provider refuses what this machine cannot run', () => {
  it('refuses a Hub model that is not cached, and NF4 without a GPU, at start with the fix', async () => {
    const server = await startTestServer('pglite', { BRIGHTRUN_PROVIDER: 'local', BRIGHTRUN_SUPERVISOR_TICK_MS: '600000' });
    try {
      const dataset = (await uploadFile(server, { name: 'sample.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
      const started = await server.gql(START, { input: { plan: { datasetId: dataset, provider: 'LOCAL', overrides: { baseModel: 'Qwen/Qwen2.5-7B-Instruct' } }, acknowledgeDatasetWarnings: true } });
      expect(started.data!.startTrainingJob.__typename).toBe('ValidationError');
      expect(started.data!.startTrainingJob.message).toMatch(/cannot load Qwen\/Qwen2\.5-7B-Instruct: its weights are not in this machine's Hugging Face cache.*"tiny-llama".*RunPod/);
      // Llama 3 70B in NF4: no CUDA GPU here (or, on a GPU machine, no cached weights) — refused either way.
      const nf4 = await server.gql(START, { input: { plan: { datasetId: dataset, provider: 'LOCAL' }, acknowledgeDatasetWarnings: true } });
      expect(nf4.data!.startTrainingJob.message).toMatch(/cannot (run|load) meta-llama\/Meta-Llama-3-70B-Instruct(: its weights are not| in 4-bit NF4: this machine has no CUDA GPU)/);
      expect(await server.services.db.prisma.trainingJob.count()).toBe(0); // nothing half-written
      const estimate = await server.gql(`query($input: TrainingPlanInput!) { estimateTraining(input: $input) { ... on EstimateTrainingSuccess { estimate { warnings { code } cost { priceSource } } } } }`,
        { input: { datasetId: dataset, provider: 'LOCAL', overrides: TINY } });
      expect(estimate.data!.estimateTraining.estimate.cost.priceSource).toBe('LOCAL');
      expect(estimate.data!.estimateTraining.estimate.warnings.map((w: { code: string }) => w.code)).not.toContain('SPOT_INTERRUPTIONS');
    } finally {
      await server.stop();
    }
  }, 60_000);
});
