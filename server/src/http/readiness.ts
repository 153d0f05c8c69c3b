import type http from 'node:http';
import type { Services } from '../services.js';
import { HEALTHZ_PATH, READYZ_PATH, pathOf } from './paths.js';

export type Phase = 'starting' | 'ready' | 'stopping';

/** How long a client should wait before retrying a request refused while the server starts. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Liveness, readiness, and the answer to requests that come too early. The request handler is
 * attached before the port opens, so a request that arrives while migrations or the first-start
 * import run gets a 503 with Retry-After instead of hanging.
 */
export class Readiness {
  private phase: Phase = 'starting';
  private step = 'opening the database and applying migrations';
  private services: Services | undefined;

  get ready() {
    return this.phase === 'ready';
  }

  /** What the server is doing while it is not ready (shown in 503 answers). */
  starting(step: string, services?: Services) {
    this.step = step;
    if (services) this.services = services;
  }

  markReady(services: Services) {
    this.services = services;
    this.phase = 'ready';
  }

  markStopping() {
    this.phase = 'stopping';
  }

  /** Answers /healthz, /readyz, and any request while not ready; false when the request is for the app. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const path = pathOf(req.url);
    if (path === HEALTHZ_PATH) return this.liveness(res), true;
    if (path === READYZ_PATH) return await this.readiness(res), true;
    if (this.phase === 'ready') return false;
    this.refuse(res);
    return true;
  }

  /** Liveness: the process serves requests. It never asks the database, so a slow database does not get the process restarted. */
  private liveness(res: http.ServerResponse) {
    json(res, 200, { status: 'ok', phase: this.phase, ...this.components() });
  }

  /** Readiness: migrations and the first-start import are done and the database answers. */
  private async readiness(res: http.ServerResponse) {
    if (this.phase !== 'ready' || !this.services) {
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      return json(res, 503, { status: this.phase, step: this.phase === 'starting' ? this.step : undefined });
    }
    let database = 'ok';
    try {
      await this.services.db.sql.query('SELECT 1');
    } catch {
      database = 'unreachable';
    }
    const ok = database === 'ok';
    if (!ok) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    json(res, ok ? 200 : 503, { status: ok ? 'ready' : 'degraded', database: { kind: this.services.db.kind, status: database }, storage: this.services.storage.kind });
  }

  private refuse(res: http.ServerResponse) {
    const message =
      this.phase === 'starting'
        ? `The server is starting (${this.step}); retry in ${RETRY_AFTER_SECONDS} s`
        : 'The server is shutting down; retry against another instance or after it restarts';
    res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    // GraphQL-shaped, so GraphQL clients show the message.
    json(res, 503, { errors: [{ message, extensions: { code: this.phase === 'starting' ? 'SERVER_STARTING' : 'SERVER_STOPPING' } }] });
  }

  private components() {
    return this.services ? { database: { kind: this.services.db.kind }, storage: this.services.storage.kind } : {};
  }
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
