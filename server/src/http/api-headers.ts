import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The API version this server speaks: the project's version (root package.json), which is the
 * newest released contract in schema/released/. Clients compare its major part with their own.
 */
export const API_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const API_VERSION_HEADER = 'BrightRun-API-Version';
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** The credential's rate budget on every counted /graphql answer (http/limits/edge-auth.ts). */
export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] as const;
const EXPOSED_HEADERS = [API_VERSION_HEADER, REQUEST_ID_HEADER, 'Retry-After', ...RATE_LIMIT_HEADERS].join(', ');

/** A caller's own request id is kept when it is short and plain; otherwise one is made. */
const CALLER_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Stamps every response with the API version and a request id (the caller's `X-Request-Id` when
 * it sent a plain one, else `req_` + 24 hex characters), so a client can name the request in a
 * bug report and the server's log can be searched for it. Returns the id.
 */
export function stampApiHeaders(req: IncomingMessage, res: ServerResponse): string {
  const sent = req.headers['x-request-id'];
  const id = typeof sent === 'string' && CALLER_ID.test(sent) ? sent : `req_${randomBytes(12).toString('hex')}`;
  res.setHeader(API_VERSION_HEADER, API_VERSION);
  res.setHeader(REQUEST_ID_HEADER, id);
  // Browsers may read these only when listed (the dashboard and the SDK's browser build do).
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return id;
}
