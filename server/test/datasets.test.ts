import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/auth/bootstrap.js';
import { BACKENDS, startTestServer, uploadFile, type TestServer } from './harness.js';

const SAMPLE_DIR = new URL('../../../shared/data/brightrun-v4/', import.meta.url);
const sampleJson = () => readFile(new URL('EQ-12-conversations-demo.json', SAMPLE_DIR));
const sampleJsonl = () => readFile(new URL('EQ-12-conversations-demo.jsonl', SAMPLE_DIR));

describe.each(BACKENDS)('datasets over HTTP (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { BRIGHTRUN_MAX_UPLOAD_MB: '2' });
  });
  afterAll(() => server?.stop());

  const datasetRows = () => server.services.db.prisma.dataset.count();
  const storedObjects = () => server.services.storage.list('datasets');

  it('imports the real sample as full JSON: 12 conversations, 89 pairs, 44 trainable, not ready (volume)', async () => {
    const bytes = await sampleJson();
    const result = await uploadFile(server, { name: 'EQ-12-conversations-demo.json', content: bytes });
    expect(result.data?.uploadDataset.__typename).toBe('UploadDatasetSuccess');
    const dataset = result.data!.uploadDataset.dataset;
    expect(dataset).toMatchObject({ name: 'EQ-12-conversations-demo', status: 'READY', encoding: 'JSON', conversationCount: 12, trainingPairCount: 89, trainablePairCount: 44, sizeBytes: bytes.length });
    expect(dataset.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(dataset.readiness.ready).toBe(false);
    const volume = dataset.readiness.checks.find((c: { key: string }) => c.key === 'trainable_volume');
    expect(volume).toMatchObject({ passed: false, value: '44', blocking: true });
    expect(volume.message).toMatch(/44 trainable pairs/);
  });

  it('imports the JSONL encoding with the same counts', async () => {
    const result = await uploadFile(server, { name: 'EQ-12-conversations-demo.jsonl', content: await sampleJsonl() }, { name: 'EQ sample (JSONL)' });
    expect(result.data?.uploadDataset.dataset).toMatchObject({ name: 'EQ sample (JSONL)', encoding: 'JSONL', conversationCount: 12, trainingPairCount: 89, trainablePairCount: 44 });
  });

  it('says so when the same file is uploaded twice, and keeps nothing of the second', async () => {
    const before = [await datasetRows(), (await storedObjects()).length];
    const result = await uploadFile(server, { name: 'again.json', content: await sampleJson() });
    expect(result.data?.uploadDataset).toMatchObject({ __typename: 'DuplicateDatasetError', code: 'DUPLICATE_DATASET', existingDataset: { name: 'EQ-12-conversations-demo' } });
    expect([await datasetRows(), (await storedObjects()).length]).toEqual(before);
  });

  it('lists where a truncated file breaks, and keeps nothing', async () => {
    const before = [await datasetRows(), (await storedObjects()).length];
    const bytes = await sampleJson();
    const result = await uploadFile(server, { name: 'cut.json', content: bytes.subarray(0, Math.floor(bytes.length / 2)) });
    const error = result.data!.uploadDataset;
    expect(error).toMatchObject({ __typename: 'DatasetInvalidError', code: 'DATASET_INVALID', kind: 'INVALID_JSON' });
    expect(error.problems[0].message).toMatch(/\S/);
    expect([await datasetRows(), (await storedObjects()).length]).toEqual(before);
  });

  it('refuses a file of another format with a reason', async () => {
    const chat = ['{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}', '{"messages":[]}'].join('\n');
    const result = await uploadFile(server, { name: 'openai.jsonl', content: chat });
    expect(result.data?.uploadDataset).toMatchObject({ __typename: 'DatasetInvalidError', kind: 'WRONG_FORMAT' });
  });

  it('refuses a file over the size limit before reading it', async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 10).fill(32);
    const result = await uploadFile(server, { name: 'big.json', content: big });
    expect(result.data?.uploadDataset).toMatchObject({ __typename: 'DatasetInvalidError', kind: 'TOO_LARGE', problemCount: 1 });
    expect(result.data?.uploadDataset.problems[0].message).toMatch(/limit is 2 MB \(BRIGHTRUN_MAX_UPLOAD_MB\)/);
  });

  it('imports through a signed upload: request, PUT, finalize; finalize twice is refused', async () => {
    const bytes = await sampleJsonl();
    const requested = await server.gql(`mutation($input: RequestDatasetUploadInput!) { requestDatasetUpload(input: $input) {
      __typename ... on RequestDatasetUploadSuccess { data { dataset { id status } upload { url method headers { name value } expiresAt } } } } }`,
      { input: { fileName: 'signed.jsonl', name: 'Signed upload', sizeBytes: bytes.length } });
    const { dataset, upload } = requested.data!.requestDatasetUpload.data;
    expect(dataset.status).toBe('UPLOADING');
    const early = await server.gql(`mutation($id: ID!) { finalizeDatasetUpload(id: $id) { __typename ... on Error { message } } }`, { id: dataset.id });
    expect(early.data?.finalizeDatasetUpload).toMatchObject({ __typename: 'UploadStateError', message: expect.stringMatching(/No bytes have arrived/) });
    // Change one byte so this is not a duplicate of the JSONL uploaded above.
    const body = Buffer.from(bytes.toString('utf8').replace('"version":"4.0.0"', '"version":"4.0.1"'));
    const headers = Object.fromEntries(upload.headers.map((h: { name: string; value: string }) => [h.name, h.value]));
    const put = await fetch(upload.url, { method: upload.method, headers, body });
    expect(put.status).toBeLessThan(300);
    const finalized = await server.gql(`mutation($id: ID!) { finalizeDatasetUpload(id: $id) { __typename
      ... on FinalizeDatasetUploadSuccess { dataset { id status trainablePairCount encoding } } ... on Error { message } } }`, { id: dataset.id });
    expect(finalized.data?.finalizeDatasetUpload.dataset).toMatchObject({ id: dataset.id, status: 'READY', trainablePairCount: 44, encoding: 'JSONL' });
    const again = await server.gql(`mutation($id: ID!) { finalizeDatasetUpload(id: $id) { __typename } }`, { id: dataset.id });
    expect(again.data?.finalizeDatasetUpload.__typename).toBe('UploadStateError');
  });

  it('pages conversations with their scaffolding and pairs, and serves the original file by signed URL', async () => {
    const list = await server.gql(`{ datasets(filter: { search: "EQ-12" }) { totalCount edges { node { id sha256 downloadUrl } } } }`);
    const node = list.data!.datasets.edges[0].node;
    const first = await server.gql(`query($id: ID!) { dataset(id: $id) { conversations(first: 5) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { id ordinal personaKey emotionalArcKey trainingTopicKey pairCount trainablePairCount pairs { turnNumber trainable targetResponse } } } } } }`, { id: node.id });
    const page = first.data!.dataset.conversations;
    expect(page.totalCount).toBe(12);
    expect(page.edges).toHaveLength(5);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const conv = page.edges[0].node;
    expect(conv.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(conv.personaKey).toBeTruthy();
    expect(conv.pairs.length).toBe(conv.pairCount);
    expect(conv.pairs.filter((p: { trainable: boolean }) => p.trainable).length).toBe(conv.trainablePairCount);
    const rest = await server.gql(`query($id: ID!, $after: String) { dataset(id: $id) { conversations(first: 100, after: $after) { edges { node { ordinal } } } } }`, { id: node.id, after: page.pageInfo.endCursor });
    expect(rest.data!.dataset.conversations.edges.map((e: { node: { ordinal: number } }) => e.node.ordinal)).toEqual([5, 6, 7, 8, 9, 10, 11]);

    const download = await fetch(node.downloadUrl);
    expect(download.status).toBe(200);
    expect(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('hex')).toBe(node.sha256);
  });

  it('filters, orders, renames and soft-deletes', async () => {
    const byName = await server.gql(`{ datasets(orderBy: { field: NAME, direction: ASC }) { edges { node { name } } } }`);
    const names = byName.data!.datasets.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    const none = await server.gql(`{ datasets(filter: { minQuality: 4.99 }) { totalCount } }`);
    expect(none.data!.datasets.totalCount).toBe(0);
    const target = (await server.gql(`{ datasets(filter: { search: "Signed" }) { edges { node { id } } } }`)).data!.datasets.edges[0].node.id;
    const renamed = await server.gql(`mutation($id: ID!) { renameDataset(id: $id, name: "Renamed") { __typename ... on RenameDatasetSuccess { dataset { name } } } }`, { id: target });
    expect(renamed.data?.renameDataset.dataset.name).toBe('Renamed');
    const badName = await server.gql(`mutation($id: ID!) { renameDataset(id: $id, name: "") { __typename ... on ValidationError { fieldErrors { field message } } } }`, { id: target });
    expect(badName.data?.renameDataset.fieldErrors).toEqual([{ field: 'name', message: 'must be 1–200 characters' }]);
    await server.gql(`mutation($id: ID!) { deleteDataset(id: $id) { __typename } }`, { id: target });
    expect((await server.gql(`query($id: ID!) { dataset(id: $id) { id } }`, { id: target })).data?.dataset).toBeNull();
  });

  it("hides another workspace's datasets: reads are null, writes are not found", async () => {
    const other = await createWorkspace(server.services.db.prisma, 'Other');
    const mine = (await server.gql(`{ datasets { edges { node { id } } } }`)).data!.datasets.edges[0].node.id;
    const theirs = await server.gql(`query($id: ID!) { dataset(id: $id) { id } datasets { totalCount } }`, { id: mine }, other.adminKey);
    expect(theirs.data).toEqual({ dataset: null, datasets: { totalCount: 0 } });
    const rename = await server.gql(`mutation($id: ID!) { renameDataset(id: $id, name: "x") { __typename } }`, { id: mine }, other.adminKey);
    expect(rename.data?.renameDataset.__typename).toBe('NotFoundError');
  });
});
