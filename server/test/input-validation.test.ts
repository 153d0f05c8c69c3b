import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestServer, uploadFile, type TestServer } from './harness.js';

// Inputs are checked at the edge (validation/input-bounds.ts) before any resolver runs: a NUL, an
// oversize string or a malformed id is a typed refusal naming the field, never a Postgres error
// (INTERNAL) or a row that breaks later listings.
describe.each(BACKENDS)('input validation over HTTP (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server?.stop());

  const REQUEST = `mutation($input: RequestDatasetUploadInput!) { requestDatasetUpload(input: $input) {
    __typename ... on ValidationError { code fieldErrors { field message } } ... on RequestDatasetUploadSuccess { dataset { id } } } }`;

  it('refuses an oversize description with ValidationError and stores nothing', async () => {
    const before = await server.services.db.prisma.dataset.count();
    const result = await server.gql(REQUEST, { input: { fileName: 'a.jsonl', description: 'x'.repeat(2_001) } });
    expect(result.data?.requestDatasetUpload).toEqual({ __typename: 'ValidationError', code: 'VALIDATION_FAILED', fieldErrors: [{ field: 'input.description', message: 'at most 2,000 characters (got 2,001)' }] });
    expect(await server.services.db.prisma.dataset.count()).toBe(before);
  });

  it('refuses NUL in a name as a field error, not a database error', async () => {
    const result = await server.gql(REQUEST, { input: { fileName: 'a.jsonl', name: 'bad\u0000name' } });
    expect(result.data?.requestDatasetUpload.fieldErrors).toEqual([{ field: 'input.name', message: 'must not contain the NUL character (\\u0000)' }]);
  });

  it('reports every problem of one input at once', async () => {
    const result = await server.gql(REQUEST, { input: { fileName: 'f'.repeat(201), name: 'a\u0000', description: 'd'.repeat(3000) } });
    expect(result.data?.requestDatasetUpload.fieldErrors.map((e: { field: string }) => e.field)).toEqual(['input.fileName', 'input.name', 'input.description']);
  });

  it('answers a query argument with BAD_USER_INPUT naming the field', async () => {
    const search = await server.gql('query($s: String) { datasets(filter: { search: $s }) { totalCount } }', { s: 'a\u0000b' });
    expect(search.data).toBeNull();
    expect(search.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
    const long = await server.gql('query($s: String) { datasets(filter: { search: $s }) { totalCount } }', { s: 's'.repeat(201) });
    expect(long.errors?.[0]).toMatchObject({ message: 'Invalid argument: filter.search: at most 200 characters (got 201)', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('checks ids by their prefix format', async () => {
    const nul = await server.gql('query($id: ID!) { dataset(id: $id) { id } }', { id: 'ds_abc\u0000' });
    expect(nul.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const wrongKind = await server.gql('query($id: ID!) { dataset(id: $id) { id } }', { id: 'job_0123456789abcdefghi' });
    expect(wrongKind.errors?.[0]?.message).toBe('Invalid argument: id: "job_0123456789abcdefghi" is a TrainingJob id; this needs a Dataset id (ds_…)');
    const garbage = await server.gql('query($id: ID!) { trainingJob(id: $id) { id } }', { id: "'; DROP TABLE x; --" });
    expect(garbage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const unknown = await server.gql('query($id: ID!) { dataset(id: $id) { id } }', { id: 'ds_0123456789abcdefghi' });
    expect(unknown).toMatchObject({ data: { dataset: null } });
    expect(unknown.errors).toBeUndefined();
  });

  it('refuses an uploaded file whose name is too long', async () => {
    const long = await uploadFile(server, { name: `${'n'.repeat(300)}.jsonl`, content: '{}' });
    expect(long.data?.uploadDataset).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(long.data?.uploadDataset.message).toMatch(/input.file: the file name has 306 characters; at most 200/);
  });
});
