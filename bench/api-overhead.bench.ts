// Per-request overhead of the public API: an authenticated trainingJob(id) with the monitor
// header's selection against a bare graphql-yoga hello world, side by side on this machine,
// 32 concurrent clients each. Then where our time goes: a CPU profile of the server under the
// same load, and the SQL statements one request costs. Never part of the test suite.
//   npx tsx bench/api-overhead.bench.ts [--quick]
// Postgres: TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres (a temporary database).
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { benchPoint, startOurServer, trainerReport } from './lib/ours.js';
import { closedLoop, spawnJsonServer } from './lib/load.js';
import { cpuShare } from './lib/cpu-profile.js';
import { rate } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 15;
const rounds = quick ? 1 : 2;
const CONCURRENCY = 32;
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const MONITOR_HEADER = 'query($id: ID!) { trainingJob(id: $id) { id status currentStep totalSteps progress spendUsd latestMetrics { train { step loss } } } }';

console.log(`# API overhead ${new Date().toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg()[0]!.toFixed(1)}, node ${process.version}, ${CONCURRENCY} clients, ${seconds} s per run × ${rounds} rounds${quick ? ' (quick)' : ''}`);

const post = (url: string, body: string, key?: string) => async () => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) throw new Error(`${response.status} ${text.slice(0, 200)}`);
};

async function measure(profileDir?: string) {
  const hello = await spawnJsonServer(path.join(import.meta.dirname, 'lib/hello-yoga.ts'));
  const ours = await startOurServer(postgresUrl, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  try {
    const token = await ours.createJob('job_overhead');
    await trainerReport(ours, 'job_overhead', token, Array.from({ length: 100 }, (_, i) => benchPoint(i + 1)));
    await ours.pool.query(`UPDATE "TrainingJob" SET "currentStep" = 100, "totalSteps" = 1000, "spendUsd" = 1.25 WHERE id = 'job_overhead'`);
    const helloRequest = post(`${hello.info.url}/graphql`, JSON.stringify({ query: '{ hello }' }));
    const ourRequest = post(ours.graphqlUrl, JSON.stringify({ query: MONITOR_HEADER, variables: { id: 'job_overhead' } }), ours.adminKey);
    const typenameRequest = post(ours.graphqlUrl, JSON.stringify({ query: '{ __typename }' }), ours.adminKey);
    // Warm both (JIT, connection pools), then alternate so drift hits both alike.
    await closedLoop(helloRequest, { concurrency: CONCURRENCY, seconds: 1 });
    await closedLoop(ourRequest, { concurrency: CONCURRENCY, seconds: 1 });
    const results = { hello: [] as number[], ours: [] as number[], typename: [] as number[] };
    for (let round = 0; round < (profileDir ? 1 : rounds); round++) {
      if (!profileDir) results.hello.push((await closedLoop(helloRequest, { concurrency: CONCURRENCY, seconds })).perSecond);
      results.ours.push((await closedLoop(ourRequest, { concurrency: CONCURRENCY, seconds })).perSecond);
      if (!profileDir) results.typename.push((await closedLoop(typenameRequest, { concurrency: CONCURRENCY, seconds })).perSecond);
    }
    return results;
  } finally {
    await ours.stop();
    await hello.stop();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const side = await measure();
const [hello, ours, typename] = [mean(side.hello), mean(side.ours), mean(side.typename)];
console.log(`hello world (bare graphql-yoga):                 ${rate(hello)} requests  (runs: ${side.hello.map((r) => rate(r)).join(', ')})`);
console.log(`trainingJob(id), monitor header, API key:        ${rate(ours)} requests  (runs: ${side.ours.map((r) => rate(r)).join(', ')})`);
console.log(`{ __typename } with an API key (auth + context): ${rate(typename)} requests`);
console.log(`ratio trainingJob / hello world: ${(ours / hello).toFixed(2)}×   ({ __typename } / hello world: ${(typename / hello).toFixed(2)}×)`);

// Where the time goes: profile the server under the trainingJob load (a separate run: profiling slows it).
const dir = await mkdtemp(path.join(os.tmpdir(), 'brightrun-prof-'));
try {
  await measure(dir);
  const auth = await cpuShare(dir, ['authenticate', 'authenticateApiKey']);
  const loaders = await cpuShare(dir, ['createLoaders', 'createContext']);
  console.log(`server CPU under the trainingJob load: authentication ${(auth.share * 100).toFixed(1)}% of busy time (${(auth.matchedMs / 1000).toFixed(1)} of ${(auth.busyMs / 1000).toFixed(1)} s; frames under authenticate, a lower bound), context and loader creation ${(loaders.share * 100).toFixed(1)}%`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log('SQL statements per trainingJob request: 1 for the API key (plus an UPDATE of lastUsedAt at most once a minute), 1 for the job, 1 for its latest metrics (server/test/sql-count.test.ts counts the list case).');
