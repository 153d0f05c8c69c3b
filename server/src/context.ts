import { API_KEY_PREFIX, TRAINER_TOKEN_PREFIX } from './auth/keys.js';
import { unauthenticated, type Auth } from './auth/authenticate.js';
import type { Services } from './services.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { RateBudget } from './http/limits/rate-limit.js';

export type ApiKeyAuth = Extract<Auth, { kind: 'apiKey' }>;
export type TrainerAuth = Extract<Auth, { kind: 'trainer' }>;

/** The public API's context: who calls (an API key), the services, and this request's batch loaders. */
export interface Context {
  /** Null only while a request is being refused. */
  auth: ApiKeyAuth | null;
  services: Services;
  /** Per-request dataloaders: list fields batch their lookups through these. */
  loaders: Loaders;
  /** The caller's rate budget as this request's own hit left it (systemStatus); null: not limited. */
  rateBudget: RateBudget | null;
}

/** The trainer endpoint's context: always a job token, for one job. */
export interface TrainerContext {
  auth: TrainerAuth;
  services: Services;
}

export function createContext(services: Services, auth: ApiKeyAuth, rateBudget: RateBudget | null = null): Context {
  return { auth, services, loaders: createLoaders(services), rateBudget };
}

/** API keys only: a job token is refused here with the address it belongs to. */
export async function authenticateApiKey(services: Services, credential: string | null): Promise<ApiKeyAuth> {
  if (credential?.startsWith(TRAINER_TOKEN_PREFIX)) {
    throw unauthenticated('Trainer tokens (brj_…) are accepted only at /trainer/graphql; this API takes API keys (Authorization: Bearer brk_…)');
  }
  const auth = await services.authenticator.authenticate(credential);
  if (auth.kind !== 'apiKey') throw unauthenticated('This API takes API keys (Authorization: Bearer brk_…)');
  return auth;
}

/** Job tokens only: the trainer endpoint refuses API keys, so no user credential can drive a trainer operation. */
export async function authenticateJobToken(services: Services, credential: string | null): Promise<TrainerAuth> {
  if (!credential) throw unauthenticated('Missing job token: send "Authorization: Bearer <BRIGHTRUN_JOB_TOKEN>"');
  if (credential.startsWith(API_KEY_PREFIX)) {
    throw unauthenticated('API keys are not accepted at /trainer/graphql: it is the training pods\' endpoint (job tokens brj_… only); use /graphql');
  }
  const auth = await services.authenticator.authenticate(credential);
  if (auth.kind !== 'trainer') throw unauthenticated('/trainer/graphql takes job tokens (BRIGHTRUN_JOB_TOKEN) only');
  return auth;
}

/** The caller's workspace, for resolvers already guarded by an auth scope. */
export function workspaceOf(context: Context): string {
  if (!context.auth) throw new Error('workspaceOf called on an unauthenticated context');
  return context.auth.workspaceId;
}
