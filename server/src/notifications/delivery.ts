/**
 * Background HTTP deliveries (Slack, webhooks) with bounded retries. `enqueue` returns at once;
 * nothing here can block or fail the caller. Each delivery is tried up to 1 + retryDelaysMs.length
 * times (default 5 over about a minute, with ±20% jitter), each try limited to `timeoutMs`.
 * Network errors, timeouts, 408, 425, 429 and 5xx are retried (Retry-After honoured up to a
 * minute); other statuses are final. Deliveries live in memory: a restart drops pending retries.
 */
export interface DeliveryRequest {
  /** Stable across retries (the receiver dedupes on it). */
  id: string;
  target: 'slack' | 'webhook';
  url: string;
  body: string;
  /** Built per try, so a signature's timestamp is the time of sending. */
  headers: () => Record<string, string>;
}

export interface DeliveryOutcome {
  id: string;
  target: DeliveryRequest['target'];
  url: string;
  delivered: boolean;
  attempts: number;
  /** The last HTTP status, when there was a response. */
  status: number | null;
  error: string | null;
}

export interface DeliveryQueueOptions {
  /** Waits between tries; its length + 1 is the number of tries. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** Deliveries in flight or waiting to retry; beyond it new ones are dropped (logged). */
  maxPending?: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

export const DEFAULT_RETRY_DELAYS_MS = [2_000, 6_000, 15_000, 35_000];
export const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_RETRY_AFTER_MS = 60_000;

export class DeliveryQueue {
  private readonly pending = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;
  private readonly maxPending: number;
  private readonly fetchImpl: typeof fetch;
  private readonly log: (line: string) => void;
  private readonly onOutcome?: (outcome: DeliveryOutcome) => void;

  constructor(options: DeliveryQueueOptions = {}) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxPending = options.maxPending ?? 1000;
    this.fetchImpl = options.fetch ?? fetch;
    this.log = options.log ?? ((line) => console.warn(line));
    this.onOutcome = options.onOutcome;
  }

  get size(): number {
    return this.pending.size;
  }

  enqueue(request: DeliveryRequest): void {
    if (this.stopping.signal.aborted) return;
    if (this.pending.size >= this.maxPending) {
      this.log(`notification delivery ${request.id} to ${request.target} dropped: ${this.maxPending} deliveries already pending`);
      return;
    }
    const task = this.run(request)
      .then((outcome) => this.onOutcome?.(outcome))
      .catch((error) => this.log(`notification delivery ${request.id} crashed: ${(error as Error).stack}`))
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves when every delivery enqueued so far has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops retrying and cancels requests in flight (server shutdown). */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  /**
   * One try now, no retries, for a caller that waits for the answer ("send test"): the same
   * request, headers, timeout and redirect rule as a queued delivery. Never throws.
   */
  deliverOnce(request: DeliveryRequest): Promise<DeliveryOutcome> {
    return this.run(request, []);
  }

  private async run(request: DeliveryRequest, retryDelaysMs = this.retryDelaysMs): Promise<DeliveryOutcome> {
    const outcome: DeliveryOutcome = { id: request.id, target: request.target, url: request.url, delivered: false, attempts: 0, status: null, error: null };
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
      if (this.stopping.signal.aborted) return { ...outcome, error: 'server shutting down' };
      outcome.attempts = attempt + 1;
      let retryAfterMs: number | null = null;
      try {
        const response = await this.fetchImpl(request.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'BrightRun-LoRA-Notifier/1', ...request.headers() },
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.timeoutMs)]),
        });
        await response.body?.cancel().catch(() => undefined);
        outcome.status = response.status;
        outcome.error = null;
        if (response.ok) return { ...outcome, delivered: true };
        outcome.error = `HTTP ${response.status}`;
        if (!isRetryable(response.status)) break;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      } catch (error) {
        outcome.status = null;
        const e = error as Error;
        outcome.error = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
      }
      const delay = retryDelaysMs[attempt];
      if (delay === undefined) break;
      await this.sleep(retryAfterMs ?? jitter(delay));
    }
    this.log(`notification delivery ${request.id} to ${request.target} ${redact(request.url)} gave up after ${outcome.attempts} tries: ${outcome.error}`);
    return outcome;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.stopping.signal;
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

const isRetryable = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;
const jitter = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : null;
}

/** Webhook URLs can hold tokens (Slack's always do): log only the origin. */
const redact = (url: string) => {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid URL)';
  }
};
