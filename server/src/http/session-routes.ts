import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { authenticateApiKey } from '../context.js';
import type { Services } from '../services.js';
import { CSRF_HEADER, authenticateSession, clearedSessionCookie, createSession, revokeSession, sessionCookie, sessionTokenFrom } from '../auth/sessions.js';
import { pathOf } from './paths.js';

export const SESSION_PATH = '/auth/session';
/** A sign-in body is one API key; anything larger is refused before it is read in full. */
export const MAX_SIGN_IN_BYTES = 4096;

/**
 * The dashboard's sign-in: POST an API key for an httpOnly session cookie, GET who is signed in,
 * DELETE to sign out. The key itself stays in the request body: never in a URL, cookie or storage.
 */
export function createSessionRoutes(services: () => Services, options: { secureCookies: boolean; environment: 'production' | 'development' }) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    if (pathOf(req.url) !== SESSION_PATH) return false;
    const secure = options.secureCookies || req.headers['x-forwarded-proto'] === 'https' || Boolean((req.socket as { encrypted?: boolean }).encrypted);
    const prisma = services().db.prisma;
    const token = sessionTokenFrom(req.headers.cookie);

    if (req.method === 'GET') {
      if (token) {
        try {
          const auth = await authenticateSession(prisma, token);
          return json(res, 200, { signedIn: true, environment: options.environment, keyName: auth.keyName, keyPrefix: auth.keyPrefix, scopes: [...auth.scopes], expiresAt: auth.sessionExpiresAt.toISOString() });
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          return json(res, 200, { signedIn: false, message: error.message, firstStart: await isFirstStart(services) }, { 'set-cookie': clearedSessionCookie(secure) });
        }
      }
      return json(res, 200, { signedIn: false, message: null, firstStart: await isFirstStart(services) });
    }
    if (req.method !== 'POST' && req.method !== 'DELETE') return json(res, 405, { message: 'Use GET, POST or DELETE' }, { allow: 'GET, POST, DELETE' });
    if (!req.headers[CSRF_HEADER]) return json(res, 403, { message: `Send the header "${CSRF_HEADER}: 1" (the dashboard does)` });

    if (req.method === 'DELETE') {
      const revoked = token ? await revokeSession(prisma, token) : null;
      // Sockets opened with this cookie close on every instance (app.ts follows the topic).
      if (revoked) services().pubsub.publish('session:revoked', { sessionId: revoked });
      res.writeHead(204, { 'set-cookie': clearedSessionCookie(secure), 'cache-control': 'no-store' });
      res.end();
      return true;
    }

    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(res, 415, { message: 'Send the key as JSON: {"apiKey": "brk_…"} with Content-Type: application/json' });
    }
    const body = await readBody(req, MAX_SIGN_IN_BYTES);
    if (body === null) return json(res, 413, { message: `The sign-in body is limited to ${MAX_SIGN_IN_BYTES} bytes: send only {"apiKey": "brk_…"}` });
    let apiKey: unknown;
    try {
      apiKey = (JSON.parse(body) as { apiKey?: unknown }).apiKey;
    } catch {
      return json(res, 400, { message: 'The body is not JSON: send {"apiKey": "brk_…"}' });
    }
    if (typeof apiKey !== 'string' || apiKey.trim() === '') return json(res, 400, { message: 'apiKey is missing: paste an API key (it starts with brk_)' });
    try {
      const auth = await authenticateApiKey(services(), apiKey.trim());
      const session = await createSession(prisma, auth, req.headers['user-agent']);
      return json(res, 200, { signedIn: true, scopes: [...auth.scopes], expiresAt: session.expiresAt.toISOString() }, { 'set-cookie': sessionCookie(session.token, secure) });
    } catch (error) {
      if (error instanceof GraphQLError) return json(res, 401, { message: error.message });
      throw error;
    }
  };
}

/** No key of any workspace has been used yet: the sign-in page points at the server's first-start output. */
async function isFirstStart(services: () => Services): Promise<boolean> {
  return (await services().db.prisma.apiKey.count({ where: { lastUsedAt: { not: null } } })) === 0;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
  return true;
}

/** The body as text, or null once it passes `limit` bytes (the rest is not buffered). */
function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      return resolve(null);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
