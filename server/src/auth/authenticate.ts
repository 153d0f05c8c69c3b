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

/** How long a verified credential is trusted without asking the database again. Revocation does
 *  not wait for it: `invalidateKey` (called on revoke, and on every instance through the pubsub
 *  topic `credential:revoked`) drops the entry at once; the TTL only bounds staleness should an
 *  invalidation be lost. */
export const AUTH_CACHE_TTL_MS = 30_000;
/** Entries kept at most; the oldest go first. Only valid credentials are cached. */
export const AUTH_CACHE_MAX_ENTRIES = 10_000;

interface CacheEntry {
  auth: Auth;
  expiresAt: number;
  /** When lastUsedAt was last written (ms), API keys only. */
  lastUsedAt: number;
}

/**
 * Resolves a credential to who is calling. API keys (`brk_…`) act for a workspace with scopes;
 * trainer tokens (`brj_…`) act for one job only. Anything else is a 401 with the fix in the text.
 * Verified credentials are cached (by their hash) so a request costs no database round trip for
 * authentication; revocation invalidates at once.
 */
export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async authenticate(credential: string | null): Promise<Auth> {
    if (!credential) {
      throw unauthenticated('Missing API key: send the header "Authorization: Bearer brk_…" (create keys with createApiKey, or use the admin key printed at first start)');
    }
    if (!credential.startsWith(API_KEY_PREFIX) && !credential.startsWith(TRAINER_TOKEN_PREFIX)) {
      throw unauthenticated('Unrecognised credential: API keys start with brk_ (trainer tokens with brj_)');
    }
    const hash = hashSecret(credential);
    const now = this.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) {
      if (cached.auth.kind === 'apiKey' && now - cached.lastUsedAt > LAST_USED_PRECISION_MS) {
        cached.lastUsedAt = now;
        await this.prisma.apiKey.update({ where: { id: cached.auth.keyId }, data: { lastUsedAt: new Date(now) } });
      }
      return cached.auth;
    }
    if (cached) this.cache.delete(hash);
    const { auth, lastUsedAt } = await this.verify(credential, hash, now);
    const ttl = this.options.ttlMs ?? AUTH_CACHE_TTL_MS;
    if (ttl > 0) this.remember(hash, { auth, lastUsedAt, expiresAt: now + ttl });
    return auth;
  }

  /** Forgets every cached credential of this API key (on revocation). */
  invalidateKey(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.auth.kind === 'apiKey' && entry.auth.keyId === keyId) this.cache.delete(hash);
  }

  /** Forgets every cached credential. */
  clear(): void {
    this.cache.clear();
  }

  get size(): number {
    return this.cache.size;
  }

  private remember(hash: string, entry: CacheEntry): void {
    const max = this.options.maxEntries ?? AUTH_CACHE_MAX_ENTRIES;
    while (this.cache.size >= max) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
    this.cache.set(hash, entry);
  }

  private async verify(credential: string, hash: string, now: number): Promise<{ auth: Auth; lastUsedAt: number }> {
    if (credential.startsWith(API_KEY_PREFIX)) {
      const key = await this.prisma.apiKey.findUnique({ where: { keyHash: hash } });
      if (!key) throw unauthenticated('Invalid API key: no key matches it; check for a copy/paste error or create a new key');
      if (key.revokedAt) throw unauthenticated(`API key ${key.prefix}… was revoked on ${key.revokedAt.toISOString()}; use another key`);
      let lastUsedAt = key.lastUsedAt?.getTime() ?? 0;
      if (now - lastUsedAt > LAST_USED_PRECISION_MS) {
        // Throttled so a busy client does not turn every read into a write.
        await this.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
        lastUsedAt = now;
      }
      return { auth: { kind: 'apiKey', workspaceId: key.workspaceId, keyId: key.id, scopes: new Set(key.scopes) }, lastUsedAt };
    }
    const job = await this.prisma.trainingJob.findUnique({ where: { trainerTokenHash: hash }, select: { id: true, workspaceId: true } });
    if (!job) throw unauthenticated('Invalid trainer token: it matches no job (BRIGHTRUN_JOB_TOKEN is set by the pod launcher)');
    // A job's workspace never changes, so the mapping is safe to keep; whether the job may still
    // report is checked by the trainer operations themselves.
    return { auth: { kind: 'trainer', workspaceId: job.workspaceId, jobId: job.id }, lastUsedAt: now };
  }
}

