import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestServer, type TestServer } from './harness.js';
import { bulkInsertPoints } from './support/metrics.js';
import { rebuildRollups } from '../src/metrics/rollup.js';

// Heavy operations (metric exports, large metric history, big conversation pages) are bounded per
// workspace and in total (limits/heavy.ts); exports are one file per job and points.
describe.each(BACKENDS)('heavy operations over HTTP (%s)', (backend) => {
  let server: TestServer;
  let readKey: string;
  beforeAll(async () => {
    server = await startTestServer(backend, { BRIGHTRUN_HEAVY_PER_WORKSPACE: '2', BRIGHTRUN_HEAVY_TOTAL: '4' });
    const { prisma } = server.services.db;
    const workspaceId = server.bootstrap.workspaceId;
    await prisma.dataset.create({ data: { id: 'ds_heavy', workspaceId, name: 'd', status: 'READY', storagePath: 'datasets/ds_heavy/source.jsonl' } });
    await prisma.trainingJob.create({
      data: { id: 'job_heavy', workspaceId, datasetId: 'ds_heavy', preset: 'BALANCED', hyperparameters: {}, baseModel: 'tiny', gpuType: 'NVIDIA H100 PCIe', cloudType: 'SPOT', maxDurationHours: 1, estimate: {}, totalEpochs: 1, status: 'COMPLETED', provider: 'test-fixture', trainerTokenHash: 'hash_heavy' },
    });
    await bulkInsertPoints(server.services.db, 'job_heavy', 40_000);
    await rebuildRollups(server.services.db.sql, 'job_heavy');
    const created = await server.gql('mutation { createApiKey(input: { name: "read only", scopes: [READ] }) { ... on CreateApiKeySuccess { secret } } }');
    readKey = created.data!.createApiKey.secret;
  });
  afterAll(() => server?.stop());

  it('200 aliases of exportJobMetrics with a read-only key write one CSV file', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `e${i}: exportJobMetrics(input: { jobId: "job_heavy" }) { __typename ... on ExportJobMetricsSuccess { export { url rows } } }`).join('\n');
    const result = await server.gql(`mutation { ${aliases} }`, undefined, readKey);
    // An edge limit on aliases may refuse the request as a whole; then nothing was written either.
    if (result.data) {
      const exports = Object.values(result.data) as { __typename: string; export: { url: string; rows: number } }[];
      expect(exports.every((e) => e.__typename === 'ExportJobMetricsSuccess' && e.export.rows === 40_000)).toBe(true);
    } else {
      expect(result.errors?.length).toBeGreaterThan(0);
    }
    const files = await server.services.storage.list('exports');
    expect(files.length).toBeLessThanOrEqual(1);
    // Concurrent requests each asking once also share the one file.
    const single = 'mutation { exportJobMetrics(input: { jobId: "job_heavy" }) { ... on ExportJobMetricsSuccess { export { url rows } } } }';
    const many = await Promise.all(Array.from({ length: 30 }, () => server.gql(single, undefined, readKey)));
    expect(many.every((r) => r.data?.exportJobMetrics.export.rows === 40_000)).toBe(true);
    expect(await server.services.storage.list('exports')).toHaveLength(1);
    const csv = await (await fetch(many[0]!.data!.exportJobMetrics.export.url)).text();
    expect(csv.trimEnd().split('\n')).toHaveLength(40_001);
  });

  it('a large metric history beyond the bound is refused at once with a retry hint; small ones still run', async () => {
    const heavy = server.services.heavy;
    const workspaceId = server.bootstrap.workspaceId;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // Fill the workspace's 2 slots and its queue of 8 with work that waits for the gate.
    const held = Array.from({ length: 10 }, () => heavy.run(workspaceId, 'metric history', () => gate).catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 20));
    expect(heavy.inFlight(workspaceId)).toBe(2);

    const query = 'query { jobMetrics(jobId: "job_heavy", maxPoints: 10000) { __typename ... on JobMetricsSuccess { series { totalPoints } } } }';
    const started = Date.now();
    const refused = await server.gql(query);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_HEAVY_OPERATIONS', retryAfterSeconds: 2, limit: 2, scope: 'workspace' });
    expect(refused.errors?.[0]?.message).toMatch(/at most 2 run together/);
    const light = await server.gql('query { jobMetrics(jobId: "job_heavy", maxPoints: 500) { __typename } }');
    expect(light.data?.jobMetrics.__typename).toBe('JobMetricsSuccess');

    open();
    await Promise.all(held);
    expect(heavy.inFlight()).toBe(0);
    const served = await server.gql(query);
    expect(served.data?.jobMetrics).toMatchObject({ __typename: 'JobMetricsSuccess', series: { totalPoints: 40_000 } });
  });
});
