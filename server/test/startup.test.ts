import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { generateApiKey } from '../src/auth/keys.js';

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves once a TCP connection to the port succeeds (the moment it opens), trying every few ms. */
async function portOpen(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the port never opened');
}

describe('startup', () => {
  it('answers a request sent the moment the port opens (503 + Retry-After while starting), and /readyz turns 200 only when ready', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-startup-'));
    const port = await freePort();
    const adminKey = generateApiKey();
    // A fresh data dir: migrations, the workspace and the demo import all run before it is ready.
    const app = buildApp(loadConfig({ PORT: String(port), BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_ADMIN_KEY: adminKey, BRIGHTRUN_DEMO_DATA: 'on', BRIGHTRUN_PROVIDER: 'demo', NODE_ENV: 'test' }), () => undefined);
    const starting = app.start();
    try {
      await portOpen(port, Date.now() + 60_000);
      const sent = Date.now();
      const first = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query: '{ viewer { scopes } }' }),
        signal: AbortSignal.timeout(5_000),
      });
      expect(Date.now() - sent).toBeLessThan(5_000);
      const body = (await first.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] };
      if (first.status === 503) {
        expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(body.errors?.[0]?.extensions.code).toBe('SERVER_STARTING');
      } else {
        expect(first.status).toBe(200);
      }
      const live = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(live.status).toBe(200);

      const readiness: number[] = [];
      for (;;) {
        // A socket reset under a busy start-up is not an answer: poll again on a new connection.
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
        if (!ready) continue;
        readiness.push(ready.status);
        if (ready.status === 200) break;
        expect(ready.headers.get('retry-after')).toBeTruthy();
        await new Promise((r) => setTimeout(r, 20));
      }
      await starting;
      expect(readiness.slice(0, -1).every((status) => status === 503)).toBe(true);
      // Ready means the first-start import is done: the demo datasets are there.
      const datasets = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query: '{ datasets { totalCount } }' }),
      });
      expect(((await datasets.json()) as { data: { datasets: { totalCount: number } } }).data.datasets.totalCount).toBe(3);
    } finally {
      await starting.catch(() => undefined);
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('names PORT as the fix when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-port-'));
    try {
      const app = buildApp(loadConfig({ PORT: String(port), BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_DEMO_DATA: 'off', NODE_ENV: 'test' }), () => undefined);
      await expect(app.start()).rejects.toThrow(new RegExp(`Port ${port} on 127.0.0.1 is already in use .*set PORT to a free port`));
      await app.stop();
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
