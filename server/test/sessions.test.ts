import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MAX_SESSIONS_PER_KEY } from '../src/auth/sessions.js';
import { MAX_SIGN_IN_BYTES } from '../src/http/session-routes.js';
import { startTestServer, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('pglite');
});
afterAll(() => server?.stop());

const CSRF = { 'x-brightrun-csrf': '1' };
const VIEWER = '{ viewer { scopes } }';

async function signIn(apiKey: string, headers: Record<string, string> = CSRF) {
  const response = await fetch(`${server.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ apiKey }) });
  const cookie = response.headers.get('set-cookie') ?? '';
  return { response, body: (await response.json()) as Record<string, unknown>, cookie, token: /brightrun_session=([^;]+)/.exec(cookie)?.[1] ?? '' };
}
const graphql = (token: string, headers: Record<string, string> = CSRF) =>
  fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `brightrun_session=${token}`, ...headers }, body: JSON.stringify({ query: VIEWER }) });

describe('dashboard sessions', () => {
  it('the first start is announced until a key is used; a key becomes an httpOnly, SameSite=Strict cookie', async () => {
    const before = (await (await fetch(`${server.url}/auth/session`)).json()) as Record<string, unknown>;
    expect(before).toMatchObject({ signedIn: false, firstStart: true });
    const { response, body, cookie, token } = await signIn(server.adminKey);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ signedIn: true, scopes: ['READ', 'WRITE', 'ADMIN'] });
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain http here
    expect(cookie).not.toContain(server.adminKey);
    expect(token).toMatch(/^brs_/);
    const me = await fetch(`${server.url}/auth/session`, { headers: { cookie: `brightrun_session=${token}` } });
    expect(await me.json()).toMatchObject({ signedIn: true, keyName: 'Admin key', keyPrefix: server.adminKey.slice(0, 12) });
    const after = (await (await fetch(`${server.url}/auth/session`)).json()) as Record<string, unknown>;
    expect(after.firstStart).toBe(false);
  });

  it('Secure is set when the request came over HTTPS (a proxy says so)', async () => {
    const { cookie } = await signIn(server.adminKey, { ...CSRF, 'x-forwarded-proto': 'https' });
    expect(cookie).toMatch(/; Secure/);
  });

  it('the cookie authenticates /graphql only with the CSRF header', async () => {
    const { token } = await signIn(server.adminKey);
    const ok = await graphql(token);
    expect(await ok.json()).toMatchObject({ data: { viewer: { scopes: ['READ', 'WRITE', 'ADMIN'] } } });
    const forged = await graphql(token, {});
    expect(forged.status).toBe(403);
    expect(JSON.stringify(await forged.json())).toContain('x-brightrun-csrf');
  });

  it('refuses bad keys, missing CSRF, wrong content type and oversized bodies with the fix', async () => {
    const bad = await signIn('brk_notakeyatall00000000000000000000000000');
    expect(bad.response.status).toBe(401);
    expect(bad.body.message).toMatch(/Invalid API key/);
    expect(bad.cookie).toBe('');
    expect((await signIn(server.adminKey, {})).response.status).toBe(403);
    const text = await fetch(`${server.url}/auth/session`, { method: 'POST', headers: { ...CSRF, 'content-type': 'text/plain' }, body: server.adminKey });
    expect(text.status).toBe(415);
    const huge = await fetch(`${server.url}/auth/session`, { method: 'POST', headers: { ...CSRF, 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: 'x'.repeat(MAX_SIGN_IN_BYTES) }) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { message: string }).message).toContain(`${MAX_SIGN_IN_BYTES} bytes`);
  });

  it('sign-out revokes the session at once', async () => {
    const { token } = await signIn(server.adminKey);
    const out = await fetch(`${server.url}/auth/session`, { method: 'DELETE', headers: { ...CSRF, cookie: `brightrun_session=${token}` } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const refused = await graphql(token);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).toContain('signed out');
  });

  it('an expired session says so, and a revoked key ends its sessions', async () => {
    const { token } = await signIn(server.adminKey);
    await server.services.db.prisma.session.updateMany({ where: { revokedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await graphql(token);
    expect(expired.status).toBe(401);
    const body = (await expired.json()) as { errors: { message: string; extensions: { reason: string } }[] };
    expect(body.errors[0]).toMatchObject({ extensions: { reason: 'SESSION_EXPIRED' } });
    expect(body.errors[0]!.message).toContain('expired');

    const created = await server.gql('mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { ... on CreateApiKeySuccess { secret apiKey { id } } } }', { i: { name: 'temp', scopes: ['READ'] } });
    const { secret: key, apiKey } = created.data!.createApiKey as { secret: string; apiKey: { id: string } };
    const session = await signIn(key);
    expect((await graphql(session.token)).status).toBe(200);
    await server.gql('mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { __typename } }', { i: { id: apiKey.id } });
    const revoked = await graphql(session.token);
    expect(revoked.status).toBe(401);
    expect(JSON.stringify(await revoked.json())).toContain('was revoked');
  });

  it(`keeps at most ${MAX_SESSIONS_PER_KEY} sessions per key (the oldest go)`, async () => {
    const first = await signIn(server.adminKey);
    for (let i = 0; i < MAX_SESSIONS_PER_KEY; i++) await signIn(server.adminKey);
    const keyId = (await server.services.db.prisma.apiKey.findFirstOrThrow({ where: { prefix: server.adminKey.slice(0, 12) } })).id;
    expect(await server.services.db.prisma.session.count({ where: { apiKeyId: keyId } })).toBe(MAX_SESSIONS_PER_KEY);
    expect((await graphql(first.token)).status).toBe(401);
  });

  it('graphql-ws authenticates with the cookie from a page of this origin only', async () => {
    const { token } = await signIn(server.adminKey);
    const wsUrl = server.graphqlUrl.replace(/^http/, 'ws');
    const run = (origin: string) =>
      new Promise<unknown>((resolve, reject) => {
        const client = createClient({
          url: wsUrl,
          retryAttempts: 0,
          webSocketImpl: class extends WebSocket {
            constructor(address: string, protocols?: string | string[]) {
              super(address, protocols, { headers: { cookie: `brightrun_session=${token}`, origin } });
            }
          },
          on: { closed: (event) => reject(new Error(`closed ${(event as { code: number }).code}: ${(event as { reason: string }).reason}`)) },
        });
        client.subscribe({ query: 'subscription { serverTime(intervalMs: 100) }' }, {
          next: (value) => {
            resolve(value);
            void client.dispose();
          },
          error: reject,
          complete: () => undefined,
        });
      });
    expect(await run(new URL(server.url).origin)).toMatchObject({ data: { serverTime: expect.any(String) } });
    await expect(run('https://evil.example')).rejects.toThrow(/4403.*Origin/);
  });

  it('signing out closes the sockets opened with that cookie (4403) within a second, and only those', async () => {
    const mine = await signIn(server.adminKey);
    const other = await signIn(server.adminKey);
    const wsUrl = server.graphqlUrl.replace(/^http/, 'ws');
    const open = (token: string) => {
      let closed: ((event: { code: number; reason: string; at: number }) => void) | undefined;
      const closedAt = new Promise<{ code: number; reason: string; at: number }>((resolve) => (closed = resolve));
      const started = new Promise<void>((resolve, reject) => {
        const client = createClient({
          url: wsUrl,
          retryAttempts: 0,
          lazy: false,
          webSocketImpl: class extends WebSocket {
            constructor(address: string, protocols?: string | string[]) {
              super(address, protocols, { headers: { cookie: `brightrun_session=${token}`, origin: new URL(server.url).origin } });
            }
          },
          on: { closed: (event) => closed!({ code: (event as { code: number }).code, reason: (event as { reason: string }).reason, at: Date.now() }) },
        });
        client.subscribe({ query: 'subscription { serverTime(intervalMs: 100) }' }, { next: () => resolve(), error: reject, complete: () => undefined });
        closedAt.then(() => void client.dispose());
      });
      return { started, closedAt };
    };
    const a = open(mine.token);
    const b = open(other.token);
    await Promise.all([a.started, b.started]);
    const signedOutAt = Date.now();
    const out = await fetch(`${server.url}/auth/session`, { method: 'DELETE', headers: { ...CSRF, cookie: `brightrun_session=${mine.token}` } });
    expect(out.status).toBe(204);
    const event = await a.closedAt;
    expect(event.code).toBe(4403);
    expect(event.reason).toMatch(/signed out/);
    expect(event.at - signedOutAt).toBeLessThan(1_000);
    // The other session's socket stays open.
    const stillOpen = await Promise.race([b.closedAt.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 300))]);
    expect(stillOpen).toBe(true);
    await fetch(`${server.url}/auth/session`, { method: 'DELETE', headers: { ...CSRF, cookie: `brightrun_session=${other.token}` } });
    expect((await b.closedAt).code).toBe(4403);
  });
});

