/** Milliseconds a response asks us to wait (`Retry-After` in seconds or as an HTTP date, or `retry-after-ms`); undefined when it does not say. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The longest Retry-After the SDK honours; a longer one is reported as the error instead. */
export const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/**
 * The wait before retry number `attempt` (1 = the first retry): the server's Retry-After when it
 * gave one, else exponential backoff (0.5 s, 1 s, 2 s… capped at 8 s) with up to 25% jitter taken
 * off, so that many clients refused at once do not come back at once.
 */
export function retryDelayMs(attempt: number, serverAsked: number | undefined, random = Math.random): number {
  if (serverAsked !== undefined && serverAsked <= MAX_RETRY_AFTER_MS) return serverAsked;
  const base = Math.min(INITIAL_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS);
  return base * (1 - 0.25 * random());
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
