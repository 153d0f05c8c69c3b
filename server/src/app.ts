import type { Config } from './config/config.js';
import { bearerFrom } from './auth/authenticate.js';
import { bootstrapWorkspace, type BootstrapResult } from './auth/bootstrap.js';
import { authenticateApiKey } from './context.js';
import { createServices, type Services, type ServicesHandle } from './services.js';
import { createLocalFileRoutes } from './storage/local-routes.js';
import { importDemoData } from './demo/import-demo.js';
import { Readiness } from './http/readiness.js';
import { createHttpServer, listen } from './http/server.js';
import { attachGraphqlWs } from './http/ws.js';
import { createPublicYoga, createTrainerYoga } from './http/yoga.js';

export { GRAPHQL_PATH, GRAPHQL_WS_PATH, TRAINER_GRAPHQL_PATH } from './http/paths.js';

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

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * The whole server. Tests build one on port 0 and talk to it as clients do. The request handler
 * exists before the port opens; until migrations and the first-start import are done it answers
 * 503 with Retry-After (see http/readiness.ts).
 */
export function buildApp(config: Config, log: (line: string) => void = (line) => console.log(line)): App {
  let handle: ServicesHandle | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  const services = () => {
    if (!handle) throw new Error('services are not started yet');
    return handle.services;
  };
  const readiness = new Readiness();
  const yoga = createPublicYoga(config, services);
  const trainerYoga = createTrainerYoga(config, services);
  const http = createHttpServer(readiness, log);
  const wsServer = attachGraphqlWs(http.server, {
    yoga,
    authenticate: (credential) => authenticateApiKey(services(), credential),
    bearerFrom,
    isReady: () => readiness.ready,
  });

  return {
    async start() {
      const port = await listen(http.server, config.port, config.host);
      const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      try {
        handle = await createServices(config, config.publicUrl ?? url);
      } catch (error) {
        await new Promise((resolve) => http.server.close(resolve));
        throw error;
      }
      const started = handle.services;
      readiness.starting('creating the workspace and importing demo data', started);
      const bootstrap = await bootstrapWorkspace(started.db.prisma, config.adminKey);
      if (config.importDemoData && bootstrap.created) await importDemoData(started, bootstrap.workspaceId, log);
      await started.datasets.sweepAbandoned();
      sweepTimer = setInterval(() => void started.datasets.sweepAbandoned().catch((e) => log(`sweep failed: ${e}`)), SWEEP_EVERY_MS);
      sweepTimer.unref();
      for (const supervisor of started.supervisors) supervisor.start();
      const fileRoutes = handle.localStorage ? createLocalFileRoutes(handle.localStorage) : undefined;
      http.serve({ yoga, trainerYoga, fileRoutes });
      readiness.markReady(started);
      return { url, port, services: started, bootstrap };
    },

    async stop() {
      readiness.markStopping();
      if (sweepTimer) clearInterval(sweepTimer);
      for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      if (http.server.listening) {
        const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
        http.server.closeIdleConnections();
        // In-flight requests get a moment to finish; then whatever is left is cut.
        const force = setTimeout(() => http.server.closeAllConnections(), 5_000);
        await closed;
        clearTimeout(force);
      }
      await handle?.close();
    },
  };
}
