import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentRange, parseRangeHeader } from './http-range.js';
import type { LocalStorage } from './local.js';
import { StorageError, StorageNotFoundError } from './storage.js';

/**
 * Serves the signed links of a `LocalStorage` under `/files/<path>?op=…&exp=…&sig=…`:
 * GET/HEAD with single byte ranges, and PUT that streams the body into storage.
 * Returns false (and touches nothing) for any URL outside `/files/`, so the caller can fall through.
 */
export interface LocalFileRouteOptions {
  /**
   * Asked before a PUT through a single-use link is read: a reason to refuse it (the upload it
   * belonged to was finalized, refused or expired), or null to accept it.
   */
  uploadRefusal?: (path: string) => Promise<string | null>;
}

export function createLocalFileRoutes(
  storage: LocalStorage,
  options: LocalFileRouteOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/files/')) return false;
    // Links are capabilities (no cookies), so any origin may use them: the dashboard uploads directly.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, Content-Disposition');
    try {
      await handle(storage, options, url, req, res);
    } catch (error) {
      fail(res, 500, 'internal', `the file request failed: ${(error as Error).message}`);
    }
    return true;
  };
}

async function handle(storage: LocalStorage, options: LocalFileRouteOptions, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, HEAD, PUT, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Range',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return;
  }
  const op = method === 'GET' || method === 'HEAD' ? 'get' : method === 'PUT' ? 'put' : null;
  if (!op) {
    res.setHeader('Allow', 'GET, HEAD, PUT, OPTIONS');
    return fail(res, 405, 'method_not_allowed', `${method} is not supported on file links; use GET, HEAD or PUT`);
  }
  let path: string;
  try {
    path = url.pathname.slice('/files/'.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return fail(res, 400, 'bad_path', 'the file path in the link is not valid URL encoding');
  }
  const check = storage.checkSignedRequest(op, path, url.searchParams);
  if (!check.ok) {
    if (method === 'PUT') closeAfterResponse(req, res);
    return fail(res, check.code === 'wrong_method' ? 405 : 403, check.code, check.message);
  }

  if (op === 'put' && check.once && options.uploadRefusal) {
    const refusal = await options.uploadRefusal(path);
    if (refusal !== null) {
      closeAfterResponse(req, res);
      return fail(res, 409, 'upload_closed', refusal);
    }
  }

  try {
    if (op === 'get') await serveDownload(storage, path, check.name, req, res);
    else await receiveUpload(storage, path, check.max, check.once === true, req, res);
  } catch (error) {
    if (error instanceof StorageNotFoundError) return fail(res, 404, 'not_found', `no file is stored at ${path}`);
    if (error instanceof StorageError && error.code === 'too_large') {
      closeAfterResponse(req, res);
      return fail(res, 413, 'too_large', `${error.message} Nothing was stored.`);
    }
    if (error instanceof StorageError && error.code !== 'backend') {
      return fail(res, error.code === 'conflict' ? 409 : 400, error.code, error.message);
    }
    throw error;
  }
}

async function serveDownload(
  storage: LocalStorage,
  path: string,
  downloadName: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const opened = await storage.openObject(path);
  const size = opened.sizeBytes;
  const range = parseRangeHeader(req.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    await opened.close();
    res.setHeader('Content-Range', `bytes */${size}`);
    return fail(res, 416, 'range_not_satisfiable', `the requested range is outside the file (it is ${size} bytes long)`);
  }
  const headers: Record<string, string> = {
    'Accept-Ranges': 'bytes',
    'Content-Type': contentTypeFor(path),
    'Last-Modified': opened.updatedAt.toUTCString(),
    'Cache-Control': 'private, no-cache',
  };
  if (downloadName) headers['Content-Disposition'] = contentDisposition(downloadName);
  const slice = range.kind === 'range' ? { start: range.start, end: range.end } : undefined;
  if (slice) headers['Content-Range'] = contentRange(slice.start, slice.end, size);
  headers['Content-Length'] = String(slice ? slice.end - slice.start + 1 : size);
  res.writeHead(slice ? 206 : 200, headers);
  if (req.method === 'HEAD' || size === 0) {
    await opened.close();
    res.end();
    return;
  }
  // A client that disconnects makes pipeline fail; the file stream is then destroyed and closed.
  await pipeline(opened.stream(slice), res).catch(() => undefined);
}

async function receiveUpload(
  storage: LocalStorage,
  path: string,
  maxBytes: number | undefined,
  createOnly: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (createOnly && (await storage.stat(path))) {
    closeAfterResponse(req, res);
    throw new StorageError(`An object is already stored at "${path}" and this upload link is single-use: nothing was changed. Request a new upload.`, { code: 'conflict' });
  }
  const declared = Number(req.headers['content-length']);
  if (maxBytes !== undefined && Number.isFinite(declared) && declared > maxBytes) {
    throw new StorageError(`The upload is ${declared} bytes; this link allows at most ${maxBytes}.`, {
      code: 'too_large',
    });
  }
  // The body goes through a PassThrough so that a failed put (too large) destroys only that,
  // leaving the socket alive long enough to send the 413.
  const body = new PassThrough();
  req.once('close', () => {
    if (!req.complete) body.destroy(new StorageError('The client aborted the upload.', { code: 'aborted' }));
  });
  req.pipe(body);
  try {
    const { sizeBytes } = await storage.put(path, body, { ...(maxBytes === undefined ? {} : { maxBytes }), ...(createOnly ? { createOnly } : {}) });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ path, sizeBytes }));
  } catch (error) {
    req.unpipe(body);
    // The client went away mid-upload: storage.put already removed the partial file.
    if (error instanceof StorageError && error.code === 'aborted') return;
    throw error;
  }
}

/** For a refused upload: answer, then drop the connection rather than read the rest of the body. */
function closeAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
  res.once('finish', () => req.destroy());
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.jsonl': 'application/jsonl',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
};

/** Local storage keeps no metadata, so the type comes from the extension. */
function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
