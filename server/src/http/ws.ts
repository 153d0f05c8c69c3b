import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { RequestLimits } from '../config/config.js';
import type { ApiKeyAuth } from '../context.js';
import type { PublicYoga } from './yoga.js';
import { GRAPHQL_PATH, GRAPHQL_WS_PATH, pathOf } from './paths.js';
import { limitError } from './limits/errors.js';
import type { KeySessions } from './limits/key-sessions.js';
import { sessionSocketsKey } from '../auth/sessions.js';
import type { RateLimiter } from './limits/rate-limit.js';

/** Where a graphql-ws client may connect: `/graphql` (what GraphiQL, urql and most examples assume) and `/graphql/ws`. */
export const WS_PATHS = [GRAPHQL_PATH, GRAPHQL_WS_PATH];

interface WsOptions {
  yoga: PublicYoga;
  /** Verifies the connection_init credential (`authorization`, `Authorization` or `apiKey`). */
  authenticate: (credential: string | null) => Promise<ApiKeyAuth>;
  bearerFrom: (raw: string | undefined) => string | null;
  /** With no credential in connection_init: the dashboard's session cookie of the upgrade request (null: none). */
  authenticateCookie?: (request: http.IncomingMessage) => Promise<ApiKeyAuth | null>;
  /** Upgrades before the server is ready get a 503, like any other request. */
  isReady: () => boolean;
  limits: RequestLimits;
  rate: RateLimiter;
  /** Sockets register here under their key: revoking it closes them (4403). */
  sessions: KeySessions;
  clientAddress: (serverContext: { req: http.IncomingMessage }) => string;
}

/** `verify` checks the socket's credential (key or session cookie) again, before each operation. */
type Extra = { auth?: ApiKeyAuth; verify?: () => Promise<ApiKeyAuth> };

/** The longest credential worth looking up (keys are 36–68 characters; "Bearer " and spaces aside). */
const MAX_CREDENTIAL_CHARS = 512;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_BAD_REQUEST = 4400;

/** The credential of a connection_init payload, or why the payload cannot carry one. */
export function credentialOf(params: unknown, bearerFrom: (raw: string | undefined) => string | null): { credential: string | null } | { problem: string } {
  if (params === undefined || params === null) return { credential: null };
  if (typeof params !== 'object' || Array.isArray(params)) {
    return { problem: 'connection_init payload must be an object such as { "authorization": "Bearer brk_…" }' };
  }
  const record = params as Record<string, unknown>;
  const name = ['authorization', 'Authorization', 'apiKey'].find((key) => record[key] !== undefined && record[key] !== null);
  if (!name) return { credential: null };
  const raw = record[name];
  if (typeof raw !== 'string') return { problem: `connection_init "${name}" must be a string such as "Bearer brk_…" (got ${Array.isArray(raw) ? 'an array' : typeof raw})` };
  if (raw.length > MAX_CREDENTIAL_CHARS) return { problem: `connection_init "${name}" is ${raw.length} characters; an API key is under 100` };
  return { credential: bearerFrom(raw) };
}

/** graphql-ws served from the same yoga instance (its schema, plugins and context), on both paths. */
export function attachGraphqlWs(server: http.Server, options: WsOptions): WebSocketServer {
  // A message over the body limit closes the socket (1009) before it is parsed.
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: options.limits.maxBodyBytes });
  server.on('upgrade', async (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!WS_PATHS.includes(pathOf(req.url))) return void refuseUpgrade(socket, 404, 'Not Found');
    if (!options.isReady()) return void refuseUpgrade(socket, 503, 'Service Unavailable', { 'Retry-After': '2' });
    const limited = await options.rate.hitIp(options.clientAddress({ req }));
    if (limited) return void refuseUpgrade(socket, 429, 'Too Many Requests', { 'Retry-After': String(limited.extensions.retryAfterSeconds ?? 1) });
    wsServer.handleUpgrade(req, socket, head, (ws) => {
      quietClientProtocolErrors(ws);
      wsServer.emit('connection', ws, req);
    });
  });

  useServer<Record<string, unknown>, Extra>(
    {
      onConnect: async (ctx) => {
        const extra = ctx.extra as Extra & typeof ctx.extra;
        const found = credentialOf(ctx.connectionParams, options.bearerFrom);
        if ('problem' in found) {
          extra.socket.close(CLOSE_BAD_REQUEST, truncateUtf8(found.problem, 123));
          return false;
        }
        try {
          // No credential in connection_init: the dashboard's session cookie of the upgrade, if any.
          const request = extra.request;
          const verify = found.credential === null && options.authenticateCookie
            ? async () => (await options.authenticateCookie!(request)) ?? (await options.authenticate(null))
            : () => options.authenticate(found.credential);
          const auth = await verify();
          extra.auth = auth;
          extra.verify = verify;
          const close = (reason: string) => extra.socket.close(CLOSE_FORBIDDEN, truncateUtf8(reason, 123));
          const unregister = [options.sessions.open(auth.keyId, close)];
          // Opened with a dashboard session cookie: signing out closes it too.
          if ('sessionId' in auth && typeof auth.sessionId === 'string') unregister.push(options.sessions.open(sessionSocketsKey(auth.sessionId), close));
          extra.socket.once('close', () => unregister.forEach((each) => each()));
          return true;
        } catch (error) {
          // Close with 4403 and our reason (WebSocket reasons are capped at 123 bytes).
          extra.socket.close(CLOSE_FORBIDDEN, truncateUtf8((error as Error).message, 123));
          return false;
        }
      },
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const extra = ctx.extra as Extra & typeof ctx.extra;
        // Every operation checks its key again (a revoked key's socket is closed by the
        // revocation; this covers an operation that races it).
        let auth: ApiKeyAuth;
        try {
          auth = await (extra.verify ?? (() => options.authenticate(null)))();
        } catch (error) {
          extra.socket.close(CLOSE_FORBIDDEN, truncateUtf8((error as Error).message, 123));
          return [error instanceof GraphQLError ? error : new GraphQLError('Unauthenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const { refused: limited, budget } = await options.rate.spendKey(auth.keyId);
        if (limited) return [limited];
        const open = Object.keys(ctx.subscriptions).length; // this operation included
        if (open > options.limits.maxSubscriptionsPerSocket) {
          return [
            limitError('SUBSCRIPTION_LIMIT', `This socket already runs ${open - 1} operations; the limit is ${options.limits.maxSubscriptionsPerSocket} per socket. Complete one first, or open another socket`, {
              limitName: 'subscriptionsPerSocket',
              limit: options.limits.maxSubscriptionsPerSocket,
              actual: open,
              setting: 'BRIGHTRUN_MAX_SUBSCRIPTIONS_PER_SOCKET',
              status: 400,
            }),
          ];
        }
        const enveloped = options.yoga.getEnveloped({ ...ctx, req: extra.request, socket: extra.socket, params, wsAuth: auth, wsRateBudget: budget });
        let document;
        try {
          document = enveloped.parse(params.query);
        } catch (error) {
          // Syntax errors and the limits checked before parsing: an error for this operation, not a broken socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wsServer,
  );
  return wsServer;
}

/**
 * A client that breaks the WebSocket protocol (a message over maxPayload, invalid UTF-8, a bad
 * frame) makes `ws` close the socket with the matching code (1009, 1007, 1002) and emit an error
 * that graphql-ws would log with its whole socket object, per attempt. It is the client's
 * mistake, already answered: not the server's log's business.
 */
function quietClientProtocolErrors(socket: import('ws').WebSocket) {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'error' && String((args[0] as { code?: unknown } | undefined)?.code ?? '').startsWith('WS_ERR_')) return true;
    return emit(event, ...args);
  }) as typeof socket.emit;
}

function refuseUpgrade(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}) {
  const lines = [`HTTP/1.1 ${status} ${text}`, 'Connection: close', 'Content-Length: 0', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}

export function truncateUtf8(text: string, maxBytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -2) + '…';
  return out;
}
