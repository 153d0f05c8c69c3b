import { createHash } from 'node:crypto';

/**
 * A simulated trainer for the demo provider. It speaks the real trainer contract over HTTP
 * (stages, metric batches, a checkpoint, an adapter upload, completion), so everything
 * downstream of it is the product's real path; only the numbers are synthetic.
 */
export interface DemoRun {
  apiUrl: string;
  jobId: string;
  token: string;
  /** Wall-clock seconds the whole simulated run should take. */
  durationSeconds: number;
  signal: AbortSignal;
  /** Its console output (what a real trainer prints), for the pod logs. */
  log?: (line: string) => void;
}

interface Spec {
  trainerJob: { hyperparameters: { epochs: number; learningRate: number; warmupRatio: number; loraRank: number; maxSteps: number | null; evalEverySteps: number | null }; resumeFrom: { step: number } | null };
}

/**
 * Like the real trainer (run_mode.py), a stopped run (its pod got SIGTERM: `signal` aborted) says
 * so in a last report before it exits, so that the supervisor can tell a spot interruption (resume)
 * from a pod that died silently.
 */
export async function runDemoTrainer(run: DemoRun, totalSteps: number): Promise<void> {
  try {
    await simulate(run, totalSteps);
  } catch (error) {
    if (run.signal.aborted) await reportSigterm(run);
    throw error;
  }
}

async function reportSigterm(run: DemoRun): Promise<void> {
  await fetch(run.apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${run.token}` },
    body: JSON.stringify({
      query: 'mutation R($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { cancelRequested } }',
      variables: { jobId: run.jobId, input: { events: [{ level: 'WARNING', kind: 'sigterm', message: 'The pod received SIGTERM (simulated trainer); stopping' }] } },
    }),
    signal: AbortSignal.timeout(2500), // a spot pod has ~5 s between SIGTERM and SIGKILL
  }).catch(() => undefined); // a finished job refuses the report: nothing to tell
}

async function simulate(run: DemoRun, totalSteps: number): Promise<void> {
  const call = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await fetch(run.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${run.token}` },
      body: JSON.stringify({ query, variables: { jobId: run.jobId, ...variables } }),
      signal: run.signal,
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors[0]!.message);
    return body.data!;
  };
  const report = (input: Record<string, unknown>) => {
    if (input.substatus) run.log?.(`[demo] ${String(input.stage ?? '').toLowerCase() || 'status'}: ${String(input.substatus)}`);
    const last = (input.metrics as { split: string; step: number; loss?: number }[] | undefined)?.filter((m) => m.split === 'TRAIN').pop();
    if (last) run.log?.(`[demo] step ${last.step}/${totalSteps} loss ${last.loss?.toFixed(4)}`);
    return call<{ trainerReport: { cancelRequested: boolean } }>('mutation R($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { cancelRequested } }', { input });
  };
  const sleep = (ms: number) => abortableSleep(ms, run.signal);

  const spec = await call<Spec>('query S($jobId: ID!) { trainerJob(jobId: $jobId) { hyperparameters { epochs learningRate warmupRatio loraRank maxSteps evalEverySteps } resumeFrom { step } } }', {});
  const hp = spec.trainerJob.hyperparameters;
  const steps = hp.maxSteps ?? totalSteps;
  const perStepMs = (run.durationSeconds * 1000 * 0.85) / Math.max(1, steps);
  await report({ stage: 'PREPROCESSING', substatus: 'Simulated: tokenizing the dataset' });
  await sleep(run.durationSeconds * 50);
  await report({ stage: 'MODEL_LOADING', substatus: 'Simulated: loading the base model in 4-bit' });
  await sleep(run.durationSeconds * 50);
  await report({ stage: 'TRAINING', substatus: `Simulated: ${steps} steps` });

  const warmup = Math.ceil(hp.warmupRatio * steps);
  const evalEvery = hp.evalEverySteps ?? Math.max(1, Math.round(steps / 10));
  const batch: Record<string, unknown>[] = [];
  let lastFlush = Date.now();
  const lossAt = (step: number) => 0.55 + 1.85 * Math.exp(-step / (steps / 4)) + 0.04 * noise(step);
  for (let step = (spec.trainerJob.resumeFrom?.step ?? 0) + 1; step <= steps; step++) {
    const lr = step <= warmup ? (hp.learningRate * step) / warmup : hp.learningRate * 0.5 * (1 + Math.cos((Math.PI * (step - warmup)) / Math.max(1, steps - warmup)));
    batch.push({ split: 'TRAIN', step, loss: lossAt(step), learningRate: lr, gradNorm: 0.4 + 0.3 * Math.abs(noise(step + 7)), epoch: (step / steps) * hp.epochs, tokensPerSecond: 1450 + 60 * noise(step + 3), gpuUtilization: 91 + 4 * noise(step + 5), gpuMemoryGb: 61.5 + 0.3 * noise(step + 9) });
    if (step % evalEvery === 0 || step === steps) {
      const evalLoss = lossAt(step) + 0.08;
      batch.push({ split: 'EVAL', step, loss: evalLoss, perplexity: Math.exp(evalLoss), epoch: (step / steps) * hp.epochs });
    }
    if (batch.length >= 200 || Date.now() - lastFlush > 1000 || step === steps) {
      const { trainerReport } = await report({ metrics: batch.splice(0), progress: { step, totalSteps: steps, epoch: (step / steps) * hp.epochs, totalEpochs: hp.epochs } });
      lastFlush = Date.now();
      if (trainerReport.cancelRequested) return;
    }
    if (step === Math.round(steps / 2)) await checkpoint(call, step);
    await sleep(perStepMs);
  }

  await report({ stage: 'FINALIZING', substatus: 'Simulated: saving the adapter' });
  const files = demoAdapter(hp.loraRank);
  const manifest = files.map((f) => ({ name: f.name, sizeBytes: f.bytes.length, sha256: sha256(f.bytes) }));
  const { trainerRequestArtifactUpload } = await call<{ trainerRequestArtifactUpload: { uploads: Upload[] } }>(
    'mutation A($jobId: ID!, $files: [TrainerFileInput!]!) { trainerRequestArtifactUpload(jobId: $jobId, files: $files) { uploads { name url method headers { name value } } } }', { files: manifest });
  await putAll(trainerRequestArtifactUpload.uploads, files, run.signal);
  await call('mutation C($jobId: ID!, $summary: TrainerSummaryInput!) { trainerComplete(jobId: $jobId, summary: $summary) { artifactId } }', {
    summary: { files: manifest, initialLoss: lossAt(1), finalLoss: lossAt(steps), evalLoss: lossAt(steps) + 0.08, totalSteps: steps, epochs: hp.epochs, trainRuntimeSeconds: run.durationSeconds, tokensPerSecond: 1450, trainExamples: 0, evalExamples: 0, truncatedExamples: 0 },
  });
}

/**
 * Waits `ms`, or rejects with the signal's reason once it aborts. The abort listener is removed
 * when the wait ends either way: a run sleeps once per step, and a listener left behind per step
 * piled up 40,000 of them on one job's signal.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface Upload { name: string; url: string; method: string; headers: { name: string; value: string }[] }

async function checkpoint(call: <T>(q: string, v: Record<string, unknown>) => Promise<T>, step: number) {
  const bytes = Buffer.from(JSON.stringify({ simulated: true, step }));
  const files = [{ name: 'trainer_state.json', sizeBytes: bytes.length, sha256: sha256(bytes) }];
  const { trainerRequestCheckpointUpload: up } = await call<{ trainerRequestCheckpointUpload: { checkpointId: string; uploads: Upload[] } }>(
    'mutation K($jobId: ID!, $step: Int!, $files: [TrainerFileInput!]!) { trainerRequestCheckpointUpload(jobId: $jobId, step: $step, files: $files) { checkpointId uploads { name url method headers { name value } } } }', { step, files });
  await putAll(up.uploads, [{ name: 'trainer_state.json', bytes }]);
  await call('mutation M($jobId: ID!, $id: ID!) { trainerCommitCheckpoint(jobId: $jobId, checkpointId: $id) { step } }', { id: up.checkpointId });
}

async function putAll(uploads: Upload[], files: { name: string; bytes: Buffer }[], signal?: AbortSignal) {
  for (const upload of uploads) {
    const file = files.find((f) => f.name === upload.name)!;
    const response = await fetch(upload.url, { method: upload.method, headers: Object.fromEntries(upload.headers.map((h) => [h.name, h.value])), body: new Uint8Array(file.bytes), signal });
    if (!response.ok) throw new Error(`upload of ${upload.name} failed with HTTP ${response.status}`);
  }
}

/** A real (tiny, zero-valued) PEFT adapter, marked simulated in its config. */
function demoAdapter(rank: number): { name: string; bytes: Buffer }[] {
  const tensor = Buffer.alloc(rank * 8 * 4);
  const header = Buffer.from(JSON.stringify({ __metadata__: { format: 'pt', simulated: 'true' }, 'base_model.model.lm_head.lora_A.weight': { dtype: 'F32', shape: [rank, 8], data_offsets: [0, tensor.length] } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  const config = { peft_type: 'LORA', r: rank, lora_alpha: rank * 2, target_modules: ['q_proj', 'v_proj'], task_type: 'CAUSAL_LM', brightrun_simulated: true, note: 'Demo provider output: synthetic weights, not a trained adapter' };
  return [
    { name: 'adapter_model.safetensors', bytes: Buffer.concat([length, header, tensor]) },
    { name: 'adapter_config.json', bytes: Buffer.from(JSON.stringify(config, null, 2)) },
  ];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => Math.sin(i * 12.9898 + 78.233) * 0.5 + Math.sin(i * 0.37) * 0.5;
