import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ApiKeyAuth } from '../context.js';
import type { PublicYoga } from './yoga.js';
import { GRAPHQL_PATH, GRAPHQL_WS_PATH, pathOf } from './paths.js';

/** Where a graphql-ws client may connect: `/graphql` (what GraphiQL, urql and most examples assume) and `/graphql/ws`. */
export const WS_PATHS = [GRAPHQL_PATH, GRAPHQL_WS_PATH];

interface WsOptions {
  yoga: PublicYoga;
  /** Verifies the connection_init credential (`authorization`, `Authorization` or `apiKey`). */
  authenticate: (credential: string | null) => Promise<ApiKeyAuth>;
  bearerFrom: (raw: string | undefined) => string | null;
  /** Upgrades before the server is ready get a 503, like any other request. */
  isReady: () => boolean;
}

type Extra = { auth?: ApiKeyAuth };

/** graphql-ws served from the same yoga instance (its schema, plugins and context), on both paths. */
export function attachGraphqlWs(server: http.Server, options: WsOptions): WebSocketServer {
  const wsServer = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!WS_PATHS.includes(pathOf(req.url))) return void refuseUpgrade(socket, 404, 'Not Found');
    if (!options.isReady()) return void refuseUpgrade(socket, 503, 'Service Unavailable', { 'Retry-After': '2' });
    wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req));
  });

  useServer<Record<string, unknown>, Extra>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = (params.authorization ?? params.Authorization ?? params.apiKey) as string | undefined;
        try {
          (ctx.extra as Extra).auth = await options.authenticate(options.bearerFrom(raw));
          return true;
        } catch (error) {
          // Close with 4403 and our reason (WebSocket reasons are capped at 123 bytes).
          ctx.extra.socket.close(4403, truncateUtf8((error as Error).message, 123));
          return false;
        }
      },
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = options.yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, wsAuth: (ctx.extra as Extra).auth });
        const document = enveloped.parse(params.query);
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

function refuseUpgrade(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}) {
  const lines = [`HTTP/1.1 ${status} ${text}`, 'Connection: close', 'Content-Length: 0', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}

export function truncateUtf8(text: string, maxBytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -2) + '…';
  return out;
}
