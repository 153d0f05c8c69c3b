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
import { backendCpu, backendCpuSince, closedLoop, cpuSecondsOf, spawnJsonServer } from './lib/load.js';
import { cpuShare } from './lib/cpu-profile.js';
import { rate } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 3 : 15));
const rounds = quick ? 1 : 2;
const CONCURRENCY = 32;
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
// BENCH_WRITE_EVERY_MS=2000: a trainer report on the job every 2 s while it is read, as a job being
// trained has (each one drops the instance's snapshot of it: the next read goes to the database).
const writeEveryMs = Number(process.env.BENCH_WRITE_EVERY_MS ?? 0);
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
    const results = { hello: [] as number[], ours: [] as number[], typename: [] as number[], cpu: { hello: [] as number[], ours: [] as number[], typename: [] as number[] }, postgresCpu: [] as number[] };
    // Server CPU per request (µs): robust to other load on the machine, unlike requests per second.
    const withCpu = async (pid: number, request: () => Promise<void>, into: number[]) => {
      const before = cpuSecondsOf(pid);
      const run = await closedLoop(request, { concurrency: CONCURRENCY, seconds });
      into.push(((cpuSecondsOf(pid) - before) / run.requests) * 1e6);
      return run.perSecond;
    };
    let writes = 0;
    let writing = writeEveryMs > 0;
    const writer = (async () => {
      for (let step = 101; writing; step++) {
        await new Promise((resolve) => setTimeout(resolve, writeEveryMs));
        if (!writing) break;
        await trainerReport(ours, 'job_overhead', token, [benchPoint(step)]);
        writes++;
      }
    })();
    for (let round = 0; round < (profileDir ? 1 : rounds); round++) {
      if (!profileDir) results.hello.push(await withCpu(hello.pid, helloRequest, results.cpu.hello));
      const postgresBefore = await backendCpu(ours.pool);
      const requestsBefore = results.cpu.ours.length;
      let served = 0;
      results.ours.push(await withCpu(ours.pid, async () => (served++, await ourRequest()), results.cpu.ours));
      if (results.cpu.ours.length > requestsBefore) results.postgresCpu.push((backendCpuSince(postgresBefore, await backendCpu(ours.pool)) / Math.max(1, served)) * 1e6);
      if (!profileDir) results.typename.push(await withCpu(ours.pid, typenameRequest, results.cpu.typename));
    }
    writing = false;
    await writer;
    if (writeEveryMs > 0) console.log(`(${writes} trainer reports written to the job while it was read, one every ${writeEveryMs} ms)`);
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
const cpu = { hello: mean(side.cpu.hello), ours: mean(side.cpu.ours), typename: mean(side.cpu.typename) };
console.log(`server CPU per request (load-independent): hello world ${cpu.hello.toFixed(0)} µs, trainingJob ${cpu.ours.toFixed(0)} µs, { __typename } ${cpu.typename.toFixed(0)} µs → hello/ours ${(cpu.hello / cpu.ours).toFixed(2)}×; Postgres CPU per trainingJob request ${mean(side.postgresCpu).toFixed(0)} µs (its backends for this database)`);

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
const snapshotsOff = process.env.BRIGHTRUN_JOB_CACHE_TTL_MS === '0';
console.log(
  snapshotsOff
    ? 'SQL statements per trainingJob request: 1 (BRIGHTRUN_JOB_CACHE_TTL_MS=0: snapshots off), the job and its latest TRAIN/EVAL points together; the API key is verified once and then cached (server/test/sql-count.test.ts).'
    : `SQL statements per trainingJob request: 1 on a miss (the job and its latest TRAIN/EVAL points together), 0 while the instance's snapshot of the job holds (BRIGHTRUN_JOB_CACHE_TTL_MS=${process.env.BRIGHTRUN_JOB_CACHE_TTL_MS ?? 'default'}${writeEveryMs > 0 ? `; a report writes the job every ${writeEveryMs} ms, each dropping the snapshot` : '; nothing writes the job during this bench'}); the API key is verified once and then cached (server/test/sql-count.test.ts).`,
);
