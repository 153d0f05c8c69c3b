import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, BrightRun, ChecksumError, DuplicateDatasetError, NotFoundError, ValidationError, type Job, type LiveMetricPoint, type TransferProgress } from '../src/index.js';
import { clientFor, SAMPLE_JSON, SAMPLE_JSONL, startDemoServer, type TestServer } from './server.js';

describe('the script flow against a real server (demo provider)', () => {
  let server: TestServer;
  let br: BrightRun;
  let dir: string;
  beforeAll(async () => {
    server = await startDemoServer();
    br = clientFor(server);
    dir = await mkdtemp(path.join(tmpdir(), 'sdk-flow-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let datasetId: string;
  let jobId: string;

  it('uploads a file from a path through a signed link with progress, and a Blob as multipart', async () => {
    const progress: TransferProgress[] = [];
    const dataset = await br.datasets.upload(SAMPLE_JSON, { name: 'sdk sample', onProgress: (p) => progress.push(p) });
    const size = (await stat(SAMPLE_JSON)).size;
    expect(dataset).toMatchObject({ name: 'sdk sample', importStatus: 'IMPORTED', encoding: 'JSON', sizeBytes: size, fileName: 'EQ-12-conversations-demo.json' });
    expect(dataset.sha256).toBe(createHash('sha256').update(await readFile(SAMPLE_JSON)).digest('hex'));
    expect(progress[0]).toEqual({ loaded: 0, total: size });
    expect(progress.at(-1)).toEqual({ loaded: size, total: size });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    datasetId = dataset.id;

    const jsonl = new Blob([await readFile(SAMPLE_JSONL)]);
    const second = await br.datasets.upload(jsonl, { fileName: 'sample.jsonl', method: 'multipart' });
    expect(second).toMatchObject({ encoding: 'JSONL', importStatus: 'IMPORTED', name: 'sample' });

    // A stream (single use, so not retried) of a third file: the JSONL without its last pair.
    const lines = (await readFile(SAMPLE_JSONL, 'utf8')).trimEnd().split('\n');
    const text = `${lines.slice(0, -1).join('\n')}\n`;
    async function* chunks() {
      const bytes = new TextEncoder().encode(text);
      for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
    }
    const streamed: TransferProgress[] = [];
    const third = await br.datasets.upload(chunks(), { fileName: 'streamed.jsonl', onProgress: (p) => streamed.push(p) });
    expect(third).toMatchObject({ name: 'streamed', encoding: 'JSONL', importStatus: 'IMPORTED', sizeBytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') });
    expect(streamed.at(-1)!.loaded).toBe(Buffer.byteLength(text));
    await br.datasets.delete(third.id, { confirmName: 'streamed' });
    await expect(br.datasets.get(third.id)).rejects.toBeInstanceOf(NotFoundError);

    // The same bytes again: a typed error naming the dataset that has them.
    const duplicate = await br.datasets.upload(SAMPLE_JSON).catch((e) => e);
    expect(duplicate).toBeInstanceOf(DuplicateDatasetError);
    expect(duplicate).toMatchObject({ code: 'DUPLICATE_DATASET', existingDataset: { id: datasetId } });
    const invalid = await br.datasets.upload(new Blob(['{"not": "a dataset"}']), { fileName: 'bad.json' }).catch((e) => e);
    expect(invalid.name).toBe('DatasetInvalidError');
    expect(invalid.code).toBe('DATASET_INVALID');
  });

  it('lists datasets as an async iterable over keyset pages', async () => {
    const names: string[] = [];
    for await (const dataset of br.datasets.list({ pageSize: 1 })) names.push(dataset.name);
    expect(names).toEqual(['sample', 'sdk sample']);
    const page = await br.datasets.list({ pageSize: 1 }).firstPage();
    expect(page).toMatchObject({ totalCount: 2, hasNextPage: true });
    expect(await br.datasets.list({ limit: 1 }).toArray()).toHaveLength(1);
    expect((await br.datasets.get(datasetId)).id).toBe(datasetId);
  });

  it('estimates, then starts a job with an idempotency key (a retry returns the same job)', async () => {
    const presets = await br.presets.list();
    expect(presets.map((p) => p.key).sort()).toEqual(['AGGRESSIVE', 'BALANCED', 'CONSERVATIVE']);
    const estimate = await br.estimates.create({ datasetId, preset: 'BALANCED' });
    expect(estimate.totalSteps).toBeGreaterThan(0);
    expect(estimate.cost.highUsd).toBeGreaterThanOrEqual(estimate.cost.lowUsd);
    const params = { datasetId, preset: 'CONSERVATIVE' as const, maxSteps: 40, acknowledgeDatasetWarnings: true, idempotencyKey: `sdk-flow-${Date.now()}` };
    const job = await br.jobs.start(params);
    expect(job).toMatchObject({ status: 'QUEUED', isSimulated: true, provider: 'DEMO' });
    expect((await br.jobs.start(params)).id).toBe(job.id);
    jobId = job.id;
  });

  it('streams every metric step once, watches the job, and waits for completion', async () => {
    const points: LiveMetricPoint[] = [];
    const updates: Job[] = [];
    const streaming = (async () => {
      for await (const point of br.jobs.metrics(jobId).stream()) points.push(point);
    })();
    const watching = (async () => {
      for await (const job of br.jobs.watch(jobId)) updates.push(job);
    })();
    const job = await br.jobs.waitForCompletion(jobId, { timeoutMs: 90_000 });
    await Promise.all([streaming, watching]);
    expect(job.status).toBe('COMPLETED');
    expect(job.artifact).not.toBeNull();
    const train = points.filter((p) => p.split === 'TRAIN').map((p) => p.step);
    expect(train).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(points.every((p) => p.replacement === false)).toBe(true);
    expect(points.some((p) => p.split === 'EVAL')).toBe(true);
    expect(updates.at(-1)!.status).toBe('COMPLETED');
    expect(new Set(updates.map((u) => u.status)).has('TRAINING')).toBe(true);

    const history = await br.jobs.metrics(jobId).history({ maxPoints: 10 });
    expect(history).toMatchObject({ downsampled: true, totalPoints: 40, method: 'MIN_MAX' });
    expect(history.points.length).toBeLessThanOrEqual(10);
    const resumed: number[] = [];
    for await (const point of br.jobs.metrics(jobId).stream({ afterStep: 35 })) if (point.split === 'TRAIN') resumed.push(point.step);
    expect(resumed).toEqual([36, 37, 38, 39, 40]);

    const listed = await br.jobs.list({ filter: { datasetId } }).toArray();
    expect(listed.map((j) => j.id)).toEqual([jobId]);
  });

  it('downloads the adapter with sha256 verification, resumes a partial file with Range, and refuses a corrupt one', async () => {
    const artifactId = (await br.jobs.get(jobId)).artifact!.id;
    const artifact = await br.artifacts.get(artifactId);
    expect((await br.artifacts.list().toArray()).map((a) => a.id)).toEqual([artifactId]);
    const progress: number[] = [];
    const files = await br.artifacts.download(artifactId, dir, { onProgress: (p) => progress.push(p.overall.loaded) });
    expect(files.map((f) => f.name).sort()).toEqual(artifact.files.map((f) => f.name).sort());
    for (const file of files) {
      expect(createHash('sha256').update(await readFile(file.path)).digest('hex')).toBe(file.sha256);
      expect(file.resumedFromBytes).toBe(0);
    }
    expect(progress.at(-1)).toBe(artifact.files.reduce((sum, f) => sum + f.sizeBytes, 0));

    // Already complete: nothing fetched.
    expect((await br.artifacts.download(artifactId, dir)).every((f) => f.skipped)).toBe(true);

    // An interrupted download: the first half on disk as .part; the rest comes by Range.
    const biggest = [...files].sort((a, b) => b.sizeBytes - a.sizeBytes)[0]!;
    const half = Math.floor(biggest.sizeBytes / 2);
    await rename(biggest.path, `${biggest.path}.part`);
    await truncate(`${biggest.path}.part`, half);
    const [again] = await br.artifacts.download(artifactId, dir, { files: [biggest.name] });
    expect(again).toMatchObject({ resumedFromBytes: half, skipped: false, sha256: biggest.sha256 });
    expect(createHash('sha256').update(await readFile(biggest.path)).digest('hex')).toBe(biggest.sha256);

    // A corrupt partial file: the resumed whole fails its checksum, and the part is removed.
    await rm(biggest.path);
    await writeFile(`${biggest.path}.part`, Buffer.alloc(half, 0x78));
    const corrupt = await br.artifacts.download(artifactId, dir, { files: [biggest.name] }).catch((e) => e);
    expect(corrupt).toBeInstanceOf(ChecksumError);
    await expect(stat(`${biggest.path}.part`)).rejects.toThrow();
    const fresh = await br.artifacts.download(artifactId, dir, { files: [biggest.name] });
    expect(fresh[0]).toMatchObject({ resumedFromBytes: 0, sha256: biggest.sha256 });
  });

  it('throws typed errors for 401, validation (with field errors) and not found', async () => {
    const anonymous = new BrightRun({ apiKey: 'brk_' + 'x'.repeat(32), baseUrl: server.url });
    const unauth = await anonymous.datasets.get(datasetId).catch((e) => e);
    expect(unauth).toBeInstanceOf(AuthenticationError);
    expect(unauth).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(unauth.requestId).toMatch(/^req_/);

    const invalid = await br.jobs.start({ datasetId, acknowledgeDatasetWarnings: true, overrides: { loraRank: 128 } }).catch((e) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid.fieldErrors).toEqual([{ field: 'input.plan.overrides.loraRank', message: expect.stringMatching(/between 4 and 64/) }]);
    expect(invalid.requestId).toMatch(/^req_/);

    await expect(br.jobs.get('job_doesnotexist')).rejects.toBeInstanceOf(NotFoundError);
    const missing = await br.jobs.start({ datasetId: 'ds_doesnotexist', acknowledgeDatasetWarnings: true }).catch((e) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.resource).toBe('dataset');
    const stream = await (async () => {
      for await (const _ of br.jobs.metrics('job_doesnotexist').stream()) void _;
    })().catch((e) => e);
    expect(stream).toBeInstanceOf(NotFoundError);
    const badKeyStream = await (async () => {
      for await (const _ of anonymous.jobs.watch(jobId)) void _;
    })().catch((e) => e);
    expect(badKeyStream).toBeInstanceOf(AuthenticationError);
  });

  it('retries through an injected fetch that fails, and an answer lost after a start does not start a second job', async () => {
    let calls = 0;
    const flaky = (async (url: string | URL | Request, init?: RequestInit) => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed (injected)');
      return fetch(url, init);
    }) as typeof fetch;
    expect((await clientFor(server, { fetch: flaky }).datasets.list().firstPage()).totalCount).toBe(2);
    expect(calls).toBe(2);

    // The first start reaches the server, which starts the job, but its answer is lost on the way back.
    let starts = 0;
    const losing = (async (url: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(url, init);
      if (String(init?.body).includes('startTrainingJob') && ++starts === 1) {
        await response.arrayBuffer();
        throw new TypeError('socket hang up (injected, after the server answered)');
      }
      return response;
    }) as typeof fetch;
    const before = (await br.jobs.list().firstPage()).totalCount;
    const job = await clientFor(server, { fetch: losing }).jobs.start({ datasetId, preset: 'CONSERVATIVE', maxSteps: 5, acknowledgeDatasetWarnings: true });
    expect(starts).toBe(2);
    expect((await br.jobs.list().firstPage()).totalCount).toBe(before + 1);
    expect((await br.jobs.get(job.id)).id).toBe(job.id);
    await br.jobs.waitForCompletion(job.id, { timeoutMs: 60_000 });
  });

  it('reads notifications and spend', async () => {
    const notifications = await br.notifications.list().toArray();
    expect(notifications.some((n) => n.kind === 'JOB_COMPLETED' && n.jobId === jobId)).toBe(true);
    const marked = await br.notifications.markRead({ all: true });
    expect(marked.unreadCount).toBe(0);
    const spend = await br.spend.get();
    expect(spend.month).toMatch(/^\d{4}-\d{2}$/);
    // Demo jobs bill simulated money, which is kept out of the workspace's real spend.
    expect(spend.totalUsd).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(spend.jobs)).toBe(true);
  });
});
