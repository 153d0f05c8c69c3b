import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, SAMPLE_JSONL, startDemoServer, type TestServer } from './server.js';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

/** Runs an example with Node as a user would (the package resolved from the built dist/). */
function runExample(file: string, args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [path.join(EXAMPLES, file), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('sdk/examples, executed against a real server', () => {
  let server: TestServer;
  let cwd: string;
  beforeAll(async () => {
    server = await startDemoServer();
    cwd = await mkdtemp(path.join(tmpdir(), 'sdk-examples-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('quickstart.mjs: upload → estimate → start → live metrics → wait → download', async () => {
    const env = { BRIGHTRUN_API_KEY: server.adminKey, BRIGHTRUN_BASE_URL: server.url, MAX_STEPS: '30', OUT_DIR: path.join(cwd, 'adapter') };
    const ran = await runExample('quickstart.mjs', [SAMPLE_JSONL], env, cwd);
    expect(ran.code, ran.stderr).toBe(0);
    const summary = JSON.parse(ran.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ status: 'COMPLETED', trainSteps: 30 });
    for (const name of summary.files as string[]) expect((await stat(path.join(cwd, 'adapter', name))).size).toBeGreaterThan(0);
  });

  it('notebook.mjs: the cells in order', async () => {
    const datasets = await clientFor(server).datasets.list().toArray();
    const env = { BRIGHTRUN_API_KEY: server.adminKey, BRIGHTRUN_BASE_URL: server.url, DATASET_ID: datasets[0]!.id };
    const ran = await runExample('notebook.mjs', [], env, cwd);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('not found, as expected');
    expect(JSON.parse(ran.stdout.trim().split('\n').at(-1)!).points).toBeGreaterThan(0);
  });
});
