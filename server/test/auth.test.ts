import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/auth/bootstrap.js';
import { BACKENDS, startTestServer, type TestServer } from './harness.js';

describe.each(BACKENDS)('auth and API keys (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server?.stop());

  it('serves /healthz (liveness) and /readyz (readiness) without a key', async () => {
    const live = await fetch(`${server.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok', phase: 'ready', database: { kind: backend }, storage: 'local' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: { kind: backend, status: 'ok' }, storage: 'local' });
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
      __typename ... on CreateApiKeySuccess { secret apiKey { id prefix scopes lastUsedAt } } } }`);
    const { secret, apiKey } = created.data!.createApiKey;
    expect(secret).toMatch(/^brk_[A-Za-z0-9]{40}$/);
    expect(apiKey.prefix).toBe(secret.slice(0, 12));
    expect(apiKey.lastUsedAt).toBeNull();

    const viewer = await server.gql('{ viewer { scopes workspace { id } } }', {}, secret);
    expect(viewer.data?.viewer.scopes).toEqual(['READ']);
    const denied = await server.gql('mutation { updateDataset(input: { id: "ds_x", name: "n" }) { __typename } }', {}, secret);
    expect(denied.errors?.[0]?.message).toMatch(/lacks the scope/);

    const listed = await server.gql('{ apiKeys { totalCount edges { node { id prefix lastUsedAt revokedAt } } } }');
    const mine = listed.data!.apiKeys.edges.map((e: { node: unknown }) => e.node).find((k: { id: string }) => k.id === apiKey.id);
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.data)).not.toContain(secret);

    const revoked = await server.gql(`mutation($id: ID!) { revokeApiKey(input: { id: $id }) { __typename ... on RevokeApiKeySuccess { apiKey { revokedAt } } } }`, { id: apiKey.id });
    expect(revoked.data?.revokeApiKey.apiKey.revokedAt).toBeTruthy();
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
    const ids = async (key?: string) => ((await server.gql('{ apiKeys { edges { node { id } } } }', {}, key)).data!.apiKeys.edges as { node: { id: string } }[]).map((e) => e.node.id);
    const otherKeys = await ids(other.adminKey);
    const ownIds = new Set(await ids());
    expect(otherKeys.some((id) => ownIds.has(id))).toBe(false);
    const foreign = otherKeys[0]!;
    const revoke = await server.gql(`mutation($id: ID!) { revokeApiKey(input: { id: $id }) { __typename ... on NotFoundError { code message } } }`, { id: foreign });
    expect(revoke.data?.revokeApiKey).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: `No API key with id "${foreign}" in this workspace` });
    expect((await server.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: foreign })).data?.node).toBeNull();
  });

  it('serves GraphiQL to a browser without a key, with its assets from this server (works offline)', async () => {
    const response = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('BrightRun LoRA API');
    expect(page).not.toMatch(/https?:\/\//);
    const assets = [...page.matchAll(/(?:src|href)=(\/graphiql\/assets\/[\w.-]+)/g)].map((m) => m[1]!);
    const workers = [...page.matchAll(/"(\/graphiql\/assets\/[\w.-]+)"/g)].map((m) => m[1]!);
    expect(assets.concat(workers)).toHaveLength(5);
    for (const asset of assets.concat(workers)) {
      const served = await fetch(`${server.url}${asset}`);
      expect(served.status, asset).toBe(200);
      expect((await served.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
    expect((await fetch(`${server.url}/graphiql/assets/../../package.json`)).status).toBe(404);
  });

  it('refuses trainer tokens on /graphql and API keys on /trainer/graphql, each with the address that takes them', async () => {
    const trainerHere = await server.gql('{ viewer { scopes } }', {}, `brj_${'a'.repeat(40)}`);
    expect(trainerHere.status).toBe(401);
    expect(trainerHere.errors?.[0]?.message).toMatch(/accepted only at \/trainer\/graphql/);
    const keyThere = await server.trainerGql('query { trainerJob(jobId: "job_x") { jobId } }', {}, server.adminKey);
    expect(keyThere.status).toBe(401);
    expect(keyThere.errors?.[0]?.message).toMatch(/API keys are not accepted at \/trainer\/graphql/);
    const nothing = await server.trainerGql('query { trainerJob(jobId: "job_x") { jobId } }', {}, null);
    expect(nothing.status).toBe(401);
  });
});
