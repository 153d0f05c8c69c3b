import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../db/client.js';
import { API_KEY_PREFIX, TRAINER_TOKEN_PREFIX, hashSecret } from './keys.js';

export type Scope = 'READ' | 'WRITE' | 'ADMIN';

export type Auth =
  | { kind: 'apiKey'; workspaceId: string; keyId: string; scopes: Set<Scope> }
  | { kind: 'trainer'; workspaceId: string; jobId: string };

const LAST_USED_PRECISION_MS = 60_000;

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Reads a bearer credential from an Authorization header value (or a bare key). */
export function bearerFrom(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  return match ? match[1]! : header.trim().includes(' ') ? null : header.trim();
}

/**
 * Resolves a credential to who is calling. API keys (`brk_…`) act for a workspace with scopes;
 * trainer tokens (`brj_…`) act for one job only. Anything else is a 401 with the fix in the text.
 */
export async function authenticate(prisma: PrismaClient, credential: string | null): Promise<Auth> {
  if (!credential) {
    throw unauthenticated('Missing API key: send the header "Authorization: Bearer brk_…" (create keys with createApiKey, or use the admin key printed at first start)');
  }
  const hash = hashSecret(credential);
  if (credential.startsWith(API_KEY_PREFIX)) {
    const key = await prisma.apiKey.findUnique({ where: { keyHash: hash } });
    if (!key) throw unauthenticated('Invalid API key: no key matches it; check for a copy/paste error or create a new key');
    if (key.revokedAt) throw unauthenticated(`API key ${key.prefix}… was revoked on ${key.revokedAt.toISOString()}; use another key`);
    const now = Date.now();
    if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
      // Throttled so a busy client does not turn every read into a write.
      await prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
    }
    return { kind: 'apiKey', workspaceId: key.workspaceId, keyId: key.id, scopes: new Set(key.scopes) };
  }
  if (credential.startsWith(TRAINER_TOKEN_PREFIX)) {
    const job = await prisma.trainingJob.findUnique({ where: { trainerTokenHash: hash }, select: { id: true, workspaceId: true } });
    if (!job) throw unauthenticated('Invalid trainer token: it matches no job (BRIGHTRUN_JOB_TOKEN is set by the pod launcher)');
    return { kind: 'trainer', workspaceId: job.workspaceId, jobId: job.id };
  }
  throw unauthenticated('Unrecognised credential: API keys start with brk_ (trainer tokens with brj_)');
}
