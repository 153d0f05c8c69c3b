import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupabaseStorageStandIn, type SupabaseStandIn } from '../src/storage/supabase-standin.js';
import { startTestServer, uploadFile, type TestServer } from './harness.js';

const SAMPLE = new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl', import.meta.url);

/** The server with SUPABASE_URL set: datasets land in Supabase Storage (a stand-in speaking its REST API). */
describe('the server on Supabase Storage', () => {
  let supabase: SupabaseStandIn;
  let server: TestServer;
  beforeAll(async () => {
    supabase = await startSupabaseStorageStandIn({ serviceRoleKey: 'service-role-test-key' });
    server = await startTestServer('pglite', {
      SUPABASE_URL: supabase.url,
      SUPABASE_SERVICE_ROLE_KEY: 'service-role-test-key',
      SUPABASE_BUCKET_DATASETS: supabase.buckets.datasets,
      SUPABASE_BUCKET_CHECKPOINTS: supabase.buckets.checkpoints,
      SUPABASE_BUCKET_ARTIFACTS: supabase.buckets.artifacts,
      SUPABASE_BUCKET_EXPORTS: supabase.buckets.exports,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await supabase?.stop();
  });

  it('imports a dataset into the datasets bucket, pages its conversations and serves it by a Supabase signed URL', async () => {
    const bytes = await readFile(SAMPLE);
    const result = await uploadFile(server, { name: 'sample.jsonl', content: bytes });
    const dataset = result.data!.uploadDataset.dataset;
    expect(dataset).toMatchObject({ importStatus: 'IMPORTED', trainablePairCount: 44 });
    expect(server.services.storage.kind).toBe('supabase');
    const read = await server.gql(`query($id: ID!) { dataset(id: $id) { downloadUrl conversations(first: 2) { edges { node { pairCount } } } } }`, { id: dataset.id });
    expect(read.data!.dataset.downloadUrl.startsWith(supabase.url)).toBe(true);
    expect(read.data!.dataset.conversations.edges).toHaveLength(2);
    const body = Buffer.from(await (await fetch(read.data!.dataset.downloadUrl)).arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(dataset.sha256);
  });

  it('leaves nothing in the bucket when a file is refused', async () => {
    const before = (await server.services.storage.list('datasets')).length;
    const result = await uploadFile(server, { name: 'bad.json', content: '{"training_file_metadata": {"format_spec": "other"}, "conversations": []}' });
    expect(result.data!.uploadDataset.__typename).toBe('DatasetInvalidError');
    expect((await server.services.storage.list('datasets')).length).toBe(before);
  });

  it('makes a signed upload link single-use on Supabase too, and checks the stored sha256 before serving', async () => {
    const original = Buffer.from((await readFile(SAMPLE)).toString('utf8').replace('"version":"4.0.0"', '"version":"4.0.4"'));
    const requested = await server.gql(`mutation { requestDatasetUpload(input: { fileName: "once.jsonl" }) {
      ... on RequestDatasetUploadSuccess { dataset { id } upload { url headers { name value } } } } }`);
    const { dataset, upload } = requested.data!.requestDatasetUpload;
    const headers = Object.fromEntries(upload.headers.map((h: { name: string; value: string }) => [h.name, h.value]));
    expect((await fetch(upload.url, { method: 'PUT', headers, body: original })).ok).toBe(true);
    const finalized = await server.gql(`mutation($id: ID!) { finalizeDatasetUpload(input: { id: $id }) { __typename } }`, { id: dataset.id });
    expect(finalized.data!.finalizeDatasetUpload.__typename).toBe('FinalizeDatasetUploadSuccess');
    const late = await fetch(upload.url, { method: 'PUT', headers, body: 'replaced' });
    expect(late.ok).toBe(false);
    const query = `query($id: ID!) { dataset(id: $id) { sha256 downloadUrl } }`;
    const read = await server.gql(query, { id: dataset.id });
    const body = Buffer.from(await (await fetch(read.data!.dataset.downloadUrl)).arrayBuffer());
    expect(body.equals(original)).toBe(true);
    // A change made in the bucket itself is caught before a link is handed out.
    const row = await server.services.db.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } });
    await server.services.storage.put(row.storagePath, Buffer.from(original.toString('utf8').replace('"version":"4.0.4"', '"version":"4.0.5"')));
    const changed = await server.gql(query, { id: dataset.id });
    expect(changed.errors?.[0]).toMatchObject({ extensions: { code: 'DATASET_INTEGRITY' } });
  });
});
