/** The dashboard's sign-in endpoints (server/src/http/session-routes.ts). */
export const CSRF_HEADER = 'x-brightrun-csrf';

export interface SessionInfo {
  signedIn: boolean;
  /** NODE_ENV=production or not: the header's environment badge. */
  environment?: 'production' | 'development';
  keyName?: string;
  keyPrefix?: string;
  scopes?: string[];
  expiresAt?: string;
  /** Why the last session ended (expired, revoked), when it did. */
  message?: string | null;
  /** No API key has been used yet: the admin key is in the server's first-start output. */
  firstStart?: boolean;
}

export async function getSession(fetcher: typeof fetch = fetch): Promise<SessionInfo> {
  const response = await fetcher('/auth/session', { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error(`The server answered ${response.status} for the session check`);
  return (await response.json()) as SessionInfo;
}

export async function signIn(apiKey: string): Promise<SessionInfo> {
  const response = await fetch('/auth/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', [CSRF_HEADER]: '1' },
    body: JSON.stringify({ apiKey }),
  });
  const body = (await response.json().catch(() => ({}))) as SessionInfo & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `Sign-in failed (${response.status})`);
  return body;
}

export async function signOut(): Promise<void> {
  await fetch('/auth/session', { method: 'DELETE', credentials: 'same-origin', headers: { [CSRF_HEADER]: '1' } });
}
