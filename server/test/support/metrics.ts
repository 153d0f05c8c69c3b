// Test helpers for the metrics suites (not a test file itself).
import { openDatabase, type Database } from '../../src/db/client.js';
import { createTempDatabase } from '../../src/db/temp-database.js';
import type { Backend } from '../harness.js';

export const METRIC_BACKENDS: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, migrated database: in-memory PGlite, or a temporary Postgres database. */
export async function openTestDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') return openDatabase({ dataDir: '', inMemory: true });
  const temp = await createTempDatabase(process.env.TEST_DATABASE_URL!, 'metrics');
  const db = await openDatabase({ url: temp.url, dataDir: '' });
  return { ...db, close: async () => { await db.close(); await temp.drop(); } };
}

/** A workspace, a dataset and a job, the rows a metric point hangs from. */
export async function insertJob(db: Database, jobId: string, workspaceId = `ws_${jobId}`, trainerTokenHash = `hash_${jobId}`): Promise<void> {
  await db.sql.query(`INSERT INTO "Workspace" (id, name) VALUES ($1, 'w') ON CONFLICT DO NOTHING`, [workspaceId]);
  await db.sql.query(`INSERT INTO "Dataset" (id, "workspaceId", name, status, "storagePath", "updatedAt") VALUES ($1, $2, 'd', 'READY', 'datasets/x', now()) ON CONFLICT DO NOTHING`, [`ds_${workspaceId}`, workspaceId]);
  await db.sql.query(
    `INSERT INTO "TrainingJob" (id, "workspaceId", "datasetId", preset, hyperparameters, "baseModel", "gpuType", "cloudType", "maxDurationHours", estimate, "totalEpochs", provider, "trainerTokenHash", "updatedAt")
     VALUES ($1, $2, $3, 'BALANCED', '{}', 'tiny-llama', 'NVIDIA H100 PCIe', 'SPOT', 24, '{}', 3, 'local', $4, now())`,
    [jobId, workspaceId, `ds_${workspaceId}`, trainerTokenHash],
  );
}

/** `count` TRAIN points at steps 0…count-1 with a deterministic, bumpy loss, in one statement. */
export async function bulkInsertPoints(db: Database, jobId: string, count: number): Promise<void> {
  await db.sql.query(
    `INSERT INTO "MetricPoint" ("jobId", "split", "step", "loss", "learningRate", "gradNorm", "epoch", "tokensPerSecond", "gpuUtilization", "gpuMemoryGb")
     SELECT $1, 'TRAIN', s, 2.0 / (1 + s / 5000.0) + 0.3 * sin(s * 0.37) * cos(s * 0.011), 1e-4, 1.0, s / 100000.0, 3000, 95, 40
     FROM generate_series(0, $2::int - 1) AS s`,
    [jobId, count],
  );
}
