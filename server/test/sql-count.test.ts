import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestServer, uploadFile, type TestServer } from './harness.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);

/** What the dashboard's job monitor asks for each row. */
const MONITOR = `query($first: Int!) { trainingJobs(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node {
  id status substatus progress currentStep totalSteps spendUsd costCapUsd etaSeconds isSimulated provider preset gpuType cloudType createdAt startedAt
  dataset { id name } configuration { name } hyperparameters { loraRank learningRate quantization }
  estimate { cost { highUsd } hours { high } }
  latestMetrics { train { step loss } eval { step loss } }
  attempts { number endReason spendUsd } stages { stage durationSeconds } events(last: 3) { kind message }
  artifact { id name files { name sizeBytes } }
} } } }`;

/**
 * Counts the SQL statements the server sends while `work` runs: every statement, Prisma's and the
 * raw ones, at the driver (PGlite's query, or pg's Client.query).
 */
async function countStatements(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const targets = [PGlite.prototype as unknown as { query: (...a: unknown[]) => unknown }, pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }];
  const originals = targets.map((t) => t.query);
  targets.forEach((target, i) => {
    target.query = function (this: unknown, ...args: unknown[]) {
      count += 1;
      return originals[i]!.apply(this, args);
    };
  });
  try {
    await work();
  } finally {
    targets.forEach((target, i) => (target.query = originals[i]!));
  }
  return count;
}

describe.each(BACKENDS)('SQL statements behind a list (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    // The supervisor never ticks: only the request under test talks to the database.
    server = await startTestServer(backend, { BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_SUPERVISOR_TICK_MS: '600000' });
    const datasetId = (await uploadFile(server, { name: 's.json', content: await readFile(SAMPLE) })).data!.uploadDataset.dataset.id;
    const saved = await server.gql('mutation { saveTrainingConfiguration(input: { name: "monitor" }) { ... on SaveTrainingConfigurationSuccess { configuration { id } } } }');
    const configurationId = saved.data!.saveTrainingConfiguration.configuration.id;
    for (let i = 0; i < 50; i++) {
      const started = await server.gql('mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } } }', {
        input: { plan: { datasetId, configurationId: i % 2 ? configurationId : null }, acknowledgeDatasetWarnings: true },
      });
      const jobId = started.data!.startTrainingJob.job.id as string;
      // Give every row something behind each field: an attempt, metric points, stage events.
      await server.services.db.sql.query(`INSERT INTO "JobAttempt" (id, "jobId", number, "cloudType", "pricePerHour") VALUES ($1, $2, 1, 'SPOT', 1.5)`, [`att_${jobId}`, jobId]);
      await server.services.db.sql.query(
        `INSERT INTO "MetricPoint" ("jobId", split, step, loss) SELECT $1, 'TRAIN'::"MetricSplit", s, 2.0 / s FROM generate_series(1, 60) s UNION ALL SELECT $1, 'EVAL'::"MetricSplit", 60, 1.5`,
        [jobId],
      );
      await server.services.db.sql.query(`UPDATE "TrainingJob" SET status = 'TRAINING', "currentStep" = 60, "totalSteps" = 100 WHERE id = $1`, [jobId]);
      await server.services.db.sql.query(`INSERT INTO "JobEvent" ("jobId", kind, message, data) VALUES ($1, 'stage', 'Training', '{"stage":"TRAINING"}')`, [jobId]);
    }
  });
  afterAll(() => server?.stop());

  it('trainingJobs with the monitor selection costs the same few statements for 5 rows as for 50', async () => {
    const run = (first: number) => async () => {
      const result = await server.gql(MONITOR, { first });
      expect(result.errors).toBeUndefined();
      expect(result.data!.trainingJobs.edges).toHaveLength(first);
      const row = result.data!.trainingJobs.edges[0].node;
      expect(row.latestMetrics.train).toEqual({ step: 60, loss: 2 / 60 });
      expect(row.attempts).toHaveLength(1);
      expect(row.etaSeconds).not.toBeUndefined();
    };
    await run(50)(); // warm: first-use work (prepared statements, caches) is not what is measured
    const five = await countStatements(run(5));
    const fifty = await countStatements(run(50));
    // Authentication, the page, the count, and one statement per batched field (11, measured with this selection).
    expect(fifty).toBe(five);
    expect(five).toBeGreaterThan(5); // the counter sees the statements
    expect(fifty).toBeLessThanOrEqual(16);
  });

  it('trainingJob(id) with the monitor header is one statement (the job and its latest points together), then none until the job is written', async () => {
    const header = 'query($id: ID!) { trainingJob(id: $id) { id status currentStep totalSteps progress spendUsd latestMetrics { train { step loss } eval { step loss } } } }';
    const viaFragment = 'query($id: ID!) { trainingJob(id: $id) { id ...Header } } fragment Header on TrainingJob { status latestMetrics { train { step loss } } }';
    const id = (await server.gql('{ trainingJobs(first: 1) { edges { node { id } } } }')).data!.trainingJobs.edges[0].node.id as string;
    const run = (query: string) => async () => {
      const result = await server.gql(query, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data!.trainingJob.latestMetrics.train).toEqual({ step: 60, loss: 2 / 60 });
      return result.data!.trainingJob;
    };
    await run(header)(); // warm (the key is verified once, then cached)
    server.services.jobWrites.written(id); // as any write to the job does
    expect(await countStatements(run(header))).toBe(1);
    // The instance's snapshot answers until the job is written again (job-snapshot.test.ts: every kind of write).
    expect(await countStatements(run(viaFragment))).toBe(0);
    expect((await run(header)()).latestMetrics.eval).toEqual({ step: 60, loss: 1.5 });
    expect(await countStatements(async () => expect((await server.gql('query($id: ID!) { trainingJob(id: $id) { status } }', { id })).data!.trainingJob.status).toBe('TRAINING'))).toBe(0);
    server.services.jobWrites.written(id);
    expect(await countStatements(run(viaFragment))).toBe(1);
    expect((await server.gql(header, { id: 'job_0000000000000000000000' })).data!.trainingJob).toBeNull();
  });
});
