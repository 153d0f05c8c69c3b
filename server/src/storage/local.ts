import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isMissing, pruneEmptyFolders, walkFiles } from './local-fs.js';
import { checkLink, signLinkQuery, type LinkCheck, type LinkOp } from './local-signing.js';
import {
  assertPositiveSeconds,
  assertValidRange,
  parseObjectPath,
  parseStoragePrefix,
  rangeNotSatisfiable,
  StorageError,
  StorageNotFoundError,
  type ByteRange,
  type ObjectInfo,
  type SignedUpload,
  type Storage,
} from './storage.js';
import { ByteCounter, toReadable } from './streams.js';

export interface LocalStorageOptions {
  /** Folder holding the objects, e.g. `<BRIGHTRUN_DATA_DIR>/storage`; created on first write. */
  root: string;
  /**
   * The server's public origin, e.g. `http://localhost:4000`; links are `${publicUrl}/files/…` and
   * `createLocalFileRoutes` matches `/files/` at the root (a proxy prefix must be stripped before Node).
   */
  publicUrl: string;
  /** HMAC key for links; at least 32 bytes. Links survive restarts only if it does. */
  secret: string | Uint8Array;
  /** Clock for link expiry. @default Date.now */
  now?: () => number;
}

/** An object opened for reading: the size is fixed and a concurrent `put` cannot change what is read. */
export interface OpenedObject {
  sizeBytes: number;
  updatedAt: Date;
  /** Streams `[start, end]` (inclusive) or the whole object, then closes the file. */
  stream(range?: { start: number; end: number }): Readable;
  /** Closes the file without streaming. */
  close(): Promise<void>;
}

// Uploads are written here first; it lies inside root, so the final rename stays on one filesystem.
const STAGING_DIR = '.staging';

export class LocalStorage implements Storage {
  readonly kind = 'local' as const;
  readonly root: string;
  readonly publicUrl: string;
  readonly #secret: Uint8Array;
  readonly #now: () => number;

  constructor(options: LocalStorageOptions) {
    const secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : options.secret;
    if (secret.length < 32) {
      throw new StorageError('LocalStorage secret must be at least 32 bytes; generate one with `openssl rand -hex 32`.', {
        code: 'misconfigured',
      });
    }
    let url: URL;
    try {
      url = new URL(options.publicUrl);
    } catch (cause) {
      throw new StorageError(`LocalStorage publicUrl ${JSON.stringify(options.publicUrl)} is not a URL.`, {
        code: 'misconfigured',
        cause,
      });
    }
    this.root = options.root;
    this.publicUrl = url.href.replace(/\/+$/, '');
    this.#secret = secret;
    this.#now = options.now ?? Date.now;
  }

  #file(path: string): string {
    const { area, rest } = parseObjectPath(path);
    return join(this.root, area, ...rest.split('/'));
  }

  #folder(prefix: string): { dir: string; base: string } {
    const { area, rest } = parseStoragePrefix(prefix);
    return { dir: join(this.root, area, ...(rest ? rest.split('/') : [])), base: rest ? `${area}/${rest}` : area };
  }

  async put(
    path: string,
    body: Readable | Uint8Array,
    options: { contentType?: string; maxBytes?: number; createOnly?: boolean } = {},
  ): Promise<{ sizeBytes: number }> {
    const target = this.#file(path);
    if (options.createOnly && (await this.stat(path))) throw alreadyStored(path);
    const source = toReadable(body);
    const stagingDir = join(this.root, STAGING_DIR);
    await mkdir(stagingDir, { recursive: true });
    const staging = join(stagingDir, `${randomUUID()}.partial`);
    const counter = new ByteCounter(options.maxBytes);
    try {
      // flush: fsync before close, so a crash right after the rename cannot leave an empty file.
      await pipeline(source, counter, createWriteStream(staging, { flags: 'wx', flush: true }));
      if (options.createOnly) await this.#linkIntoPlace(staging, target, path);
      else await this.#moveIntoPlace(staging, target, path);
    } catch (error) {
      source.destroy();
      await rm(staging, { force: true });
      throw error instanceof StorageError
        ? error
        : new StorageError(`Could not store "${path}": ${(error as Error).message}`, { cause: error });
    }
    return { sizeBytes: counter.bytes };
  }

  /** Like #moveIntoPlace, but never replaces an object: link(2) fails if the target exists. */
  async #linkIntoPlace(staging: string, target: string, path: string): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    try {
      await link(staging, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyStored(path);
      throw error;
    } finally {
      await rm(staging, { force: true });
    }
  }

  async #moveIntoPlace(staging: string, target: string, path: string): Promise<void> {
    // A concurrent delete may prune the (then empty) folder between mkdir and rename: retry once.
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(dirname(target), { recursive: true });
        await rename(staging, target);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && attempt === 0) continue;
        if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
          throw new StorageError(
            `Cannot store "${path}": a folder with that name exists, or a parent folder is a file.`,
            { code: 'conflict', cause: error },
          );
        }
        throw error;
      }
    }
  }

  async openObject(path: string): Promise<OpenedObject> {
    const file = this.#file(path);
    const handle = await open(file, 'r').catch((error: unknown) => {
      throw isMissing(error) ? new StorageNotFoundError(path, { cause: error }) : error;
    });
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new StorageNotFoundError(path);
    }
    return {
      sizeBytes: info.size,
      updatedAt: info.mtime,
      stream: (range) => handle.createReadStream(range ? { start: range.start, end: range.end } : {}),
      close: () => handle.close(),
    };
  }

  async read(path: string, range?: ByteRange): Promise<Readable> {
    assertValidRange(range);
    const opened = await this.openObject(path);
    if (!range) return opened.stream();
    if (range.start >= opened.sizeBytes) {
      await opened.close();
      throw rangeNotSatisfiable(path, range.start, opened.sizeBytes);
    }
    const end = Math.min(range.end ?? opened.sizeBytes - 1, opened.sizeBytes - 1);
    return opened.stream({ start: range.start, end });
  }

  async stat(path: string): Promise<ObjectInfo | null> {
    const file = this.#file(path);
    try {
      const info = await stat(file);
      return info.isFile() ? { path, sizeBytes: info.size, updatedAt: info.mtime } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const { dir, base } = this.#folder(prefix);
    const found = (await walkFiles(dir)).map(({ relativePath, sizeBytes, updatedAt }) => ({
      path: `${base}/${relativePath}`,
      sizeBytes,
      updatedAt,
    }));
    return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(paths: string[]): Promise<void> {
    const files = paths.map((path) => ({ path, file: this.#file(path) })); // validate all before deleting any
    for (const { path, file } of files) {
      await rm(file, { force: true }).catch((error: unknown) => {
        // A folder (or a path through a file) is not an object: nothing to delete, as in S3.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTDIR' || code === 'EISDIR' || code === 'ERR_FS_EISDIR') return;
        throw new StorageError(`Could not delete "${path}": ${(error as Error).message}`, { cause: error });
      });
      await pruneEmptyFolders(dirname(file), join(this.root, parseObjectPath(path).area));
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const { dir } = this.#folder(prefix);
    const { area, rest } = parseStoragePrefix(prefix);
    await rm(dir, { recursive: true, force: true });
    if (rest) await pruneEmptyFolders(dirname(dir), join(this.root, area));
  }

  #link(path: string, fields: { op: LinkOp; exp: number; max?: number; name?: string }): string {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return `${this.publicUrl}/files/${encoded}?${signLinkQuery(this.#secret, { ...fields, path })}`;
  }

  #expiry(expiresInSeconds: number): number {
    return Math.floor(this.#now() / 1000) + expiresInSeconds;
  }

  async signedDownloadUrl(path: string, options: { expiresInSeconds: number; downloadName?: string }): Promise<string> {
    assertPositiveSeconds(options.expiresInSeconds, 'expiresInSeconds');
    if (!(await this.stat(path))) throw new StorageNotFoundError(path);
    const name = options.downloadName;
    return this.#link(path, { op: 'get', exp: this.#expiry(options.expiresInSeconds), ...(name && { name }) });
  }

  async signedUploadUrl(path: string, options: { expiresInSeconds: number; maxBytes?: number; createOnly?: boolean }): Promise<SignedUpload> {
    this.#file(path);
    assertPositiveSeconds(options.expiresInSeconds, 'expiresInSeconds');
    const { maxBytes } = options;
    if (maxBytes !== undefined && (!Number.isSafeInteger(maxBytes) || maxBytes < 0)) {
      throw new StorageError(`maxBytes must be a whole number of bytes >= 0, got ${String(maxBytes)}.`, {
        code: 'invalid_argument',
      });
    }
    const exp = this.#expiry(options.expiresInSeconds);
    return {
      url: this.#link(path, { op: 'put', exp, ...(maxBytes !== undefined && { max: maxBytes }), ...(options.createOnly && { once: true as const }) }),
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      expiresAt: new Date(exp * 1000),
    };
  }

  /** Verifies a `/files/<path>?…` request's signature and expiry (used by `createLocalFileRoutes`). */
  checkSignedRequest(op: LinkOp, path: string, query: URLSearchParams): LinkCheck {
    return checkLink(this.#secret, op, path, query, this.#now());
  }
}

function alreadyStored(path: string): StorageError {
  return new StorageError(
    `An object is already stored at "${path}" and this upload link is single-use: nothing was changed. Request a new upload.`,
    { code: 'conflict' },
  );
}
