import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config/config.js';
import { bearerFrom } from '../auth/authenticate.js';
import { authenticateApiKey, authenticateJobToken, createContext, type ApiKeyAuth, type Context, type TrainerContext } from '../context.js';
import type { Services } from '../services.js';
import { schema } from '../schema/index.js';
import { trainerSchema } from '../schema/trainer/index.js';
import { renderLocalGraphiQL } from './graphiql.js';
import { GRAPHQL_PATH, TRAINER_GRAPHQL_PATH } from './paths.js';

/** What graphql-ws hands yoga: the connection's already-verified key. */
export interface WsServerContext {
  wsAuth?: ApiKeyAuth;
}

export type PublicYoga = YogaServerInstance<WsServerContext, Context>;
export type TrainerYoga = YogaServerInstance<Record<string, never>, TrainerContext>;

/**
 * The public API: API keys only. Cross-cutting concerns (limits, auth caching) are yoga plugins
 * added to `plugins` here, one per concern.
 */
export function createPublicYoga(config: Config, services: () => Services): PublicYoga {
  return createYoga<WsServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: config.production
      ? false
      : { title: 'BrightRun LoRA API', subscriptionsProtocol: 'WS', headers: JSON.stringify({ Authorization: 'Bearer brk_…' }) },
    renderGraphiQL: renderLocalGraphiQL,
    landingPage: false,
    logging: config.production ? 'warn' : 'error',
    plugins: [],
    context: async ({ request, wsAuth }) => {
      const current = services();
      return createContext(current, wsAuth ?? (await authenticateApiKey(current, bearerFrom(request?.headers.get('authorization')))));
    },
  });
}

/** The training pods' endpoint: job tokens only, a schema of its own (never in SDKs or the playground). */
export function createTrainerYoga(config: Config, services: () => Services): TrainerYoga {
  return createYoga<Record<string, never>, TrainerContext>({
    schema: trainerSchema,
    graphqlEndpoint: TRAINER_GRAPHQL_PATH,
    graphiql: false,
    landingPage: false,
    logging: config.production ? 'warn' : 'error',
    context: async ({ request }) => {
      const current = services();
      return { services: current, auth: await authenticateJobToken(current, bearerFrom(request.headers.get('authorization'))) };
    },
  });
}
