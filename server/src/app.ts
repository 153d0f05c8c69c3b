import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Config } from './config/config.js';
import type { Context } from './context.js';
import { authenticate, bearerFrom, type Auth } from './auth/authenticate.js';
import { bootstrapWorkspace, type BootstrapResult } from './auth/bootstrap.js';
import { schema } from './schema/index.js';
import { createServices, type Services, type ServicesHandle } from './services.js';
import { createLocalFileRoutes } from './storage/local-routes.js';
import { importDemoData } from './demo/import-demo.js';

export interface StartedApp {
  url: string;
  port: number;
  services: Services;
  bootstrap: BootstrapResult;
}

export interface App {
  start(): Promise<StartedApp>;
  stop(): Promise<void>;
}

export const GRAPHQL_PATH = '/graphql';
export const GRAPHQL_WS_PATH = '/graphql/ws';
const SWEEP_EVERY_MS = 10 * 60_000;

/** The whole server. Tests build one on port 0 and talk to it as clients do. */
export function buildApp(config: Config, log: (line: string) => void = (line) => console.log(line)): App {
  let handle: ServicesHandle | undefined;
  let server: http.Server | undefined;
  let wsServer: WebSocketServer | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;

  const yoga = createYoga<{ wsAuth?: Auth }, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: config.production ? false : { title: 'BrightRun LoRA API', subscriptionsProtocol: 'WS', headers: JSON.stringify({ Authorization: 'Bearer brk_…' }) },
    landingPage: false,
    logging: config.production ? 'warn' : 'error',
    context: async ({ request, wsAuth }) => {
      const services = handle!.services;
      const auth = wsAuth ?? (await authenticate(services.db.prisma, bearerFrom(request?.headers.get('authorization'))));
      return { auth, services };
    },
  });

  return {
    async start() {
      server = http.createServer();
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.port, config.host, () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      const publicUrl = config.publicUrl ?? url;
      try {
        handle = await createServices(config, publicUrl);
      } catch (error) {
        await new Promise((resolve) => server!.close(resolve));
        throw error;
      }
      const services = handle.services;
      const fileRoutes = handle.localStorage ? createLocalFileRoutes(handle.localStorage) : undefined;

      server.on('request', async (req, res) => {
        try {
          if (req.url === '/healthz' || req.url?.startsWith('/healthz?')) return void (await health(services, res));
          if (fileRoutes && (await fileRoutes(req, res))) return;
          await yoga.handle(req, res);
        } catch (error) {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Unexpected server error' } }));
          log(`request failed: ${(error as Error).stack}`);
        }
      });

      wsServer = new WebSocketServer({ server, path: GRAPHQL_WS_PATH });
      useServer<Record<string, unknown>, { auth?: Auth }>(
        {
          onConnect: async (ctx) => {
            const params = ctx.connectionParams ?? {};
            const raw = (params.authorization ?? params.Authorization ?? params.apiKey) as string | undefined;
            try {
              (ctx.extra as { auth?: Auth }).auth = await authenticate(services.db.prisma, bearerFrom(raw));
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
            const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params, wsAuth: (ctx.extra as { auth?: Auth }).auth });
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

      const bootstrap = await bootstrapWorkspace(services.db.prisma, config.adminKey);
      if (config.importDemoData && bootstrap.created) await importDemoData(services, bootstrap.workspaceId, log);
      await services.datasets.sweepAbandoned();
      sweepTimer = setInterval(() => void services.datasets.sweepAbandoned().catch((e) => log(`sweep failed: ${e}`)), SWEEP_EVERY_MS);
      sweepTimer.unref();
      services.supervisor.start();
      return { url, port, services, bootstrap };
    },

    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      for (const client of wsServer?.clients ?? []) client.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => (wsServer ? wsServer.close(() => resolve()) : resolve()));
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        // In-flight requests get a moment to finish; then whatever is left is cut.
        const force = setTimeout(() => server?.closeAllConnections(), 5_000);
        await closed;
        clearTimeout(force);
      }
      await handle?.close();
    },
  };
}

async function health(services: Services, res: http.ServerResponse) {
  let database = 'ok';
  try {
    await services.db.sql.query('SELECT 1');
  } catch {
    database = 'unreachable';
  }
  const body = {
    status: database === 'ok' ? 'ok' : 'degraded',
    database: { kind: services.db.kind, status: database },
    storage: services.storage.kind,
  };
  res.writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function truncateUtf8(text: string, maxBytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -2) + '…';
  return out;
}
