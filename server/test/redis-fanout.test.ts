import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainerTokenFor } from '../src/auth/keys.js';
import { createTempDatabase } from '../src/db/temp-database.js';
import { settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);
const redisUrl = process.env.TEST_REDIS_URL;
const postgresUrl = process.env.TEST_DATABASE_URL;

/** Two server instances on one Postgres and one Redis: a point pushed to one reaches a subscriber of the other. */
describe.runIf(Boolean(redisUrl && postgresUrl))('multi-instance fan-out through Redis', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTempDatabase(postgresUrl!, 'fanout');
    drop = database.drop;
    // trainingJob(id) snapshots live an hour here: only the invalidation through Redis can refresh B's.
    const shared = { DATABASE_URL: database.url, REDIS_URL: redisUrl!, BRIGHTRUN_SECRET: 's'.repeat(40), BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_SUPERVISOR_TICK_MS: '600000', BRIGHTRUN_JOB_CACHE_TTL_MS: '3600000' };
    a = await startTestServer('postgres', shared);
    b = await startTestServer('postgres', { ...shared, BRIGHTRUN_ADMIN_KEY: a.adminKey });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await drop?.();
  });

  it('delivers trainer reports made on instance A to subscribers on instance B', async () => {
    expect([a.services.config.redisUrl, b.services.config.redisUrl]).toEqual([redisUrl, redisUrl]);
    const datasetId = (await uploadFile(a, { name: 's.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
    const started = await a.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } } }`, { input: { plan: { datasetId }, acknowledgeDatasetWarnings: true } });
    const jobId = started.data!.startTrainingJob.job.id;
    await a.services.lifecycle.apply(jobId, { type: 'PROVISION' }, { kind: 'provisioning', message: 'test pod' });

    const client = createClient({ url: `${b.url.replace('http', 'ws')}/graphql/ws`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${b.adminKey}` }, retryAttempts: 0 });
    const received: number[] = [];
    const statuses: string[] = [];
    const done = new Promise<void>((resolve) => {
      client.subscribe<{ trainingMetrics: { step: number }[] }>({ query: 'subscription($id: ID!) { trainingMetrics(jobId: $id) { step } }', variables: { id: jobId } }, {
        next: (r) => {
          received.push(...r.data!.trainingMetrics.map((p) => p.step));
          if (received.length >= 30) resolve();
        },
        error: () => resolve(),
        complete: () => resolve(),
      });
      client.subscribe<{ trainingJobUpdated: { status: string } }>({ query: 'subscription($id: ID!) { trainingJobUpdated(id: $id) { status } }', variables: { id: jobId } }, {
        next: (r) => void statuses.push(r.data!.trainingJobUpdated.status),
        error: () => undefined,
        complete: () => undefined,
      });
    });
    await new Promise((r) => setTimeout(r, 500)); // let B's Redis SUBSCRIBE land
    const token = trainerTokenFor('s'.repeat(40), jobId);
    const report = (input: Record<string, unknown>) => a.trainerGql('mutation($j: ID!, $i: TrainerReportInput!) { trainerReport(jobId: $j, input: $i) { acceptedMetrics } }', { j: jobId, i: input }, token);
    await report({ stage: 'TRAINING' });
    for (let batch = 0; batch < 3; batch++) {
      await report({ metrics: Array.from({ length: 10 }, (_, i) => ({ split: 'TRAIN', step: batch * 10 + i + 1, loss: 2 })) });
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    await client.dispose();
    expect(received).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(statuses).toContain('TRAINING');
  });

  it("drops B's trainingJob(id) snapshot when A writes the job (a report through the driver, a status through Prisma)", async () => {
    // The dataset the first test uploaded (the same file again would be refused as a duplicate).
    const datasetId = (await a.gql('{ datasets(first: 1) { edges { node { id } } } }')).data!.datasets.edges[0].node.id;
    const started = await a.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`, { input: { plan: { datasetId }, acknowledgeDatasetWarnings: true } });
    const jobId = started.data!.startTrainingJob.job?.id;
    expect(jobId, JSON.stringify(started)).toBeTruthy();
    const header = 'query($id: ID!) { trainingJob(id: $id) { status currentStep latestMetrics { train { step loss } } } }';
    const onB = async () => (await b.gql(header, { id: jobId })).data!.trainingJob;
    /** Polls B until `ok`, for at most two seconds (the pubsub's latency, far below the hour-long TTL). */
    const eventuallyOnB = async (ok: (job: Record<string, any>) => boolean) => {
      const deadline = Date.now() + 2_000;
      let job = await onB();
      while (!ok(job) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        job = await onB();
      }
      return job;
    };
    expect(await onB()).toMatchObject({ status: 'QUEUED', currentStep: 0 }); // B now holds a snapshot
    await a.services.lifecycle.apply(jobId, { type: 'PROVISION' }, { kind: 'provisioning', message: 'test pod' });
    expect((await eventuallyOnB((j) => j.status === 'PROVISIONING')).status).toBe('PROVISIONING');
    const token = trainerTokenFor('s'.repeat(40), jobId);
    const reported = await a.trainerGql('mutation($j: ID!, $i: TrainerReportInput!) { trainerReport(jobId: $j, input: $i) { acceptedMetrics } }', { j: jobId, i: { progress: { step: 5, totalSteps: 50, epoch: 0.1, totalEpochs: 1 }, metrics: [{ split: 'TRAIN', step: 5, loss: 0.5 }] } }, token);
    expect(reported.errors).toBeUndefined();
    expect(await eventuallyOnB((j) => j.currentStep === 5)).toMatchObject({ currentStep: 5, latestMetrics: { train: { step: 5, loss: 0.5 } } });
  });

  it('revokes a key on every instance at once, although each caches verified keys', async () => {
    const created = await a.gql(`mutation { createApiKey(input: { name: "shared", scopes: [READ] }) { ... on CreateApiKeySuccess { secret apiKey { id } } } }`);
    const { secret, apiKey } = created.data!.createApiKey;
    for (const server of [a, b, b]) expect((await server.gql('{ viewer { scopes } }', {}, secret)).data?.viewer.scopes).toEqual(['READ']);
    expect(b.services.authenticator.size).toBeGreaterThan(0);
    await a.gql('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { __typename } }', { id: apiKey.id });
    expect((await a.gql('{ viewer { scopes } }', {}, secret)).errors?.[0]?.message).toMatch(/was revoked/);
    // B hears of it through Redis: refused within a second, not after the cache's TTL.
    const deadline = Date.now() + 1_000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = /was revoked/.test((await b.gql('{ viewer { scopes } }', {}, secret)).errors?.[0]?.message ?? '');
      if (!refused) await new Promise((r) => setTimeout(r, 25));
    }
    expect(refused).toBe(true);
  });
});

/** Two supervisors on one database must not both launch a pod for the same job. */
describe.runIf(Boolean(redisUrl && postgresUrl))('several instances supervising one database', () => {
  it('launches each job exactly once', async () => {
    const database = await createTempDatabase(postgresUrl!, 'twosup');
    // Instances share the database, Redis and storage (here one local folder; Supabase in production).
    const storageDir = await mkdtemp(path.join(tmpdir(), 'brightrun-shared-'));
    const shared = { DATABASE_URL: database.url, REDIS_URL: redisUrl!, BRIGHTRUN_DATA_DIR: storageDir, BRIGHTRUN_SECRET: 't'.repeat(40), BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '40000', BRIGHTRUN_SUPERVISOR_TICK_MS: '50' };
    const a = await startTestServer('postgres', shared);
    const b = await startTestServer('postgres', { ...shared, BRIGHTRUN_ADMIN_KEY: a.adminKey });
    try {
      const datasetId = (await uploadFile(a, { name: 's.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await a.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } } }`, { input: { plan: { datasetId }, acknowledgeDatasetWarnings: true, maxSteps: 10 } });
        ids.push(r.data!.startTrainingJob.job.id);
      }
      for (const id of ids) {
        const job = await waitForJob(b, id, settled);
        expect(job.status).toBe('COMPLETED');
        expect(job.attempts, JSON.stringify(job.events.map((e: { message: string }) => e.message))).toHaveLength(1);
      }
    } finally {
      await b.stop();
      await a.stop();
      await database.drop();
      await rm(storageDir, { recursive: true, force: true });
    }
  }, 120_000);
});
