import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/auth/bootstrap.js';
import { BACKENDS, startTestServer, type TestServer } from './harness.js';

describe.each(BACKENDS)('auth and API keys (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server?.stop());

  it('serves /healthz without a key', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: { kind: backend, status: 'ok' }, storage: 'local' });
  });

  it('answers 401 with the fix when the key is missing, unknown or malformed', async () => {
    const missing = await server.gql('{ viewer { scopes } }', {}, null);
    expect(missing.status).toBe(401);
    expect(missing.errors?.[0]).toMatchObject({ message: expect.stringMatching(/Missing API key: send the header "Authorization: Bearer brk_…"/), extensions: { code: 'UNAUTHENTICATED' } });
    const unknown = await server.gql('{ viewer { scopes } }', {}, `brk_${'x'.repeat(40)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.errors?.[0]?.message).toMatch(/Invalid API key/);
    const malformed = await server.gql('{ viewer { scopes } }', {}, 'hunter2');
    expect(malformed.status).toBe(401);
    expect(malformed.errors?.[0]?.message).toMatch(/API keys start with brk_/);
  });

  it('creates a key shown once, lists it by prefix with last use, enforces scopes, and revokes it', async () => {
    const created = await server.gql(`mutation { createApiKey(input: { name: "notebook", scopes: [READ] }) {
      __typename ... on CreateApiKeySuccess { data { secret apiKey { id prefix scopes lastUsedAt } } } } }`);
    const { secret, apiKey } = created.data!.createApiKey.data;
    expect(secret).toMatch(/^brk_[A-Za-z0-9]{40}$/);
    expect(apiKey.prefix).toBe(secret.slice(0, 12));
    expect(apiKey.lastUsedAt).toBeNull();

    const viewer = await server.gql('{ viewer { scopes workspace { id } } }', {}, secret);
    expect(viewer.data?.viewer.scopes).toEqual(['READ']);
    const denied = await server.gql('mutation { renameDataset(id: "ds_x", name: "n") { __typename } }', {}, secret);
    expect(denied.errors?.[0]?.message).toMatch(/lacks the scope/);

    const listed = await server.gql('{ apiKeys { id prefix lastUsedAt revokedAt } }');
    const mine = listed.data!.apiKeys.find((k: { id: string }) => k.id === apiKey.id);
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.data)).not.toContain(secret);

    const revoked = await server.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { data { revokedAt } } } }`, { id: apiKey.id });
    expect(revoked.data?.revokeApiKey.data.revokedAt).toBeTruthy();
    const after = await server.gql('{ viewer { scopes } }', {}, secret);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.message).toMatch(/was revoked on/);
  });

  it('refuses invalid key input as field errors', async () => {
    const result = await server.gql(`mutation { createApiKey(input: { name: " ", scopes: [] }) { __typename ... on ValidationError { fieldErrors { field message } } } }`);
    expect(result.data?.createApiKey.fieldErrors).toEqual([
      { field: 'input.name', message: 'must be 1–100 characters' },
      { field: 'input.scopes', message: 'give at least one scope: READ, WRITE or ADMIN' },
    ]);
  });

  it("keeps workspaces apart: another workspace's ids read as not found", async () => {
    const other = await createWorkspace(server.services.db.prisma, 'Other team');
    const otherKeys = await server.gql('{ apiKeys { id } }', {}, other.adminKey);
    const ownKeys = await server.gql('{ apiKeys { id } }');
    const ownIds = new Set(ownKeys.data!.apiKeys.map((k: { id: string }) => k.id));
    expect(otherKeys.data!.apiKeys.some((k: { id: string }) => ownIds.has(k.id))).toBe(false);
    const foreign = otherKeys.data!.apiKeys[0].id;
    const revoke = await server.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on NotFoundError { message } } }`, { id: foreign });
    expect(revoke.data?.revokeApiKey).toEqual({ __typename: 'NotFoundError', message: `No API key with id "${foreign}" in this workspace` });
  });

  it('serves GraphiQL to a browser without a key', async () => {
    const response = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('BrightRun LoRA API');
  });
});
