import { createClient } from '@supabase/supabase-js';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  assertPositiveSeconds,
  assertValidRange,
  parseObjectPath,
  parseStoragePrefix,
  StorageError,
  StorageNotFoundError,
  type ByteRange,
  type ObjectInfo,
  type SignedUpload,
  type Storage,
  type StorageArea,
} from './storage.js';
import { streamingFetch } from './streaming-fetch.js';
import { toReadable } from './streams.js';
import { toStorageError, unwrap, type SupabaseResult } from './supabase-errors.js';

export interface SupabaseStorageOptions {
  /** The project URL, e.g. `https://<ref>.supabase.co` (SUPABASE_URL). */
  url: string;
  /** The service role key (SUPABASE_SERVICE_ROLE_KEY); it bypasses row-level security, so keep it server-side. */
  serviceRoleKey: string;
  /** The private bucket holding each area; they must exist. */
  buckets: Record<StorageArea, string>;
}

const LIST_PAGE = 1000;
const DELETE_BATCH = 1000; // storage-api refuses more prefixes per request
const READ_LINK_SECONDS = 60;
const FOLDER_PLACEHOLDER = '.emptyFolderPlaceholder';

/**
 * Supabase Storage through supabase-js.
 *
 * - put: `upload(…, { upsert: true, duplex: 'half' })` with the Node stream as the body; it goes
 *   out chunked and storage-api streams it on to S3. supabase-js is given `streamingFetch`, since
 *   Node's own fetch would hold the whole streamed body in memory (see streaming-fetch.ts).
 *   (A signed upload URL + PUT works too, but costs a round trip and gains nothing server-side.)
 * - read: a 60-second signed URL fetched with a `Range` header (supabase-js's download() cannot
 *   send one); it costs one extra round trip but streams and ranges like any client's download.
 */
export class SupabaseStorage implements Storage {
  readonly kind = 'supabase' as const;
  readonly #storage: ReturnType<typeof createClient>['storage'];
  readonly #buckets: Record<StorageArea, string>;

  constructor(options: SupabaseStorageOptions) {
    if (!options.url || !options.serviceRoleKey) {
      throw new StorageError('SupabaseStorage needs url (SUPABASE_URL) and serviceRoleKey (SUPABASE_SERVICE_ROLE_KEY).', {
        code: 'misconfigured',
      });
    }
    for (const [area, bucket] of Object.entries(options.buckets)) {
      if (!bucket) throw new StorageError(`SupabaseStorage has no bucket for the "${area}" area.`, { code: 'misconfigured' });
    }
    const client = createClient(options.url, options.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { fetch: streamingFetch },
    });
    this.#storage = client.storage;
    this.#buckets = { ...options.buckets };
  }

  #locate(path: string) {
    const { area, rest } = parseObjectPath(path);
    const bucket = this.#buckets[area];
    return { bucket, key: rest, api: this.#storage.from(bucket) };
  }

  async put(path: string, body: Readable | Uint8Array, options: { contentType?: string } = {}) {
    const { api, key } = this.#locate(path);
    let sizeBytes = 0;
    let sourceError: unknown;
    let uploadBody: Readable | Buffer;
    if (body instanceof Uint8Array) {
      uploadBody = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      sizeBytes = uploadBody.length;
    } else {
      const source = toReadable(body);
      uploadBody = Readable.from(
        (async function* count() {
          try {
            for await (const chunk of source as AsyncIterable<Buffer>) {
              sizeBytes += chunk.length;
              yield chunk;
            }
          } catch (error) {
            sourceError = error;
            throw error;
          }
        })(),
      );
    }
    const result = await api
      .upload(key, uploadBody, {
        upsert: true,
        contentType: options.contentType ?? 'application/octet-stream',
        duplex: 'half',
      })
      .catch((error: unknown) => ({ data: null, error }));
    if (result.error && sourceError !== undefined) {
      // The request was aborted mid-body, so Supabase kept nothing; the body is what failed.
      const reason = sourceError instanceof Error ? sourceError.message : String(sourceError);
      throw new StorageError(`Could not store "${path}": reading the body failed: ${reason}`, { cause: sourceError });
    }
    unwrap(result, 'store', path);
    return { sizeBytes };
  }

  async read(path: string, range?: ByteRange): Promise<Readable> {
    assertValidRange(range);
    const { api, key } = this.#locate(path);
    const { signedUrl } = unwrap(await api.createSignedUrl(key, READ_LINK_SECONDS), 'read', path);
    const headers: Record<string, string> = {};
    if (range) headers.Range = `bytes=${range.start}-${range.end ?? ''}`;
    const response = await fetch(signedUrl, { headers }).catch((cause: unknown) => {
      throw new StorageError(`Could not reach Supabase Storage to read "${path}": ${(cause as Error).message}`, { cause });
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      throw toStorageError({ status: response.status, ...body }, 'read', path, range?.start);
    }
    if (range && (range.start > 0 || range.end !== undefined) && response.status !== 206) {
      await response.body?.cancel();
      throw new StorageError(`Supabase Storage ignored the byte range when reading "${path}".`);
    }
    if (!response.body) return Readable.from([]);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }

  async stat(path: string): Promise<ObjectInfo | null> {
    const { api, key } = this.#locate(path);
    const result = (await api.info(key)) as SupabaseResult<{ size?: number; lastModified?: string }>;
    try {
      const info = unwrap(result, 'inspect', path);
      return { path, sizeBytes: info.size ?? 0, ...(info.lastModified && { updatedAt: new Date(info.lastModified) }) };
    } catch (error) {
      if (error instanceof StorageNotFoundError) return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const { area, rest } = parseStoragePrefix(prefix);
    const api = this.#storage.from(this.#buckets[area]);
    const found: ObjectInfo[] = [];
    // storage-api lists one folder level at a time, folders as entries without an id.
    const walk = async (folder: string): Promise<void> => {
      for (let offset = 0; ; offset += LIST_PAGE) {
        const page = unwrap(
          await api.list(folder, { limit: LIST_PAGE, offset, sortBy: { column: 'name', order: 'asc' } }),
          'list',
          prefix,
        );
        for (const entry of page) {
          const key = folder ? `${folder}/${entry.name}` : entry.name;
          if (entry.id === null) await walk(key);
          else if (entry.name !== FOLDER_PLACEHOLDER) {
            const size = Number(entry.metadata?.size ?? 0);
            const updated = entry.updated_at ?? entry.created_at;
            found.push({ path: `${area}/${key}`, sizeBytes: size, ...(updated && { updatedAt: new Date(updated) }) });
          }
        }
        if (page.length < LIST_PAGE) return;
      }
    };
    await walk(rest);
    return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(paths: string[]): Promise<void> {
    const byBucket = new Map<string, string[]>();
    for (const path of paths) {
      const { bucket, key } = this.#locate(path);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), key]);
    }
    for (const [bucket, keys] of byBucket) {
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        unwrap(await this.#storage.from(bucket).remove(keys.slice(i, i + DELETE_BATCH)), 'delete', `${bucket}/…`);
      }
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const objects = await this.list(prefix);
    await this.delete(objects.map((object) => object.path));
  }

  async signedDownloadUrl(path: string, options: { expiresInSeconds: number; downloadName?: string }): Promise<string> {
    assertPositiveSeconds(options.expiresInSeconds, 'expiresInSeconds');
    const { api, key } = this.#locate(path);
    const { signedUrl } = unwrap(await api.createSignedUrl(key, options.expiresInSeconds), 'sign a link for', path);
    // Appended here rather than via `{ download }`: supabase-js would only encodeURI() the name.
    return options.downloadName ? `${signedUrl}&download=${encodeURIComponent(options.downloadName)}` : signedUrl;
  }

  async signedUploadUrl(path: string, options: { expiresInSeconds: number; maxBytes?: number; createOnly?: boolean }): Promise<SignedUpload> {
    assertPositiveSeconds(options.expiresInSeconds, 'expiresInSeconds');
    const { api, key } = this.#locate(path);
    const { signedUrl, token } = unwrap(
      // Without upsert, storage-api refuses a PUT to a key that holds an object ("Duplicate").
      await api.createSignedUploadUrl(key, { upsert: !options.createOnly }),
      'sign an upload link for',
      path,
    );
    return {
      url: signedUrl,
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      expiresAt: tokenExpiry(token) ?? new Date(Date.now() + 2 * 60 * 60 * 1000),
    };
  }
}

/** Supabase fixes the upload link lifetime server-side; the token (a JWT) says when it ends. */
function tokenExpiry(token: string): Date | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}
