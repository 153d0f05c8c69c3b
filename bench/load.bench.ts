// Load test (issue #15): 200 concurrent clients against a real server process for 60 s — readers
// (lists, a dataset with a conversation page, a job, a metric history), uploaders (multipart
// dataset imports, each file distinct) and graphql-ws subscribers (a demo training job's metrics
// and status) — on PGlite (the default) and on Postgres. Reports latency percentiles per kind,
// every failure by its code, the server's RSS sampled each second, and whether it stayed up.
//   npx tsx bench/load.bench.ts [--quick] [--backend pglite|postgres] [--seconds N]
// The server runs as `npm start` does (--max-old-space-size=256, NODE_ENV=production). Rate
// limits are off by default because all 200 clients share one address and one key here, which
// no real deployment's clients do (--rate-limits keeps the defaults: then most answers are 429).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { generateApiKey } from '../server/src/auth/keys.js';
import { createTempDatabase } from '../server/src/db/temp-database.js';
import { percentile } from './lib/stats.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const SECONDS = Number(option('--seconds') ?? (quick ? 10 : 60));
const CLIENTS = quick ? 40 : 200;
const MIX = { readers: Math.round(CLIENTS * 0.6), uploaders: Math.round(CLIENTS * 0.2), subscribers: CLIENTS - Math.round(CLIENTS * 0.6) - Math.round(CLIENTS * 0.2) };
const backends = (option('--backend') ? [option('--backend')!] : ['pglite', 'postgres']) as ('pglite' | 'postgres')[];
const rateLimits = args.includes('--rate-limits');
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SERVE = path.join(import.meta.dirname, 'lib/serve.ts');
const SAMPLE = path.join(import.meta.dirname, '../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl');

interface Server { url: string; pid: number; child: ChildProcess; key: string; stop(): Promise<void> }

async function startServer(backend: 'pglite' | 'postgres'): Promise<Server> {
  const database = backend === 'postgres' ? await createTempDatabase(postgresUrl, 'load') : null;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'brightrun-load-'));
  const key = generateApiKey();
  const child = spawn(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', SERVE], {
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1', BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_ADMIN_KEY: key, BRIGHTRUN_DEMO_DATA: 'off', NODE_ENV: 'production',
      BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '5', BRIGHTRUN_SUPERVISOR_TICK_MS: '500',
      ...(database ? { DATABASE_URL: database.url } : { DATABASE_URL: '' }),
      ...(rateLimits ? {} : { BRIGHTRUN_RATE_LIMIT_PER_KEY: '0', BRIGHTRUN_RATE_LIMIT_PER_IP: '0' }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderrTail = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-4000)));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${stderrTail}`)));
    createInterface({ input: child.stdout! }).once('line', (first) => {
      clearTimeout(timer);
      resolve(first);
    });
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    url, pid: child.pid!, child, key,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const rssMb = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Number(kb) / 1024 : Number.NaN;
};

/** A distinct small JSONL dataset: the sample's first two conversations, named by `n` (so no upload is a duplicate). */
function datasetFile(lines: string[], n: number): string {
  const pairs = lines.slice(1).map((l) => JSON.parse(l) as { conversation_id: string });
  const keep = [...new Set(pairs.map((p) => p.conversation_id))].slice(0, 2);
  const chosen = lines.slice(1).filter((_, i) => keep.includes(pairs[i]!.conversation_id));
  return [JSON.stringify({ _meta: { file_name: `load-${n}`, total_pairs: chosen.length, version: '4.0.0' } }), ...chosen].join('\n') + '\n';
}

class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly failures = new Map<string, number>();
  ok(kind: string, ms: number) {
    (this.latencies.get(kind) ?? this.latencies.set(kind, []).get(kind)!).push(ms);
  }
  fail(kind: string, why: string) {
    const k = `${kind}: ${why}`;
    this.failures.set(k, (this.failures.get(k) ?? 0) + 1);
  }
}

async function gql(server: Server, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body };
}

async function run(backend: 'pglite' | 'postgres') {
  const sampleLines = (await readFile(SAMPLE, 'utf8')).trimEnd().split('\n');
  const server = await startServer(backend);
  const rec = new Recorder();
  const rss: number[] = [];
  let uploadsDone = 0;
  let events = 0;
  let statusEvents = 0;
  try {
    // Setup: one dataset (the whole sample) and a demo training job that reports metrics during the run.
    const form = new FormData();
    const uploadQuery = 'mutation($file: Upload!) { uploadDataset(input: { file: $file }) { __typename ... on UploadDatasetSuccess { dataset { id } } ... on Error { code message } } }';
    form.set('operations', JSON.stringify({ query: uploadQuery, variables: { file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([await readFile(SAMPLE)]), 'sample.jsonl');
    const setup = await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${server.key}`, 'graphql-require-preflight': '1' }, body: form })).json() as any;
    const datasetId = setup.data.uploadDataset.dataset.id as string;
    const started = await gql(server, 'mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { __typename ... on StartTrainingJobSuccess { job { id } } ... on Error { code message } } }', {
      input: { plan: { datasetId }, maxSteps: 20_000, acknowledgeDatasetWarnings: true },
    });
    const jobId = started.body.data?.startTrainingJob?.job?.id as string;
    if (!jobId) throw new Error(`could not start the demo job: ${JSON.stringify(started.body)}`);

    // Wait (at most 2 minutes) until the simulated trainer reports, so subscribers get live batches.
    const waitUntil = Date.now() + 120_000;
    while (Date.now() < waitUntil) {
      const job = await gql(server, 'query($id: ID!) { trainingJob(id: $id) { status currentStep } }', { id: jobId });
      if (job.body.data?.trainingJob?.currentStep > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    const until = performance.now() + SECONDS * 1000;
    const sampler = setInterval(() => void rssMb(server.pid).then((mb) => rss.push(mb)), 1000);
    rss.push(await rssMb(server.pid));

    const READS: [string, string, Record<string, unknown>][] = [
      ['datasets list', 'query { datasets(first: 25) { totalCount edges { node { id name description conversationCount averageQuality readiness { ready } } } } }', {}],
      ['dataset + 20 conversations', 'query($id: ID!) { dataset(id: $id) { id name conversations(first: 20) { totalCount edges { node { id } } } } }', { id: datasetId }],
      ['trainingJobs list', 'query { trainingJobs(first: 20) { totalCount edges { node { id status currentStep totalSteps progress spendUsd } } } }', {}],
      ['trainingJob', 'query($id: ID!) { trainingJob(id: $id) { id status currentStep totalSteps progress latestMetrics { train { step loss } } } }', { id: jobId }],
      ['jobMetrics 500 points', 'query($id: ID!) { jobMetrics(jobId: $id, maxPoints: 500) { __typename ... on JobMetricsSuccess { series { totalPoints points { step loss } } } } }', { id: jobId }],
    ];
    const reader = async (i: number) => {
      for (let n = i; performance.now() < until; n++) {
        const [kind, query, variables] = READS[n % READS.length]!;
        const t = performance.now();
        try {
          const { status, body } = await gql(server, query, variables);
          if (status !== 200 || body.errors?.length) rec.fail(kind, `${status} ${body.errors?.[0]?.extensions?.code ?? body.errors?.[0]?.message ?? ''}`.trim());
          else rec.ok(kind, performance.now() - t);
        } catch (error) {
          rec.fail(kind, `network ${(error as Error).message}`);
        }
      }
    };
    const uploader = async (i: number) => {
      for (let n = 0; performance.now() < until; n++) {
        const content = datasetFile(sampleLines, i * 10_000 + n);
        const body = new FormData();
        body.set('operations', JSON.stringify({ query: uploadQuery, variables: { file: null } }));
        body.set('map', JSON.stringify({ 0: ['variables.file'] }));
        body.set('0', new Blob([content]), `load-${i}-${n}.jsonl`);
        const t = performance.now();
        try {
          const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${server.key}`, 'graphql-require-preflight': '1' }, body });
          const json = (await response.json().catch(() => ({}))) as any;
          const typename = json.data?.uploadDataset?.__typename;
          if (typename === 'UploadDatasetSuccess') {
            rec.ok('upload (multipart import)', performance.now() - t);
            uploadsDone++;
          } else rec.fail('upload (multipart import)', `${response.status} ${typename ?? json.errors?.[0]?.extensions?.code ?? json.errors?.[0]?.message ?? ''}`);
        } catch (error) {
          rec.fail('upload (multipart import)', `network ${(error as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const subscriber = async () => {
      const client = createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${server.key}` }, retryAttempts: 0, lazy: false });
      const t = performance.now();
      try {
        await new Promise<void>((resolve) => {
          let first = true;
          const stopStatus = client.subscribe({ query: 'subscription($id: ID!) { trainingJobUpdated(id: $id) { id status currentStep } }', variables: { id: jobId } }, {
            next: () => void statusEvents++,
            error: (error) => rec.fail('status subscription', String((error as { message?: string })?.message ?? error).slice(0, 80)),
            complete: () => undefined,
          });
          const stop = client.subscribe<{ trainingMetrics: unknown[] }>({ query: `subscription($id: ID!) { trainingMetrics(jobId: $id, afterStep: 0) { step loss } }`, variables: { id: jobId } }, {
            next: () => {
              events++;
              if (first) {
                rec.ok('subscription first batch', performance.now() - t);
                first = false;
              }
            },
            error: (error) => {
              rec.fail('subscription', String((error as { message?: string })?.message ?? (Array.isArray(error) ? error[0]?.message : error)).slice(0, 80));
              resolve();
            },
            complete: () => resolve(),
          });
          setTimeout(() => { stop(); stopStatus(); resolve(); }, Math.max(0, until - performance.now()));
        });
      } finally {
        await client.dispose();
      }
    };

    await Promise.all([
      ...Array.from({ length: MIX.readers }, (_, i) => reader(i)),
      ...Array.from({ length: MIX.uploaders }, (_, i) => uploader(i)),
      ...Array.from({ length: MIX.subscribers }, () => subscriber()),
    ]);
    clearInterval(sampler);
    rss.push(await rssMb(server.pid));
    const alive = server.child.exitCode === null && (await fetch(`${server.url}/healthz`).then((r) => r.ok).catch(() => false));
    const job = await gql(server, 'query($id: ID!) { trainingJob(id: $id) { status currentStep totalSteps } }', { id: jobId });
    return { rec, rss, alive, uploadsDone, events, statusEvents, job: job.body.data?.trainingJob };
  } finally {
    await server.stop();
  }
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
console.log(`# load test ${new Date().toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
console.log(`# ${CLIENTS} clients (${MIX.readers} readers, ${MIX.uploaders} uploaders, ${MIX.subscribers} graphql-ws subscribers) for ${SECONDS} s; rate limits ${rateLimits ? 'as configured' : 'off'}; server heap cap 256 MB`);
for (const backend of backends) {
  const loadBefore = os.loadavg()[0]!;
  const result = await run(backend);
  const all = [...result.rec.latencies.values()].flat();
  const failures = [...result.rec.failures.values()].reduce((a, b) => a + b, 0);
  console.log(`\n## ${backend} (load average at start ${loadBefore.toFixed(1)}, at end ${os.loadavg()[0]!.toFixed(1)})`);
  console.log(`server alive and /healthz 200 after the run: ${result.alive ? 'yes' : 'NO'}`);
  console.log(`answered: ${all.length} ok, ${failures} failed (${((failures / Math.max(1, all.length + failures)) * 100).toFixed(1)} %); ${(all.length / SECONDS).toFixed(0)} ok/s`);
  console.log(`all ok requests: p50 ${fmt(percentile(all, 50))}, p95 ${fmt(percentile(all, 95))}, p99 ${fmt(percentile(all, 99))}, max ${fmt(Math.max(...all))}`);
  console.log('| kind | ok | p50 | p95 | p99 | max |');
  console.log('|---|---|---|---|---|---|');
  for (const [kind, values] of result.rec.latencies) console.log(`| ${kind} | ${values.length} | ${fmt(percentile(values, 50))} | ${fmt(percentile(values, 95))} | ${fmt(percentile(values, 99))} | ${fmt(Math.max(...values))} |`);
  if (result.rec.failures.size > 0) for (const [why, count] of result.rec.failures) console.log(`failed: ${why} × ${count}`);
  const rss = result.rss.filter((r) => !Number.isNaN(r));
  console.log(`server RSS: start ${rss[0]?.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB, end ${rss.at(-1)?.toFixed(0)} MB (${rss.length} samples, 1 s apart)`);
  console.log(`uploads imported: ${result.uploadsDone}; metric batches received by subscribers: ${result.events}, status events: ${result.statusEvents}; demo job at the end: ${JSON.stringify(result.job)}`);
}
