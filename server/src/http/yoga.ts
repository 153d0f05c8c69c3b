import path from 'node:path';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config/config.js';
import { bearerFrom } from '../auth/authenticate.js';
import { authenticateJobToken, createContext, type ApiKeyAuth, type Context, type TrainerAuth, type TrainerContext } from '../context.js';
import type { Services } from '../services.js';
import { schema } from '../schema/index.js';
import { trainerSchema } from '../schema/trainer/index.js';
import { renderLocalGraphiQL } from './graphiql.js';
import { GRAPHQL_PATH, TRAINER_GRAPHQL_PATH } from './paths.js';
import { BoundedCache } from './limits/bounded-cache.js';
import { useDocumentLimits } from './limits/document-limits.js';
import { clientAddressOf, requestAuth, requestBudget, useEdgeAuth } from './limits/edge-auth.js';
import type { KeySessions } from './limits/key-sessions.js';
import type { RateBudget, RateLimiter } from './limits/rate-limit.js';
import { instrumentResponseBudget } from './limits/response-budget.js';
import { MULTIPART_STAGING_DIR, MultipartBudget, multipartLimitsFor, useMultipartLimits } from './multipart-limits.js';

/** What graphql-ws hands yoga: the connection's already-verified key. */
export interface WsServerContext {
  wsAuth?: ApiKeyAuth;
  /** The key's budget as this operation's own hit left it. */
  wsRateBudget?: RateBudget | null;
}

export type PublicYoga = YogaServerInstance<WsServerContext, Context>;
export type TrainerYoga = YogaServerInstance<Record<string, never>, TrainerContext>;

/** What the public API's edge plugins share with graphql-ws and the app (app.ts builds them). */
export interface Edge {
  rate: RateLimiter;
  sessions: KeySessions;
  /** Who sends a request, from its headers alone (auth/request-auth.ts: key or session cookie). */
  authenticate: (request: Request) => Promise<ApiKeyAuth>;
}

const parserCaches = () => ({ documentCache: new BoundedCache<never>(), errorCache: new BoundedCache<unknown>() });

/**
 * The public API: API keys only. Cross-cutting concerns are yoga plugins, one per concern:
 * useEdgeAuth (rates and the credential, before the body is read), useDocumentLimits (body,
 * tokens, depth, aliases, breadth, cost, response size; http/limits/).
 */
export function createPublicYoga(config: Config, services: () => Services, edge: Edge): PublicYoga {
  instrumentResponseBudget(schema);
  return createYoga<WsServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: config.production
      ? false
      : { title: 'BrightRun LoRA API', subscriptionsProtocol: 'WS', headers: JSON.stringify({ Authorization: 'Bearer brk_…' }) },
    renderGraphiQL: renderLocalGraphiQL,
    landingPage: false,
    logging: config.production ? 'warn' : 'error',
    parserAndValidationCache: parserCaches(),
    // yoga's own 25 MB body limit is off: useDocumentLimits bounds every other body to
    // BRIGHTRUN_MAX_BODY_KB and useMultipartLimits multipart ones to the upload limit, with errors
    // naming them (yoga's would refuse a multipart upload the upload limit allows).
    maxRequestBodySize: false,
    plugins: [
      useEdgeAuth({ authenticate: edge.authenticate, rate: edge.rate, maxBodyBytes: config.limits.maxBodyBytes, clientAddress: clientAddressOf(config.limits.trustProxy) }),
      useDocumentLimits(config.limits, edge.sessions),
      useMultipartLimits({ budget: new MultipartBudget(multipartLimitsFor(config.maxUploadBytes)), stagingDir: path.join(config.dataDir, MULTIPART_STAGING_DIR) }),
    ],
    context: async ({ request, wsAuth, wsRateBudget }) =>
      createContext(services(), wsAuth ?? requestAuth(request) ?? (await edge.authenticate(request)), wsAuth ? (wsRateBudget ?? null) : requestBudget(request)),
  });
}

/** The training pods' endpoint: job tokens only, a schema of its own (never in SDKs or the playground). */
export function createTrainerYoga(config: Config, services: () => Services, rate: RateLimiter): TrainerYoga {
  const authenticate = (request: Request) => authenticateJobToken(services(), bearerFrom(request.headers.get('authorization')));
  instrumentResponseBudget(trainerSchema);
  return createYoga<Record<string, never>, TrainerContext>({
    schema: trainerSchema,
    graphqlEndpoint: TRAINER_GRAPHQL_PATH,
    graphiql: false,
    landingPage: false,
    logging: config.production ? 'warn' : 'error',
    parserAndValidationCache: parserCaches(),
    maxRequestBodySize: false, // useDocumentLimits bounds bodies (BRIGHTRUN_MAX_BODY_KB)
    // The same edge as the public API: the address's rate, then the job token from the headers
    // (a bad one is refused before a byte of the body is read), the token's rate, the body size;
    // then the document limits. No multipart: the trainer uploads to signed URLs.
    plugins: [
      useEdgeAuth<TrainerAuth>({
        authenticate,
        rate,
        limitCredential: (auth) => rate.spendTrainerToken(auth.jobId),
        maxBodyBytes: config.limits.maxBodyBytes,
        clientAddress: clientAddressOf(config.limits.trustProxy),
        refuseMultipart: true,
      }),
      useDocumentLimits(config.limits),
    ],
    context: async ({ request }) => ({ services: services(), auth: requestAuth<TrainerAuth>(request) ?? (await authenticate(request)) }),
  });
}
