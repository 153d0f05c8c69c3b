import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { pathOf } from './paths.js';

/** The whole site is held in memory; a build larger than this is refused at start (ours is ~1 MB). */
export const MAX_SITE_BYTES = 64 * 1024 * 1024;
export const MAX_SITE_FILES = 5_000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Paths the API owns: never answered with the app's index.html. */
const API_PREFIXES = ['/graphql', '/trainer/', '/auth/', '/files/', '/healthz', '/readyz', '/graphiql/'];

// The app's own scripts and styles, and same-origin fetch/WebSocket; nothing else.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

interface Variant {
  body: Buffer;
  etag: string;
}
interface Entry {
  type: string;
  immutable: boolean;
  identity: Variant;
  br?: Variant;
  gzip?: Variant;
}

export interface StaticSite {
  /** Serves a GET/HEAD for a file of the build or, for an app route, index.html; false for anything else. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  files: number;
  bytes: number;
}

/**
 * The built dashboard, read once at start. Only files found in the build folder are served, looked
 * up by exact URL path in a map: a request path can never name anything outside the folder.
 * Returns null when the folder has no index.html (the app was not built).
 */
export async function loadStaticSite(root: string): Promise<StaticSite | null> {
  const index = path.join(root, 'index.html');
  if (!(await stat(index).catch(() => null))?.isFile()) return null;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let files = 0;
  for (const relative of await listFiles(root)) {
    if (++files > MAX_SITE_FILES) throw new Error(`The web build in ${root} has more than ${MAX_SITE_FILES} files; is BRIGHTRUN_WEB_DIR the build folder?`);
    const body = await readFile(path.join(root, relative));
    bytes += body.length;
    if (bytes > MAX_SITE_BYTES) throw new Error(`The web build in ${root} is larger than ${MAX_SITE_BYTES / 1024 / 1024} MB; is BRIGHTRUN_WEB_DIR the build folder?`);
    const encoding = relative.endsWith('.br') ? 'br' : relative.endsWith('.gz') ? 'gzip' : undefined;
    const urlPath = '/' + (encoding ? relative.slice(0, relative.lastIndexOf('.')) : relative).split(path.sep).join('/');
    const variant = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
    const entry = entries.get(urlPath) ?? ({ type: '', immutable: false } as Entry);
    if (encoding) entry[encoding] = variant;
    else {
      entry.identity = variant;
      entry.type = TYPES[path.extname(urlPath).toLowerCase()] ?? 'application/octet-stream';
      entry.immutable = urlPath.startsWith('/_app/immutable/');
    }
    entries.set(urlPath, entry);
  }
  for (const [urlPath, entry] of entries) if (!entry.identity) entries.delete(urlPath); // a stray .gz
  const indexEntry = entries.get('/index.html')!;

  return {
    files: entries.size,
    bytes,
    handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const urlPath = pathOf(req.url);
      if (API_PREFIXES.some((prefix) => urlPath === prefix.replace(/\/$/, '') || urlPath.startsWith(prefix))) return false;
      let decoded: string;
      try {
        decoded = decodeURIComponent(urlPath);
      } catch {
        return notFound(res);
      }
      const entry = entries.get(decoded);
      if (entry) return send(req, res, entry);
      // An app route (no file extension) gets the single-page app; a missing asset is a 404.
      if (path.posix.extname(decoded) === '' && !decoded.includes('\0')) return send(req, res, indexEntry);
      return notFound(res);
    },
  };
}

/** Without a build, app routes say how to get one (the API itself works as before). */
export function missingSite(root: string): StaticSite {
  return {
    files: 0,
    bytes: 0,
    handle(req, res) {
      const urlPath = pathOf(req.url);
      if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PREFIXES.some((p) => urlPath.startsWith(p.replace(/\/$/, '')))) return false;
      if (path.posix.extname(urlPath) !== '') return notFound(res);
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`The dashboard is not built (no index.html in ${root}): run "npm run build -w web" (npm start does it for you), or set BRIGHTRUN_WEB_DIR.`);
      return true;
    },
  };
}

function send(req: http.IncomingMessage, res: http.ServerResponse, entry: Entry): boolean {
  const accepts = String(req.headers['accept-encoding'] ?? '');
  const chosen = (entry.br && /\bbr\b/.test(accepts) ? ['br', entry.br] : entry.gzip && /\bgzip\b/.test(accepts) ? ['gzip', entry.gzip] : [undefined, entry.identity]) as [string | undefined, Variant];
  const [encoding, variant] = chosen;
  const headers: Record<string, string> = {
    'content-type': entry.type,
    'cache-control': entry.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag: variant.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
  };
  if (encoding) headers['content-encoding'] = encoding;
  if (entry.type.startsWith('text/html')) {
    headers['content-security-policy'] = CSP;
    headers['referrer-policy'] = 'same-origin';
  }
  if (req.headers['if-none-match'] === variant.etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  headers['content-length'] = String(variant.body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : variant.body);
  return true;
}

function notFound(res: http.ServerResponse): boolean {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end('Not found');
  return true;
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const dirent of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, dirent.name);
    if (dirent.isDirectory()) out.push(...(await listFiles(root, relative)));
    else if (dirent.isFile()) out.push(relative); // links are not followed out of the folder
  }
  return out;
}
