import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateStore, RateLimiter, RedisRateStore, type RateStore } from './rate-limit.js';

const redisUrl = process.env.TEST_REDIS_URL;
const stores: RateStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

describe('RateLimiter', () => {
  it('lets `limit` hits of a key through per window, then answers RATE_LIMITED with the seconds left', async () => {
    const limiter = new RateLimiter(new MemoryRateStore(), { perKey: 3, perIp: 0, windowMs: 60_000 });
    for (let i = 0; i < 3; i += 1) expect(await limiter.hitKey('key_a')).toBeNull();
    const refused = await limiter.hitKey('key_a');
    expect(refused?.extensions).toMatchObject({ code: 'RATE_LIMITED', limitName: 'requestsPerKey', limit: 3, setting: 'BRIGHTRUN_RATE_LIMIT_PER_KEY', retryAfterSeconds: 60, http: { status: 429, headers: { 'Retry-After': '60' } } });
    expect(await limiter.hitKey('key_b')).toBeNull();
    // perIp 0: off.
    for (let i = 0; i < 10; i += 1) expect(await limiter.hitIp('10.0.0.1')).toBeNull();
  });

  it('returns the budget each hit leaves (no extra hit to read it), none when the limit is off', async () => {
    const limiter = new RateLimiter(new MemoryRateStore(), { perKey: 3, perIp: 0, windowMs: 60_000 });
    const hits = [];
    for (let i = 0; i < 4; i += 1) hits.push(await limiter.spendKey('key_c'));
    expect(hits.map((h) => h.budget?.remaining)).toEqual([2, 1, 0, 0]);
    expect(hits[0]!.budget).toMatchObject({ limit: 3, windowMs: 60_000 });
    expect(hits[0]!.budget!.resetInMs).toBeGreaterThan(59_000);
    expect(hits.map((h) => h.refused?.extensions.code ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    const off = new RateLimiter(new MemoryRateStore(), { perKey: 0, perIp: 0, windowMs: 60_000 });
    expect(await off.spendKey('key_c')).toEqual({ refused: null, budget: null });
  });

  it('starts a new window once the old one ends', async () => {
    const limiter = new RateLimiter(new MemoryRateStore(), { perKey: 1, perIp: 1, windowMs: 50 });
    expect(await limiter.hitIp('10.0.0.2')).toBeNull();
    expect(await limiter.hitIp('10.0.0.2')).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await limiter.hitIp('10.0.0.2')).toBeNull();
  });

  it.runIf(Boolean(redisUrl))('counts in Redis, so two instances share a client\'s budget', async () => {
    const prefix = `brightrun:test:${randomUUID()}:`;
    const a = new RedisRateStore(redisUrl!, () => undefined, prefix);
    const b = new RedisRateStore(redisUrl!, () => undefined, prefix);
    stores.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    const limits = { perKey: 4, perIp: 0, windowMs: 10_000 };
    const [first, second] = [new RateLimiter(a, limits), new RateLimiter(b, limits)];
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await first.hitKey('key_shared'), await second.hitKey('key_shared'));
    expect(answers.map((answer) => answer?.extensions.code ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(answers[5]?.extensions.retryAfterSeconds).toBeLessThanOrEqual(10);
    // The budget counts both instances' hits.
    const budget = (await first.spendKey('key_budget')).budget;
    expect((await second.spendKey('key_budget')).budget).toMatchObject({ limit: 4, remaining: 2, windowMs: 10_000 });
    expect(budget).toMatchObject({ limit: 4, remaining: 3 });
    expect(budget!.resetInMs).toBeGreaterThan(9_000);
  });

  it('lets requests through at once while Redis is unreachable, and says so once', async () => {
    const lines: string[] = [];
    const store = new RedisRateStore('redis://127.0.0.1:1', (line) => lines.push(line));
    stores.push(store);
    const limiter = new RateLimiter(store, { perKey: 1, perIp: 1, windowMs: 60_000 });
    const started = performance.now();
    for (let i = 0; i < 20; i += 1) expect(await limiter.hitKey('key_x')).toBeNull();
    // Not counted: the budget is unknown, not full.
    expect((await limiter.spendKey('key_x')).budget).toBeNull();
    expect(performance.now() - started).toBeLessThan(100);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Redis unavailable .* not rate-limited until it is back/);
  });
});
