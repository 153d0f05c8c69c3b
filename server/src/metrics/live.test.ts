import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import type { SqlRunner } from '../db/sql.js';
import type { AppPubSub, PubSubEvents } from '../pubsub/pubsub.js';
import { storeMetrics, type MetricInput } from './ingest.js';
import { liveMetrics, type LivePoint } from './live.js';
import { insertJob, openTestDatabase } from '../../test/support/metrics.js';

const train = (from: number, to: number, loss = 1): MetricInput[] => Array.from({ length: to - from + 1 }, (_, i) => ({ split: 'TRAIN', step: from + i, loss: loss + (from + i) / 1000 }));
const keys = (batches: LivePoint[][]) => batches.flat().map((p) => `${p.split}:${p.step}`);

describe('liveMetrics hand-over', () => {
  let db: Database;
  let pubsub: AppPubSub;
  /** Stores a report and publishes it, as TrainerApi.report does. */
  const report = async (jobId: string, points: MetricInput[], workspaceId = `ws_${jobId}`) => {
    const { stored } = await storeMetrics(db.sql, jobId, points);
    pubsub.publish('job:metrics', jobId, { jobId, workspaceId, points: stored });
  };
  const take = async (stream: AsyncIterableIterator<LivePoint[]>, count: number) => {
    const batches: LivePoint[][] = [];
    while (batches.flat().length < count) batches.push((await stream.next()).value as LivePoint[]);
    return batches;
  };

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    pubsub = createPubSub<PubSubEvents>() as AppPubSub;
  });
  afterAll(() => db?.close());

  it('sends the stored points after afterStep, then live ones, each once, when reports land during the reads', async () => {
    await insertJob(db, 'job_a');
    await storeMetrics(db.sql, 'job_a', [...train(0, 49), { split: 'EVAL', step: 20, loss: 3 }, { split: 'EVAL', step: 40, loss: 2.9 }]);
    // A report lands (stored and published) while the first page is being read: its points come
    // back both from later pages and from the queue; only one copy may reach the client.
    let reads = 0;
    const racing: Pick<SqlRunner, 'query'> = {
      query: async (text, params) => {
        if (reads++ === 0) await report('job_a', train(50, 54));
        return db.sql.query(text, params);
      },
    };
    const stream = liveMetrics({ sql: racing, pubsub }, { jobId: 'job_a', workspaceId: 'ws_job_a', afterStep: 19, pageSize: 10 });
    const backlog = await take(stream, 37);
    expect(backlog.map((b) => b.length)).toEqual([10, 10, 10, 7]);
    expect(keys(backlog)).toEqual([
      'TRAIN:20', 'EVAL:20', ...Array.from({ length: 19 }, (_, i) => `TRAIN:${21 + i}`), 'TRAIN:40', 'EVAL:40',
      ...Array.from({ length: 14 }, (_, i) => `TRAIN:${41 + i}`),
    ]);
    expect(backlog[0]![1]).toMatchObject({ split: 'EVAL', step: 20, loss: 3, recordedAt: expect.stringMatching(/Z$/) });

    await report('job_a', train(55, 57));
    await report('job_a', [{ split: 'TRAIN', step: 30, loss: 0.5 }]);
    const live = await take(stream, 4);
    expect(keys(live)).toEqual(['TRAIN:55', 'TRAIN:56', 'TRAIN:57', 'TRAIN:30']);
    expect(live[1]![0]).toMatchObject({ step: 30, loss: 0.5 });
    await stream.return?.();
  });

  it('drops the late event of a report the reads already saw, and nothing after it', async () => {
    await insertJob(db, 'job_b');
    const { stored } = await storeMetrics(db.sql, 'job_b', train(0, 9));
    const stream = liveMetrics({ sql: db.sql, pubsub }, { jobId: 'job_b', workspaceId: 'ws_job_b', afterStep: 4 });
    expect(keys([(await stream.next()).value as LivePoint[]])).toEqual(['TRAIN:5', 'TRAIN:6', 'TRAIN:7', 'TRAIN:8', 'TRAIN:9']);
    // The event of that same report arrives only now: nothing new in it.
    pubsub.publish('job:metrics', 'job_b', { jobId: 'job_b', workspaceId: 'ws_job_b', points: stored });
    // Another workspace's event on the same topic is ignored.
    pubsub.publish('job:metrics', 'job_b', { jobId: 'job_b', workspaceId: 'ws_other', points: [{ ...stored[0]!, step: 99 }] });
    // A report re-sending 8–9 and adding 10–11, stored before the stream reads its next page:
    // 10–11 come from that read (their event then repeats them and is dropped), 8–9 from the event.
    await report('job_b', train(8, 11));
    expect(keys(await take(stream, 4))).toEqual(['TRAIN:10', 'TRAIN:11', 'TRAIN:8', 'TRAIN:9']);
    await report('job_b', train(12, 12));
    expect(keys(await take(stream, 1))).toEqual(['TRAIN:12']);
    await stream.return?.();
  });

  it('ends at once when the client leaves, even while waiting for a report', async () => {
    await insertJob(db, 'job_c');
    const stream = liveMetrics({ sql: db.sql, pubsub }, { jobId: 'job_c', workspaceId: 'ws_job_c', afterStep: null });
    const pending = stream.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await stream.return?.();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});
