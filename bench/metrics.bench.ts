// Metrics benchmark: ingestion, push → subscriber latency and 1M-point history on our API, then
// MLflow's tracking server on the same Postgres, with ratios. Never part of the test suite.
//   npx tsx bench/metrics.bench.ts [--quick] [--latency]   (--latency: only report → subscriber latency)
// Postgres: TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres (each run uses
// temporary databases). MLflow: bench/.venv (see bench/README.md); skipped when absent.
import os from 'node:os';
import { ingestion, loadMillion, millionSeries, pushLatency } from './lib/measure-ours.js';
import { mlflowHistory, mlflowIngestion } from './lib/measure-mlflow.js';
import { mlflowInstalled, startMlflow } from './lib/mlflow.js';
import { VALUES_PER_POINT, startOurServer } from './lib/ours.js';
import { ms, rate, ratio } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const latencyOnly = process.argv.includes('--latency');
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const scale = quick
  ? { reports: 5, trainers: 2, jobs: 10, subscribers: 2, liveReports: 3, series: 100_000, fallback: 10_000 }
  : { reports: 100, trainers: 4, jobs: 100, subscribers: 5, liveReports: 20, series: 1_000_000, fallback: 100_000 };
const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};

say(`# metrics benchmark ${new Date().toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}${quick ? ' (quick)' : ''}${latencyOnly ? ' (latency only)' : ''}`);

const ours = await startOurServer(postgresUrl);
const pgVersion = (await ours.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
say(`Postgres ${pgVersion}`);
let single, parallel, million;
try {
  if (!latencyOnly) {
  single = await ingestion(ours, { trainers: 1, reportsPerTrainer: scale.reports, pointsPerReport: 1000, budgetMs: 120_000 });
  say(`ours  ingestion, 1 trainer:  ${single.points} points in ${single.seconds.toFixed(1)} s = ${rate(single.pointsPerSecond)} points (${rate(single.pointsPerSecond * VALUES_PER_POINT)} values)`);
  parallel = await ingestion(ours, { trainers: scale.trainers, reportsPerTrainer: Math.ceil(scale.reports / scale.trainers), pointsPerReport: 1000, budgetMs: 120_000 });
  say(`ours  ingestion, ${scale.trainers} trainers: ${parallel.points} points in ${parallel.seconds.toFixed(1)} s = ${rate(parallel.pointsPerSecond)} points (${rate(parallel.pointsPerSecond * VALUES_PER_POINT)} values)`);
  }
  // Each job reports every 2 s (a trainer logging every few steps), then every 0.5 s (a stress
  // test: 200 reports/s asked of 2 cores that also run Postgres and the 500 clients).
  for (const intervalMs of [2000, 500]) {
    const latency = await pushLatency(ours, { jobs: scale.jobs, subscribersPerJob: scale.subscribers, reportsPerJob: scale.liveReports, pointsPerReport: 10, intervalMs, budgetMs: 120_000 });
    say(
      `ours  push → subscriber, ${scale.jobs} jobs × ${scale.subscribers} subscribers, a report of 10 points per job every ${intervalMs} ms (${latency.reports} reports in ${latency.seconds.toFixed(1)} s): ` +
        `${latency.deliveries}/${latency.expected} deliveries, p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)} (the report's own HTTP round trip: p50 ${ms(latency.reportP50)}, p99 ${ms(latency.reportP99)}); server CPU ${latency.serverCpuPerReportUs.toFixed(0)} µs + Postgres CPU ${latency.postgresCpuPerReportUs.toFixed(0)} µs per report (load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
  }
  if (!latencyOnly) {
  const loadSeconds = await loadMillion(ours, 'job_million', scale.series);
  million = await millionSeries(ours, 'job_million');
  say(`ours  ${scale.series.toLocaleString('en-US')}-point series (loaded in ${loadSeconds.toFixed(1)} s) → ${million.returned} points: server ${ms(million.serverMs)}, HTTP end to end ${ms(million.httpMs)} (medians); full CSV export ${ms(million.exportMs)}`);
  }
} finally {
  await ours.stop();
}

if (latencyOnly) {
  // nothing to compare against MLflow
} else if (!mlflowInstalled()) {
  say('MLflow: bench/.venv is missing (see bench/README.md); skipped.');
} else {
  const mlflow = await startMlflow(postgresUrl, 4);
  say(`MLflow ${mlflow.version} (mlflow server, ${mlflow.workers} workers, same Postgres)`);
  try {
    const callsPerRun = scale.reports;
    const mSingle = await mlflowIngestion(mlflow, { runs: 1, callsPerRun, budgetMs: 120_000 });
    say(`mlflow log-batch, 1 run:  ${mSingle.values} values in ${mSingle.seconds.toFixed(1)} s = ${rate(mSingle.valuesPerSecond)} values (${rate(mSingle.valuesPerSecond / VALUES_PER_POINT)} steps of ${VALUES_PER_POINT})`);
    const mParallel = await mlflowIngestion(mlflow, { runs: scale.trainers, callsPerRun: Math.ceil(callsPerRun / scale.trainers), budgetMs: 120_000 });
    say(`mlflow log-batch, ${scale.trainers} runs: ${mParallel.values} values in ${mParallel.seconds.toFixed(1)} s = ${rate(mParallel.valuesPerSecond)} values`);
    const history = await mlflowHistory(mlflow, { points: scale.series, fallbackPoints: scale.fallback, runs: 15, fullTimeoutMs: 180_000 });
    say(`mlflow get-history-bulk-interval max_results=1000 on ${scale.series.toLocaleString('en-US')} points → ${history.bulkIntervalReturned} points: ${ms(history.bulkIntervalMs)} (median)`);
    if ('ms' in history.full) say(`mlflow get-history (every point) on ${history.full.points.toLocaleString('en-US')} points → ${history.full.returned}: ${ms(history.full.ms)}`);
    else say(`mlflow get-history on ${history.full.points.toLocaleString('en-US')} points failed: ${history.full.error}`);

    say('');
    say('ratios (ours / MLflow; throughput: higher is better for us, time: lower is better for us)');
    say(`  ingestion values/s, 1 writer:  ${ratio(single!.pointsPerSecond * VALUES_PER_POINT, mSingle.valuesPerSecond)}`);
    say(`  ingestion values/s, ${scale.trainers} writers: ${ratio(parallel!.pointsPerSecond * VALUES_PER_POINT, mParallel.valuesPerSecond)}`);
    say(`  1,000-point chart of the ${scale.series.toLocaleString('en-US')} series over HTTP, jobMetrics vs get-history-bulk-interval: ${ratio(million!.httpMs, history.bulkIntervalMs)}`);
    if ('ms' in history.full) {
      const scaled = history.full.points === scale.series ? '' : ` (MLflow on ${history.full.points.toLocaleString('en-US')} points)`;
      say(`  chart via jobMetrics vs get-history of every point${scaled}: ${ratio(million!.httpMs, history.full.ms)}`);
      if (history.full.points === scale.series) say(`  full history, our CSV export (file + link) vs get-history: ${ratio(million!.exportMs, history.full.ms)}`);
    }
  } finally {
    await mlflow.stop();
  }
}
console.log('\n--- markdown ---\n' + lines.join('\n'));
