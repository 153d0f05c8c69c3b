import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_JSONL, startDemoServer, type TestServer } from './server.js';

// Notebooks also run on Deno and Bun: the quickstart example, unchanged, on each against a real
// server. Their binaries come from the npm registry as optional dependencies of this package
// (@deno/linux-x64-glibc, @oven/bun-linux-x64; other platforms set DENO_BIN / BUN_BIN).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const RUNTIMES = [
  { name: 'Deno', bin: process.env.DENO_BIN ?? path.join(ROOT, 'node_modules/@deno/linux-x64-glibc/deno'), args: (file: string) => ['run', '--allow-all', file] },
  { name: 'Bun', bin: process.env.BUN_BIN ?? path.join(ROOT, 'node_modules/@oven/bun-linux-x64/bin/bun'), args: (file: string) => [file] },
];
const required = process.env.CI === 'true' && process.platform === 'linux' && process.arch === 'x64';

/** Runs in the repository (where the example resolves the SDK) with HOME and the runtimes' caches in
 *  a scratch folder: a cache under the repository would be rewritten by every run (and was committed once). */
function run(bin: string, args: string[], env: Record<string, string>, cwd: string, home: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(bin, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: home, DENO_DIR: path.join(home, '.deno'), BUN_INSTALL_CACHE_DIR: path.join(home, '.bun-cache'), NO_COLOR: '1', ...env }, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the SDK on Deno and Bun', () => {
  let server: TestServer;
  let cwd: string;
  beforeAll(async () => {
    server = await startDemoServer();
    cwd = await mkdtemp(path.join(tmpdir(), 'sdk-runtimes-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it.each(RUNTIMES)('$name runs quickstart.mjs: upload → estimate → start → live metrics → wait → download', async ({ name, bin, args }) => {
    if (!existsSync(bin)) {
      if (required) throw new Error(`${name} is missing at ${bin}: run npm ci (it installs the optional dependency) or set ${name.toUpperCase()}_BIN`);
      return;
    }
    const out = path.join(cwd, `adapter-${name}`);
    const env = { BRIGHTRUN_API_KEY: server.adminKey, BRIGHTRUN_BASE_URL: server.url, MAX_STEPS: '20', OUT_DIR: out };
    const ran = await run(bin, args(path.join(EXAMPLES, 'quickstart.mjs')).concat(SAMPLE_JSONL), env, ROOT, cwd);
    expect(ran.code, `${name}: ${ran.stderr.slice(-2000)}`).toBe(0);
    const summary = JSON.parse(ran.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ status: 'COMPLETED', trainSteps: 20 });
    for (const file of summary.files as string[]) expect((await stat(path.join(out, file))).size).toBeGreaterThan(0);
  });
});
