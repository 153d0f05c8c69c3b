import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainerInstalled } from '../../server/src/training/providers/local.js';
import { BrightRun, type LiveMetricPoint } from '../src/index.js';
import { clientFor, SAMPLE_JSONL, startTestServer, type TestServer } from './server.js';

// The real trainer as the server's subprocess (CPU, tiny-llama). `npm test` installs it first;
// under CI a missing trainer is a failure, not a skip (as in the server's local suite).
const runnable = trainerInstalled() || process.env.CI === 'true';

describe.runIf(runnable)('the script flow on the local provider (tiny-llama trained for real)', () => {
  let server: TestServer;
  let br: BrightRun;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer('pglite', { BRIGHTRUN_PROVIDER: 'local', BRIGHTRUN_SUPERVISOR_TICK_MS: '200' });
    br = clientFor(server);
    dir = await mkdtemp(path.join(tmpdir(), 'sdk-local-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads, starts, streams every step once, completes and downloads a PEFT adapter whose sha256 matches', async () => {
    const dataset = await br.datasets.upload(SAMPLE_JSONL);
    const plan = { datasetId: dataset.id, preset: 'BALANCED' as const, provider: 'LOCAL' as const, overrides: { baseModel: 'tiny-llama', maxSequenceLength: 512, quantization: 'BF16' as const } };
    expect((await br.estimates.create(plan)).totalSteps).toBeGreaterThan(0);
    const job = await br.jobs.start({ ...plan, acknowledgeDatasetWarnings: true, maxSteps: 8 });
    expect(job).toMatchObject({ provider: 'LOCAL', isSimulated: false });

    const points: LiveMetricPoint[] = [];
    for await (const point of br.jobs.metrics(job.id).stream()) points.push(point);
    const done = await br.jobs.waitForCompletion(job.id, { timeoutMs: 240_000 });
    expect(done.status).toBe('COMPLETED');
    expect(points.filter((p) => p.split === 'TRAIN').map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(points.every((p) => p.split !== 'TRAIN' || (typeof p.loss === 'number' && p.loss > 0))).toBe(true);

    const files = await br.artifacts.download(done.artifact!.id, dir);
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['adapter_model.safetensors', 'adapter_config.json']));
    for (const file of files) expect(createHash('sha256').update(await readFile(file.path)).digest('hex')).toBe(file.sha256);
  }, 300_000);
});
