import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '../db/client.js';
import { Authenticator } from './authenticate.js';
import { generateApiKey, hashSecret, keyPrefix } from './keys.js';

/** A Prisma stand-in that counts lookups: the cache's whole point is the lookups it saves. */
function fakePrisma(key: string) {
  const row = { id: 'key_1', workspaceId: 'ws_1', prefix: keyPrefix(key), keyHash: hashSecret(key), scopes: ['READ'], revokedAt: null as Date | null, lastUsedAt: null as Date | null };
  const calls = { find: 0, update: 0 };
  const prisma = {
    apiKey: {
      findUnique: async ({ where }: { where: { keyHash: string } }) => {
        calls.find++;
        return where.keyHash === row.keyHash ? { ...row } : null;
      },
      update: async ({ data }: { data: { lastUsedAt: Date } }) => {
        calls.update++;
        row.lastUsedAt = data.lastUsedAt;
        return row;
      },
    },
    trainingJob: { findUnique: async () => null },
  } as unknown as PrismaClient;
  return { prisma, row, calls };
}

describe('Authenticator', () => {
  it('verifies a key once, then answers from the cache until the TTL', async () => {
    const key = generateApiKey();
    const { prisma, calls } = fakePrisma(key);
    let now = 1_000_000;
    const auth = new Authenticator(prisma, { ttlMs: 30_000, now: () => now });
    for (let i = 0; i < 5; i++) expect(await auth.authenticate(key)).toMatchObject({ kind: 'apiKey', keyId: 'key_1', workspaceId: 'ws_1' });
    expect(calls).toEqual({ find: 1, update: 1 });
    now += 31_000;
    await auth.authenticate(key);
    expect(calls.find).toBe(2);
  });

  it('still records lastUsedAt about once a minute for a cached key', async () => {
    const key = generateApiKey();
    const { prisma, calls } = fakePrisma(key);
    let now = 1_000_000;
    const auth = new Authenticator(prisma, { ttlMs: 10 * 60_000, now: () => now });
    await auth.authenticate(key);
    now += 59_000;
    await auth.authenticate(key);
    expect(calls.update).toBe(1);
    now += 2_000;
    await auth.authenticate(key);
    expect(calls).toEqual({ find: 1, update: 2 });
  });

  it('forgets a key at once when it is invalidated (revocation), and then refuses it', async () => {
    const key = generateApiKey();
    const { prisma, row, calls } = fakePrisma(key);
    const auth = new Authenticator(prisma);
    await auth.authenticate(key);
    row.revokedAt = new Date('2026-11-30T00:00:00Z');
    auth.invalidateKey('key_1');
    await expect(auth.authenticate(key)).rejects.toThrow(/was revoked on 2026-11-30/);
    expect(calls.find).toBe(2);
    await expect(auth.authenticate(key)).rejects.toThrow(/was revoked/); // refusals are never cached
    expect(calls.find).toBe(3);
  });

  it('never caches an unknown key, and refuses malformed credentials without a lookup', async () => {
    const { prisma, calls } = fakePrisma(generateApiKey());
    const auth = new Authenticator(prisma);
    await expect(auth.authenticate(generateApiKey())).rejects.toThrow(/Invalid API key/);
    await expect(auth.authenticate(null)).rejects.toThrow(/Missing API key/);
    await expect(auth.authenticate('hello')).rejects.toThrow(/Unrecognised credential/);
    expect(calls.find).toBe(1);
    expect(auth.size).toBe(0);
  });

  it('holds at most maxEntries credentials, dropping the oldest', async () => {
    const keys = [generateApiKey(), generateApiKey(), generateApiKey()];
    const rows = new Map(keys.map((k, i) => [hashSecret(k), { id: `key_${i}`, workspaceId: 'ws_1', prefix: 'p', keyHash: hashSecret(k), scopes: ['READ'], revokedAt: null, lastUsedAt: new Date() }]));
    let finds = 0;
    const prisma = { apiKey: { findUnique: async ({ where }: { where: { keyHash: string } }) => (finds++, rows.get(where.keyHash) ?? null), update: async () => undefined } } as unknown as PrismaClient;
    const auth = new Authenticator(prisma, { maxEntries: 2 });
    for (const k of keys) await auth.authenticate(k);
    expect(auth.size).toBe(2);
    await auth.authenticate(keys[2]!);
    expect(finds).toBe(3);
    await auth.authenticate(keys[0]!); // evicted first
    expect(finds).toBe(4);
  });
});
