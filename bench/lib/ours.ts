import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { generateApiKey, generateTrainerToken, hashSecret } from '../../server/src/auth/keys.js';
import { createTempDatabase } from '../../server/src/db/temp-database.js';

export interface OurServer {
  url: string;
  graphqlUrl: string;
  adminKey: string;
  workspaceId: string;
  databaseUrl: string;
  /** The server's process id (for its CPU time). */
  pid: number;
  /** A pool on the server's database, for setup the API does not offer (jobs, bulk points). */
  pool: pg.Pool;
  /** Creates a running training job and returns its trainer token. */
  createJob(jobId: string): Promise<string>;
  stop(): Promise<void>;
}

const SERVE = path.join(path.dirname(new URL(import.meta.url).pathname), 'serve.ts');

/** The API server in its own process, on a fresh temporary Postgres database. */
export async function startOurServer(postgresUrl: string, nodeOptions: string[] = []): Promise<OurServer> {
  const database = await createTempDatabase(postgresUrl, 'bench');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-bench-'));
  const adminKey = generateApiKey();
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', SERVE], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_ADMIN_KEY: adminKey, BRIGHTRUN_DEMO_DATA: 'off', NODE_ENV: 'production',
      // The limiter stays in the path (its cost is part of a request's) but never refuses: a benchmark measures throughput, not the limit.
      BRIGHTRUN_RATE_LIMIT_PER_KEY: '10000000', BRIGHTRUN_RATE_LIMIT_PER_IP: '10000000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the API server did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the API server exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  const { url, workspaceId } = JSON.parse(firstLine) as { url: string; workspaceId: string };
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(`INSERT INTO "Dataset" (id, "workspaceId", name, status, "storagePath", "updatedAt") VALUES ('ds_bench', $1, 'bench', 'READY', 'datasets/ds_bench/source.jsonl', now())`, [workspaceId]);
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    adminKey,
    workspaceId,
    databaseUrl: database.url,
    pid: child.pid!,
    pool,
    async createJob(jobId) {
      const token = generateTrainerToken();
      // A provider no supervisor drives: nothing launches, relaunches or re-keys the job.
      await pool.query(
        `INSERT INTO "TrainingJob" (id, "workspaceId", "datasetId", preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", estimate, "totalEpochs", status, provider, "trainerTokenHash", "updatedAt")
         VALUES ($1, $2, 'ds_bench', 'BALANCED', '{}', 'bench', 'NVIDIA H100 PCIe', 'SPOT', 24, '{}', 1, 'TRAINING', 'bench', $3, now())`,
        [jobId, workspaceId, hashSecret(token)],
      );
      return token;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await pool.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BenchPoint {
  split: 'TRAIN' | 'EVAL';
  step: number;
  loss: number;
  learningRate: number;
  gradNorm: number;
  epoch: number;
  tokensPerSecond: number;
  gpuUtilization: number;
  gpuMemoryGb: number;
}
/** Values per point in the benchmark (MLflow stores one value per metric row). */
export const VALUES_PER_POINT = 7;

export const benchPoint = (step: number): BenchPoint => ({
  split: 'TRAIN',
  step,
  loss: 2 / (1 + step / 5000) + 0.05 * Math.sin(step),
  learningRate: 2e-4,
  gradNorm: 0.8 + 0.1 * Math.cos(step),
  epoch: step / 10_000,
  tokensPerSecond: 3100,
  gpuUtilization: 97,
  gpuMemoryGb: 41.5,
});

const REPORT = 'mutation($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, input: $input) { acceptedMetrics } }';

/** One trainerReport over HTTP to the trainer endpoint, as the trainer sends it; throws on any error. */
export async function trainerReport(server: OurServer, jobId: string, token: string, metrics: BenchPoint[]): Promise<void> {
  const response = await fetch(`${server.url}/trainer/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: REPORT, variables: { jobId, input: { metrics } } }),
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  if (!response.ok || body.errors) throw new Error(`trainerReport failed: ${response.status} ${JSON.stringify(body.errors)}`);
}

/** A GraphQL call with the admin key; returns `data`, throws on errors. */
export async function gql<T>(server: OurServer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || body.errors) throw new Error(`GraphQL failed: ${response.status} ${JSON.stringify(body.errors)}`);
  return body.data!;
}
