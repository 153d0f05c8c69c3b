import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from 'graphql-yoga';
import { openDatabase, type Database } from '../../db/client.js';
import type { PrismaClient, TrainingJob } from '../../generated/prisma/client.js';
import type { PubSubEvents } from '../../pubsub/pubsub.js';
import { JobReadCache, type JobSnapshot } from './job-cache.js';
import { JobWrites, announceJobWrites } from './job-writes.js';
import { readJobWithLatestPoints } from './job-row.js';

const snapshotOf = (id: string, workspaceId: string, currentStep: number): JobSnapshot => ({
  job: { id, workspaceId, currentStep } as TrainingJob,
  latest: { train: null, eval: null },
});

/** A read that waits until released, to interleave it with writes. */
function gatedReads(value: () => JobSnapshot | null) {
  const pending: (() => void)[] = [];
  let reads = 0;
  return {
    read: () => {
      reads += 1;
      const answer = value(); // what the database had when the statement ran
      return new Promise<JobSnapshot | null>((resolve) => pending.push(() => resolve(answer)));
    },
    release: () => pending.splice(0).forEach((resolve) => resolve()),
    /** Answers the reads newest first (a slow statement that started earlier answers last). */
    releaseNewestFirst: () => pending.splice(0).reverse().forEach((resolve) => resolve()),
    get reads() {
      return reads;
    },
  };
}

describe('JobReadCache', () => {
  it('answers from the snapshot until the job is written, then reads again', async () => {
    let step = 1;
    let reads = 0;
    const cache = new JobReadCache(async () => (reads++, snapshotOf('job_1', 'ws_a', step)));
    expect((await cache.get('ws_a', 'job_1'))!.job.currentStep).toBe(1);
    step = 2; // written without announcing: the snapshot is still served
    expect((await cache.get('ws_a', 'job_1'))!.job.currentStep).toBe(1);
    expect(reads).toBe(1);
    cache.invalidate('job_1');
    expect((await cache.get('ws_a', 'job_1'))!.job.currentStep).toBe(2);
    expect(reads).toBe(2);
    step = 3;
    cache.invalidate(null); // every job
    expect((await cache.get('ws_a', 'job_1'))!.job.currentStep).toBe(3);
  });

  it("is null for another workspace's job, from the database and from the snapshot alike", async () => {
    const cache = new JobReadCache(async (id) => (id === 'job_1' ? snapshotOf('job_1', 'ws_a', 1) : null));
    expect(await cache.get('ws_b', 'job_1')).toBeNull();
    expect(await cache.get('ws_a', 'job_1')).not.toBeNull();
    expect(await cache.get('ws_b', 'job_1')).toBeNull();
    expect(await cache.get('ws_a', 'job_nope')).toBeNull();
  });

  it('never keeps a read that overlapped a write: the next request reads again', async () => {
    let step = 1;
    const gate = gatedReads(() => snapshotOf('job_1', 'ws_a', step));
    const cache = new JobReadCache(gate.read);
    const before = cache.get('ws_a', 'job_1'); // the statement ran before the write…
    step = 2;
    cache.invalidate('job_1'); // …the write committed and was announced…
    const after = cache.get('ws_a', 'job_1'); // …so a request now must not join the old read
    gate.releaseNewestFirst(); // and the old read, answering last, must not overwrite the new snapshot
    expect((await after)!.job.currentStep).toBe(2);
    expect((await before)!.job.currentStep).toBe(1); // concurrent with the write: either is fine
    expect((await cache.get('ws_a', 'job_1'))!.job.currentStep).toBe(2);
    expect(gate.reads).toBe(2);
  });

  it('shares one read between concurrent misses', async () => {
    const gate = gatedReads(() => snapshotOf('job_1', 'ws_a', 1));
    const cache = new JobReadCache(gate.read);
    const answers = Promise.all([cache.get('ws_a', 'job_1'), cache.get('ws_a', 'job_1'), cache.get('ws_b', 'job_1')]);
    gate.release();
    expect((await answers).map((a) => a?.job.currentStep ?? null)).toEqual([1, 1, null]);
    expect(gate.reads).toBe(1);
  });

  it('expires snapshots after the TTL, keeps at most maxEntries (least recently used out), and a TTL of 0 keeps none', async () => {
    let now = 0;
    let reads = 0;
    const cache = new JobReadCache(async (id) => (reads++, snapshotOf(id, 'ws_a', 1)), { ttlMs: 1000, maxEntries: 2, now: () => now });
    await cache.get('ws_a', 'job_1');
    await cache.get('ws_a', 'job_2');
    await cache.get('ws_a', 'job_1'); // job_1 is now the most recently used
    await cache.get('ws_a', 'job_3'); // evicts job_2
    expect([cache.size, reads]).toEqual([2, 3]);
    await cache.get('ws_a', 'job_1');
    expect(reads).toBe(3);
    await cache.get('ws_a', 'job_2');
    expect(reads).toBe(4);
    now = 1000;
    await cache.get('ws_a', 'job_1');
    expect(reads).toBe(5);

    let uncached = 0;
    const off = new JobReadCache(async (id) => (uncached++, snapshotOf(id, 'ws_a', 1)), { ttlMs: 0 });
    await off.get('ws_a', 'job_1');
    await off.get('ws_a', 'job_1');
    expect([uncached, off.size]).toEqual([2, 0]);
  });
});

describe('announceJobWrites on PGlite: every TrainingJob write through Prisma reaches the next read', () => {
  let db: Database;
  let prisma: PrismaClient;
  let cache: JobReadCache;
  const announced: (string | null)[] = [];
  beforeAll(async () => {
    db = await openDatabase({ dataDir: '', inMemory: true });
    cache = new JobReadCache((id) => readJobWithLatestPoints(db.sql, null, id), { ttlMs: 3_600_000 });
    const writes = new JobWrites(cache, createPubSub<PubSubEvents>());
    prisma = announceJobWrites(db.prisma, (id) => {
      announced.push(id);
      writes.written(id);
    });
    await db.sql.exec(`INSERT INTO "Workspace" (id, name) VALUES ('ws_a', 'a');`);
    await prisma.dataset.create({ data: { id: 'ds_1', workspaceId: 'ws_a', name: 'd', status: 'READY', storagePath: 'datasets/ds_1/source.jsonl' } });
    await prisma.trainingJob.create({
      data: { id: 'job_1', workspaceId: 'ws_a', datasetId: 'ds_1', preset: 'BALANCED', hyperparameters: {}, baseModel: 'm', gpuType: 'g', cloudType: 'SPOT', maxDurationHours: 1, estimate: {}, totalEpochs: 1, provider: 'demo', trainerTokenHash: 'h1' },
    });
  });
  afterAll(() => db?.close());

  const step = async () => (await cache.get('ws_a', 'job_1'))!.job.currentStep;

  it('update, updateMany by id, updateMany by anything else, upsert', async () => {
    expect(await step()).toBe(0);
    await prisma.trainingJob.update({ where: { id: 'job_1' }, data: { currentStep: 1 } });
    expect(await step()).toBe(1);
    await prisma.trainingJob.updateMany({ where: { id: 'job_1', status: 'QUEUED' }, data: { currentStep: 2 } });
    expect(await step()).toBe(2);
    await prisma.trainingJob.updateMany({ where: { datasetId: 'ds_1' }, data: { currentStep: 3 } });
    expect(await step()).toBe(3);
    await prisma.trainingJob.update({ where: { trainerTokenHash: 'h1' }, data: { currentStep: 4 }, select: { status: true } });
    expect(await step()).toBe(4);
    await prisma.trainingJob.upsert({ where: { id: 'job_1' }, create: { id: 'x', workspaceId: 'ws_a', datasetId: 'ds_1', preset: 'B', hyperparameters: {}, baseModel: 'm', gpuType: 'g', cloudType: 'SPOT', maxDurationHours: 1, estimate: {}, totalEpochs: 1, provider: 'demo', trainerTokenHash: 'hx' }, update: { currentStep: 5 } });
    expect(await step()).toBe(5);
    expect(announced).toEqual(['job_1', 'job_1', null, null, 'job_1']);
  });

  it('reads are not announced', async () => {
    announced.length = 0;
    await prisma.trainingJob.findUnique({ where: { id: 'job_1' } });
    await prisma.trainingJob.count();
    await prisma.metricPoint.findMany({ where: { jobId: 'job_1' } });
    expect(announced).toEqual([]);
  });
});
