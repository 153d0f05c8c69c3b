import type { Readable } from 'node:stream';

/**
 * Object storage for datasets, checkpoints, adapters and exports.
 *
 * Paths are `<area>/<rest>`, e.g. `datasets/ds_123/source.jsonl`. Two implementations:
 * `LocalStorage` (a folder, with links served by our own HTTP server) and `SupabaseStorage`.
 */

export const STORAGE_AREAS = ['datasets', 'checkpoints', 'artifacts', 'exports'] as const;
export type StorageArea = (typeof STORAGE_AREAS)[number];

export interface SignedUpload {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the PUT. */
  headers: Record<string, string>;
  /** When the link stops working (for Supabase, the token's real expiry). */
  expiresAt: Date;
}

export interface ObjectInfo {
  path: string;
  sizeBytes: number;
  updatedAt?: Date;
}

/** A byte range with an inclusive `end`, as in HTTP `Range`; `end` past the last byte is clamped. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface Storage {
  readonly kind: 'local' | 'supabase';
  /** Streams `body` in; replaces an existing object. A reader sees the old or the new object, never a partial one. */
  put(
    path: string,
    body: Readable | Uint8Array,
    options?: { contentType?: string },
  ): Promise<{ sizeBytes: number }>;
  /** Streams the object (or a range of it). Missing → `StorageNotFoundError`; a start past the end → `StorageError` with code `range_not_satisfiable`. */
  read(path: string, range?: ByteRange): Promise<Readable>;
  /** `null` when the object does not exist. */
  stat(path: string): Promise<ObjectInfo | null>;
  /** Every object under the folder `prefix` (an area, or an area plus folders), recursively, sorted by path. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Deletes these objects; missing ones are ignored. */
  delete(paths: string[]): Promise<void>;
  /** Deletes every object under the folder `prefix` (`checkpoints/job_1` does not touch `checkpoints/job_10`). */
  deletePrefix(prefix: string): Promise<void>;
  /** A link anyone can GET (Range supported) until it expires. Missing object → `StorageNotFoundError`. */
  signedDownloadUrl(
    path: string,
    options: { expiresInSeconds: number; downloadName?: string },
  ): Promise<string>;
  /**
   * A link a client PUTs the raw bytes to, with `headers`. Overwrites an existing object, unless
   * `createOnly`: then the link is single-use — once an object is stored at the path, every
   * further PUT is refused (409 locally, storage-api's "Duplicate" on Supabase) and the object
   * stays as it is.
   * Local enforces `maxBytes` (413, nothing kept). Supabase can only enforce its bucket-wide
   * `file_size_limit` and fixes the lifetime server-side (2 hours by default): check `stat()`
   * after the client reports completion, and read `expiresAt` for the real expiry.
   */
  signedUploadUrl(
    path: string,
    options: { expiresInSeconds: number; maxBytes?: number; createOnly?: boolean },
  ): Promise<SignedUpload>;
}

export type StorageErrorCode =
  | 'invalid_path'
  | 'invalid_argument'
  | 'not_found'
  | 'range_not_satisfiable'
  | 'too_large'
  | 'conflict'
  | 'aborted'
  | 'unauthorized'
  | 'misconfigured'
  | 'backend';

export class StorageError extends Error {
  override name = 'StorageError';
  readonly code: StorageErrorCode;

  constructor(message: string, options: { code?: StorageErrorCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'backend';
  }
}

export class StorageNotFoundError extends StorageError {
  override name = 'StorageNotFoundError';
  readonly path: string;

  constructor(path: string, options: { cause?: unknown } = {}) {
    super(`No object is stored at "${path}".`, { code: 'not_found', cause: options.cause });
    this.path = path;
  }
}

export class StoragePathError extends StorageError {
  override name = 'StoragePathError';
  readonly path: string;

  constructor(path: string, problem: string) {
    super(
      `Invalid storage path ${JSON.stringify(path)}: ${problem}. Paths look like "<area>/<name>" ` +
        `(e.g. "datasets/ds_1/source.jsonl") with the area one of ${STORAGE_AREAS.join(', ')}.`,
      { code: 'invalid_path' },
    );
    this.path = path;
  }
}

export interface ParsedPath {
  area: StorageArea;
  /** The part after the area; '' for a prefix naming a whole area. */
  rest: string;
}

// Characters that survive every URL we build (ours, and supabase-js's encodeURI) unescaped and
// that Supabase accepts in object keys. Spaces, '#', '%', '?' and '&' would break one of them.
const SEGMENT_PATTERN = /^[A-Za-z0-9._\-+=@,]+$/;
const MAX_PATH_LENGTH = 1024;

function parseSegments(input: string, original: string): ParsedPath {
  if (typeof input !== 'string' || input.length === 0) throw new StoragePathError(original, 'it is empty');
  if (input.length > MAX_PATH_LENGTH) {
    throw new StoragePathError(original, `it is longer than ${MAX_PATH_LENGTH} characters`);
  }
  if (input.includes('\\')) throw new StoragePathError(original, 'use "/" as the separator, not "\\"');
  if (input.startsWith('/')) throw new StoragePathError(original, 'it must not start with "/"');
  const segments = input.split('/');
  const [area, ...rest] = segments;
  if (!STORAGE_AREAS.includes(area as StorageArea)) {
    throw new StoragePathError(original, `"${area}" is not a storage area`);
  }
  for (const segment of rest) {
    if (segment === '') throw new StoragePathError(original, 'it contains an empty segment ("//" or a trailing "/")');
    if (segment === '..' || segment === '.') {
      throw new StoragePathError(original, `"${segment}" segments are not allowed`);
    }
    if (!SEGMENT_PATTERN.test(segment)) {
      const bad = [...segment].find((ch) => !SEGMENT_PATTERN.test(ch));
      throw new StoragePathError(
        original,
        `segment "${segment}" contains ${JSON.stringify(bad)}; use letters, digits and . _ - + = @ ,`,
      );
    }
  }
  return { area: area as StorageArea, rest: rest.join('/') };
}

/** Validates an object path such as `datasets/ds_1/source.jsonl`. */
export function parseObjectPath(path: string): ParsedPath {
  const parsed = parseSegments(path, path);
  if (parsed.rest === '') {
    throw new StoragePathError(path, `it names the whole "${parsed.area}" area, not an object inside it`);
  }
  return parsed;
}

/** Validates a folder prefix: an area (`checkpoints`) or a folder in it (`checkpoints/job_1`, trailing `/` allowed). */
export function parseStoragePrefix(prefix: string): ParsedPath {
  const trimmed = typeof prefix === 'string' && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return parseSegments(trimmed, prefix);
}

export function assertPositiveSeconds(value: number, field: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new StorageError(`${field} must be a positive whole number of seconds, got ${String(value)}.`, {
      code: 'invalid_argument',
    });
  }
}

export function assertValidRange(range: ByteRange | undefined): void {
  if (!range) return;
  const { start, end } = range;
  const ok =
    Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start));
  if (!ok) {
    throw new StorageError(
      `Invalid byte range ${JSON.stringify(range)}: start must be a whole number >= 0 and end (inclusive) >= start.`,
      { code: 'invalid_argument' },
    );
  }
}

export function rangeNotSatisfiable(path: string, start: number, sizeBytes?: number): StorageError {
  const size = sizeBytes === undefined ? '' : ` (it is ${sizeBytes} bytes long)`;
  return new StorageError(`Cannot read "${path}" from byte ${start}: that is past the end of the object${size}.`, {
    code: 'range_not_satisfiable',
  });
}
