import { timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentRange, parseRangeHeader } from './http-range.js';
import type { StorageArea } from './storage.js';
import { objectNotFound, StandInError, StandInStore, type StoredObject } from './supabase-standin-store.js';
import { infoBody, listEntry, readJson, requireName, routeNotFound, sendError, sendJson } from './supabase-standin-wire.js';

/**
 * A loopback stand-in for Supabase Storage's REST API (storage-api), covering the endpoints
 * supabase-js 2.99 calls for upload, signed URLs, signed uploads, info, list and remove.
 * It follows storage-api's conventions, including its habit of answering client errors with
 * HTTP 400 and the real code in the body (`{statusCode: "404", error: "not_found", message}`).
 * Not covered: multipart (FormData) uploads, image transforms, public buckets, batch signing.
 */

export interface SupabaseStandInOptions {
  serviceRoleKey: string;
  /** Bucket names per area. @default { datasets: 'br-datasets', checkpoints: 'br-checkpoints', … } */
  buckets?: Partial<Record<StorageArea, string>>;
  /** Lifetime of signed upload URLs (storage-api's `UPLOAD_SIGNED_URL_EXPIRATION_TIME`). @default 7200 */
  uploadUrlExpiresInSeconds?: number;
}

export interface SupabaseStandIn {
  /** The project URL to give `createClient` (the API lives under `/storage/v1`). */
  url: string;
  buckets: Record<StorageArea, string>;
  stop(): Promise<void>;
}

const DELETE_LIMIT = 1000;

export async function startSupabaseStorageStandIn(options: SupabaseStandInOptions): Promise<SupabaseStandIn> {
  const buckets: Record<StorageArea, string> = {
    datasets: 'br-datasets',
    checkpoints: 'br-checkpoints',
    artifacts: 'br-artifacts',
    exports: 'br-exports',
    ...options.buckets,
  };
  const dir = await mkdtemp(join(tmpdir(), 'supabase-standin-'));
  const store = new StandInStore(dir, new Set(Object.values(buckets)));
  const api = new StandInApi(store, Buffer.from(options.serviceRoleKey), options.uploadUrlExpiresInSeconds ?? 7200);

  const server = createServer((req, res) => {
    api.handle(req, res).catch((error: unknown) => sendError(res, error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    buckets,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

class StandInApi {
  constructor(
    private readonly store: StandInStore,
    private readonly key: Buffer,
    private readonly uploadExpiry: number,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const prefix = '/storage/v1/object/';
    if (!url.pathname.startsWith(prefix)) throw routeNotFound(method, url.pathname);
    const parts = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    const [first, second] = parts;
    const nameFrom = (index: number) => parts.slice(index).join('/');

    // Signed routes carry their own token instead of the service key.
    if (first === 'sign' && method === 'GET') return this.signedDownload(req, res, url, parts[1] ?? '', nameFrom(2));
    if (first === 'upload' && second === 'sign' && method === 'PUT') {
      return this.signedUpload(req, res, url, parts[2] ?? '', nameFrom(3));
    }
    this.authenticate(req);
    if (first === 'list' && method === 'POST') return this.list(req, res, second ?? '');
    if (first === 'sign' && method === 'POST') return this.sign(req, res, second ?? '', nameFrom(2));
    if (first === 'upload' && second === 'sign' && method === 'POST') {
      return this.signUpload(req, res, parts[2] ?? '', nameFrom(3));
    }
    if (first === 'info' && method === 'GET') {
      const at = second === 'authenticated' ? 2 : 1;
      return sendJson(res, 200, infoBody(this.store.get(parts[at] ?? '', requireName(nameFrom(at + 1)))));
    }
    if (first === 'public') throw new StandInError('404', 'Bucket not found', 'Bucket not found');
    const at = first === 'authenticated' ? 1 : 0;
    const bucket = parts[at] ?? '';
    const name = nameFrom(at + 1);
    if (method === 'GET' || method === 'HEAD') return this.download(req, res, bucket, requireName(name), {});
    if (at === 0 && (method === 'POST' || method === 'PUT')) {
      const upsert = method === 'PUT' || req.headers['x-upsert'] === 'true';
      return this.upload(req, res, bucket, requireName(name), upsert);
    }
    if (at === 0 && method === 'DELETE') {
      if (name === '') return this.removeMany(req, res, bucket);
      const removed = await this.store.remove(bucket, [name]);
      if (removed.length === 0) throw objectNotFound();
      return sendJson(res, 200, { message: 'Successfully deleted' });
    }
    throw routeNotFound(method, url.pathname);
  }

  authenticate(req: IncomingMessage): void {
    const matches = (value: string | undefined) => {
      const given = Buffer.from(value ?? '');
      return given.length === this.key.length && timingSafeEqual(given, this.key);
    };
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const apikey = req.headers.apikey;
    if (!matches(bearer) || (apikey !== undefined && !matches(String(apikey)))) {
      throw new StandInError(
        '401',
        'Unauthorized',
        'Invalid API key: send the service role key as "apikey" and "Authorization: Bearer <key>"',
        401,
      );
    }
  }

  async upload(req: IncomingMessage, res: ServerResponse, bucket: string, name: string, upsert: boolean) {
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    if (contentType.startsWith('multipart/form-data')) {
      throw new StandInError('400', 'InvalidRequest', 'The stand-in accepts raw (non-multipart) upload bodies only');
    }
    const stored = await this.store.write(bucket, name, req, {
      contentType,
      cacheControl: req.headers['cache-control'] ?? 'no-cache',
      upsert,
    });
    sendJson(res, 200, { Id: stored.id, Key: `${bucket}/${name}` });
  }

  async download(
    req: IncomingMessage,
    res: ServerResponse,
    bucket: string,
    name: string,
    extra: { download?: string | null; expires?: string },
  ) {
    // An overwrite may delete the blob between lookup and open: look again once.
    let object: StoredObject = this.store.get(bucket, name);
    let handle = await this.store.openBlob(object).catch(() => null);
    if (!handle) handle = await this.store.openBlob((object = this.store.get(bucket, name)));
    const size = (await handle.stat()).size;
    const range = parseRangeHeader(req.headers.range, size);
    if (range.kind === 'unsatisfiable') {
      await handle.close();
      throw new StandInError('416', 'InvalidRange', 'The requested range is not satisfiable');
    }
    const headers: Record<string, string> = {
      'Accept-Ranges': 'bytes',
      'Content-Type': object.contentType,
      'Content-Length': String(range.kind === 'range' ? range.end - range.start + 1 : size),
      ETag: object.etag,
      'Last-Modified': object.updatedAt.toUTCString(),
    };
    if (extra.expires) headers.Expires = extra.expires;
    else headers['Cache-Control'] = object.cacheControl;
    if (range.kind === 'range') headers['Content-Range'] = contentRange(range.start, range.end, size);
    if (typeof extra.download === 'string') {
      const encoded = encodeURIComponent(extra.download);
      headers['Content-Disposition'] =
        extra.download === '' ? 'attachment;' : `attachment; filename=${encoded}; filename*=UTF-8''${encoded};`;
    }
    res.writeHead(range.kind === 'range' ? 206 : 200, headers);
    if (req.method === 'HEAD' || size === 0) {
      await handle.close();
      res.end();
      return;
    }
    const stream = handle.createReadStream(range.kind === 'range' ? { start: range.start, end: range.end } : {});
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  async sign(req: IncomingMessage, res: ServerResponse, bucket: string, name: string) {
    const body = await readJson(req);
    const expiresIn = body.expiresIn;
    if (!Number.isInteger(expiresIn) || (expiresIn as number) < 1) {
      throw new StandInError('400', 'InvalidParameter', 'body/expiresIn must be an integer >= 1');
    }
    if (name === '') throw new StandInError('400', 'NotSupported', 'The stand-in does not implement batch signing');
    this.store.get(bucket, name);
    const token = this.#token(`${bucket}/${name}`, expiresIn as number, {});
    sendJson(res, 200, { signedURL: `/object/sign/${bucket}/${name}?token=${token}` });
  }

  async signedDownload(req: IncomingMessage, res: ServerResponse, url: URL, bucket: string, name: string) {
    const payload = this.store.verifyToken(url.searchParams.get('token'), `${bucket}/${name}`);
    const expires = new Date((payload.exp as number) * 1000).toUTCString();
    return this.download(req, res, bucket, name, { download: url.searchParams.get('download'), expires });
  }

  async signUpload(req: IncomingMessage, res: ServerResponse, bucket: string, name: string) {
    this.store.requireBucket(bucket);
    requireName(name);
    const upsert = req.headers['x-upsert'] === 'true';
    const token = this.#token(`${bucket}/${name}`, this.uploadExpiry, { upsert });
    sendJson(res, 200, { url: `/object/upload/sign/${bucket}/${name}?token=${token}`, token });
  }

  async signedUpload(req: IncomingMessage, res: ServerResponse, url: URL, bucket: string, name: string) {
    const payload = this.store.verifyToken(url.searchParams.get('token'), `${bucket}/${name}`);
    return this.upload(req, res, bucket, name, payload.upsert === true);
  }

  async list(req: IncomingMessage, res: ServerResponse, bucket: string) {
    const body = await readJson(req);
    if (typeof body.prefix !== 'string') throw new StandInError('400', 'InvalidParameter', "body must have required property 'prefix'");
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const search = typeof body.search === 'string' ? body.search : '';
    const descending = (body.sortBy as { order?: string } | undefined)?.order === 'desc';
    const entries = this.store.list(bucket, body.prefix, search);
    if (descending) entries.reverse();
    sendJson(res, 200, entries.slice(offset, offset + limit).map(({ name, object }) => listEntry(name, object)));
  }

  async removeMany(req: IncomingMessage, res: ServerResponse, bucket: string) {
    const body = await readJson(req);
    const prefixes = body.prefixes;
    if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.some((p) => typeof p !== 'string')) {
      throw new StandInError('400', 'InvalidParameter', 'body/prefixes must be a non-empty array of strings');
    }
    if (prefixes.length > DELETE_LIMIT) {
      throw new StandInError('400', 'InvalidRequest', `Maximum number of prefixes per request is ${DELETE_LIMIT}`);
    }
    const removed = await this.store.remove(bucket, prefixes as string[]);
    sendJson(res, 200, removed.map((object) => ({ ...listEntry(object.name, object), bucket_id: object.bucket })));
  }

  #token(url: string, expiresIn: number, extra: Record<string, unknown>): string {
    const iat = Math.floor(Date.now() / 1000);
    return this.store.signToken({ url, ...extra, iat, exp: iat + expiresIn });
  }
}
