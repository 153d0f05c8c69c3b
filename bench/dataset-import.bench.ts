// Dataset import through the real server (signed upload → PUT → finalize), on the server's own
// start command, measuring wall time and the server process's peak RSS (VmHWM).
// Usage (from server/): npx tsx ../bench/dataset-import.bench.ts [sizeMB ...]   (default: 100 500)
// Runs on embedded PGlite and on Postgres (a temp database on TEST_DATABASE_URL or the local server).
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDatabase } from '../server/src/db/temp-database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = path.join(ROOT, 'server');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function startServer(dataDir: string, port: number, databaseUrl?: string) {
  const adminKey = 'brk_' + 'b'.repeat(40);
  const child = spawn('node', [`--max-old-space-size=${process.env.HEAP_MB ?? 256}`, '--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER,
    env: { ...process.env, PORT: String(port), BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_ADMIN_KEY: adminKey, BRIGHTRUN_DEMO_DATA: 'off', BRIGHTRUN_MAX_UPLOAD_MB: '600', BRIGHTRUN_PROVIDER: 'demo', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('BrightRun LoRA API') && resolve());
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, adminKey, url: `http://127.0.0.1:${port}` };
}

async function gql(url: string, key: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data: any; errors?: unknown[] };
}

const postgresServer = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
for (const sizeMb of sizes.length ? sizes : [100, 500]) for (const backend of (process.env.BACKENDS?.split(',') ?? ['postgres', 'pglite']) as ('postgres' | 'pglite')[]) {
  const dir = await mkdtemp(path.join(tmpdir(), 'import-bench-'));
  const temp = backend === 'postgres' ? await createTempDatabase(postgresServer, 'bench') : undefined;
  const file = path.join(dir, `generated-${sizeMb}mb.json`);
  const gen = spawn('npx', ['tsx', 'src/demo/generate-cli.ts', '--spec', 'large', '--size-mb', String(sizeMb), '--out', file], { cwd: SERVER, stdio: 'inherit' });
  await new Promise((resolve) => gen.on('exit', resolve));
  const bytes = (await stat(file)).size;
  const server = await startServer(path.join(dir, 'data'), 4700 + sizeMb + (temp ? 1 : 0), temp?.url);
  const baseline = await peakRssMb(server.child.pid!);
  const t0 = performance.now();
  const requested = await gql(server.url, server.adminKey, `mutation($input: RequestDatasetUploadInput!) { requestDatasetUpload(input: $input) { ... on RequestDatasetUploadSuccess { data { dataset { id } upload { url method } } } } }`, { input: { fileName: path.basename(file), sizeBytes: bytes } });
  const { dataset, upload } = requested.data.requestDatasetUpload.data;
  const put = await fetch(upload.url, { method: upload.method, body: createReadStream(file) as unknown as BodyInit, duplex: 'half' } as RequestInit);
  const tPut = performance.now();
  const finalized = await gql(server.url, server.adminKey, `mutation($id: ID!) { finalizeDatasetUpload(id: $id) { __typename ... on FinalizeDatasetUploadSuccess { dataset { conversationCount trainablePairCount tokenStats { totalTokens } } } ... on Error { message } } }`, { id: dataset.id });
  const t1 = performance.now();
  const peak = await peakRssMb(server.child.pid!);
  const result = finalized.data.finalizeDatasetUpload;
  console.log(JSON.stringify({
    backend,
    sizeMb: +(bytes / 1048576).toFixed(1),
    put: put.status,
    outcome: result.__typename,
    conversations: result.dataset?.conversationCount,
    trainablePairs: result.dataset?.trainablePairCount,
    uploadSeconds: +((tPut - t0) / 1000).toFixed(1),
    importSeconds: +((t1 - tPut) / 1000).toFixed(1),
    totalSeconds: +((t1 - t0) / 1000).toFixed(1),
    importMBps: +((bytes / 1048576) / ((t1 - tPut) / 1000)).toFixed(1),
    serverRssAtStartMb: Math.round(baseline),
    serverPeakRssMb: Math.round(peak),
    importGrowthMb: Math.round(peak - baseline),
    limitMb: 512,
    peakVsLimit: +(peak / 512).toFixed(2),
  }));
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.on('exit', resolve));
  await temp?.drop();
  await rm(dir, { recursive: true, force: true });
}
