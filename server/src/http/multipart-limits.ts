import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, openAsBlob, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Busboy } from '@fastify/busboy';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { limitError } from './limits/errors.js';

/**
 * GraphQL multipart uploads (uploadDataset), streamed, never buffered whole. yoga's own parser
 * reads a multipart body into a File held in memory; this plugin replaces it for multipart
 * requests (after the edge has checked the key, before anything of the body is read):
 * - a declared Content-Length over the limit is refused before a byte is read (413);
 * - the body is counted as it streams through busboy and cut at the limit (413), also without
 *   Content-Length; the small `operations`/`map` fields are held to FIELDS_ALLOWANCE;
 * - each file part is written to a staging file on disk as it arrives (backpressure reaches the
 *   socket: a slow disk slows the client, it does not fill memory) and handed to the resolver as
 *   a File backed by that file (fs.openAsBlob), so memory does not grow with the file's size;
 * - all multipart bodies together stage at most `maxInFlightBytes`: past that a request is
 *   refused at once (429 + Retry-After) instead of being staged beside the others;
 * - the staging files are deleted when the response has gone out, when the client goes away
 *   (the response closes) and when the body is refused; files left by a crash are swept at start.
 * Files larger than the multipart limit go through requestDatasetUpload, which streams to storage.
 */
export interface MultipartLimits {
  /** Largest multipart body (the file plus its small operations/map fields). */
  maxBytes: number;
  /** Multipart bytes the whole server stages at once. */
  maxInFlightBytes: number;
}

/** The multipart limit for a given upload limit: at most 100 MiB (larger files: requestDatasetUpload). */
export const MULTIPART_CAP_BYTES = 100 * 1024 * 1024;
/** The operations and map fields together (JSON text, held in memory). */
export const FIELDS_ALLOWANCE = 256 * 1024;
/** Multipart bytes staged at once: eight largest uploads, at most 256 MiB. */
export const MULTIPART_IN_FLIGHT_BYTES = 256 * 1024 * 1024;
/** Files one multipart request may carry (uploadDataset takes one). */
export const MULTIPART_MAX_FILES = 4;
/** The staging folder, under the data dir. */
export const MULTIPART_STAGING_DIR = 'multipart-staging';
/** Staging files older than this at start are left from a crash and deleted. */
const STALE_STAGING_MS = 60 * 60_000;

export function multipartLimitsFor(maxUploadBytes: number): MultipartLimits {
  const maxBytes = Math.min(maxUploadBytes, MULTIPART_CAP_BYTES) + FIELDS_ALLOWANCE;
  return { maxBytes, maxInFlightBytes: Math.min(MULTIPART_IN_FLIGHT_BYTES, 8 * maxBytes) };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const tooLarge = (limit: number, actual?: number, closeConnection = false) =>
  limitError(
    'REQUEST_TOO_LARGE',
    `The upload is larger than the ${mib(limit)} a multipart upload may be${actual ? ` (${mib(actual)})` : ''}; nothing was stored. ` +
      'Upload larger files with requestDatasetUpload (a signed link that streams to storage), or split the dataset.',
    {
      limitName: 'multipartBytes',
      limit,
      ...(actual ? { actual } : {}),
      setting: 'BRIGHTRUN_MAX_UPLOAD_MB',
      status: 413,
      // A body cut after being read in part cannot be skipped to the next request: end the connection.
      ...(closeConnection ? { headers: { Connection: 'close' } } : {}),
    },
  );

const fieldsTooLarge = () =>
  limitError('REQUEST_TOO_LARGE', `The multipart fields "operations" and "map" may be at most ${FIELDS_ALLOWANCE / 1024} KB each; send a shorter query and pass large values as files`, {
    limitName: 'multipartFieldBytes',
    limit: FIELDS_ALLOWANCE,
    setting: 'BRIGHTRUN_MAX_UPLOAD_MB',
    status: 413,
    headers: { Connection: 'close' },
  });

const busy = (limit: number) =>
  limitError(
    'RATE_LIMITED',
    `The server is already receiving ${mib(limit)} of multipart uploads, its limit; retry in a few seconds or use requestDatasetUpload.`,
    { limitName: 'multipartInFlightBytes', limit, setting: 'BRIGHTRUN_MAX_UPLOAD_MB', status: 429, retryAfterSeconds: 5 },
  );

const badMultipart = (message: string) =>
  new GraphQLError(`POST body sent invalid multipart data: ${message}`, { extensions: { code: 'BAD_REQUEST', http: { status: 400, spec: false } } });

function isMultipart(request: Request): boolean {
  return request.method === 'POST' && (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/');
}

export class MultipartBudget {
  inFlight = 0;
  /** Highest bytes held at once (tests, diagnostics). */
  peak = 0;
  constructor(readonly limits: MultipartLimits) {}

  take(bytes: number): boolean {
    if (this.inFlight + bytes > this.limits.maxInFlightBytes) return false;
    this.inFlight += bytes;
    this.peak = Math.max(this.peak, this.inFlight);
    return true;
  }

  give(bytes: number): void {
    this.inFlight -= bytes;
  }
}

/** What one multipart request holds: budget bytes and staging files, released once. */
class Holding {
  bytes = 0;
  private readonly files: { path: string; write: Promise<unknown> }[] = [];
  released = false;
  constructor(private readonly budget: MultipartBudget) {}

  /** Charges the budget up to `total` bytes; false when the server's budget is spent. */
  charge(total: number): boolean {
    if (this.released || total <= this.bytes) return true;
    if (!this.budget.take(total - this.bytes)) return false;
    this.bytes = total;
    return true;
  }

  /** A staging file, deleted on release once its write has settled (an open still pending would recreate it). */
  track(file: string, write: Promise<unknown>): void {
    this.files.push({ path: file, write });
    if (this.released) this.deleteFiles();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.bytes);
    this.bytes = 0;
    this.deleteFiles();
  }

  private deleteFiles() {
    for (const { path: file, write } of this.files.splice(0)) {
      void Promise.allSettled([write]).then(() => rm(file, { force: true }).catch(() => undefined));
    }
  }
}

/** Deletes staging files a crashed process left behind (older than an hour: another instance's are in use). */
export function sweepStaging(dir: string, now = Date.now()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > STALE_STAGING_MS) {
        rmSync(file, { force: true });
        removed += 1;
      }
    } catch {
      // gone already
    }
  }
  return removed;
}

export interface MultipartOptions {
  budget: MultipartBudget;
  /** Where file parts are staged (created if missing; stale files swept at start). */
  stagingDir: string;
}

export function useMultipartLimits({ budget, stagingDir }: MultipartOptions): Plugin {
  const { maxBytes } = budget.limits;
  mkdirSync(stagingDir, { recursive: true });
  sweepStaging(stagingDir);
  const held = new WeakMap<Request, Holding>();
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext }) {
      if (!requestParser || !isMultipart(request)) return;
      const declared = request.headers.get('content-length');
      const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
      if (length !== null && length > maxBytes) throw tooLarge(maxBytes, length);
      const holding = new Holding(budget);
      held.set(request, holding);
      // The client going away (or the response ending any other way) releases it too.
      (serverContext as { res?: ServerResponse } | undefined)?.res?.once('close', () => holding.release());
      if (length !== null && !holding.charge(length)) throw busy(budget.limits.maxInFlightBytes);
      setRequestParser(async () => {
        try {
          return await parseMultipart(request, holding, budget, stagingDir);
        } catch (error) {
          holding.release();
          throw error;
        }
      });
    },
    onResponse({ request }) {
      const holding = held.get(request);
      if (!holding) return;
      held.delete(request);
      holding.release();
    },
  };
}

/**
 * The GraphQL multipart request spec, streamed: `operations` and `map` are read as text, each
 * file part goes to its own staging file, then the files are set into the operations at the
 * paths `map` names (as yoga's parser does, but with disk-backed Files).
 */
async function parseMultipart(request: Request, holding: Holding, budget: MultipartBudget, stagingDir: string): Promise<GraphQLParams | GraphQLParams[]> {
  const { maxBytes } = budget.limits;
  if (!request.body) throw badMultipart('the body is empty');
  let parser: ReturnType<typeof Busboy>;
  try {
    parser = Busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { fieldSize: FIELDS_ALLOWANCE, fields: 8, files: MULTIPART_MAX_FILES, parts: 8 + MULTIPART_MAX_FILES, headerPairs: 100 },
    });
  } catch (error) {
    throw badMultipart((error as Error).message);
  }

  const fields = new Map<string, string>();
  const files = new Map<string, { path: string; name: string; type: string }>();
  const writes: Promise<void>[] = [];
  const streams: NodeJS.ReadableStream[] = [];
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
  };
  parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
    if (valueTruncated) fail(fieldsTooLarge());
    else fields.set(name, value);
  });
  parser.on('file', (name, stream, filename, _encoding, mimeType) => {
    const staged = path.join(stagingDir, `${randomUUID()}.part`);
    files.set(name, { path: staged, name: filename, type: mimeType });
    streams.push(stream);
    const write = pipeline(stream, createWriteStream(staged, { flags: 'wx' })).catch((error: Error) => fail(error));
    writes.push(write);
    holding.track(staged, write);
  });
  parser.on('filesLimit', () => fail(badMultipart(`at most ${MULTIPART_MAX_FILES} files per request`)));
  parser.on('partsLimit', () => fail(badMultipart('too many parts')));
  parser.on('fieldsLimit', () => fail(badMultipart('too many fields')));
  const finished = new Promise<void>((resolve, reject) => {
    parser.once('finish', resolve);
    parser.once('error', reject);
  });
  // Marks the promise handled: a failure is thrown from `await finished` below, or superseded.
  finished.catch(() => undefined);

  const reader = request.body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      seen += next.value.byteLength;
      if (seen > maxBytes) throw tooLarge(maxBytes, undefined, true);
      // More than declared (or nothing declared): charge the rest as it arrives.
      if (!holding.charge(seen)) throw busy(budget.limits.maxInFlightBytes);
      if (holding.released) throw badMultipart('the client went away before the body ended');
      if (failure) throw failure;
      if (!parser.write(next.value)) await Promise.race([once(parser, 'drain'), finished]);
    }
    parser.end();
    await finished;
    await Promise.all(writes);
    if (failure) throw failure;
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    parser.destroy();
    for (const stream of streams) (stream as NodeJS.ReadableStream & { destroy(error?: Error): void }).destroy(new Error('upload refused'));
    if (error instanceof GraphQLError) throw error;
    // The client went away, or busboy found the body malformed.
    throw badMultipart((error as Error).message);
  }

  const operationsText = fields.get('operations');
  if (operationsText === undefined) throw badMultipart('missing multipart form field "operations"');
  let operations: GraphQLParams | GraphQLParams[];
  try {
    operations = JSON.parse(operationsText) as GraphQLParams | GraphQLParams[];
  } catch {
    throw badMultipart('the multipart form field "operations" must be a valid JSON string');
  }
  const mapText = fields.get('map');
  if (mapText !== undefined) {
    let map: Record<string, unknown>;
    try {
      map = JSON.parse(mapText) as Record<string, unknown>;
    } catch {
      throw badMultipart('the multipart form field "map" must be a valid JSON string');
    }
    for (const [key, paths] of Object.entries(map ?? {})) {
      const staged = files.get(key);
      const value = staged ? await stagedFile(staged) : (fields.get(key) ?? null);
      for (const keyPath of Array.isArray(paths) ? paths : []) if (typeof keyPath === 'string') setPath(operations, keyPath, value);
    }
  }
  return operations;
}

/** A File whose bytes stay in the staging file: reading it streams from disk. */
async function stagedFile(staged: { path: string; name: string; type: string }): Promise<File> {
  const blob = await openAsBlob(staged.path, { type: staged.type });
  return new File([blob], staged.name, { type: staged.type });
}

function setPath(target: unknown, keyPath: string, value: unknown) {
  const keys = keyPath.split('.');
  let current = target as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
    if (i === keys.length - 1) {
      current[key] = value;
      return;
    }
    const next = current[key];
    if (typeof next !== 'object' || next === null || !Object.hasOwn(current, key)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
}
