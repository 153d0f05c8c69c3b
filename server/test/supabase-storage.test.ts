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
});
