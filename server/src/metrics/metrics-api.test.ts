import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { BACKENDS, startTestServer, type TestServer } from '../../test/harness.js';
import { createWorkspace } from '../auth/bootstrap.js';
import { generateTrainerToken, hashSecret } from '../auth/keys.js';
import { CSV_HEADER } from './export.js';

interface Point { split: 'TRAIN' | 'EVAL'; step: number; loss: number | null }
const trainLoss = (step: number) => 3 / (1 + step / 100) + (step % 7) / 50;

describe.each(BACKENDS)('metrics API (%s)', (backend) => {
  let server: TestServer;
  let otherKey: string;
  const tokens = new Map<string, string>();

  /**
   * A training job of the server's workspace, with a trainer token, straight into the database.
   * Its provider is one the supervisor does not drive, so nothing relaunches it or rotates the token.
   */
  async function createJob(jobId: string) {
    const { prisma } = server.services.db;
    const workspaceId = server.bootstrap.workspaceId;
    await prisma.dataset.upsert({ where: { id: 'ds_metrics' }, update: {}, create: { id: 'ds_metrics', workspaceId, name: 'd', status: 'READY', storagePath: 'datasets/ds_metrics/source.jsonl' } });
    const token = generateTrainerToken();
    await prisma.trainingJob.create({
      data: { id: jobId, workspaceId, datasetId: 'ds_metrics', preset: 'BALANCED', hyperparameters: {}, baseModel: 'tiny', gpuType: 'NVIDIA H100 PCIe', cloudType: 'SPOT', maxDurationHours: 1, estimate: {}, totalEpochs: 1, status: 'TRAINING', provider: 'test-fixture', trainerTokenHash: hashSecret(token) },
    });
    tokens.set(jobId, token);
  }

  /** Steps [from, to] of TRAIN (and EVAL every 50 steps) through the real trainerReport mutation. */
  async function report(jobId: string, from: number, to: number) {
    const metrics: Point[] = [];
    for (let step = from; step <= to; step++) {
      metrics.push({ split: 'TRAIN', step, loss: trainLoss(step) });
      if (step % 50 === 0) metrics.push({ split: 'EVAL', step, loss: 3 / (1 + step / 120) });
    }
    const result = await server.trainerGql('mutation($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { acceptedMetrics } }', { jobId, input: { metrics } }, tokens.get(jobId)!);
    expect(result.errors).toBeUndefined();
    return result.data!.trainerReport.acceptedMetrics as number;
  }

  beforeAll(async () => {
    server = await startTestServer(backend);
    otherKey = (await createWorkspace(server.services.db.prisma, 'Someone else')).adminKey;
    await createJob('job_api');
    for (let from = 1; from <= 2500; from += 500) await report('job_api', from, from + 499);
  });
  afterAll(() => server?.stop());

  const seriesQuery = `query($jobId: ID!, $split: MetricSplit, $maxPoints: Int, $fromStep: Int, $toStep: Int) {
    jobMetrics(jobId: $jobId, split: $split, maxPoints: $maxPoints, fromStep: $fromStep, toStep: $toStep) {
      __typename
      ... on JobMetricsSuccess { series { jobId split totalPoints downsampled method bucketSteps points { split step loss learningRate recordedAt } } }
      ... on Error { code message }
      ... on ValidationError { fieldErrors { field message } }
    } }`;

  it('serves the history whole when it fits and downsampled when it does not', async () => {
    const whole = await server.gql(seriesQuery, { jobId: 'job_api', maxPoints: 5000 });
    expect(whole.data?.jobMetrics.series).toMatchObject({ jobId: 'job_api', split: 'TRAIN', totalPoints: 2500, downsampled: false, method: 'RAW' });
    expect(whole.data?.jobMetrics.series.points.map((p: Point) => p.step)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    const small = await server.gql(seriesQuery, { jobId: 'job_api', maxPoints: 100 });
    const series = small.data?.jobMetrics.series;
    expect(series).toMatchObject({ totalPoints: 2500, downsampled: true, method: 'MIN_MAX' });
    expect(series.points.length).toBeLessThanOrEqual(100);
    expect(series.points[0]).toMatchObject({ split: 'TRAIN', step: 1 });
    expect(series.points.at(-1)).toMatchObject({ step: 2500 });
    const evals = await server.gql(seriesQuery, { jobId: 'job_api', split: 'EVAL', fromStep: 100, toStep: 1000 });
    expect(evals.data?.jobMetrics.series.points.map((p: Point) => p.step)).toEqual(Array.from({ length: 19 }, (_, i) => 100 + i * 50));
  });

  it('refuses a maxPoints out of bounds and hides other workspaces’ jobs', async () => {
    const bad = await server.gql(seriesQuery, { jobId: 'job_api', maxPoints: 1 });
    expect(bad.data?.jobMetrics).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED', fieldErrors: [{ field: 'maxPoints', message: expect.stringMatching(/between 2 and 10,000 \(got 1\)/) }] });
    const huge = await server.gql(seriesQuery, { jobId: 'job_api', maxPoints: 10_001 });
    expect(huge.data?.jobMetrics.__typename).toBe('ValidationError');
    const foreign = await server.gql(seriesQuery, { jobId: 'job_api' }, otherKey);
    expect(foreign.data?.jobMetrics).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  it('exports every point of both splits as CSV behind a signed link', async () => {
    const mutation = 'mutation($jobId: ID!) { exportJobMetrics(input: { jobId: $jobId }) { __typename ... on ExportJobMetricsSuccess { export { url expiresAt rows } } ... on Error { code } } }';
    const result = await server.gql(mutation, { jobId: 'job_api' });
    const exported = result.data?.exportJobMetrics.export;
    expect(exported.rows).toBe(2550);
    expect(Date.parse(exported.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    const response = await fetch(exported.url);
    expect(response.status).toBe(200);
    const text = await response.text();
    const lines = text.trimEnd().split('\n');
    expect(lines[0] + '\n').toBe(CSV_HEADER);
    expect(lines).toHaveLength(2551);
    // Numbers read back exactly; unmeasured values are empty fields.
    expect(lines[1]).toMatch(new RegExp(`^TRAIN,1,${String(trainLoss(1)).replace('.', '\\.')},,,,,,,,\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`));
    expect(lines.slice(1, 2501).map((l) => Number(l.split(',')[2]))).toEqual(Array.from({ length: 2500 }, (_, i) => trainLoss(i + 1)));
    expect(lines.filter((l) => l.startsWith('EVAL,'))).toHaveLength(50);
    expect(lines.at(-1)).toMatch(/^EVAL,2500,/);
    const files = await server.services.storage.list(`exports/${server.bootstrap.workspaceId}/job_api`);
    // Named by when it was written, its rows and its newest point: the same points reuse the file.
    expect(files.map((f) => f.path)).toEqual([expect.stringMatching(/^exports\/ws_\w+\/job_api\/metrics-\d{8}T\d{9}Z-2550-\d+\.csv$/)]);
    expect((await server.gql(mutation, { jobId: 'job_api' }, otherKey)).data?.exportJobMetrics.__typename).toBe('NotFoundError');
  });

  describe('trainingMetrics subscription', () => {
    const clients: Client[] = [];
    const connect = (key = server.adminKey) => {
      const client = createClient({ url: `${server.url.replace('http', 'ws')}/graphql/ws`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
      clients.push(client);
      return client;
    };
    afterAll(async () => Promise.all(clients.map((c) => c.dispose())));

    /** Subscribes and collects batches until `done(points)` holds. */
    function watch(client: Client, jobId: string, afterStep: number | null) {
      const points: Point[] = [];
      const waiters: (() => void)[] = [];
      let failure: unknown;
      let completed = false;
      const unsubscribe = client.subscribe<{ trainingMetrics: Point[] }>(
        { query: 'subscription($jobId: ID!, $afterStep: Int) { trainingMetrics(jobId: $jobId, afterStep: $afterStep) { split step loss } }', variables: { jobId, afterStep } },
        {
          next: (result) => {
            if (result.errors) failure = result.errors;
            points.push(...(result.data?.trainingMetrics ?? []));
            waiters.splice(0).forEach((wake) => wake());
          },
          error: (error) => {
            failure = error;
            waiters.splice(0).forEach((wake) => wake());
          },
          complete: () => {
            completed = true;
            waiters.splice(0).forEach((wake) => wake());
          },
        },
      );
      const until = async (done: (points: Point[]) => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!done(points) && failure === undefined) {
          if (Date.now() > deadline) throw new Error(`timed out with ${points.length} points, last ${JSON.stringify(points.at(-1))}`);
          await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 200); });
        }
        return { points, failure };
      };
      return { points, until, unsubscribe, get completed() { return completed; } };
    }
    const keysOf = (points: Point[]) => points.map((p) => `${p.split}:${p.step}`);
    const expected = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap((s) => (s % 50 === 0 ? [`TRAIN:${s}`, `EVAL:${s}`] : [`TRAIN:${s}`]));

    it('hands over from stored to live points without gaps or duplicates, and resumes after afterStep', async () => {
      await createJob('job_live');
      await report('job_live', 1, 30);
      // Reports keep landing while the subscription reads what is stored.
      const reporting = (async () => {
        for (let from = 31; from <= 200; from += 10) await report('job_live', from, from + 9);
      })();
      const first = watch(connect(), 'job_live', null);
      await reporting;
      const seen = await first.until((points) => points.some((p) => p.step === 200 && p.split === 'EVAL'));
      expect(seen.failure).toBeUndefined();
      expect(keysOf(seen.points)).toEqual(expected(1, 200));
      first.unsubscribe();

      // Disconnected while steps 201–230 land; reconnecting after step 200 gets exactly those, then live ones.
      await report('job_live', 201, 230);
      const second = watch(connect(), 'job_live', 200);
      await second.until((points) => points.some((p) => p.step === 230));
      await report('job_live', 231, 240);
      const resumed = await second.until((points) => points.some((p) => p.step === 240));
      expect(keysOf(resumed.points)).toEqual(expected(201, 240));
      second.unsubscribe();
    });

    it('completes once the job has finished, after its last points', async () => {
      await createJob('job_done');
      await report('job_done', 1, 20);
      const watcher = watch(connect(), 'job_done', null);
      await watcher.until((points) => points.some((p) => p.step === 20));
      await report('job_done', 21, 30);
      await server.services.lifecycle.apply('job_done', { type: 'CANCEL' }, { kind: 'cancelled', message: 'test: the job ends' });
      const ended = await watcher.until(() => watcher.completed);
      expect(ended.failure).toBeUndefined();
      expect(keysOf(ended.points)).toEqual(expected(1, 30));
      // A finished job's stream sends what is stored and completes at once.
      const late = watch(connect(), 'job_done', 25);
      const done = await late.until(() => late.completed);
      expect(keysOf(done.points)).toEqual(expected(26, 30));
    });

    it('refuses a job of another workspace', async () => {
      const foreign = watch(connect(otherKey), 'job_live', null);
      const { failure } = await foreign.until(() => false);
      expect(JSON.stringify(failure)).toMatch(/No training job with id \\"job_live\\" in this workspace/);
      expect(JSON.stringify(failure)).toMatch(/NOT_FOUND/);
    });
  });
});
