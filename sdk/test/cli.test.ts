import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_JSON, startDemoServer, type TestServer } from './server.js';

// The built binary (npm test builds first), run as a subprocess the way a shell runs it.
const BIN = fileURLToPath(new URL('../dist/esm/cli/main.js', import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the brightrun CLI as a subprocess', () => {
  let server: TestServer;
  let home: string;
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<Ran>((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home, BRIGHTRUN_CONFIG: path.join(home, 'config.json'), ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const json = async (args: string[]) => {
    const ran = await run([...args, '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    return JSON.parse(ran.stdout);
  };

  beforeAll(async () => {
    server = await startDemoServer();
    home = await mkdtemp(path.join(tmpdir(), 'brightrun-cli-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('logs in (saving the key readable only by its owner) and shows the config with the key masked', async () => {
    expect(await json(['--version'])).toEqual({ sdk: expect.stringMatching(/^\d+\.\d+\.\d+$/), api: expect.stringMatching(/^1\./) });
    const login = await json(['login', '--api-key', server.adminKey, '--base-url', `${server.url}/graphql`]);
    expect(login).toMatchObject({ baseUrl: server.url, scopes: expect.arrayContaining(['ADMIN']), apiVersion: expect.stringMatching(/^1\./) });
    expect((await stat(path.join(home, 'config.json'))).mode & 0o777).toBe(0o600);
    const config = await json(['config']);
    expect(config).toMatchObject({ apiKeySource: 'config', baseUrl: server.url });
    expect(config.apiKey).not.toContain(server.adminKey.slice(10));
  });

  it('uploads, lists, estimates, starts (with --yes), watches to completion and downloads the adapter', async () => {
    const dataset = await json(['datasets', 'upload', SAMPLE_JSON, '--name', 'cli sample']);
    expect(dataset).toMatchObject({ name: 'cli sample', importStatus: 'IMPORTED' });
    expect((await json(['datasets', 'list'])).map((d: { id: string }) => d.id)).toContain(dataset.id);
    const estimate = await json(['estimate', '--dataset', dataset.id, '--preset', 'balanced']);
    expect(estimate.totalSteps).toBeGreaterThan(0);

    const started = await json(['jobs', 'start', '--dataset', dataset.id, '--preset', 'conservative', '--max-steps', '30', '--acknowledge-warnings', '--yes']);
    expect(started.job).toMatchObject({ status: 'QUEUED', provider: 'DEMO' });
    expect(started.estimate.totalSteps).toBeGreaterThan(0);

    const watched = await run(['jobs', 'watch', started.job.id, '--json']);
    expect(watched.code, watched.stderr).toBe(0);
    const events = watched.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; job?: { status: string; artifact: { id: string } | null }; point?: { step: number; split: string } });
    const trainSteps = events.filter((e) => e.type === 'metric' && e.point!.split === 'TRAIN').map((e) => e.point!.step);
    expect(trainSteps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const last = events.filter((e) => e.type === 'job').at(-1)!.job!;
    expect(last.status).toBe('COMPLETED');

    // Without --json (and without a terminal): the final line with progress and the loss sparkline.
    const plain = await run(['jobs', 'watch', started.job.id]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`^${started.job.id} completed +\\[#+\\] 100% step 30/30 loss \\d\\.\\d{4} [▁▂▃▄▅▆▇█]{20,30} \\$\\d+\\.\\d{2}\\n$`));

    const jobs = await json(['jobs', 'list', '--status', 'completed']);
    expect(jobs.map((j: { id: string }) => j.id)).toContain(started.job.id);

    const dir = path.join(home, 'adapter');
    const downloaded = await json(['artifacts', 'download', last.artifact!.id, '--dir', dir]);
    expect(downloaded.files.length).toBeGreaterThan(0);
    for (const file of downloaded.files as { path: string; sizeBytes: number }[]) expect((await readFile(file.path)).byteLength).toBe(file.sizeBytes);

    // Cancelling a finished job: a one-line error and a non-zero exit.
    const cancel = await run(['jobs', 'cancel', started.job.id, '--reason', 'too late now']);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr.trim().split('\n')).toHaveLength(1);
    expect(cancel.stderr).toMatch(/^brightrun: .*(finished|COMPLETED)/i);
  });

  it('exits non-zero with one line on stderr: usage 2, authentication 3, not found 4, validation 1', async () => {
    const usage = await run(['jobs', 'start', '--dataset', 'ds_x']);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toMatch(/^brightrun: Pass --yes/);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['jobs', 'list', '--limit', 'lots'])).stderr).toMatch(/--limit must be a whole number/);

    const auth = await run(['datasets', 'list'], { BRIGHTRUN_API_KEY: `brk_${'x'.repeat(32)}` });
    expect(auth.code).toBe(3);
    expect(auth.stderr.trim().split('\n')).toHaveLength(1);

    const missing = await run(['jobs', 'get', 'job_doesnotexist']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^brightrun: No training job with id "job_doesnotexist"/);

    const [dataset] = await json(['datasets', 'list']);
    const invalid = await run(['estimate', '--dataset', dataset.id, '--lora-rank', '128']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/loraRank: .*between 4 and 64/);
    expect(invalid.stderr.trim().split('\n')).toHaveLength(1);
  });
});
