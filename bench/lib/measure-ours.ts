import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { readSeries } from '../../server/src/metrics/history.js';
import { rebuildRollups } from '../../server/src/metrics/rollup.js';
import { sqlRunnerForPool } from '../../server/src/db/sql.js';
import { benchPoint, gql, trainerReport, type OurServer } from './ours.js';
import { backendCpu, backendCpuSince, cpuSecondsOf } from './load.js';
import { median, percentile, timeRuns } from './stats.js';

/** Points persisted per second through HTTP trainerReport, `trainers` jobs reporting side by side. */
export async function ingestion(server: OurServer, options: { trainers: number; reportsPerTrainer: number; pointsPerReport: number; budgetMs: number }) {
  const deadline = Date.now() + options.budgetMs;
  let points = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.trainers }, async (_, t) => {
      const jobId = `job_ingest_${options.trainers}_${t}`;
      const token = await server.createJob(jobId);
      for (let r = 0; r < options.reportsPerTrainer && Date.now() < deadline; r++) {
        await trainerReport(server, jobId, token, Array.from({ length: options.pointsPerReport }, (_, i) => benchPoint(r * options.pointsPerReport + i)));
        points += options.pointsPerReport;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { points, seconds, pointsPerSecond: points / seconds };
}

let latencyRuns = 0;

/**
 * Push → subscriber latency: `jobs` trainers each report `reportsPerJob` times (every
 * `intervalMs`, starts staggered) while `subscribersPerJob` graphql-ws clients per job, each on
 * its own socket, watch trainingMetrics. Latency runs from just before the report's HTTP request
 * to the subscriber receiving the batch.
 */
export async function pushLatency(server: OurServer, options: { jobs: number; subscribersPerJob: number; reportsPerJob: number; pointsPerReport: number; intervalMs: number; budgetMs: number }) {
  const wsUrl = `${server.url.replace('http', 'ws')}/graphql`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  const clients: Client[] = [];
  const tokens: string[] = [];
  const warmedUp = new Set<number>();
  const run = ++latencyRuns;
  for (let j = 0; j < options.jobs; j++) {
    const jobId = `job_live_${run}_${j}`;
    tokens.push(await server.createJob(jobId));
    for (let s = 0; s < options.subscribersPerJob; s++) {
      const subscriber = clients.length;
      const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${server.adminKey}` }, retryAttempts: 0 });
      clients.push(client);
      client.subscribe<{ trainingMetrics: { step: number }[] }>(
        { query: 'subscription($jobId: ID!) { trainingMetrics(jobId: $jobId) { step } }', variables: { jobId } },
        {
          next: (result) => {
            const now = performance.now();
            const step = result.data?.trainingMetrics[0]?.step;
            if (step === 0) warmedUp.add(subscriber);
            else if (step !== undefined) latencies.push(now - sentAt.get(`${jobId}:${step}`)!);
          },
          error: (error) => console.error(`subscriber of ${jobId} failed:`, error),
          complete: () => undefined,
        },
      );
    }
  }
  // Every subscriber must be listening before the measured reports: a step-0 report per job,
  // repeated until all have seen one (a subscription still connecting may miss the first).
  const subscribers = options.jobs * options.subscribersPerJob;
  const warmDeadline = Date.now() + 60_000;
  while (warmedUp.size < subscribers && Date.now() < warmDeadline) {
    await Promise.all(tokens.map((token, j) => trainerReport(server, `job_live_${run}_${j}`, token, [benchPoint(0)])));
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (warmedUp.size < subscribers) throw new Error(`only ${warmedUp.size} of ${subscribers} subscribers received the warm-up report`);

  const deadline = Date.now() + options.budgetMs;
  const started = performance.now();
  // The server's own CPU per report (storing it and fanning it out), robust to other load on the machine.
  const cpuBefore = cpuSecondsOf(server.pid);
  const postgresBefore = await backendCpu(server.pool);
  let reports = 0;
  await Promise.all(
    tokens.map(async (token, j) => {
      const jobId = `job_live_${run}_${j}`;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * options.intervalMs));
      for (let r = 0; r < options.reportsPerJob && Date.now() < deadline; r++) {
        const first = 1 + r * options.pointsPerReport;
        const sent = performance.now();
        sentAt.set(`${jobId}:${first}`, sent);
        await trainerReport(server, jobId, token, Array.from({ length: options.pointsPerReport }, (_, i) => benchPoint(first + i)));
        roundTrips.push(performance.now() - sent);
        reports++;
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
      }
    }),
  );
  const expected = reports * options.subscribersPerJob;
  const settle = Date.now() + 10_000;
  while (latencies.length < expected && Date.now() < settle) await new Promise((resolve) => setTimeout(resolve, 100));
  const seconds = (performance.now() - started) / 1000;
  const serverCpuPerReportUs = ((cpuSecondsOf(server.pid) - cpuBefore) / Math.max(1, reports)) * 1e6;
  const postgresCpuPerReportUs = (backendCpuSince(postgresBefore, await backendCpu(server.pool)) / Math.max(1, reports)) * 1e6;
  await Promise.all(clients.map((client) => client.dispose()));
  return { serverCpuPerReportUs, postgresCpuPerReportUs, reports, deliveries: latencies.length, expected, seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), reportP50: percentile(roundTrips, 50), reportP99: percentile(roundTrips, 99) };
}

/** A 1,000,000-point job loaded in one INSERT … SELECT, with its rollups built. */
export async function loadMillion(server: OurServer, jobId: string, points = 1_000_000) {
  await server.createJob(jobId);
  const started = performance.now();
  await server.pool.query(
    `INSERT INTO "MetricPoint" ("jobId", "split", "step", "loss", "learningRate", "gradNorm", "epoch", "tokensPerSecond", "gpuUtilization", "gpuMemoryGb")
     SELECT $1, 'TRAIN', s, 2.0 / (1 + s / 5000.0) + 0.05 * sin(s), 2e-4, 0.8 + 0.1 * cos(s), s / 10000.0, 3100, 97, 41.5
     FROM generate_series(0, $2::int - 1) AS s`,
    [jobId, points],
  );
  await rebuildRollups(sqlRunnerForPool(server.pool), jobId);
  await server.pool.query('ANALYZE "MetricPoint", "MetricRollup"');
  return (performance.now() - started) / 1000;
}

/** jobMetrics on the 1M series, maxPoints 1,000: the query alone, then end to end over HTTP. */
export async function millionSeries(server: OurServer, jobId: string, runs = 15) {
  const sql = sqlRunnerForPool(server.pool);
  await readSeries(sql, { jobId, split: 'TRAIN', maxPoints: 1000 });
  let returned = 0;
  const serverSide = await timeRuns(runs, 30_000, async () => (returned = (await readSeries(sql, { jobId, split: 'TRAIN', maxPoints: 1000 })).points.length));
  const query = 'query($jobId: ID!) { jobMetrics(jobId: $jobId, maxPoints: 1000) { ... on JobMetricsSuccess { series { totalPoints points { step loss learningRate gradNorm epoch tokensPerSecond gpuUtilization gpuMemoryGb perplexity recordedAt } } } } }';
  await gql(server, query, { jobId });
  const http = await timeRuns(runs, 30_000, () => gql(server, query, { jobId }));
  const exportRun = await timeRuns(1, 300_000, () => gql(server, 'mutation($jobId: ID!) { exportJobMetrics(jobId: $jobId) { ... on ExportJobMetricsSuccess { export { rows } } } }', { jobId }));
  return { returned, serverMs: median(serverSide), httpMs: median(http), exportMs: exportRun[0]! };
}
