import http from 'node:http';
import type { Readiness } from './readiness.js';
import { stampApiHeaders } from './api-headers.js';
import { serveGraphiqlAsset } from './graphiql.js';
import { TRAINER_GRAPHQL_PATH, pathOf } from './paths.js';
import type { StaticSite } from './static-site.js';
import type { PublicYoga, TrainerYoga } from './yoga.js';

export interface Routes {
  yoga: PublicYoga;
  trainerYoga: TrainerYoga;
  /** Signed-URL routes of the local storage folder, when storage is local. */
  fileRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  /** The dashboard's sign-in (/auth/session). */
  sessionRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  /** The built dashboard (GET/HEAD of app routes and assets). */
  site?: StaticSite;
}

/**
 * The HTTP server with its request handler attached before it listens: until `serve(routes)` is
 * called, every request is answered by `readiness` (503 + Retry-After; /healthz and /readyz).
 */
export function createHttpServer(readiness: Readiness, log: (line: string) => void) {
  let routes: Routes | undefined;
  const server = http.createServer(async (req, res) => {
    try {
      stampApiHeaders(req, res);
      if (await serveGraphiqlAsset(req, res)) return;
      if (await readiness.handle(req, res)) return;
      if (!routes) throw new Error('ready without routes');
      if (routes.fileRoutes && (await routes.fileRoutes(req, res))) return;
      if (routes.sessionRoutes && (await routes.sessionRoutes(req, res))) return;
      if (routes.site?.handle(req, res)) return;
      if (pathOf(req.url) === TRAINER_GRAPHQL_PATH) return void (await routes.trainerYoga.handle(req, res));
      await routes.yoga.handle(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Unexpected server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      log(`request failed: ${(error as Error).stack}`);
    }
  });
  // Idle keep-alive sockets are closed after 65 s, not Node's 5 s: a start-up that keeps the event
  // loop busy for seconds (migrations, the demo import) must not reset the sockets of clients
  // polling /readyz. (Above the 60 s idle timeout of common load balancers, as they recommend.)
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return {
    server,
    serve(next: Routes) {
      routes = next;
    },
  };
}

/** Listens, turning "address in use" into the fix (the PORT variable) instead of a stack trace. */
export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${port} on ${host} is already in use (another BrightRun server?): stop that process, or set PORT to a free port (PORT=0 picks one)`));
      } else if (error.code === 'EACCES') {
        reject(new Error(`Port ${port} on ${host} needs privileges this process lacks: set PORT to a port above 1023`));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
