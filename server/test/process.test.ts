import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SERVER_DIR = path.resolve(import.meta.dirname, '..');

/** `npm start`'s own command line, as a newcomer runs it. */
function startServer(env: Record<string, string>) {
  const child = spawn('node', ['--max-old-space-size=256', '--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('the server process', () => {
  it('starts on embedded defaults, prints its admin key once, serves, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-process-'));
    try {
      const server = startServer({ PORT: '0', BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_PROVIDER: 'demo' });
      const deadline = Date.now() + 90_000;
      while (!/BrightRun LoRA API\s+(\S+)\/graphql/.test(server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const url = /BrightRun LoRA API\s+(\S+)\/graphql/.exec(server.output())?.[1];
      expect(url, server.output()).toBeTruthy();
      const key = /\n\s+(brk_[A-Za-z0-9]{40})\n/.exec(server.output())?.[1];
      expect(key).toBeTruthy();
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: '{ datasets { totalCount edges { node { name isGenerated readiness { ready } } } } }' }) });
      const body = (await response.json()) as { data: { datasets: { totalCount: number; edges: { node: { name: string; isGenerated: boolean; readiness: { ready: boolean } } }[] } } };
      // Demo data: the real CC-BY sample plus a generated ready dataset and a generated not-ready one.
      expect(body.data.datasets.totalCount).toBe(3);
      const byReady = body.data.datasets.edges.map((e) => [e.node.isGenerated, e.node.readiness.ready]).sort();
      expect(byReady).toEqual([[false, false], [true, false], [true, true]]);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toMatch(/SIGTERM: finishing in-flight requests and closing/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a bad environment with every problem and its fix, before touching anything', async () => {
    const server = startServer({ PORT: 'http', DATABASE_URL: 'mysql://db', BRIGHTRUN_DATA_DIR: '/nonexistent/never-created' });
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(/PORT must be a whole number from 0 to 65535 \(got "http"\)/);
    expect(server.output()).toMatch(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
  }, 60_000);
});
