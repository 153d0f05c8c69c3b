import { SCHEMA_VERSION } from '../graphql/generated/schema-version.js';
import { AbortError, APIError, APIVersionMismatchError, BrightRunError, ConnectionError, errorFromResponse, RateLimitError, TimeoutError, type GraphQLErrorData } from '../errors.js';
import type { Platform, WebSocketConstructor } from '../platform.js';
import { SDK_VERSION } from '../version.js';
import { retryAfterMs, retryDelayMs, sleep } from './retry.js';

/** Options of `new BrightRun(…)`. */
export interface ClientOptions {
  /**
   * An API key (`brk_…`), sent as `Authorization: Bearer …`.
   * @default process.env.BRIGHTRUN_API_KEY
   */
  apiKey?: string | undefined;
  /**
   * Where the server is: its origin (`https://brightrun.example.com`) or its `/graphql` address.
   * @default process.env.BRIGHTRUN_BASE_URL, else "http://127.0.0.1:4000"
   */
  baseUrl?: string | undefined;
  /**
   * The fetch to use (a proxy, a test double, a custom agent).
   * @default globalThis.fetch
   */
  fetch?: typeof fetch | undefined;
  /**
   * Retries after a connection failure, a timeout, 429 or 5xx (honouring Retry-After), with
   * exponential backoff and jitter. Mutations that are not idempotent are retried only when the
   * server refused them before doing anything (429, 503).
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * Milliseconds one attempt may take before it is abandoned (and retried). Uploads and
   * downloads count it between chunks, not for the whole transfer.
   * @default 60000
   */
  timeout?: number | undefined;
  /**
   * The WebSocket class for live streams.
   * @default globalThis.WebSocket, else (Node 20) the `ws` package
   */
  webSocket?: WebSocketConstructor | undefined;
  /**
   * Headers sent with every request.
   * @default {}
   */
  defaultHeaders?: Record<string, string> | undefined;
}

/** Options every method takes. */
export interface RequestOptions {
  /** Aborts the request (and its retries); the method rejects with `AbortError`. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeout` for this call (milliseconds per attempt). */
  timeout?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
}

export interface TypedDocument<TResult, TVariables> {
  toString(): string;
  /** Type carrier only. */
  __apiType?: (variables: TVariables) => TResult;
}

/** A GraphQL answer's data and the server's request id. */
export interface GraphQLAnswer<T> {
  data: T;
  requestId: string | undefined;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:4000';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

const major = (version: string) => version.split('.')[0];

/** Why an attempt failed, and whether another may follow. */
interface AttemptFailure {
  error: BrightRunError;
  retryable: boolean;
  serverAskedMs?: number | undefined;
}

/** HTTP, retries, timeouts, aborts and errors: what every resource uses. */
export class Transport {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly graphqlUrl: string;
  readonly maxRetries: number;
  readonly timeout: number;
  readonly fetch: typeof fetch;
  private readonly defaultHeaders: Record<string, string>;
  private readonly webSocketOption: WebSocketConstructor | undefined;
  /** The API version the server last stated (`BrightRun-API-Version`). */
  serverApiVersion: string | undefined;

  constructor(
    options: ClientOptions,
    readonly platform: Platform,
  ) {
    const apiKey = options.apiKey ?? platform.env('BRIGHTRUN_API_KEY');
    if (!apiKey) {
      throw new BrightRunError('No API key: pass `apiKey` to new BrightRun({ apiKey }) or set BRIGHTRUN_API_KEY (create one with `npm run workspace:create` on the server, or createApiKey)');
    }
    this.apiKey = apiKey;
    const base = (options.baseUrl ?? platform.env('BRIGHTRUN_BASE_URL') ?? DEFAULT_BASE_URL).trim();
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new BrightRunError(`The base URL "${base}" is not a URL: pass e.g. "http://127.0.0.1:4000" as baseUrl or BRIGHTRUN_BASE_URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BrightRunError(`The base URL "${base}" must start with http:// or https://`);
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')}`;
    this.graphqlUrl = `${this.baseUrl}/graphql`;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0) throw new BrightRunError('maxRetries must be a whole number ≥ 0');
    if (!(this.timeout > 0)) throw new BrightRunError('timeout must be a number of milliseconds > 0');
    const fetchImpl = options.fetch ?? (globalThis.fetch as typeof fetch | undefined);
    if (!fetchImpl) throw new BrightRunError('This runtime has no fetch: pass `fetch` in the client options');
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.defaultHeaders = options.defaultHeaders ?? {};
    this.webSocketOption = options.webSocket;
  }

  get websocketUrl(): string {
    return this.graphqlUrl.replace(/^http/, 'ws');
  }

  async webSocketImpl(): Promise<WebSocketConstructor> {
    return this.webSocketOption ?? (await this.platform.webSocket());
  }

  /**
   * One GraphQL operation: returns `data`, or throws the SDK error for GraphQL errors and HTTP
   * failures. `idempotent`: safe to send again after a lost answer (queries; mutations with an
   * idempotency key or that converge).
   */
  async graphql<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, variables: TVariables, options: RequestOptions & { idempotent: boolean }): Promise<GraphQLAnswer<TResult>> {
    const body = JSON.stringify({ query: document.toString(), variables });
    return this.withRetries(options, options.idempotent, async (signal) => {
      const response = await this.fetch(this.graphqlUrl, {
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' }),
        body,
        signal,
      });
      return this.readGraphQL<TResult>(response);
    });
  }

  /** A GraphQL multipart request (file uploads); `form` is built again for each attempt. */
  async graphqlMultipart<TResult>(form: () => FormData, options: RequestOptions & { idempotent: boolean }): Promise<GraphQLAnswer<TResult>> {
    return this.withRetries(options, options.idempotent, async (signal) => {
      const response = await this.fetch(this.graphqlUrl, { method: 'POST', headers: this.headers({ 'graphql-require-preflight': '1' }), body: form(), signal });
      return this.readGraphQL<TResult>(response);
    });
  }

  /**
   * Any HTTP request with the same retries, timeout and abort handling (signed upload and
   * download links: no API key is sent there). `send` gets the attempt's signal; a response
   * that is not ok becomes an error unless `accept` takes it.
   */
  async http(send: (signal: AbortSignal, touch: () => void) => Promise<Response>, options: RequestOptions & { idempotent: boolean; accept?: (status: number) => boolean }): Promise<Response> {
    return this.withRetries(options, options.idempotent, async (signal, touch) => {
      const response = await send(signal, touch);
      if (response.ok || options.accept?.(response.status)) return response;
      let message = `HTTP ${response.status}`;
      let code: string | undefined;
      try {
        const parsed = (await response.json()) as { error?: { code?: string; message?: string } };
        if (parsed.error?.message) message = parsed.error.message;
        code = parsed.error?.code;
      } catch {
        // not JSON: the status says it
      }
      throw errorFromResponse(response.status, [{ message, extensions: code ? { code: code.toUpperCase() } : {} }], response.headers.get('x-request-id') ?? undefined, retryAfterMs(response.headers));
    });
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      authorization: `Bearer ${this.apiKey}`,
      'x-brightrun-sdk': `lora-sdk/${SDK_VERSION} api/${SCHEMA_VERSION}`,
      ...this.defaultHeaders,
      ...extra,
    };
  }

  private async readGraphQL<TResult>(response: Response): Promise<GraphQLAnswer<TResult>> {
    const requestId = response.headers.get('x-request-id') ?? undefined;
    this.checkVersion(response.headers.get('brightrun-api-version') ?? undefined);
    let parsed: { data?: TResult | null; errors?: GraphQLErrorData[] } | undefined;
    try {
      parsed = (await response.json()) as typeof parsed;
    } catch (error) {
      if (response.ok) throw new APIError(`The server answered ${response.status} with a body that is not JSON`, { status: response.status, code: 'BAD_RESPONSE', requestId, cause: error });
    }
    const errors = parsed?.errors;
    if (errors?.some((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) {
      throw new APIVersionMismatchError(
        `The server does not understand this SDK's request (SDK generated for API ${SCHEMA_VERSION}, server ${this.serverApiVersion ?? 'version unknown'}): ${errors[0]!.message}. Use an SDK release generated for the server's API version.`,
        SCHEMA_VERSION,
        this.serverApiVersion,
      );
    }
    if (!response.ok || errors?.length || !parsed?.data) {
      throw errorFromResponse(response.status, errors, requestId, retryAfterMs(response.headers));
    }
    return { data: parsed.data, requestId };
  }

  /** A server of another major API version cannot be spoken to safely: one clear error, before anything is read. */
  checkVersion(serverVersion: string | undefined): void {
    if (!serverVersion) return;
    this.serverApiVersion = serverVersion;
    if (major(serverVersion) !== major(SCHEMA_VERSION)) {
      throw new APIVersionMismatchError(
        `The server speaks BrightRun API ${serverVersion}; this SDK (${SDK_VERSION}) was generated for API ${SCHEMA_VERSION}. A major version differs, so requests may mean different things: install the SDK release for API ${major(serverVersion)}.x.`,
        SCHEMA_VERSION,
        serverVersion,
      );
    }
  }

  /** Runs `attempt` up to 1 + maxRetries times with backoff; converts aborts, timeouts and network failures. */
  async withRetries<T>(options: RequestOptions, idempotent: boolean, attempt: (signal: AbortSignal, touch: () => void) => Promise<T>): Promise<T> {
    const maxRetries = options.maxRetries ?? this.maxRetries;
    const timeout = options.timeout ?? this.timeout;
    for (let tries = 0; ; tries++) {
      if (options.signal?.aborted) throw new AbortError(undefined, { cause: options.signal.reason });
      const controller = new AbortController();
      let timedOut = false;
      const expire = () => {
        timedOut = true;
        controller.abort(new TimeoutError(`No answer within ${timeout} ms`));
      };
      let timer = setTimeout(expire, timeout);
      // Transfers call touch() per chunk: the timeout then bounds a silence, not the whole transfer.
      const touch = () => {
        if (timedOut) return;
        clearTimeout(timer);
        timer = setTimeout(expire, timeout);
      };
      const onAbort = () => controller.abort(options.signal!.reason);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let failure: AttemptFailure;
      try {
        return await attempt(controller.signal, touch);
      } catch (error) {
        failure = this.classify(error, idempotent, timedOut, options.signal, timeout);
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (!failure.retryable || tries >= maxRetries) throw failure.error;
      try {
        await sleep(retryDelayMs(tries + 1, failure.serverAskedMs), options.signal);
      } catch (reason) {
        throw new AbortError(undefined, { cause: reason });
      }
    }
  }

  private classify(error: unknown, idempotent: boolean, timedOut: boolean, signal: AbortSignal | undefined, timeout: number): AttemptFailure {
    if (signal?.aborted) return { error: new AbortError(undefined, { cause: signal.reason }), retryable: false };
    if (timedOut) return { error: new TimeoutError(`No answer from the server within ${timeout} ms (after the retries); raise \`timeout\` for slow networks`, { cause: error }), retryable: true };
    if (error instanceof ConnectionError) return { error, retryable: idempotent };
    if (error instanceof RateLimitError) {
      // Refused before anything was done: always safe to send again, after the wait it asked for.
      const tooLong = error.retryAfterMs !== undefined && error.retryAfterMs > 60_000;
      return { error, retryable: !tooLong, serverAskedMs: error.retryAfterMs };
    }
    if (error instanceof APIError) {
      const status = error.status ?? 0;
      const refusedBeforeWork = status === 503 || error.code === 'SERVER_STARTING';
      const retryable = refusedBeforeWork || (idempotent && (status === 408 || status === 409 || status >= 500));
      return { error, retryable, serverAskedMs: error.retryAfterMs };
    }
    if (error instanceof BrightRunError) return { error, retryable: false };
    // fetch failed without an answer: DNS, refused, reset. The request may or may not have arrived.
    const cause = error as Error;
    return {
      error: new ConnectionError(`Could not reach the BrightRun server at ${this.baseUrl}: ${describeNetworkError(cause)}`, { cause: error }),
      retryable: idempotent,
    };
  }
}

function describeNetworkError(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error.message;
}
