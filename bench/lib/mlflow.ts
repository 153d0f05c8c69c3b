import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTempDatabase } from '../../server/src/db/temp-database.js';
import { freePort } from './stats.js';

const VENV_BIN = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '.venv', 'bin');
export const MLFLOW = path.join(VENV_BIN, 'mlflow');

export interface MlflowServer {
  url: string;
  version: string;
  workers: number;
  pool: pg.Pool;
  call<T>(method: 'GET' | 'POST', route: string, body?: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export function mlflowInstalled(): boolean {
  return existsSync(MLFLOW);
}

/** `mlflow server` on a fresh temporary database of the same Postgres, loopback only. */
export async function startMlflow(postgresUrl: string, workers: number): Promise<MlflowServer> {
  const version = spawnSync(MLFLOW, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^mlflow, version /, '');
  const database = await createTempDatabase(postgresUrl, 'mlflow');
  const artifacts = await mkdtemp(path.join(tmpdir(), 'mlflow-artifacts-'));
  const port = await freePort();
  // Its own process group, so stopping it also stops the workers it forks.
  const child: ChildProcess = spawn(
    MLFLOW,
    ['server', '--backend-store-uri', database.url.replace(/^postgres(ql)?:/, 'postgresql+psycopg2:'), '--artifacts-destination', artifacts, '--host', '127.0.0.1', '--port', String(port), '--workers', String(workers)],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PATH: `${VENV_BIN}:${process.env.PATH}`, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' } },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited (${child.exitCode}):\n${stderr}`);
    const healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`mlflow server not healthy after 180 s:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    url,
    version,
    workers,
    pool,
    async call<T>(method: 'GET' | 'POST', route: string, body?: unknown, timeoutMs = 60_000) {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`MLflow ${method} ${route.split('?')[0]} → ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    },
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([new Promise((resolve) => child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await pool.end();
      await database.drop();
      await rm(artifacts, { recursive: true, force: true });
    },
  };
}

/** A new experiment and run; returns the run id. */
export async function createRun(mlflow: MlflowServer, name: string): Promise<string> {
  const { experiment_id } = await mlflow.call<{ experiment_id: string }>('POST', '/api/2.0/mlflow/experiments/create', { name });
  const { run } = await mlflow.call<{ run: { info: { run_id: string } } }>('POST', '/api/2.0/mlflow/runs/create', { experiment_id, start_time: Date.now() });
  return run.info.run_id;
}

/** `count` loss values at steps 0…count-1 straight into MLflow's tables (as loadMillion does for ours). */
export async function loadMlflowSeries(mlflow: MlflowServer, runId: string, count: number): Promise<number> {
  const started = performance.now();
  await mlflow.pool.query(
    `INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
     SELECT 'loss', 2.0 / (1 + s / 5000.0) + 0.05 * sin(s), 1700000000000 + s, $1, s, false FROM generate_series(0, $2::int - 1) AS s`,
    [runId, count],
  );
  await mlflow.pool.query(
    `INSERT INTO latest_metrics (key, value, timestamp, run_uuid, step, is_nan)
     SELECT 'loss', value, timestamp, run_uuid, step, is_nan FROM metrics WHERE run_uuid = $1 AND key = 'loss' ORDER BY step DESC LIMIT 1
     ON CONFLICT (key, run_uuid) DO UPDATE SET value = EXCLUDED.value, step = EXCLUDED.step, timestamp = EXCLUDED.timestamp`,
    [runId],
  );
  await mlflow.pool.query('ANALYZE metrics');
  return (performance.now() - started) / 1000;
}
