import type { IncomingMessage, ServerResponse } from 'node:http';
import { StandInError, type StoredObject } from './supabase-standin-store.js';

/** The stand-in's JSON shapes and body handling, as storage-api sends and expects them. */

export function requireName(name: string): string {
  if (name === '') throw new StandInError('400', 'InvalidKey', 'Invalid key: the object name is empty');
  return name;
}

export function routeNotFound(method: string, path: string): StandInError {
  return new StandInError('404', 'Not Found', `Route ${method}:${path} not found`, 404);
}

export function listEntry(name: string, object: StoredObject | null) {
  if (!object) return { name, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null };
  return {
    name,
    id: object.id,
    updated_at: object.updatedAt.toISOString(),
    created_at: object.createdAt.toISOString(),
    last_accessed_at: object.updatedAt.toISOString(),
    metadata: {
      eTag: object.etag,
      size: object.size,
      mimetype: object.contentType,
      cacheControl: object.cacheControl,
      lastModified: object.updatedAt.toISOString(),
      contentLength: object.size,
      httpStatusCode: 200,
    },
  };
}

export function infoBody(object: StoredObject) {
  return {
    id: object.id,
    name: object.name,
    version: object.id,
    bucket_id: object.bucket,
    size: object.size,
    content_type: object.contentType,
    cache_control: object.cacheControl,
    etag: object.etag,
    metadata: {},
    last_modified: object.updatedAt.toISOString(),
    created_at: object.createdAt.toISOString(),
  };
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > 1_000_000) throw new StandInError('413', 'Payload too large', 'The JSON body is too large');
    chunks.push(chunk);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new StandInError('400', 'InvalidRequest', 'The body must be a JSON object');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const known =
    error instanceof StandInError ? error : new StandInError('500', 'InternalError', (error as Error).message ?? 'Internal error');
  sendJson(res, known.httpStatus, { statusCode: known.statusCode, error: known.error, message: known.message });
}
