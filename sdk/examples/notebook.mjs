// A notebook, cell by cell (Jupyter with the Deno kernel, or any REPL with top-level await). In
// Deno, import from "npm:@brightrun/lora-sdk" and run with --allow-net --allow-env --allow-read
// --allow-write. CI runs this file top to bottom with Node against a real server.
//
// Needs BRIGHTRUN_API_KEY and BRIGHTRUN_BASE_URL, and DATASET_ID (an imported dataset).

// %% [1] A client: the key and the server come from the environment.
import { BrightRun, NotFoundError } from '@brightrun/lora-sdk';
const br = new BrightRun();
const me = await br.viewer();
console.log(`workspace ${me.workspace.name}, scopes ${me.scopes.join(', ')}`);

// %% [2] What can we train? Presets and providers of this server.
const catalog = await br.presets.catalog();
console.table(catalog.presets.map((p) => ({ preset: p.key, epochs: p.hyperparameters.epochs, rank: p.hyperparameters.loraRank, lr: p.hyperparameters.learningRate })));
console.log('providers:', catalog.providers.map((p) => p.name).join(', '));

// %% [3] Datasets, newest first (an async iterable over pages).
for await (const d of br.datasets.list({ limit: 5 })) console.log(d.id, d.name, d.trainablePairCount);

// %% [4] Estimate, then start a short run.
const datasetId = process.env.DATASET_ID;
const estimate = await br.estimates.create({ datasetId, preset: 'CONSERVATIVE' });
console.log(`${estimate.totalSteps} steps, $${estimate.cost.lowUsd.toFixed(2)}–$${estimate.cost.highUsd.toFixed(2)}`);
const job = await br.jobs.start({ datasetId, preset: 'CONSERVATIVE', maxSteps: 20, acknowledgeDatasetWarnings: true });

// %% [5] Follow it: status changes as they happen.
for await (const update of br.jobs.watch(job.id)) console.log(update.status, `${Math.round(update.progress * 100)}%`);

// %% [6] The loss curve for a chart (downsampled on the server to at most 50 points).
const curve = await br.jobs.metrics(job.id).history({ maxPoints: 50 });
console.log(curve.points.map((p) => `${p.step}:${p.loss?.toFixed(3)}`).join(' '));

// %% [7] Errors are typed: catch the kind you expect.
try {
  await br.jobs.get('job_doesnotexist');
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  console.log('not found, as expected:', error.message);
}
console.log(JSON.stringify({ jobId: job.id, points: curve.points.length }));
