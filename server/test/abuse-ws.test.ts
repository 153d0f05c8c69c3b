import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTempDatabase } from '../src/db/temp-database.js';
import { startTestServer, type TestServer } from './harness.js';
import { ANSWER_BOUND_MS, NORMAL_QUERY, Timings, normalBoundMs, underAttack, type AttackResult } from './support/abuse.js';

// graphql-ws under abuse (issue #15): sessions follow their keys, a socket holds a bounded number
// of operations, every connection_init shape gets a clean close, and subscribe messages meet the
// same limits as HTTP requests. Timings as in abuse-http.test.ts.

const MAX_OPS = 3;

const timings = new Timings();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('pglite', { BRIGHTRUN_MAX_SUBSCRIPTIONS_PER_SOCKET: String(MAX_OPS) });
  for (let i = 0; i < 5; i += 1) await server.gql(NORMAL_QUERY);
});
afterAll(async () => {
  timings.print('abuse-ws timings (this machine, this run):');
  await server?.stop();
});

const wsUrl = (s: TestServer, path = '/graphql') => `${s.url.replace('http', 'ws')}${path}`;
const newKey = async (s: TestServer = server) => {
  const { apiKey, secret } = await s.services.apiKeys.create(s.bootstrap.workspaceId, { name: `ws-${Math.random()}`, scopes: ['READ'] });
  return { id: apiKey.id, secret };
};

function client(s: TestServer, key: string, path = '/graphql') {
  const ws = createClient({ url: wsUrl(s, path), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) => ws.on('closed', (event) => { const { code, reason } = event as { code: number; reason: string }; resolve({ code, reason, at: performance.now() }); }));
  return { ws, closed };
}

/** Subscribes and resolves once the first result arrived; `results` keeps collecting. */
function subscribe(ws: Client, query: string) {
  const results: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }[] = [];
  let failed: unknown;
  let dispose = () => undefined as void;
  const first = new Promise<void>((resolve) => {
    dispose = ws.subscribe({ query }, {
      next: (result) => (results.push(result as never), resolve()),
      error: (error) => ((failed = error), resolve()),
      complete: () => resolve(),
    });
  });
  return { first, results, failed: () => failed as { message?: string; extensions?: Record<string, unknown> }[] | undefined, dispose: () => dispose() };
}

/** A raw connection_init (any payload, or a raw frame) and how the server answered: ack or close. */
function rawInit(s: TestServer, frame: string): Promise<{ code: number; reason: string } | 'ack'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(s), 'graphql-transport-ws');
    socket.on('open', () => socket.send(frame));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        resolve('ack');
        socket.close();
      }
    });
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.on('error', reject);
  });
}

function expectFast(name: string, result: AttackResult<unknown>) {
  timings.record(name, result);
  expect(result.attackMs, `${name}: answered in`).toBeLessThan(ANSWER_BOUND_MS);
  expect(result.worstNormalMs, `${name}: normal client's worst latency`).toBeLessThan(normalBoundMs(result));
}

describe('graphql-ws connection_init', () => {
  const shapes: [string, unknown, number, RegExp][] = [
    ['authorization: 42', { authorization: 42 }, 4400, /"authorization" must be a string .*got number/],
    ['authorization: an array', { authorization: ['Bearer brk_x'] }, 4400, /got an array/],
    ['authorization: an object', { authorization: { bearer: 'brk_x' } }, 4400, /got object/],
    ['Authorization: true', { Authorization: true }, 4400, /"Authorization" must be a string/],
    ['apiKey: 100,000 characters', { apiKey: `brk_${'a'.repeat(100_000)}` }, 4400, /100004 characters/],
    ['an unknown key', { authorization: 'Bearer brk_nope' }, 4403, /Invalid API key/],
    ['no credential', {}, 4403, /Missing API key/],
    ['a null payload', null, 4403, /Missing API key/],
    ['an array payload', [], 4400, /Invalid message received/],
  ];

  it.each(shapes)('closes %s cleanly', async (name, payload, code, reason) => {
    const result = await underAttack(server, () => rawInit(server, JSON.stringify({ type: 'connection_init', payload })));
    expect(result.answer).toEqual({ code, reason: expect.stringMatching(reason) });
    expect((result.answer as { reason: string }).reason).not.toMatch(/trim|is not a function|TypeError/);
    expectFast(`connection_init with ${name}`, result);
  });

  it('closes a payload that is not JSON-object-shaped at all (graphql-ws: 4400)', async () => {
    for (const frame of ['{"type":"connection_init","payload":"Bearer x"}', '{"type":"connection_init","payload":7}', 'not json']) {
      const answer = await rawInit(server, frame);
      expect(answer).toMatchObject({ code: 4400 });
    }
  });
});

describe('sessions follow their keys', () => {
  it('closes every socket of a revoked key within a second (4403), ends its SSE stream, and refuses it afterwards', async () => {
    const key = await newKey();
    const sockets = [client(server, key.secret, '/graphql'), client(server, key.secret, '/graphql/ws')];
    const streams = sockets.map(({ ws }) => subscribe(ws, 'subscription { serverTime(intervalMs: 100) }'));
    await Promise.all(streams.map((s) => s.first));
    expect(streams.map((s) => s.results[0]?.data)).toEqual([{ serverTime: expect.any(String) }, { serverTime: expect.any(String) }]);

    const sse = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key.secret}` },
      body: JSON.stringify({ query: 'subscription { serverTime(intervalMs: 100) }' }),
    });
    expect(sse.status).toBe(200);
    const reader = sse.body!.getReader();
    let sseText = '';
    while (!sseText.includes('serverTime')) sseText += new TextDecoder().decode((await reader.read()).value);
    const sseEnded = (async () => {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) sseText += new TextDecoder().decode(chunk.value);
      return performance.now();
    })();

    const result = await underAttack(server, async () => {
      const revoked = await server.gql('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { __typename } }', { id: key.id });
      expect(revoked.data?.revokeApiKey.__typename).toBe('RevokeApiKeySuccess');
      const closes = await Promise.all(sockets.map((s) => s.closed));
      return { closes, sseEndedAt: await sseEnded };
    }, { rounds: 1 });
    expect(result.answer.closes.map((c) => c.code)).toEqual([4403, 4403]);
    expect(result.answer.closes[0]!.reason).toMatch(/revoked/);
    expect(sseText).toMatch(/UNAUTHENTICATED/);
    expect(sseText).toMatch(/revoked/);
    expectFast('revocation closes 2 sockets and an SSE stream', result);

    const again = await rawInit(server, JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key.secret}` } }));
    expect(again).toEqual({ code: 4403, reason: expect.stringMatching(/was revoked/) });
  });

  it('refuses an operation on an open socket once its key is revoked, even if the announcement never came', async () => {
    const key = await newKey();
    const { ws, closed } = client(server, key.secret);
    const first = subscribe(ws, '{ viewer { scopes } }');
    await first.first;
    expect(first.results[0]?.data).toEqual({ viewer: { scopes: ['READ'] } });
    // Revoked in the database only (as if the pubsub message were lost), the cache told.
    await server.services.db.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    server.services.authenticator.invalidateKey(key.id);
    const refused = subscribe(ws, '{ viewer { scopes } }');
    await refused.first;
    const closeEvent = await closed;
    expect(closeEvent.code).toBe(4403);
    expect(closeEvent.reason).toMatch(/was revoked/);
    expect(refused.results.flatMap((r) => r.errors ?? [])).toEqual([]);
  });
});

describe('limits on graphql-ws messages', () => {
  it(`caps a socket at ${MAX_OPS} operations in flight with SUBSCRIPTION_LIMIT, and keeps the socket and its streams`, async () => {
    const { ws } = client(server, server.adminKey);
    const running = Array.from({ length: MAX_OPS }, () => subscribe(ws, 'subscription { serverTime(intervalMs: 100) }'));
    await Promise.all(running.map((s) => s.first));
    const result = await underAttack(server, async () => {
      const extra = subscribe(ws, 'subscription { serverTime(intervalMs: 100) }');
      await extra.first;
      return extra.failed();
    });
    expect(result.answer).toEqual([expect.objectContaining({ message: expect.stringMatching(/already runs 3 operations; the limit is 3 per socket/), extensions: expect.objectContaining({ code: 'SUBSCRIPTION_LIMIT', limit: MAX_OPS }) })]);
    expectFast(`operation ${MAX_OPS + 1} on one socket`, result);
    const before = running[0]!.results.length;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(running[0]!.results.length).toBeGreaterThan(before);
    running[0]!.dispose();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const replacement = subscribe(ws, 'subscription { serverTime(intervalMs: 100) }');
    await replacement.first;
    expect(replacement.results[0]?.data).toEqual({ serverTime: expect.any(String) });
    await ws.dispose();
  });

  it('answers a subscribe message nested 5,000 deep, or with 40 aliases, with a limit error and keeps the socket', async () => {
    const { ws, closed } = client(server, server.adminKey);
    let isClosed = false;
    void closed.then(() => (isClosed = true));
    const deep = await underAttack(server, async () => {
      const op = subscribe(ws, `${'{ a '.repeat(5_000)}${'}'.repeat(5_000)}`);
      await op.first;
      return op.failed();
    });
    expect(deep.answer?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', limitName: 'depth' } });
    expectFast('graphql-ws subscribe 5,000 deep', deep);
    const aliases = subscribe(ws, `subscription { ${Array.from({ length: 40 }, (_, i) => `t${i}: serverTime`).join(' ')} }`);
    await aliases.first;
    expect(aliases.failed()?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', limitName: 'aliases' } });
    const syntax = subscribe(ws, '{ viewer { ');
    await syntax.first;
    expect(syntax.failed()?.[0]?.message).toMatch(/Syntax Error/);
    const fine = subscribe(ws, '{ viewer { scopes } }');
    await fine.first;
    expect(fine.results[0]?.data).toEqual({ viewer: { scopes: ['READ', 'WRITE', 'ADMIN'] } });
    expect(isClosed).toBe(false);
    await ws.dispose();
  });

  it('closes a socket whose message is over the body limit (1009) before parsing it, and logs nothing', async () => {
    const spy = vi.spyOn(console, 'error');
    const answer = await new Promise<{ code: number }>((resolve, reject) => {
      const socket = new WebSocket(wsUrl(server), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'x'.repeat(2 * 1024 * 1024) } })));
      socket.on('close', (code) => resolve({ code }));
      socket.on('error', () => undefined);
      setTimeout(() => reject(new Error('not closed')), 5_000);
    });
    expect(answer.code).toBe(1009);
    expect((await server.gql(NORMAL_QUERY)).data?.viewer).toBeTruthy();
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
const postgresUrl = process.env.TEST_DATABASE_URL;

describe.runIf(Boolean(redisUrl && postgresUrl))('revocation across instances (Redis)', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTempDatabase(postgresUrl!, 'abusews');
    drop = database.drop;
    const shared = { DATABASE_URL: database.url, REDIS_URL: redisUrl!, BRIGHTRUN_SECRET: 's'.repeat(40) };
    a = await startTestServer('postgres', shared);
    b = await startTestServer('postgres', { ...shared, BRIGHTRUN_ADMIN_KEY: a.adminKey });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await drop?.();
  });

  it('closes a socket on instance B within a second of a revocation on instance A', async () => {
    const key = await newKey(a);
    const { ws, closed } = client(b, key.secret);
    const stream = subscribe(ws, 'subscription { serverTime(intervalMs: 100) }');
    await stream.first;
    const started = performance.now();
    await a.gql('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { __typename } }', { id: key.id });
    const event = await closed;
    const ms = event.at - started;
    timings.record('revocation on A closes a socket on B', { answer: null, attackMs: ms, worstNormalMs: 0, normalRequests: 0, baselineWorstMs: 0, rounds: 1 });
    expect(event.code).toBe(4403);
    expect(ms).toBeLessThan(ANSWER_BOUND_MS);
  });
});
