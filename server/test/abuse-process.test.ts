import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../src/auth/keys.js';
import { aliasBomb } from './support/abuse.js';

const SERVER_DIR = path.resolve(import.meta.dirname, '..');

/** Resident memory of a process in MB (Linux /proc), or null elsewhere. */
async function rssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

// The bombs of issue #15 all at once against `npm start`'s own process (its command line read
// from package.json, heap capped at 256 MB): the bounds, not the heap cap, must be what saves it.
describe('the npm start process under a volley of bombs', () => {
  it('keeps its 256 MB heap cap, answers 50 concurrent bombs with limit errors, and keeps serving', async () => {
    const start = (JSON.parse(await readFile(path.join(SERVER_DIR, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(start).toMatch(/^node --max-old-space-size=256 /);
    const [command, ...args] = start.split(/\s+/);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-abuse-'));
    const adminKey = generateApiKey();
    const child = spawn(command!, args, {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_DEMO_DATA: 'off', BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_ADMIN_KEY: adminKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!/BrightRun LoRA API\s+(\S+)\/graphql/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      const url = /BrightRun LoRA API\s+(\S+)\/graphql/.exec(output)?.[1];
      expect(url, output).toBeTruthy();
      const post = async (body: string, key: string | null) => {
        const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });
        const json = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
        return `${response.status} ${json.errors?.[0]?.extensions?.code ?? 'ok'}`;
      };
      expect(await post(JSON.stringify({ query: '{ viewer { scopes } }' }), adminKey)).toBe('200 ok');
      const rssBefore = await rssMb(child.pid!);

      const bombs: [string, string, string | null][] = [
        ['401 UNAUTHENTICATED', JSON.stringify({ query: aliasBomb(200_000) }), null],
        ['413 REQUEST_TOO_LARGE', JSON.stringify({ query: aliasBomb(200_000) }), adminKey],
        ['400 QUERY_TOO_COMPLEX', JSON.stringify({ query: `{ ${Array.from({ length: 60_000 }, () => 'a:__typename').join(' ')} }` }), adminKey],
        ['400 QUERY_TOO_COMPLEX', JSON.stringify({ query: `${'{ a '.repeat(5_000)}${'}'.repeat(5_000)}` }), adminKey],
        ['400 QUERY_TOO_COMPLEX', JSON.stringify({ query: `{ ${Array.from({ length: 20 }, (_, i) => `m${i}: jobMetrics(jobId: "job_none", maxPoints: 10000) { ... on JobMetricsSuccess { series { points { step loss } } } }`).join(' ')} }` }), adminKey],
      ];
      const started = performance.now();
      const answers = await Promise.all(bombs.flatMap(([, body, key]) => Array.from({ length: 10 }, () => post(body, key))));
      const volleyMs = performance.now() - started;
      expect(answers).toEqual(bombs.flatMap(([expected]) => Array.from({ length: 10 }, () => expected)));

      expect(child.exitCode).toBeNull();
      expect(await post(JSON.stringify({ query: '{ viewer { scopes } }' }), adminKey)).toBe('200 ok');
      const rssAfter = await rssMb(child.pid!);
      console.log(`npm start process: 50 concurrent bombs (${(bombs.reduce((n, [, b]) => n + b.length, 0) * 10 / 1024 / 1024).toFixed(0)} MB of bodies) answered in ${volleyMs.toFixed(0)} ms; RSS ${rssBefore} MB before, ${rssAfter} MB after`);
      expect(output).not.toMatch(/heap out of memory|Maximum call stack|RangeError/);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
