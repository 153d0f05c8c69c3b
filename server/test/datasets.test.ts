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
    expect(dataset).toMatchObject({ name: 'EQ-12-conversations-demo', importStatus: 'IMPORTED', encoding: 'JSON', conversationCount: 12, trainingPairCount: 89, trainablePairCount: 44, sizeBytes: bytes.length });
    expect(dataset.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(dataset.readiness.ready).toBe(false);
    const volume = dataset.readiness.checks.find((c: { key: string }) => c.key === 'TRAINABLE_VOLUME');
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

  const multipartOperations = JSON.stringify({ query: 'mutation($file: Upload!) { uploadDataset(input: { file: $file }) { __typename } }', variables: { file: null } });

  it('refuses a multipart body declared over the limit before reading it (413), and serves the next upload', async () => {
    const form = new FormData();
    form.set('operations', multipartOperations);
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([new Uint8Array(3 * 1024 * 1024).fill(32)]), 'big.json');
    const response = await fetch(server.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${server.adminKey}`, 'graphql-require-preflight': '1' }, body: form });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'REQUEST_TOO_LARGE', limitName: 'multipartBytes' }, message: expect.stringContaining('requestDatasetUpload') });
    const next = await uploadFile(server, { name: 'after.jsonl', content: '{"messages":[]}\n' });
    expect(next.data?.uploadDataset.__typename).toBe('DatasetInvalidError');
  });

  it('releases the multipart in-flight budget after each response (12 × 1.9 MB in sequence exceed it if leaked)', async () => {
    const content = new Uint8Array(1_900_000).fill(32);
    content[0] = 0x5b; // "[": a JSON list, refused at once as the wrong format
    for (let i = 0; i < 12; i++) {
      const result = await uploadFile(server, { name: `list-${i}.json`, content });
      expect(result.status, JSON.stringify(result.errors)).toBe(200);
      expect(result.data?.uploadDataset).toMatchObject({ __typename: 'DatasetInvalidError', kind: 'WRONG_FORMAT' });
    }
  });

  it('counts a streamed multipart body without Content-Length and cuts it at the limit (it was buffered whole)', async () => {
    const boundary = 'fuzzboundary';
    let pulled = 0;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${multipartOperations}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="endless.json"\r\nContent-Type: application/json\r\n\r\n`,
    );
    const chunk = new Uint8Array(64 * 1024).fill(32);
    let sentHead = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sentHead) {
          sentHead = true;
          controller.enqueue(new Uint8Array(head));
          return;
        }
        if (pulled >= 64 * 1024 * 1024) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'graphql-require-preflight': '1', 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error as Error);
    // Answered 413 (or the connection was cut) long before the 64 MB were sent.
    if (response instanceof Response) {
      expect(response.status).toBe(413);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('REQUEST_TOO_LARGE');
    }
    expect(pulled).toBeLessThan(16 * 1024 * 1024);
  });

  it('imports through a signed upload: request, PUT, finalize; finalize twice is refused', async () => {
    const bytes = await sampleJsonl();
    const requested = await server.gql(`mutation($input: RequestDatasetUploadInput!) { requestDatasetUpload(input: $input) {
      __typename ... on RequestDatasetUploadSuccess { dataset { id importStatus } upload { url method headers { name value } expiresAt } } } }`,
      { input: { fileName: 'signed.jsonl', name: 'Signed upload', sizeBytes: bytes.length } });
    const { dataset, upload } = requested.data!.requestDatasetUpload;
    expect(dataset.importStatus).toBe('UPLOADING');
    const early = await server.gql(`mutation($id: ID!) { finalizeDatasetUpload(input: { id: $id }) { __typename ... on Error { message } } }`, { id: dataset.id });
    expect(early.data?.finalizeDatasetUpload).toMatchObject({ __typename: 'UploadStateError', message: expect.stringMatching(/No bytes have arrived/) });
    // Change one byte so this is not a duplicate of the JSONL uploaded above.
    const body = Buffer.from(bytes.toString('utf8').replace('"version":"4.0.0"', '"version":"4.0.1"'));
    const headers = Object.fromEntries(upload.headers.map((h: { name: string; value: string }) => [h.name, h.value]));
    const put = await fetch(upload.url, { method: upload.method, headers, body });
    expect(put.status).toBeLessThan(300);
    const finalized = await server.gql(`mutation($id: ID!) { finalizeDatasetUpload(input: { id: $id }) { __typename
      ... on FinalizeDatasetUploadSuccess { dataset { id importStatus trainablePairCount encoding } } ... on Error { message } } }`, { id: dataset.id });
    expect(finalized.data?.finalizeDatasetUpload.dataset).toMatchObject({ id: dataset.id, importStatus: 'IMPORTED', trainablePairCount: 44, encoding: 'JSONL' });
    const again = await server.gql(`mutation($id: ID!) { finalizeDatasetUpload(input: { id: $id }) { __typename } }`, { id: dataset.id });
    expect(again.data?.finalizeDatasetUpload.__typename).toBe('UploadStateError');
  });

  const requestUpload = async (fileName: string) => {
    const requested = await server.gql(`mutation($input: RequestDatasetUploadInput!) { requestDatasetUpload(input: $input) {
      __typename ... on RequestDatasetUploadSuccess { dataset { id } upload { url method headers { name value } } } } }`, { input: { fileName } });
    const { dataset, upload } = requested.data!.requestDatasetUpload;
    const headers = Object.fromEntries(upload.headers.map((h: { name: string; value: string }) => [h.name, h.value]));
    return { id: dataset.id as string, put: (body: string | Buffer) => fetch(upload.url, { method: upload.method, headers, body: typeof body === 'string' ? body : new Uint8Array(body) }) };
  };
  const finalize = (id: string) =>
    server.gql(`mutation($id: ID!) { finalizeDatasetUpload(input: { id: $id }) { __typename ... on FinalizeDatasetUploadSuccess { dataset { id sha256 sizeBytes } } ... on Error { code message } } }`, { id });

  it('makes a signed upload link single-use: a PUT after finalize is refused and the READY bytes stay (it replaced them)', async () => {
    const original = Buffer.from((await sampleJsonl()).toString('utf8').replace('"version":"4.0.0"', '"version":"4.0.2"'));
    const upload = await requestUpload('Once.jsonl');
    expect((await upload.put(original)).status).toBe(200);
    const finalized = (await finalize(upload.id)).data!.finalizeDatasetUpload;
    expect(finalized.__typename).toBe('FinalizeDatasetUploadSuccess');
    const replacement = Buffer.from(original.toString('utf8').replace('"version":"4.0.2"', '"version":"6.6.6"'));
    const late = await upload.put(replacement);
    expect(late.status).toBe(409);
    expect((await late.json()).error.message).toMatch(/no longer waiting for an upload|single-use/);
    const read = await server.gql(`query($id: ID!) { dataset(id: $id) { sha256 sizeBytes downloadUrl } }`, { id: upload.id });
    const body = Buffer.from(await (await fetch(read.data!.dataset.downloadUrl)).arrayBuffer());
    expect(body.equals(original)).toBe(true);
    expect(read.data!.dataset.sha256).toBe(createHash('sha256').update(original).digest('hex'));
  });

  it('closes the link of a refused upload: a later PUT stores nothing', async () => {
    const before = (await storedObjects()).length;
    const upload = await requestUpload('Refused.json');
    expect((await upload.put('{"training_file_metadata": {"format_spec": "other"}}')).status).toBe(200);
    expect((await finalize(upload.id)).data!.finalizeDatasetUpload.__typename).toBe('DatasetInvalidError');
    const late = await upload.put(await sampleJsonl());
    expect(late.status).toBe(409);
    expect((await storedObjects()).length).toBe(before);
    expect(await server.services.db.prisma.dataset.count({ where: { id: upload.id } })).toBe(0);
  });

  it('never serves a stored file that no longer matches its sha256 and size, nor a changed conversation index', async () => {
    const original = Buffer.from((await sampleJsonl()).toString('utf8').replace('"version":"4.0.0"', '"version":"4.0.3"'));
    const upload = await requestUpload('Tampered.jsonl');
    await upload.put(original);
    expect((await finalize(upload.id)).data!.finalizeDatasetUpload.__typename).toBe('FinalizeDatasetUploadSuccess');
    const dataset = (await server.services.db.prisma.dataset.findUniqueOrThrow({ where: { id: upload.id } }));
    const query = `query($id: ID!) { dataset(id: $id) { downloadUrl } }`;
    expect((await server.gql(query, { id: upload.id })).data!.dataset.downloadUrl).toMatch(/^http/);
    // Same size, other bytes (written behind the API's back, as a storage-level change would be).
    const sameSize = Buffer.from(original.toString('utf8').replace('"version":"4.0.3"', '"version":"4.0.9"'));
    expect(sameSize.length).toBe(original.length);
    await server.services.storage.put(dataset.storagePath, sameSize);
    const changed = await server.gql(query, { id: upload.id });
    expect(changed.errors?.[0]).toMatchObject({ extensions: { code: 'DATASET_INTEGRITY' }, message: expect.stringContaining('sha256') });
    expect(changed.data?.dataset?.downloadUrl ?? null).toBeNull();
    await server.services.storage.put(dataset.storagePath, Buffer.concat([original, Buffer.from('\n')]));
    const longer = await server.gql(query, { id: upload.id });
    expect(longer.errors?.[0]).toMatchObject({ extensions: { code: 'DATASET_INTEGRITY' }, message: expect.stringContaining(`not the ${original.length} bytes`) });

    // The conversation index: one record moved out of place.
    const indexPath = `datasets/${dataset.workspaceId}/${dataset.id}/conversations.jsonl`;
    const index = Buffer.concat(await (await server.services.storage.read(indexPath)).toArray()).toString('utf8').trimEnd().split('\n');
    await server.services.storage.put(indexPath, Buffer.from([index[1], index[0], ...index.slice(2)].join('\n') + '\n'));
    const pages = await server.gql(`query($id: ID!) { dataset(id: $id) { conversations(first: 3) { edges { node { id } } } } }`, { id: upload.id });
    expect(pages.errors?.[0]).toMatchObject({ extensions: { code: 'DATASET_INTEGRITY' } });
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

  it('filters, orders, updates, and deletes only with the name typed', async () => {
    const byName = await server.gql(`{ datasets(orderBy: { field: NAME, direction: ASC }) { edges { node { name } } } }`);
    const names = byName.data!.datasets.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    const none = await server.gql(`{ datasets(filter: { minQuality: 4.99 }) { totalCount } }`);
    expect(none.data!.datasets.totalCount).toBe(0);
    const target = (await server.gql(`{ datasets(filter: { search: "Signed" }) { edges { node { id } } } }`)).data!.datasets.edges[0].node.id;
    const renamed = await server.gql(`mutation($id: ID!) { updateDataset(input: { id: $id, name: "Renamed", description: "kept" }) { __typename ... on UpdateDatasetSuccess { dataset { name description } } } }`, { id: target });
    expect(renamed.data?.updateDataset.dataset).toEqual({ name: 'Renamed', description: 'kept' });
    const badName = await server.gql(`mutation($id: ID!) { updateDataset(input: { id: $id, name: "" }) { __typename ... on ValidationError { code fieldErrors { field message } } } }`, { id: target });
    expect(badName.data?.updateDataset).toEqual({ __typename: 'ValidationError', code: 'VALIDATION_FAILED', fieldErrors: [{ field: 'input.name', message: 'must be 1–200 characters' }] });
    const wrongName = await server.gql(`mutation($id: ID!) { deleteDataset(input: { id: $id, confirmName: "renamed" }) { __typename ... on ConfirmationMismatchError { code expectedName } } }`, { id: target });
    expect(wrongName.data?.deleteDataset).toEqual({ __typename: 'ConfirmationMismatchError', code: 'CONFIRMATION_MISMATCH', expectedName: 'Renamed' });
    expect((await server.gql(`query($id: ID!) { dataset(id: $id) { id } }`, { id: target })).data?.dataset).toEqual({ id: target });
    const deleted = await server.gql(`mutation($id: ID!) { deleteDataset(input: { id: $id, confirmName: "Renamed" }) { __typename ... on DeleteDatasetSuccess { dataset { id } } } }`, { id: target });
    expect(deleted.data?.deleteDataset).toEqual({ __typename: 'DeleteDatasetSuccess', dataset: { id: target } });
    expect((await server.gql(`query($id: ID!) { dataset(id: $id) { id } node(id: $id) { id } }`, { id: target })).data).toEqual({ dataset: null, node: null });
  });

  it('pages with keyset cursors that do not shift when a dataset is added, and enforces the page limit', async () => {
    const page = (after: string | null) => server.gql(`query($after: String) { datasets(first: 1, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { id } } } }`, { after });
    const first = (await page(null)).data!.datasets;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const secondBefore = (await page(first.pageInfo.endCursor)).data!.datasets.edges[0].node.id;
    const added = await uploadFile(server, { name: 'newest.jsonl', content: (await sampleJsonl()).toString('utf8').replace('"version":"4.0.0"', '"version":"4.0.9"') });
    expect(added.data?.uploadDataset.__typename).toBe('UploadDatasetSuccess');
    const secondAfter = (await page(first.pageInfo.endCursor)).data!.datasets;
    expect(secondAfter.edges[0].node.id).toBe(secondBefore);
    expect(secondAfter.totalCount).toBe(first.totalCount + 1);
    const backward = await server.gql(`query($before: String) { datasets(last: 5, before: $before) { edges { node { id } } pageInfo { hasNextPage } } }`, { before: secondAfter.pageInfo.endCursor });
    // Backward from the second: everything before it, the new one (newest) first.
    expect(backward.data!.datasets.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([added.data!.uploadDataset.dataset.id, first.edges[0].node.id]);
    expect(backward.data!.datasets.pageInfo.hasNextPage).toBe(true);

    const tooMany = await server.gql(`{ datasets(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0]).toMatchObject({ message: expect.stringMatching(/first must be from 0 to 100/), extensions: { code: 'BAD_USER_INPUT' } });
    const badCursor = await server.gql(`{ datasets(after: "nope") { totalCount } }`);
    expect(badCursor.errors?.[0]).toMatchObject({ message: expect.stringMatching(/after is not a cursor of this list/), extensions: { code: 'BAD_USER_INPUT' } });
    const conversations = await server.gql(`query($id: ID!) { dataset(id: $id) { conversations(first: 101) { totalCount } } }`, { id: first.edges[0].node.id });
    expect(conversations.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('compares two datasets from their statistics', async () => {
    const ids = (await server.gql(`{ datasets(filter: { search: "EQ" }, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { id name } } } }`)).data!.datasets.edges.map((e: { node: { id: string } }) => e.node.id);
    const compared = await server.gql(`query($a: ID!, $b: ID!) { compareDatasets(input: { aId: $a, bId: $b }) { __typename ... on CompareDatasetsSuccess { comparison {
      a { id } b { id } measures { measure a b difference } scaffolding { dimension shared onlyInA onlyInB } sharedConversationCount readinessDifferences { key } } } } }`, { a: ids[0], b: ids[1] });
    const comparison = compared.data!.compareDatasets.comparison;
    expect(comparison.measures.find((m: { measure: string }) => m.measure === 'TRAINABLE_PAIRS')).toEqual({ measure: 'TRAINABLE_PAIRS', a: 44, b: 44, difference: 0 });
    // The JSON and JSONL encodings of one sample: the same conversations and scaffolding.
    expect(comparison.sharedConversationCount).toBe(12);
    expect(comparison.scaffolding.every((o: { onlyInA: string[]; onlyInB: string[] }) => o.onlyInA.length === 0 && o.onlyInB.length === 0)).toBe(true);
    const same = await server.gql(`query($a: ID!) { compareDatasets(input: { aId: $a, bId: $a }) { __typename ... on ValidationError { fieldErrors { field } } } }`, { a: ids[0] });
    expect(same.data!.compareDatasets).toEqual({ __typename: 'ValidationError', fieldErrors: [{ field: 'input.bId' }] });
    const unknown = await server.gql(`query($a: ID!) { compareDatasets(input: { aId: $a, bId: "ds_unknown" }) { __typename } }`, { a: ids[0] });
    expect(unknown.data!.compareDatasets.__typename).toBe('NotFoundError');
  });

  it("hides another workspace's datasets: reads are null, writes are not found", async () => {
    const other = await createWorkspace(server.services.db.prisma, 'Other');
    const mine = (await server.gql(`{ datasets { edges { node { id } } } }`)).data!.datasets.edges[0].node.id;
    const theirs = await server.gql(`query($id: ID!) { dataset(id: $id) { id } datasets { totalCount } }`, { id: mine }, other.adminKey);
    expect(theirs.data).toEqual({ dataset: null, datasets: { totalCount: 0 } });
    const rename = await server.gql(`mutation($id: ID!) { updateDataset(input: { id: $id, name: "x" }) { __typename } }`, { id: mine }, other.adminKey);
    expect(rename.data?.updateDataset.__typename).toBe('NotFoundError');
    expect((await server.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: mine }, other.adminKey)).data?.node).toBeNull();
  });
});
