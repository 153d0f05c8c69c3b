// The whole path in one script: upload → estimate → start → live metrics → wait → download.
//
//   BRIGHTRUN_API_KEY=brk_… BRIGHTRUN_BASE_URL=http://127.0.0.1:4000 node quickstart.mjs conversations.jsonl
//
// Optional: PRESET (default BALANCED), MAX_STEPS (a short smoke run), OUT_DIR (default ./adapter-<job>).
import { BrightRun, DuplicateDatasetError } from '@brightrun/lora-sdk';

const file = process.argv[2];
if (!file) {
  console.error('usage: node quickstart.mjs FILE.jsonl');
  process.exit(2);
}
const br = new BrightRun();

// 1. Upload (or reuse the dataset that already has these bytes).
let dataset;
try {
  dataset = await br.datasets.upload(file, {
    onProgress: ({ loaded, total }) => process.stderr.write(`\ruploading ${Math.round((100 * loaded) / (total || 1))}%`),
  });
  process.stderr.write('\n');
} catch (error) {
  if (!(error instanceof DuplicateDatasetError)) throw error;
  dataset = await br.datasets.get(error.existingDataset.id);
}
console.log(`dataset ${dataset.id}: ${dataset.trainablePairCount} trainable pairs, ready: ${dataset.readiness?.ready}`);

// 2. What it will cost, before committing.
const plan = { datasetId: dataset.id, preset: process.env.PRESET ?? 'BALANCED' };
const estimate = await br.estimates.create(plan);
console.log(`estimate: ${estimate.hours.low.toFixed(2)}–${estimate.hours.high.toFixed(2)} h, $${estimate.cost.lowUsd.toFixed(2)}–$${estimate.cost.highUsd.toFixed(2)}`);

// 3. Start (the SDK sends an idempotency key, so a retried start cannot launch twice).
const job = await br.jobs.start({ ...plan, acknowledgeDatasetWarnings: true, maxSteps: process.env.MAX_STEPS ? Number(process.env.MAX_STEPS) : undefined });
console.log(`job ${job.id} ${job.status}${job.isSimulated ? ' (simulated)' : ''}`);

// 4. Live metrics until the job ends (reconnects by itself; replacement steps after a spot resume are marked).
let steps = 0;
for await (const point of br.jobs.metrics(job.id).stream()) {
  if (point.split !== 'TRAIN') continue;
  steps++;
  if (point.step % 10 === 0) console.log(`step ${point.step} loss ${point.loss?.toFixed(4)}${point.replacement ? ' (replacement)' : ''}`);
}

// 5. The final state (throws JobFailedError / JobCancelledError otherwise), then the adapter, sha256-verified.
const done = await br.jobs.waitForCompletion(job.id);
const files = await br.artifacts.download(done.artifact.id, process.env.OUT_DIR ?? `adapter-${job.id}`);
for (const f of files) console.log(`${f.path} (${f.sizeBytes} bytes, sha256 ${f.sha256.slice(0, 12)}…)`);
console.log(JSON.stringify({ jobId: job.id, status: done.status, trainSteps: steps, files: files.map((f) => f.name) }));
