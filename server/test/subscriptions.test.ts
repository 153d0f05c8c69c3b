import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { BACKENDS, startTestServer, type TestServer } from './harness.js';

describe.each(BACKENDS)('graphql-ws (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server?.stop());

  const client = (authorization?: string, path = '/graphql/ws') =>
    createClient({ url: `${server.url.replace('http', 'ws')}${path}`, webSocketImpl: WebSocket, connectionParams: authorization ? { authorization } : {}, retryAttempts: 0, lazy: true });

  it.each(['/graphql', '/graphql/ws'])('streams serverTime ticks to an authenticated client on %s', async (path) => {
    const ws = client(`Bearer ${server.adminKey}`, path);
    const ticks: string[] = [];
    for await (const result of ws.iterate<{ serverTime: string }>({ query: 'subscription { serverTime(intervalMs: 100) }' })) {
      ticks.push(result.data!.serverTime);
      if (ticks.length === 3) break;
    }
    await ws.dispose();
    expect(ticks.map((t) => Number.isNaN(Date.parse(t)))).toEqual([false, false, false]);
    expect(Date.parse(ticks[2]!)).toBeGreaterThan(Date.parse(ticks[0]!));
  });

  it('refuses a bad key at connection_init with a clear reason', async () => {
    const ws = client('Bearer brk_nope');
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('closed', (event) => resolve(event as { code: number; reason: string })));
    const iterator = ws.iterate({ query: 'subscription { serverTime }' });
    await expect(iterator.next()).rejects.toBeTruthy();
    const event = await closed;
    expect(event.code).toBe(4403);
    expect(event.reason).toMatch(/Invalid API key/);
    await ws.dispose();
  });

  it('ends a subscription on an unknown job with one NOT_FOUND error', async () => {
    const ws = client(`Bearer ${server.adminKey}`, '/graphql');
    const errors: unknown[] = [];
    const completed = await new Promise<boolean>((resolve) => {
      ws.subscribe({ query: 'subscription { trainingJobUpdated(id: "job_nope") { id } }' }, { next: (r) => errors.push(...(r.errors ?? [])), error: (e) => (errors.push(...(Array.isArray(e) ? e : [e])), resolve(false)), complete: () => resolve(true) });
    });
    await ws.dispose();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    void completed;
  });

  it('refuses a WebSocket upgrade on any other path', async () => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/elsewhere`, 'graphql-transport-ws');
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)).on('error', () => resolve(-1)));
    expect(status).toBe(404);
  });
});
