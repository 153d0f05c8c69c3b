import { Redis } from 'ioredis';
import type { GraphQLError } from 'graphql';
import { limitError } from './errors.js';

/** One counter's state after a hit: how many hits this window holds (0: the store could not count) and when it ends. */
export interface WindowCount {
  count: number;
  resetInMs: number;
}

/**
 * A credential's budget as its own request left it: no extra hit is spent to read it. Null where
 * the limit is off (0) or the store could not count (Redis down: requests are let through).
 */
export interface RateBudget {
  limit: number;
  remaining: number;
  resetInMs: number;
  windowMs: number;
}

/** One counted request: the refusal when over the budget, and the budget it left. */
export interface RateHit {
  refused: GraphQLError | null;
  budget: RateBudget | null;
}

/** Where the counters live: this process (default) or Redis, shared by every server instance. */
export interface RateStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
  close(): Promise<void>;
}

/** Fixed windows in a Map; expired windows are dropped as the map is swept. */
export class MemoryRateStore implements RateStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private sweepAt = 0;

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = Date.now();
    if (now >= this.sweepAt) this.sweep(now, windowMs);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  private sweep(now: number, windowMs: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    this.sweepAt = now + windowMs;
  }

  async close() {
    this.windows.clear();
  }
}

// INCR, and start the window's clock on its first hit; one round trip, atomic.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

/**
 * Fixed windows in Redis (REDIS_URL), so every instance counts the same client together. While
 * Redis is not connected, or does not answer within a second, requests are let through (logged
 * once a minute) without waiting: a rate limiter must not take the API down with it.
 */
export class RedisRateStore implements RateStore {
  private readonly redis: Redis;
  private lastComplaint = 0;

  constructor(
    redisUrl: string,
    private readonly log: (line: string) => void,
    private readonly prefix = 'brightrun:rate:',
  ) {
    // No offline queue: a command while disconnected fails at once instead of waiting for a reconnect.
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1_000, enableOfflineQueue: false });
    this.redis.on('error', (error) => this.complain(error));
  }

  /** Resolves once connected (tests); the store works without waiting for it. */
  ready(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.redis.once('ready', () => resolve()));
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    if (this.redis.status !== 'ready') {
      this.complain(new Error(`connection ${this.redis.status}`));
      return { count: 0, resetInMs: windowMs };
    }
    try {
      const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.prefix + key, String(windowMs))) as [number, number];
      return { count, resetInMs: ttl };
    } catch (error) {
      this.complain(error as Error);
      return { count: 0, resetInMs: windowMs };
    }
  }

  private complain(error: Error) {
    if (Date.now() - this.lastComplaint < 60_000) return;
    this.lastComplaint = Date.now();
    this.log(`rate limits: Redis unavailable (${error.message}); requests are not rate-limited until it is back`);
  }

  async close() {
    this.redis.disconnect();
  }
}

export interface RateLimits {
  perKey: number;
  perIp: number;
  /** Requests to /trainer/graphql per job token (unset: not limited). */
  perTrainerToken?: number;
  windowMs: number;
}

const LIMIT_NAMES: Record<string, string> = {
  BRIGHTRUN_RATE_LIMIT_PER_IP: 'requestsPerIp',
  BRIGHTRUN_RATE_LIMIT_PER_KEY: 'requestsPerKey',
  BRIGHTRUN_TRAINER_RATE_LIMIT_PER_TOKEN: 'requestsPerTrainerToken',
};

/** Per-key and per-client-address request budgets over fixed windows; 0 turns one off. */
export class RateLimiter {
  constructor(
    private readonly store: RateStore,
    private readonly limits: RateLimits,
  ) {}

  /** Null when within the budget, else the RATE_LIMITED error (Retry-After in its extensions). */
  async hitIp(address: string): Promise<GraphQLError | null> {
    return (await this.hit(`ip:${address}`, this.limits.perIp, 'BRIGHTRUN_RATE_LIMIT_PER_IP', `from ${address}`)).refused;
  }

  async hitKey(keyId: string): Promise<GraphQLError | null> {
    return (await this.spendKey(keyId)).refused;
  }

  /** Counts one request of the API key (a dashboard session counts as its key) and returns the budget it left. */
  spendKey(keyId: string): Promise<RateHit> {
    return this.hit(`key:${keyId}`, this.limits.perKey, 'BRIGHTRUN_RATE_LIMIT_PER_KEY', 'with this API key');
  }

  /** A training pod's requests, counted per job (one token per job). */
  spendTrainerToken(jobId: string): Promise<RateHit> {
    return this.hit(`trainer:${jobId}`, this.limits.perTrainerToken ?? 0, 'BRIGHTRUN_TRAINER_RATE_LIMIT_PER_TOKEN', 'with this job token');
  }

  async hitTrainerToken(jobId: string): Promise<GraphQLError | null> {
    return (await this.spendTrainerToken(jobId)).refused;
  }

  private async hit(key: string, limit: number, setting: string, who: string): Promise<RateHit> {
    if (limit <= 0) return { refused: null, budget: null };
    const { count, resetInMs } = await this.store.hit(key, this.limits.windowMs);
    // A store that could not count (Redis unavailable) answers 0: the budget is unknown, not full.
    const budget = count > 0 ? { limit, remaining: Math.max(0, limit - count), resetInMs: Math.max(0, resetInMs), windowMs: this.limits.windowMs } : null;
    if (count <= limit) return { refused: null, budget };
    const retryAfterSeconds = Math.max(1, Math.ceil(resetInMs / 1000));
    const window = this.limits.windowMs % 60_000 === 0 ? `${this.limits.windowMs / 60_000} min` : `${this.limits.windowMs / 1000} s`;
    const refused = limitError('RATE_LIMITED', `Too many requests ${who}: the limit is ${limit} per ${window}; retry after ${retryAfterSeconds} s (the Retry-After header says the same)`, {
      limitName: LIMIT_NAMES[setting] ?? 'requestsPerKey',
      limit,
      setting,
      status: 429,
      retryAfterSeconds,
    });
    return { refused, budget };
  }

  close() {
    return this.store.close();
  }
}
