import http from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStaticSite, missingSite, type StaticSite } from './static-site.js';

let root: string;
let outside: string;
let server: http.Server;
let base: string;
let site: StaticSite;

/** Raw HTTP so paths reach the server exactly as written (fetch would normalise `..`). */
function get(rawPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(`${base}/`, { path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'site-'));
  root = path.join(parent, 'build');
  outside = parent;
  await mkdir(path.join(root, '_app/immutable/chunks'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(path.join(root, '_app/immutable/chunks/app.js'), 'console.log("app")');
  await writeFile(path.join(root, '_app/immutable/chunks/app.js.gz'), gzipSync('console.log("app")'));
  await writeFile(path.join(parent, 'secret.txt'), 'TOP SECRET');
  site = (await loadStaticSite(root))!;
  server = http.createServer((req, res) => {
    if (!site.handle(req, res)) {
      res.writeHead(418);
      res.end('declined');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(outside, { recursive: true, force: true });
});

describe('static site', () => {
  it('serves a hashed asset as immutable, gzip when accepted, and 304 on a matching etag', async () => {
    const plain = await get('/_app/immutable/chunks/app.js');
    expect(plain.status).toBe(200);
    expect(plain.body).toBe('console.log("app")');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const gz = await get('/_app/immutable/chunks/app.js', { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const again = await get('/_app/immutable/chunks/app.js', { 'if-none-match': plain.headers.etag! });
    expect(again.status).toBe(304);
  });

  it('answers app routes with index.html (no-cache, CSP) and leaves API paths to the API', async () => {
    const page = await get('/datasets/ds_123?sort=name');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>app</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    for (const api of ['/graphql', '/graphql/ws', '/trainer/graphql', '/auth/session', '/healthz', '/files/x']) {
      expect((await get(api)).status, api).toBe(418);
    }
  });

  it('never serves a file outside the build folder, however the path is spelled', async () => {
    for (const attack of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/_app/../../secret.txt', '/..%5csecret.txt', '/%2e%2e%2f%2e%2e%2fetc/passwd', '/secret.txt%00.js', '/%E0%A4%A']) {
      const response = await get(attack);
      expect(response.body, attack).not.toContain('TOP SECRET');
      expect([404, 200], attack).toContain(response.status);
      if (response.status === 200) expect(response.body).toContain('<title>app</title>');
    }
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('is null without an index.html, and then app routes say how to build it', async () => {
    expect(await loadStaticSite(path.join(outside, 'nowhere'))).toBeNull();
    const missing = missingSite('/x/web/build');
    const res = { writeHead: (status: number) => ((res as { status?: number }).status = status), end: (body: string) => ((res as { body?: string }).body = body) } as unknown as http.ServerResponse & { status: number; body: string };
    expect(missing.handle({ method: 'GET', url: '/datasets' } as http.IncomingMessage, res)).toBe(true);
    expect(res.status).toBe(503);
    expect(res.body).toContain('npm run build -w web');
    expect(missing.handle({ method: 'POST', url: '/graphql' } as http.IncomingMessage, res)).toBe(false);
  });
});
