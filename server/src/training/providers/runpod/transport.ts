/**
 * HTTP to RunPod: bearer auth, timeouts, typed errors and bounded retries, for REST v2 and GraphQL.
 */
import { RunPodTransientError, graphqlError, restError, type GraphqlErrorEntry } from './errors.js';
import { withRetry, type RetryOptions } from './retry.js';

export interface TransportOptions {
  apiKey: string;
  restUrl: string;
  graphqlUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  retry: RetryOptions;
}

export type QueryValue = string | number | undefined;

interface RestCall {
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** Safe to repeat after a timeout or 5xx. Defaults to true for GET. */
  idempotent?: boolean;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class RunPodTransport {
  constructor(private readonly options: TransportOptions) {}

  restUrl(path: string, query: Record<string, QueryValue> = {}): string {
    const url = new URL(this.options.restUrl.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends one request; network failures and timeouts become transient errors. */
  async send(url: string, init: RequestInit & { timeoutMs?: number | null }): Promise<Response> {
    const timeoutMs = init.timeoutMs === undefined ? this.options.timeoutMs : init.timeoutMs;
    const signals = [init.signal, timeoutMs === null ? null : AbortSignal.timeout(timeoutMs)].filter(
      (s): s is AbortSignal => Boolean(s),
    );
    try {
      return await this.options.fetch(url, {
        ...init,
        signal: signals.length > 0 ? AbortSignal.any(signals) : null,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.headers as Record<string, string> | undefined),
        },
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new RunPodTransientError({ detail: `could not reach RunPod: ${detail}`, cause: error });
    }
  }

  async rest<T>(method: string, path: string, call: RestCall = {}): Promise<T | undefined> {
    const url = this.restUrl(path, call.query);
    return withRetry(
      async () => {
        const response = await this.send(url, {
          method,
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        });
        const body = await readBody(response);
        if (!response.ok) throw restError(response.status, body, response.headers);
        return (response.status === 204 ? undefined : body) as T | undefined;
      },
      { ...this.options.retry, retryTransient: call.idempotent ?? method === 'GET' },
    );
  }

  /** One GraphQL operation; `spot` marks the interruptible mutations for error mapping. */
  async graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    options: { spot?: boolean; idempotent?: boolean } = {},
  ): Promise<T> {
    return withRetry(
      async () => {
        const response = await this.send(this.options.graphqlUrl, {
          method: 'POST',
          body: JSON.stringify({ query, variables }),
        });
        const body = await readBody(response);
        const payload = (typeof body === 'object' && body !== null ? body : {}) as {
          data?: T;
          errors?: GraphqlErrorEntry[];
        };
        const errors = Array.isArray(payload.errors) ? payload.errors : [];
        if (errors.length > 0 || !response.ok || payload.data === undefined) {
          const entries = errors.length > 0 ? errors : [{ message: typeof body === 'string' ? body : response.statusText }];
          throw graphqlError(response.status, entries, response.headers, { spot: options.spot ?? false });
        }
        return payload.data;
      },
      { ...this.options.retry, retryTransient: options.idempotent ?? false },
    );
  }
}
