/**
 * Bounded retries for RunPod calls: rate limits wait out `Retry-After`; transient failures (5xx,
 * "Something went wrong", dropped connections) back off exponentially with jitter. Everything else
 * — no capacity included — goes straight back to the caller, who decides where to try next.
 */
import { RunPodRateLimitedError, RunPodTransientError } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. @default 4 */
  maxAttempts?: number;
  /** First backoff for transient failures; doubles each attempt. @default 500 */
  baseDelayMs?: number;
  /** Longest backoff for transient failures. @default 8000 */
  maxDelayMs?: number;
  /** Longest `Retry-After` waited for; a longer one is returned to the caller. @default 60 */
  maxRetryAfterSeconds?: number;
  /**
   * Retry transient failures too. Turn off for requests that are not idempotent (creating a pod):
   * a 5xx or a timeout there may have created the pod anyway. @default true
   */
  retryTransient?: boolean;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  random?: () => number;
  onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before the next attempt, or null when the error is not worth retrying. */
export function retryDelayMs(error: unknown, attempt: number, options: RetryOptions = {}): number | null {
  const random = options.random ?? Math.random;
  if (error instanceof RunPodRateLimitedError) {
    if (error.retryAfterSeconds > (options.maxRetryAfterSeconds ?? 60)) return null;
    // Never earlier than asked; a little later so that many clients do not return at once.
    return error.retryAfterSeconds * 1000 + Math.floor(random() * 250);
  }
  if (error instanceof RunPodTransientError && (options.retryTransient ?? true)) {
    const base = Math.min(options.maxDelayMs ?? 8000, (options.baseDelayMs ?? 500) * 2 ** (attempt - 1));
    return Math.floor(base * (0.5 + random() / 2));
  }
  return null;
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const delayMs = attempt < maxAttempts ? retryDelayMs(error, attempt, options) : null;
      if (delayMs === null) throw error;
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs);
    }
  }
}
