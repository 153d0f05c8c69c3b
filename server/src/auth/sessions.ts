import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db/client.js';
import type { ApiKeyAuth } from '../context.js';
import { hashSecret } from './keys.js';
import { unauthenticated } from './authenticate.js';

/** The dashboard's cookie. Its value is a random token; the database keeps only its hash. */
export const SESSION_COOKIE = 'brightrun_session';
/** Cookie-authenticated writes must carry this header: a cross-site page cannot send it without CORS, which we never grant. */
export const CSRF_HEADER = 'x-brightrun-csrf';

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** Sign-ins kept per key: the oldest are revoked beyond this (a script signing in in a loop cannot grow the table). */
export const MAX_SESSIONS_PER_KEY = 20;
const TOUCH_PRECISION_MS = 60_000;

export interface CreatedSession {
  token: string;
  expiresAt: Date;
}

/** Signs a verified API key in: a new session acting with that key's scopes. */
export async function createSession(prisma: PrismaClient, auth: ApiKeyAuth, userAgent: string | undefined, now = new Date()): Promise<CreatedSession> {
  const token = `brs_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await prisma.$transaction(async (tx) => {
    // Expired and revoked sessions of this key go; then the oldest live ones beyond the cap.
    await tx.session.deleteMany({ where: { apiKeyId: auth.keyId, OR: [{ expiresAt: { lt: now } }, { revokedAt: { not: null } }] } });
    const live = await tx.session.findMany({ where: { apiKeyId: auth.keyId }, orderBy: { createdAt: 'desc' }, select: { id: true } });
    const surplus = live.slice(MAX_SESSIONS_PER_KEY - 1).map((s) => s.id);
    if (surplus.length > 0) await tx.session.deleteMany({ where: { id: { in: surplus } } });
    await tx.session.create({
      data: { id: `ses_${randomBytes(12).toString('hex')}`, apiKeyId: auth.keyId, tokenHash: hashSecret(token), expiresAt, createdAt: now, lastSeenAt: now, userAgent: userAgent?.slice(0, 300) },
    });
  });
  return { token, expiresAt };
}

export type SessionAuth = ApiKeyAuth & { sessionId: string; sessionExpiresAt: Date; keyPrefix: string; keyName: string };

/** The session a cookie names, if it is live and its key is not revoked; a 401 that says to sign in again otherwise. */
export async function authenticateSession(prisma: PrismaClient, token: string, now = new Date()): Promise<SessionAuth> {
  const session = await prisma.session.findUnique({ where: { tokenHash: hashSecret(token) }, include: { apiKey: true } });
  if (!session || session.revokedAt) throw sessionExpired('You are signed out: sign in again with an API key');
  if (session.expiresAt <= now) throw sessionExpired('Your session expired: sign in again with an API key');
  if (session.apiKey.revokedAt) throw sessionExpired(`The API key of this session (${session.apiKey.prefix}…) was revoked: sign in with another key`);
  let expiresAt = session.expiresAt;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_PRECISION_MS) {
    // Sliding idle limit, throttled so reads do not each become a write; capped by the absolute limit.
    expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_ABSOLUTE_MS));
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now, expiresAt } });
  }
  const key = session.apiKey;
  return { kind: 'apiKey', workspaceId: key.workspaceId, keyId: key.id, scopes: new Set(key.scopes), sessionId: session.id, sessionExpiresAt: expiresAt, keyPrefix: key.prefix, keyName: key.name };
}

/** Sign-out: the session stops working at once; returns its id (null when there was none to revoke). */
export async function revokeSession(prisma: PrismaClient, token: string): Promise<string | null> {
  const session = await prisma.session.findUnique({ where: { tokenHash: hashSecret(token) }, select: { id: true } });
  if (!session) return null;
  const { count } = await prisma.session.updateMany({ where: { id: session.id, revokedAt: null }, data: { revokedAt: new Date() } });
  return count > 0 ? session.id : null;
}

/** The name sockets opened with a session cookie are registered under (KeySessions), besides their key. */
export const sessionSocketsKey = (sessionId: string) => `session:${sessionId}`;

/** The session token from a Cookie header, if any. */
export function sessionTokenFrom(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^brs_[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

/**
 * Set-Cookie for a session: httpOnly, SameSite=Strict, Secure when the dashboard is served over
 * HTTPS. The cookie may live as long as the absolute limit; the server enforces the idle limit.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_ABSOLUTE_MS / 1000}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

function sessionExpired(message: string) {
  const error = unauthenticated(message);
  (error.extensions as Record<string, unknown>).reason = 'SESSION_EXPIRED';
  return error;
}
