import type { Auth } from './auth/authenticate.js';
import type { Services } from './services.js';

export interface Context {
  /** Who is calling; null only while a request is being refused. */
  auth: Auth | null;
  services: Services;
}

/** The caller's workspace, for resolvers already guarded by an auth scope. */
export function workspaceOf(context: Context): string {
  if (!context.auth) throw new Error('workspaceOf called on an unauthenticated context');
  return context.auth.workspaceId;
}
