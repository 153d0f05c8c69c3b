import type http from 'node:http';
import { errorBody } from './errors.js';
import type { RateLimiter } from './rate-limit.js';

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

/**
 * A plain HTTP route (not yoga) held to the per-address rate limit, e.g. the dashboard's sign-in,
 * which checks an API key and would otherwise let one address try keys without end. Requests
 * the route does not serve (`paths`) pass through uncounted.
 */
export function limitedByAddress(route: Route, paths: string[], rate: RateLimiter, clientAddress: (serverContext: { req: http.IncomingMessage }) => string): Route {
  return async (req, res) => {
    if (!paths.includes((req.url ?? '/').split('?', 1)[0]!)) return route(req, res);
    const refused = await rate.hitIp(clientAddress({ req }));
    if (!refused) return route(req, res);
    res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(refused.extensions.retryAfterSeconds ?? 1) });
    res.end(errorBody(refused));
    return true;
  };
}
