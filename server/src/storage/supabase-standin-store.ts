import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The stand-in's state: object bodies as flat blob files in a temp folder (so `a` and `a/b` can
 * coexist, as in S3), an in-memory index of their metadata, and JWT-like signed tokens.
 */

export interface StoredObject {
  id: string;
  bucket: string;
  name: string;
  blob: string;
  size: number;
  contentType: string;
  cacheControl: string;
  etag: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An error rendered the way storage-api renders it: HTTP 400 (or 500/401), the real code in `statusCode`. */
export class StandInError extends Error {
  constructor(
    readonly statusCode: string,
    readonly error: string,
    message: string,
    readonly httpStatus = statusCode === '500' ? 500 : 400,
  ) {
    super(message);
  }
}

export const objectNotFound = () => new StandInError('404', 'not_found', 'Object not found');
export const bucketNotFound = () => new StandInError('404', 'Bucket not found', 'Bucket not found');

export class StandInStore {
  readonly #objects = new Map<string, StoredObject>();
  readonly #secret = randomBytes(32);

  constructor(
    readonly dir: string,
    readonly buckets: ReadonlySet<string>,
  ) {}

  #key(bucket: string, name: string): string {
    return `${bucket}/${name}`;
  }

  requireBucket(bucket: string): void {
    if (!this.buckets.has(bucket)) throw bucketNotFound();
  }

  get(bucket: string, name: string): StoredObject {
    this.requireBucket(bucket);
    const found = this.#objects.get(this.#key(bucket, name));
    if (!found) throw objectNotFound();
    return found;
  }

  /** Streams `body` to a new blob; the index points at it only once it is complete. */
  async write(
    bucket: string,
    name: string,
    body: Readable,
    options: { contentType: string; cacheControl: string; upsert: boolean },
  ): Promise<StoredObject> {
    this.requireBucket(bucket);
    const duplicate = () => new StandInError('409', 'Duplicate', 'The resource already exists');
    if (!options.upsert && this.#objects.has(this.#key(bucket, name))) throw duplicate();
    const blob = join(this.dir, randomUUID());
    const hash = createHash('md5');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, tap, createWriteStream(blob, { flags: 'wx' }));
    } catch (error) {
      await rm(blob, { force: true });
      throw error;
    }
    const key = this.#key(bucket, name);
    const previous = this.#objects.get(key);
    if (previous && !options.upsert) {
      await rm(blob, { force: true });
      throw duplicate();
    }
    const now = new Date();
    const stored: StoredObject = {
      id: previous?.id ?? randomUUID(),
      bucket,
      name,
      blob,
      size,
      contentType: options.contentType,
      cacheControl: options.cacheControl,
      etag: `"${hash.digest('hex')}"`,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    this.#objects.set(key, stored);
    // Readers that already opened the old blob keep their file descriptor.
    if (previous) await rm(previous.blob, { force: true });
    return stored;
  }

  async openBlob(object: StoredObject) {
    return open(object.blob, 'r');
  }

  async remove(bucket: string, names: string[]): Promise<StoredObject[]> {
    this.requireBucket(bucket);
    const removed: StoredObject[] = [];
    for (const name of names) {
      const key = this.#key(bucket, name);
      const found = this.#objects.get(key);
      if (!found) continue;
      this.#objects.delete(key);
      await rm(found.blob, { force: true });
      removed.push(found);
    }
    return removed;
  }

  /** storage-api's v1 listing: one folder level, folders as entries without an id, sorted by name. */
  list(bucket: string, prefix: string, search: string): Array<{ name: string; object: StoredObject | null }> {
    this.requireBucket(bucket);
    const folder = prefix.length > 0 && !prefix.endsWith('/') ? `${prefix}/` : prefix;
    const entries = new Map<string, StoredObject | null>();
    for (const object of this.#objects.values()) {
      if (object.bucket !== bucket || !object.name.startsWith(folder)) continue;
      const rest = object.name.slice(folder.length);
      const slash = rest.indexOf('/');
      const entryName = slash === -1 ? rest : rest.slice(0, slash);
      if (!entryName.toLowerCase().startsWith(search.toLowerCase())) continue;
      if (slash === -1) entries.set(entryName, object);
      else if (!entries.has(entryName)) entries.set(entryName, null);
    }
    return [...entries.entries()]
      .map(([name, object]) => ({ name, object }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  signToken(payload: Record<string, unknown>): string {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const sig = createHmac('sha256', this.#secret).update(`${header}.${body}`).digest('base64url');
    return `${header}.${body}.${sig}`;
  }

  /** Verifies like jsonwebtoken does, with its error messages, then checks the token is for `url`. */
  verifyToken(token: string | null, url: string): Record<string, unknown> {
    const invalid = (message: string) => new StandInError('400', 'InvalidJWT', message);
    const parts = (token ?? '').split('.');
    if (parts.length !== 3) throw invalid('jwt malformed');
    const [header = '', body = '', sig = ''] = parts;
    const expected = createHmac('sha256', this.#secret).update(`${header}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('invalid signature');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload.exp === 'number' && payload.exp * 1000 <= Date.now()) throw invalid('jwt expired');
    if (payload.url !== url) throw new StandInError('400', 'InvalidSignature', 'The url do not match the signature');
    return payload;
  }
}
