import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, settled, startTestServer, uploadFile, waitForJob, type TestServer } from './harness.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url);

// The models list (P05): filters, sort orders with keyset pages, and the rating's derivation,
// over artifacts the demo provider produces through the real trainer operations.
describe.each(BACKENDS)('model artifacts: filters, order, quality derivation (%s)', (backend) => {
  let server: TestServer;
  let datasetId: string;
  const ids: string[] = [];
  beforeAll(async () => {
    server = await startTestServer(backend, { BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '20000', BRIGHTRUN_SUPERVISOR_TICK_MS: '100' });
    const upload = await uploadFile(server, { name: 'sample.json', content: await readFile(SAMPLE) }, { name: 'Filterable sample' });
    datasetId = upload.data!.uploadDataset.dataset.id;
    for (const preset of ['CONSERVATIVE', 'AGGRESSIVE']) {
      const started = await server.gql(`mutation($input: StartTrainingJobInput!) { startTrainingJob(input: $input) { ... on StartTrainingJobSuccess { job { id } } ... on Error { message } } }`,
        { input: { plan: { datasetId, preset }, acknowledgeDatasetWarnings: true, maxSteps: 30 } });
      const jobId = started.data!.startTrainingJob.job.id;
      const job = await waitForJob(server, jobId, settled);
      expect(job.status).toBe('COMPLETED');
      ids.push(job.artifact.id);
    }
  }, 120_000);
  afterAll(() => server?.stop());

  interface ListResult {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string };
    edges: { node: Record<string, any> }[];
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  }
  const list = async (args: string, variables: Record<string, unknown> = {}): Promise<ListResult> => {
    const result = await server.gql(`query($filter: ModelArtifactFilter, $orderBy: ModelArtifactOrder, $first: Int, $after: String) {
      modelArtifacts(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name version evalLoss qualityRating baseModel } } } }`, { ...variables, ...JSON.parse(args || '{}') });
    if (result.errors) return { errors: result.errors } as ListResult;
    return result.data!.modelArtifacts as ListResult;
  };

  it('filters by base model, date range and search (artifact or dataset name), and lists the base models', async () => {
    const all = await list('', { filter: { datasetId } });
    expect(all.totalCount).toBe(2);
    const baseModel = all.edges![0]!.node.baseModel as string;
    const models = await server.gql('{ modelArtifactBaseModels }');
    expect(models.data!.modelArtifactBaseModels).toEqual([baseModel]);
    expect((await list('', { filter: { baseModel } })).totalCount).toBe(2);
    expect((await list('', { filter: { baseModel: 'no/such-model' } })).totalCount).toBe(0);
    expect((await list('', { filter: { search: 'filterable' } })).totalCount).toBe(2); // the dataset's name
    expect((await list('', { filter: { search: 'aggressive' } })).edges!.map((e) => e.node.id)).toEqual([ids[1]]); // the artifact's name
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000).toISOString();
    const tomorrow = new Date(today.getTime() + 86_400_000).toISOString();
    expect((await list('', { filter: { createdAfter: yesterday, createdBefore: tomorrow } })).totalCount).toBe(2);
    expect((await list('', { filter: { createdAfter: tomorrow } })).totalCount).toBe(0);
    expect((await list('', { filter: { isSimulated: false } })).totalCount).toBe(0);
    const backwards = await list('', { filter: { createdAfter: tomorrow, createdBefore: yesterday } });
    expect(backwards.errors?.[0]?.message).toMatch(/createdBefore.*must not be before createdAfter/);
  });

  it('sorts by name, version and eval loss with keyset pages that follow the order', async () => {
    for (const [field, direction, key] of [['VERSION', 'ASC', 'version'], ['NAME', 'ASC', 'name'], ['EVAL_LOSS', 'ASC', 'evalLoss'], ['QUALITY', 'DESC', 'qualityRating']] as const) {
      const whole = await list('', { filter: { datasetId }, orderBy: { field, direction } });
      const values = whole.edges!.map((e) => e.node[key]);
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(values, field).toEqual(direction === 'ASC' ? sorted : sorted.reverse());
      const first = await list('', { filter: { datasetId }, orderBy: { field, direction }, first: 1 });
      const second = await list('', { filter: { datasetId }, orderBy: { field, direction }, first: 1, after: first.pageInfo!.endCursor });
      expect([first.edges![0]!.node.id, second.edges![0]!.node.id], field).toEqual(whole.edges!.map((e) => e.node.id));
      expect([first.pageInfo!.hasNextPage, second.pageInfo!.hasNextPage]).toEqual([true, false]);
    }
  });

  it('explains the rating: the loss it used, the perplexity, the scale and the improvement check', async () => {
    const result = await server.gql(`query($id: ID!) { modelArtifact(id: $id) { qualityRating evalLoss finalLoss initialLoss
      quality { rating basis basisLoss perplexity perplexityRating lossImprovement minImprovement improvementPenalty explanation isSimulated scale { rating maxPerplexity } } } }`, { id: ids[0] });
    const a = result.data!.modelArtifact;
    expect(a.quality.rating).toBe(a.qualityRating);
    expect(a.quality.isSimulated).toBe(true);
    expect(a.quality.basisLoss).toBe(a.quality.basis === 'EVAL_LOSS' ? a.evalLoss : a.finalLoss);
    expect(a.quality.perplexity).toBeCloseTo(Math.exp(a.quality.basisLoss), 6);
    expect(a.quality.lossImprovement).toBeCloseTo((a.initialLoss - a.finalLoss) / a.initialLoss, 6);
    expect(a.quality.scale).toEqual([{ rating: 5, maxPerplexity: 3 }, { rating: 4, maxPerplexity: 6 }, { rating: 3, maxPerplexity: 12 }, { rating: 2, maxPerplexity: 25 }, { rating: 1, maxPerplexity: null }]);
    expect(a.quality.explanation).toMatch(/^Perplexity e\^/);
  });

  it('bounds the search and the base model at 200 characters', async () => {
    for (const field of ['search', 'baseModel']) {
      const long = await list('', { filter: { [field]: 's'.repeat(201) } });
      expect(long.errors?.[0]).toMatchObject({ message: `Invalid argument: filter.${field}: at most 200 characters (got 201)`, extensions: { code: 'BAD_USER_INPUT' } });
    }
  });
});
