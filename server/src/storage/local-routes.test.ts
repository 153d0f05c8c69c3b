import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalFileServer } from './local.fixture.js';

describe('local file routes', () => {
  let server: Awaited<ReturnType<typeof startLocalFileServer>>;
  let clock = Date.now();
  const text = (s: string) => new TextEncoder().encode(s);

  beforeAll(async () => {
    server = await startLocalFileServer({ now: () => clock });
    await server.storage.put('datasets/d1/data.jsonl', text('0123456789'));
  });
  afterAll(async () => server?.close());

  const link = (options: { downloadName?: string } = {}) =>
    server.storage.signedDownloadUrl('datasets/d1/data.jsonl', { expiresInSeconds: 60, ...options });

  it('leaves URLs outside /files/ to the next handler', async () => {
    const response = await fetch(`${server.baseUrl}/graphql`);
    expect(await response.text()).toBe('not a file route');
  });

  it('serves the whole file with its headers', async () => {
    const response = await fetch(await link({ downloadName: 'Ünïcode "data".jsonl' }));
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'accept-ranges': 'bytes',
      'content-length': '10',
      'content-type': 'application/jsonl',
    });
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('Ünïcode "data".jsonl')}`);
    expect(disposition).toContain('filename="_n_code _data_.jsonl"');
    expect(await response.text()).toBe('0123456789');
  });

  it('answers single ranges with 206 and impossible ones with 416', async () => {
    const url = await link();
    const get = (range: string) => fetch(url, { headers: { Range: range } });
    const cases: Array<[string, string, string]> = [
      ['bytes=2-4', 'bytes 2-4/10', '234'],
      ['bytes=7-', 'bytes 7-9/10', '789'],
      ['bytes=-3', 'bytes 7-9/10', '789'],
      ['bytes=8-99', 'bytes 8-9/10', '89'],
    ];
    for (const [range, contentRange, body] of cases) {
      const response = await get(range);
      expect(response.status, range).toBe(206);
      expect(response.headers.get('content-range'), range).toBe(contentRange);
      expect(response.headers.get('content-length'), range).toBe(String(body.length));
      expect(await response.text(), range).toBe(body);
    }
    for (const range of ['bytes=10-', 'bytes=-0']) {
      const response = await get(range);
      expect(response.status, range).toBe(416);
      expect(response.headers.get('content-range')).toBe('bytes */10');
      expect((await response.json()).error.code).toBe('range_not_satisfiable');
    }
    const several = await get('bytes=0-1,4-5');
    expect(several.status).toBe(200);
    expect(await several.text()).toBe('0123456789');
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(await link(), { method: 'HEAD', headers: { Range: 'bytes=0-3' } });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-length')).toBe('4');
    expect(await response.text()).toBe('');
  });

  it('refuses altered links with 403 and a JSON reason', async () => {
    const url = new URL(await link());
    const altered = [
      (u: URL) => u.searchParams.set('sig', `${u.searchParams.get('sig')?.slice(0, -2)}AA`),
      (u: URL) => u.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 3600)),
      (u: URL) => (u.pathname = u.pathname.replace('data.jsonl', 'other.jsonl')),
      (u: URL) => u.searchParams.delete('sig'),
    ];
    for (const alter of altered) {
      const copy = new URL(url);
      alter(copy);
      const response = await fetch(copy);
      expect(response.status, copy.href).toBe(403);
      const body = await response.json();
      expect(body.error.code).toBe('link_invalid');
      expect(body.error.message).toMatch(/ask for a new one/);
    }
  });

  it('refuses expired links, saying when they expired', async () => {
    const url = await link();
    clock += 61_000;
    try {
      const response = await fetch(url);
      expect(response.status).toBe(403);
      const { error } = await response.json();
      expect(error.code).toBe('link_expired');
      expect(error.message).toMatch(/^the link expired at \d{4}-\d\d-\d\dT.*Z; ask for a new one$/);
    } finally {
      clock -= 61_000;
    }
  });

  it('keeps GET links and PUT links apart', async () => {
    const download = await link();
    expect((await fetch(download, { method: 'PUT', body: 'x' })).status).toBe(405);
    const upload = await server.storage.signedUploadUrl('datasets/d1/new.bin', { expiresInSeconds: 60 });
    expect((await fetch(upload.url)).status).toBe(405);
    expect((await fetch(download, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers 404 when the object went away after signing', async () => {
    await server.storage.put('datasets/d1/brief.txt', text('x'));
    const url = await server.storage.signedDownloadUrl('datasets/d1/brief.txt', { expiresInSeconds: 60 });
    await server.storage.delete(['datasets/d1/brief.txt']);
    const response = await fetch(url);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('answers CORS preflights so the dashboard can upload directly', async () => {
    const upload = await server.storage.signedUploadUrl('datasets/d1/web.bin', { expiresInSeconds: 60 });
    const response = await fetch(upload.url, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('refuses a streamed body that outgrows the limit and keeps nothing', async () => {
    const upload = await server.storage.signedUploadUrl('datasets/d1/chunked.bin', { expiresInSeconds: 60, maxBytes: 100_000 });
    const status = await new Promise<number | string>((resolve) => {
      const req = request(upload.url, { method: 'PUT', headers: upload.headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error) => resolve(`error: ${error.message}`));
      const chunk = Buffer.alloc(16_384, 1);
      const write = (n: number): void => {
        if (n === 0 || req.destroyed) return void req.end();
        if (req.write(chunk)) setImmediate(() => write(n - 1));
        else req.once('drain', () => write(n - 1));
      };
      write(20);
    });
    expect(status).toBe(413);
    expect(await server.storage.stat('datasets/d1/chunked.bin')).toBeNull();
    expect(await readdir(join(server.root, '.staging'))).toEqual([]);
  });

  it('keeps nothing from an aborted upload, and the previous version intact', async () => {
    await server.storage.put('datasets/d1/weights.bin', text('previous'));
    const upload = await server.storage.signedUploadUrl('datasets/d1/weights.bin', { expiresInSeconds: 60 });
    const req = request(upload.url, { method: 'PUT', headers: { ...upload.headers, 'content-length': '1000000' } });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(300_000, 7));
    await sleep(100);
    req.destroy();
    for (let i = 0; i < 50 && (await readdir(join(server.root, '.staging'))).length > 0; i++) await sleep(20);
    expect(await readdir(join(server.root, '.staging'))).toEqual([]);
    const chunks: Buffer[] = [];
    for await (const chunk of await server.storage.read('datasets/d1/weights.bin')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('previous');
  });

  it('stores a PUT and reports its size', async () => {
    const upload = await server.storage.signedUploadUrl('datasets/d1/put.txt', { expiresInSeconds: 60 });
    const response = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'uploaded!' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ path: 'datasets/d1/put.txt', sizeBytes: 9 });
  });
});
