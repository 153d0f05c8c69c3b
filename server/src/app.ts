import type { Config } from './config/config.js';
import { bearerFrom } from './auth/authenticate.js';
import { bootstrapWorkspace, type BootstrapResult } from './auth/bootstrap.js';
import { authenticateApiKey } from './context.js';
import { authenticateHttpRequest, authenticateUpgradeCookie } from './auth/request-auth.js';
import { SESSION_PATH, createSessionRoutes } from './http/session-routes.js';
import { sessionSocketsKey } from './auth/sessions.js';
import { limitedByAddress } from './http/limits/ip-guard.js';
import { createServices, type Services, type ServicesHandle } from './services.js';
import { createLocalFileRoutes } from './storage/local-routes.js';
import { importDemoData } from './demo/import-demo.js';
import { Readiness } from './http/readiness.js';
import { createHttpServer, listen } from './http/server.js';
import { loadStaticSite, missingSite } from './http/static-site.js';
import { attachGraphqlWs } from './http/ws.js';
import { createPublicYoga, createTrainerYoga } from './http/yoga.js';
import { clientAddressOf } from './http/limits/edge-auth.js';
import { KeySessions } from './http/limits/key-sessions.js';
import { MemoryRateStore, RateLimiter, RedisRateStore } from './http/limits/rate-limit.js';

export { GRAPHQL_PATH, GRAPHQL_WS_PATH, TRAINER_GRAPHQL_PATH } from './http/paths.js';

export interface StartedApp {
  url: string;
  port: number;
  services: Services;
  bootstrap: BootstrapResult;
  /** Whether the dashboard's build was found (else its routes explain how to build it). */
  dashboard: boolean;
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
  // Rate counters in Redis when there is one (shared by every instance; connects on first use).
  const rate = new RateLimiter(config.redisUrl ? new RedisRateStore(config.redisUrl, log) : new MemoryRateStore(), config.limits.rateLimit);
  const sessions = new KeySessions();
  let revocations: AsyncIterator<unknown> | undefined;
  let signOuts: AsyncIterator<unknown> | undefined;
  const yoga = createPublicYoga(config, services, { rate, sessions, authenticate: (request) => authenticateHttpRequest(services(), request) });
  const trainerYoga = createTrainerYoga(config, services, rate);
  const http = createHttpServer(readiness, log);
  const wsServer = attachGraphqlWs(http.server, {
    yoga,
    authenticate: (credential) => authenticateApiKey(services(), credential),
    bearerFrom,
    authenticateCookie: (request) => authenticateUpgradeCookie(services(), request),
    isReady: () => readiness.ready,
    limits: config.limits,
    rate,
    sessions,
    clientAddress: clientAddressOf(config.limits.trustProxy),
  });

  return {
    async start() {
      const port = await listen(http.server, config.port, config.host).catch(async (error) => {
        await rate.close();
        throw error;
      });
      const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      try {
        handle = await createServices(config, config.publicUrl ?? url);
      } catch (error) {
        await new Promise((resolve) => http.server.close(resolve));
        await rate.close();
        throw error;
      }
      const started = handle.services;
      revocations = followRevocations(started, sessions, log);
      signOuts = followSignOuts(started, sessions, log);
      readiness.starting('creating the workspace and importing demo data', started);
      const bootstrap = await bootstrapWorkspace(started.db.prisma, config.adminKey);
      if (config.importDemoData && bootstrap.created) await importDemoData(started, bootstrap.workspaceId, log);
      await started.datasets.sweepAbandoned();
      await started.metrics.exports.sweep().catch((e) => log(`export sweep failed: ${e}`));
      sweepTimer = setInterval(() => {
        void started.datasets.sweepAbandoned().catch((e) => log(`sweep failed: ${e}`));
        // Metric exports whose last link expired are deleted with their files.
        void started.metrics.exports.sweep().catch((e) => log(`export sweep failed: ${e}`));
      }, SWEEP_EVERY_MS);
      sweepTimer.unref();
      for (const supervisor of started.supervisors) supervisor.start();
      // Single-use dataset upload links close when their upload is finalized.
      const fileRoutes = handle.localStorage ? createLocalFileRoutes(handle.localStorage, { uploadRefusal: (path) => started.datasets.uploadRefusal(path) }) : undefined;
      const site = (await loadStaticSite(config.webDir)) ?? missingSite(config.webDir);
      // Signing in checks an API key: held to the per-address rate limit like /graphql.
      const sessionRoutes = limitedByAddress(createSessionRoutes(services, { secureCookies: Boolean(config.publicUrl?.startsWith('https:')), environment: config.production ? 'production' : 'development' }), [SESSION_PATH], rate, clientAddressOf(config.limits.trustProxy));
      http.serve({ yoga, trainerYoga, fileRoutes, sessionRoutes, site });
      readiness.markReady(started);
      return { url, port, services: started, bootstrap, dashboard: site.files > 0 };
    },

    async stop() {
      readiness.markStopping();
      if (sweepTimer) clearInterval(sweepTimer);
      for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await revocations?.return?.();
      await signOuts?.return?.();
      await rate.close();
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

/**
 * Revoked keys, from every instance (the pubsub is Redis when REDIS_URL is set; services.ts drops
 * them from the authentication cache on the same topic): their sockets close with 4403 and their
 * subscription streams end, here, within the pubsub's latency.
 */
function followRevocations(services: Services, sessions: KeySessions, log: (line: string) => void): AsyncIterator<unknown> {
  const iterator = services.pubsub.subscribe('credential:revoked')[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      // The cache is dropped first, so an operation racing the close is refused by its own check.
      services.authenticator.invalidateKey(next.value.keyId);
      sessions.revoke(next.value.keyId, 'This API key was revoked; connect again with another key');
    }
  })().catch((error: Error) => log(`revocations: ${error.message}`));
  return iterator;
}

/** Signed-out dashboard sessions, from every instance: the sockets opened with their cookie close with 4403. */
function followSignOuts(services: Services, sessions: KeySessions, log: (line: string) => void): AsyncIterator<unknown> {
  const iterator = services.pubsub.subscribe('session:revoked')[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      sessions.revoke(sessionSocketsKey(next.value.sessionId), 'You signed out: sign in again');
    }
  })().catch((error: Error) => log(`sign-outs: ${error.message}`));
  return iterator;
}
