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

  const client = (authorization?: string) =>
    createClient({ url: `${server.url.replace('http', 'ws')}/graphql/ws`, webSocketImpl: WebSocket, connectionParams: authorization ? { authorization } : {}, retryAttempts: 0, lazy: true });

  it('streams serverTime ticks to an authenticated client', async () => {
    const ws = client(`Bearer ${server.adminKey}`);
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
});
