import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiKeyAuth } from '../../context.js';
import { errorResponse } from './errors.js';
import { bodyTooLarge } from './document-limits.js';
import type { RateBudget, RateHit, RateLimiter } from './rate-limit.js';

export interface EdgeAuthOptions<A = ApiKeyAuth> {
  /** Who sends the request, from its headers alone; throws a GraphQLError (401) when no one valid. */
  authenticate: (request: Request) => Promise<A>;
  rate: RateLimiter;
  /** Counts the credential's own request (default: the API key's, `rate.spendKey`). */
  limitCredential?: (auth: A) => Promise<RateHit>;
  maxBodyBytes: number;
  /** The client's address for per-IP limits, from the node request yoga was handed. */
  clientAddress: (serverContext: unknown) => string;
  /** Refuse multipart bodies (415) before reading them: endpoints without uploads (the trainer's). */
  refuseMultipart?: boolean;
}

const authByRequest = new WeakMap<Request, unknown>();
const budgetByRequest = new WeakMap<Request, RateBudget>();

/** The credential `useEdgeAuth` verified for this request (the context factory reads it). */
export const requestAuth = <A = ApiKeyAuth>(request: Request | undefined) => (request ? (authByRequest.get(request) as A | undefined) : undefined);

/** The credential's rate budget as this request's own hit left it; null when not limited. */
export const requestBudget = (request: Request | undefined): RateBudget | null => (request ? (budgetByRequest.get(request) ?? null) : null);

/**
 * The IETF draft's RateLimit-Limit / -Remaining / -Reset (seconds until the window ends), the
 * headers GitHub, Stripe-style clients and proxies read; none when the credential is not limited.
 */
export function rateLimitHeaders(budget: RateBudget | null): Record<string, string> {
  if (!budget) return {};
  return {
    'RateLimit-Limit': String(budget.limit),
    'RateLimit-Remaining': String(budget.remaining),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(budget.resetInMs / 1000))),
  };
}

const multipartRefused = () =>
  new GraphQLError('This endpoint takes application/json bodies only (no multipart uploads); upload files to the signed URLs it hands out', {
    extensions: { code: 'BAD_REQUEST', http: { status: 415, spec: false } },
  });

/**
 * Limits before work, on each HTTP request to the public API: the client address's rate, then the
 * credential (from the headers: nothing of the body has been read or parsed yet), then the key's
 * rate and the declared body size. A refusal here is answered at once, GraphQL-shaped; the body
 * is never read. CORS preflights and the GraphiQL page (answered by earlier plugins) pass through.
 */
export function useEdgeAuth<A = ApiKeyAuth>(options: EdgeAuthOptions<A>): Plugin {
  const limitCredential = options.limitCredential ?? ((auth: A) => options.rate.spendKey((auth as ApiKeyAuth).keyId));
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (request.method === 'OPTIONS') return;
      // A GET without a query is GraphiQL's page or yoga's 400; nothing to parse either way.
      if (request.method === 'GET' && !url.searchParams.has('query')) return;
      const refuse = (error: GraphQLError) => endResponse(errorResponse(error, fetchAPI.Response));
      const ipLimited = await options.rate.hitIp(options.clientAddress(serverContext));
      if (ipLimited) return refuse(ipLimited);
      let auth: A;
      try {
        auth = await options.authenticate(request);
      } catch (error) {
        if (error instanceof GraphQLError) return refuse(error);
        throw error;
      }
      const { refused: keyLimited, budget } = await limitCredential(auth);
      if (budget) budgetByRequest.set(request, budget);
      if (keyLimited) return refuse(keyLimited);
      const contentType = (request.headers.get('content-type') ?? '').toLowerCase();
      const multipart = contentType.startsWith('multipart/');
      if (multipart && options.refuseMultipart) return refuse(multipartRefused());
      const tooLarge = multipart ? null : bodyTooLarge(request.headers.get('content-length'), options.maxBodyBytes);
      if (tooLarge) return refuse(tooLarge);
      authByRequest.set(request, auth);
    },
    // Every answer to a counted request says what is left, the 429 included (with Retry-After).
    onResponse({ request, response }) {
      for (const [name, value] of Object.entries(rateLimitHeaders(requestBudget(request)))) response.headers.set(name, value);
    },
  };
}

/** The client's address: the socket's peer, or with trustProxy the first X-Forwarded-For hop. */
export function clientAddressOf(trustProxy: boolean) {
  return (serverContext: unknown): string => {
    const req = (serverContext as { req?: { socket?: { remoteAddress?: string }; headers?: Record<string, string | string[] | undefined> } }).req;
    if (trustProxy) {
      const forwarded = req?.headers?.['x-forwarded-for'];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
      if (first) return first;
    }
    return req?.socket?.remoteAddress ?? 'unknown';
  };
}
