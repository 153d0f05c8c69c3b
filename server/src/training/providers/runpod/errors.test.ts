import { describe, expect, it } from 'vitest';
import {
  RunPodAuthError,
  RunPodContractError,
  RunPodInsufficientBalanceError,
  RunPodNoCapacityError,
  RunPodNotFoundError,
  RunPodRateLimitedError,
  RunPodRejectedError,
  RunPodSpotUnavailableError,
  RunPodTransientError,
  graphqlError,
  parseRetryAfter,
  restError,
} from './errors.js';
import { withRetry } from './retry.js';

const noHeaders = new Headers();
const problem = (detail: string, errors?: string[]) => ({ title: 't', status: 0, detail, ...(errors ? { errors } : {}) });

describe('restError', () => {
  it.each([
    [400, 'There are no longer any instances available with the requested specifications.', RunPodNoCapacityError],
    [400, 'minCudaVersion and allowedCudaVersions are mutually exclusive', RunPodRejectedError],
    [400, 'Something went wrong. Please try again later or contact support.', RunPodTransientError],
    [401, 'invalid token', RunPodAuthError],
    [403, 'forbidden', RunPodAuthError],
    [402, 'insufficient balance', RunPodInsufficientBalanceError],
    [404, 'pod not found', RunPodNotFoundError],
    [503, 'upstream unavailable', RunPodTransientError],
  ] as const)('maps %i "%s"', (status, detail, type) => {
    const error = restError(status, problem(detail), noHeaders);
    expect(error).toBeInstanceOf(type);
    expect(error.detail).toBe(detail);
    expect(error.status).toBe(status);
  });

  it('keeps the violations of a 422 in the message', () => {
    const error = restError(422, problem('validation failed', ["$: must have required property 'name'"]), noHeaders);
    expect(error).toBeInstanceOf(RunPodContractError);
    expect(error.message).toContain("validation failed; $: must have required property 'name'");
  });

  it('reads Retry-After as seconds or as a date', () => {
    const error = restError(429, problem('slow down'), new Headers({ 'retry-after': '3' }));
    expect((error as RunPodRateLimitedError).retryAfterSeconds).toBe(3);
    expect(parseRetryAfter('Wed, 02 Dec 2026 08:00:10 GMT', Date.parse('2026-12-02T08:00:00Z'))).toBe(10);
  });
});

describe('graphqlError', () => {
  const gone = [{ message: 'Cannot query field "podRentInterruptable" on type "Mutation".' }];
  it('reads a missing spot mutation as spot unavailable, a missing other field as a contract bug', () => {
    expect(graphqlError(400, gone, noHeaders, { spot: true })).toBeInstanceOf(RunPodSpotUnavailableError);
    expect(graphqlError(400, gone, noHeaders)).toBeInstanceOf(RunPodContractError);
    const badInput = [{ message: 'Variable "$input" got invalid value "x" at "input.gpuCount"; Int cannot represent non-integer value: "x"' }];
    expect(graphqlError(400, badInput, noHeaders, { spot: true })).toBeInstanceOf(RunPodContractError);
    expect(graphqlError(200, [{ message: 'bid refused' }], noHeaders, { spot: true })).toBeInstanceOf(RunPodSpotUnavailableError);
  });

  it('recognises capacity, balance, keys and transient failures in any operation', () => {
    const one = (message: string, code?: string) => [{ message, ...(code ? { extensions: { code } } : {}) }];
    expect(graphqlError(200, one('There are no longer any instances available with enough disk space.'), noHeaders, { spot: true }))
      .toBeInstanceOf(RunPodNoCapacityError);
    expect(graphqlError(200, one('Insufficient balance to deploy'), noHeaders)).toBeInstanceOf(RunPodInsufficientBalanceError);
    expect(graphqlError(200, one('Not authenticated', 'UNAUTHENTICATED'), noHeaders)).toBeInstanceOf(RunPodAuthError);
    expect(graphqlError(200, one('Something went wrong. Please try again later or contact support.'), noHeaders, { spot: true }))
      .toBeInstanceOf(RunPodTransientError);
  });
});

describe('withRetry', () => {
  function recorder() {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms), random: () => 0 };
  }

  it('waits Retry-After (never less) on rate limits, then returns the result', async () => {
    const r = recorder();
    let calls = 0;
    const result = await withRetry(async () => {
      calls += 1;
      if (calls < 3) throw new RunPodRateLimitedError(2);
      return 'done';
    }, r);
    expect(result).toBe('done');
    expect(r.waits).toEqual([2000, 2000]);
  });

  it('backs off exponentially on transient failures, bounded by maxAttempts and maxDelayMs', async () => {
    const r = recorder();
    let calls = 0;
    const failing = withRetry(async () => {
      calls += 1;
      throw new RunPodTransientError({ detail: 'Something went wrong' });
    }, { ...r, random: () => 1, maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 500 });
    await expect(failing).rejects.toBeInstanceOf(RunPodTransientError);
    expect(calls).toBe(5);
    expect(r.waits).toEqual([100, 200, 400, 500]);
  });

  it('returns no-capacity and other final errors at once', async () => {
    for (const error of [new RunPodNoCapacityError(), new RunPodContractError(), new RunPodAuthError()]) {
      const r = recorder();
      await expect(withRetry(async () => Promise.reject(error), r)).rejects.toBe(error);
      expect(r.waits).toEqual([]);
    }
  });

  it('leaves transient failures of non-idempotent calls, and over-long Retry-After, to the caller', async () => {
    const r = recorder();
    await expect(
      withRetry(async () => Promise.reject(new RunPodTransientError()), { ...r, retryTransient: false }),
    ).rejects.toBeInstanceOf(RunPodTransientError);
    await expect(
      withRetry(async () => Promise.reject(new RunPodRateLimitedError(600)), { ...r, maxRetryAfterSeconds: 60 }),
    ).rejects.toBeInstanceOf(RunPodRateLimitedError);
    expect(r.waits).toEqual([]);
  });
});
