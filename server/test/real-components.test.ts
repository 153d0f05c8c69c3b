import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';

// CI must exercise the real Postgres and Redis, not only the embedded defaults: without these
// variables the Postgres and Redis halves of the integration suites are skipped, so fail loudly.
const inCI = process.env.CI === 'true';

describe('real components', () => {
  it.runIf(inCI)('CI provides Postgres and Redis to the suites', () => {
    expect(process.env.TEST_DATABASE_URL, 'TEST_DATABASE_URL must be set in CI (.ci/run sets it)').toBeTruthy();
    expect(process.env.TEST_REDIS_URL, 'TEST_REDIS_URL must be set in CI (.ci/run sets it)').toBeTruthy();
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('Postgres answers at TEST_DATABASE_URL', async () => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS one');
    await client.end();
    expect(rows[0].one).toBe(1);
  });

  it.runIf(Boolean(process.env.TEST_REDIS_URL))('Redis answers at TEST_REDIS_URL', async () => {
    const redis = new Redis(process.env.TEST_REDIS_URL!);
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });
});
