import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { authenticateApiKey, type ApiKeyAuth } from '../context.js';
import type { Services } from '../services.js';
import { bearerFrom } from './authenticate.js';
import { CSRF_HEADER, authenticateSession, sessionTokenFrom } from './sessions.js';

/**
 * Who calls /graphql over HTTP: an `Authorization: Bearer brk_…` key (SDKs, scripts), else the
 * dashboard's session cookie — which must come with the CSRF header, so a page on another site
 * cannot make a signed-in browser send a request.
 */
export async function authenticateHttpRequest(services: Services, request: Request): Promise<ApiKeyAuth> {
  const authorization = request.headers.get('authorization');
  const token = authorization ? null : sessionTokenFrom(request.headers.get('cookie'));
  if (!token) return authenticateApiKey(services, bearerFrom(authorization));
  if (!request.headers.get(CSRF_HEADER)) {
    throw new GraphQLError(`Requests signed in by the dashboard's session cookie need the header "${CSRF_HEADER}: 1" (the dashboard sends it); API clients send "Authorization: Bearer brk_…" instead`, {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
  return authenticateSession(services.db.prisma, token);
}

/**
 * A graphql-ws upgrade with no credential in connection_init: the session cookie, if the socket
 * was opened by a page of this origin (browsers send cookies on cross-site WebSocket handshakes
 * under some policies; the Origin check refuses those). Null when there is no cookie.
 */
export async function authenticateUpgradeCookie(services: Services, request: http.IncomingMessage): Promise<ApiKeyAuth | null> {
  const token = sessionTokenFrom(request.headers.cookie);
  if (!token) return null;
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (!origin || !host || new URL(origin).host !== host) {
    throw new GraphQLError('A session cookie is accepted only from a page of this server (the Origin does not match)', { extensions: { code: 'FORBIDDEN' } });
  }
  return authenticateSession(services.db.prisma, token);
}
