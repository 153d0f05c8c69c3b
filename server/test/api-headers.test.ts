import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

describe('API version and request id headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => server?.stop());

  it('stamps every response with the API version (the root package.json version) and a request id', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const responses = await Promise.all([
      fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` }, body: '{"query":"{ viewer { scopes } }"}' }),
      fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { scopes } }"}' }),
      fetch(`${server.url}/readyz`),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 401, 200]);
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const response of responses) expect(response.headers.get('brightrun-api-version')).toBe(version);
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(3);
    expect(responses[0]!.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
  });

  it("keeps the caller's own plain request id, and replaces one that is not plain", async () => {
    const mine = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'notebook-42.retry-1' } });
    expect(mine.headers.get('x-request-id')).toBe('notebook-42.retry-1');
    const odd = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
  });
});
