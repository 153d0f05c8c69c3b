import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../src/auth/keys.js';
import { MULTIPART_STAGING_DIR } from '../src/http/multipart-limits.js';
import { startTestServer, uploadFile, type TestServer } from './harness.js';

// Multipart uploads (uploadDataset) stream: the body is counted as it arrives, each file part is
// staged on disk, and the resolver gets a File backed by that staging file. So the server's memory
// does not grow with the file's size, and no staging file outlives its request.

const SERVER_DIR = path.resolve(import.meta.dirname, '..');
const BOUNDARY = 'brightrunstreamingtest';
const OPERATIONS = JSON.stringify({ query: 'mutation($file: Upload!) { uploadDataset(input: { file: $file }) { __typename ... on DatasetInvalidError { kind } ... on Error { message } } }', variables: { file: null } });

function multipartHead(fileName: string) {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${OPERATIONS}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="${fileName}"\r\nContent-Type: application/json\r\n\r\n`,
  );
}
const TAIL = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

/**
 * Starts a multipart upload of `fileBytes` (a JSON list: "[" then spaces, so the importer refuses
 * it at once as the wrong format after storing it) with a declared Content-Length, sent in 1 MiB
 * writes with backpressure. `stopAfter`: destroy the connection after that many file bytes.
 */
function sendUpload(url: string, key: string, fileBytes: number, options: { stopAfter?: number; chunked?: boolean; onProgress?: (sent: number) => void } = {}) {
  const target = new URL(`${url}/graphql`);
  const head = multipartHead('big.json');
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  return new Promise<{ status: number; body: string } | 'aborted'>((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { authorization: `Bearer ${key}`, 'graphql-require-preflight': '1', 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...(options.chunked ? {} : { 'content-length': String(head.length + fileBytes + TAIL.length) }) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    // A body cut by the server (413 + Connection: close) may end in a reset before its answer is read.
    req.on('error', (error) => (options.stopAfter !== undefined || options.chunked ? resolve('aborted') : reject(error)));
    const write = async () => {
      req.write(head);
      let sent = 0;
      let first = true;
      while (sent < fileBytes) {
        const n = Math.min(chunk.length, fileBytes - sent);
        const piece = first ? Buffer.concat([Buffer.from('['), chunk.subarray(1, n)]) : chunk.subarray(0, n);
        first = false;
        sent += n;
        if (!req.write(piece)) await new Promise((r) => req.once('drain', r));
        options.onProgress?.(sent);
        if (options.stopAfter !== undefined && sent >= options.stopAfter) {
          req.destroy();
          return resolve('aborted');
        }
      }
      req.end(TAIL);
    };
    write().catch(reject);
  });
}

async function status(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)![1]) * 1024;
}

const stagingFiles = async (dataDir: string) => (await readdir(path.join(dataDir, MULTIPART_STAGING_DIR)).catch(() => [] as string[])).filter((f) => f.endsWith('.part'));

async function eventually(check: () => Promise<boolean>, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe.runIf(process.platform === 'linux')('a large multipart upload in the npm start process', () => {
  it('is staged on disk: the peak RSS grows by a fraction of the 96 MB file, and no staging file is left', async () => {
    const start = (JSON.parse(await readFile(path.join(SERVER_DIR, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const [command, ...args] = start.split(/\s+/);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'brightrun-multipart-'));
    const adminKey = generateApiKey();
    const child = spawn(command!, args, {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', BRIGHTRUN_DATA_DIR: dataDir, BRIGHTRUN_DEMO_DATA: 'off', BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_ADMIN_KEY: adminKey, BRIGHTRUN_MAX_UPLOAD_MB: '100' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      const deadline = Date.now() + 90_000;
      while (!/BrightRun LoRA API\s+(\S+)\/graphql/.test(output) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      const url = /BrightRun LoRA API\s+(\S+)\/graphql/.exec(output)?.[1];
      expect(url, output).toBeTruthy();
      // Warm the upload path (first compile of the import modules, the storage folder) with a small file.
      expect(await sendUpload(url!, adminKey, 1024 * 1024)).toMatchObject({ status: 200, body: expect.stringContaining('WRONG_FORMAT') });

      const fileBytes = 96 * 1024 * 1024;
      const rssBefore = await status(child.pid!, 'VmRSS');
      // Reset the peak (VmHWM) to the current RSS, so VmHWM afterwards is the peak during the upload.
      await writeFile(`/proc/${child.pid}/clear_refs`, '5');
      let staged = 0;
      const answer = await sendUpload(url!, adminKey, fileBytes, {
        onProgress: (sent) => {
          if (sent === 48 * 1024 * 1024) void stagingFiles(dataDir).then((files) => (staged = files.length));
        },
      });
      const peak = await status(child.pid!, 'VmHWM');
      expect(answer).toMatchObject({ status: 200 });
      // The whole file reached the resolver: the importer stored it and refused it by its content.
      expect((answer as { body: string }).body).toContain('WRONG_FORMAT');
      const growth = peak - rssBefore;
      console.log(`multipart upload of ${fileBytes / 1024 / 1024} MiB in the npm start process: RSS ${(rssBefore / 1024 / 1024).toFixed(0)} MiB before, peak ${(peak / 1024 / 1024).toFixed(0)} MiB during (+${(growth / 1024 / 1024).toFixed(1)} MiB)`);
      // Buffered whole it grows by at least the file (96 MiB); streamed, by chunks and GC slack.
      expect(growth).toBeLessThan(fileBytes / 3);
      expect(staged, 'a staging file exists while the upload streams').toBe(1);
      expect(await eventually(async () => (await stagingFiles(dataDir)).length === 0), 'no staging file left').toBe(true);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('multipart staging files', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { BRIGHTRUN_MAX_UPLOAD_MB: '40' });
  });
  afterAll(() => server?.stop());

  it('are deleted when the client goes away in the middle of the file, and the budget is released', async () => {
    let stagedWhileSending = 0;
    const answer = await sendUpload(server.url, server.adminKey, 30 * 1024 * 1024, {
      stopAfter: 12 * 1024 * 1024,
      onProgress: (sent) => {
        if (sent === 8 * 1024 * 1024) void stagingFiles(server.dataDir).then((files) => (stagedWhileSending = files.length));
      },
    });
    expect(answer).toBe('aborted');
    expect(stagedWhileSending).toBe(1);
    expect(await eventually(async () => (await stagingFiles(server.dataDir)).length === 0), 'staging files after the abort').toBe(true);
    // Repeated aborts do not leak the in-flight budget (8 × 40 MiB): the 20th upload is still taken.
    for (let i = 0; i < 19; i++) expect(await sendUpload(server.url, server.adminKey, 30 * 1024 * 1024, { stopAfter: 2 * 1024 * 1024 })).toBe('aborted');
    await eventually(async () => (await stagingFiles(server.dataDir)).length === 0);
    const after = await uploadFile(server, { name: 'after.jsonl', content: '{"messages":[]}\n' });
    expect(after.status).toBe(200);
    expect(after.data?.uploadDataset.__typename).toBe('DatasetInvalidError');
    expect(await eventually(async () => (await stagingFiles(server.dataDir)).length === 0)).toBe(true);
  });

  it('are deleted when a streamed body is cut at the limit (413), and after a successful import', async () => {
    // Chunked (no Content-Length): counted while it streams and cut at 40 MiB + the fields allowance.
    let sent = 0;
    const cut = await sendUpload(server.url, server.adminKey, 64 * 1024 * 1024, { chunked: true, onProgress: (n) => (sent = n) });
    if (cut !== 'aborted') expect(cut).toMatchObject({ status: 413, body: expect.stringContaining('REQUEST_TOO_LARGE') });
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(await eventually(async () => (await stagingFiles(server.dataDir)).length === 0)).toBe(true);
    const sample = await readFile(new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url));
    const imported = await uploadFile(server, { name: 'sample.json', content: sample });
    expect(imported.data?.uploadDataset).toMatchObject({ __typename: 'UploadDatasetSuccess', dataset: { conversationCount: 12, sizeBytes: sample.length } });
    expect(await eventually(async () => (await stagingFiles(server.dataDir)).length === 0)).toBe(true);
  });
});
