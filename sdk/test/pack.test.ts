import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server.js';

const exec = promisify(execFile);
const SDK = fileURLToPath(new URL('..', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

describe('the published package (npm pack)', () => {
  let work: string;
  let tarball: string;
  let server: TestServer;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'sdk-pack-'));
    server = await startTestServer('pglite');
    // npm test builds dist/ first; pack what a publish would publish.
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: SDK });
    tarball = path.join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  });
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('holds the ESM and CJS builds with their declarations, the CLI and the README; no sources or tests', async () => {
    const { stdout } = await exec('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const needed of ['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/esm/browser.js', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json', 'dist/esm/cli/main.js']) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.test.js'))).toEqual([]);
  });

  it('keeps Node built-ins and ws out of the browser entry', async () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = await readFile(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        if (!spec) continue;
        if (spec.startsWith('.')) await visit(path.resolve(path.dirname(file), spec));
        else external.add(spec);
      }
    };
    await visit(path.join(SDK, 'dist/esm/browser.js'));
    expect(seen.size).toBeGreaterThan(5);
    expect([...external].sort()).toEqual(['graphql-ws/client']);
  });

  it('installs into an empty folder and works from ESM, CommonJS, TypeScript and the bin', async () => {
    const app = path.join(work, 'app');
    await exec('mkdir', ['-p', app]);
    await writeFile(path.join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    await exec('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], { cwd: app, timeout: 240_000 });
    const env = { ...process.env, BRIGHTRUN_API_KEY: server.adminKey, BRIGHTRUN_BASE_URL: server.url };
    const esm = `import { BrightRun, SCHEMA_VERSION, ValidationError, APIError } from '@brightrun/lora-sdk';
      const viewer = await new BrightRun().viewer();
      console.log(JSON.stringify({ kind: 'esm', api: SCHEMA_VERSION, scopes: viewer.scopes, hierarchy: ValidationError.prototype instanceof APIError }));`;
    const cjs = `const { BrightRun, SCHEMA_VERSION, ValidationError, APIError } = require('@brightrun/lora-sdk');
      new BrightRun().viewer().then((viewer) => console.log(JSON.stringify({ kind: 'cjs', api: SCHEMA_VERSION, scopes: viewer.scopes, hierarchy: ValidationError.prototype instanceof APIError })));`;
    for (const [flag, code, kind] of [['--input-type=module', esm, 'esm'], ['--input-type=commonjs', cjs, 'cjs']] as const) {
      const { stdout } = await exec(process.execPath, [flag, '-e', code], { cwd: app, env });
      expect(JSON.parse(stdout)).toEqual({ kind, api: expect.stringMatching(/^1\./), scopes: expect.arrayContaining(['READ', 'WRITE', 'ADMIN']), hierarchy: true });
    }

    // The declarations as a TypeScript user sees them, from both module kinds.
    await writeFile(path.join(app, 'esm.mts'), `import { BrightRun, type Job } from '@brightrun/lora-sdk';\nconst br = new BrightRun({ maxRetries: 1 });\nexport const f = async (): Promise<Job['status']> => (await br.jobs.get('job_x')).status;\n`);
    await writeFile(path.join(app, 'cjs.cts'), `import { BrightRun, type Dataset } from '@brightrun/lora-sdk';\nconst br = new BrightRun();\nexport const g = async (): Promise<Dataset['name']> => (await br.datasets.get('ds_x')).name;\n`);
    await exec(process.execPath, [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', path.join(SDK, '../node_modules/@types'), 'esm.mts', 'cjs.cts'], { cwd: app }).catch((error: { stdout: string }) => {
      throw new Error(`tsc failed:\n${error.stdout}`);
    });

    const bin = await exec(path.join(app, 'node_modules/.bin/brightrun'), ['--version', '--json'], { cwd: app, env });
    expect(JSON.parse(bin.stdout).api).toMatch(/^1\./);
  });
});
