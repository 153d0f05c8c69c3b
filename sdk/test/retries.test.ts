import { describe, expect, it } from 'vitest';
import { AbortError, APIVersionMismatchError, AuthenticationError, BrightRun, ConnectionError, InternalServerError, RateLimitError, TimeoutError, ValidationError } from '../src/index.js';
import { retryAfterMs, retryDelayMs } from '../src/core/retry.js';

const ok = (data: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify({ data }), { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'req_ok', ...headers } });

/** A fetch that answers from a script, one entry per call, and records every call. */
function scripted(answers: (Response | Error | ((init: RequestInit | undefined) => Promise<Response>))[]) {
  const calls: { url: string; init: RequestInit | undefined; at: number }[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init, at: Date.now() });
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(init);
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const client = (fetch: typeof globalThis.fetch, extra: Record<string, unknown> = {}) => new BrightRun({ apiKey: 'brk_test', baseUrl: 'http://127.0.0.1:1/graphql', fetch, ...extra });

describe('retries, timeouts and aborts (injected fetch)', () => {
  it('retries a connection failure twice by default, then succeeds; the key and SDK header are sent', async () => {
    const { fetch, calls } = scripted([new TypeError('fetch failed'), new TypeError('fetch failed'), ok({ viewer: { scopes: ['READ'], workspace: { id: 'ws_1', name: 'W' } } })]);
    const viewer = await client(fetch).viewer();
    expect(viewer.workspace.name).toBe('W');
    expect(calls).toHaveLength(3);
    expect(calls[0]!.url).toBe('http://127.0.0.1:1/graphql');
    const headers = calls[0]!.init!.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer brk_test');
    expect(headers['x-brightrun-sdk']).toMatch(/^lora-sdk\/\d+\.\d+\.\d+ api\/1\.\d+\.\d+$/);
    // Backoff: each retry waited (0.5 s × jitter, then 1 s × jitter).
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(370);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(740);
  });

  it('gives up after maxRetries with ConnectionError naming the server', async () => {
    const { fetch, calls } = scripted([new TypeError('fetch failed'), new TypeError('fetch failed')]);
    const error = await client(fetch, { maxRetries: 1 }).viewer().catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('http://127.0.0.1:1');
    expect(calls).toHaveLength(2);
  });

  it('honours Retry-After on 429 and 503, and surfaces RateLimitError with the request id when retries run out', async () => {
    const limited = () => new Response(JSON.stringify({ errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] }), { status: 429, headers: { 'retry-after': '1', 'x-request-id': 'req_429' } });
    const starting = new Response(JSON.stringify({ errors: [{ message: 'starting', extensions: { code: 'SERVER_STARTING' } }] }), { status: 503, headers: { 'retry-after': '0' } });
    const { fetch, calls } = scripted([limited(), starting, ok({ viewer: { scopes: [], workspace: { id: 'w', name: 'n' } } })]);
    await client(fetch).viewer();
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(990);
    expect(calls).toHaveLength(3);

    const again = scripted([limited(), limited()]);
    const error = await client(again.fetch, { maxRetries: 1 }).viewer().catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', requestId: 'req_429', retryAfterMs: 1000 });
  });

  it('treats RATE_LIMITED and TOO_MANY_HEAVY_OPERATIONS as rate limits, waiting extensions.retryAfterSeconds when there is no header', async () => {
    const limited = (code: string) => new Response(JSON.stringify({ errors: [{ message: 'slow down', extensions: { code, retryAfterSeconds: 0.6 } }] }), { status: 200 });
    const { fetch, calls } = scripted([limited('RATE_LIMITED'), limited('TOO_MANY_HEAVY_OPERATIONS'), ok({ viewer: { scopes: [], workspace: { id: 'w', name: 'n' } } })]);
    await client(fetch).viewer();
    expect(calls).toHaveLength(3);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(590);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(590);
  });

  it('does not resend a mutation that may have run (the connection was lost after sending)', async () => {
    const { fetch, calls } = scripted([new TypeError('socket hang up')]);
    const br = client(fetch);
    const error = await br.datasets.upload(new Blob(['{}']), { fileName: 'x.jsonl' }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(calls).toHaveLength(1);
  });

  it('maps 401, 5xx and GraphQL validation failures to their classes; no retry for 401', async () => {
    const unauth = scripted([new Response(JSON.stringify({ errors: [{ message: 'Missing API key', extensions: { code: 'UNAUTHENTICATED' } }] }), { status: 401, headers: { 'x-request-id': 'req_401' } })]);
    await expect(client(unauth.fetch).viewer()).rejects.toMatchObject({ name: 'AuthenticationError', status: 401, requestId: 'req_401' });
    expect(unauth.calls).toHaveLength(1);
    const broken = scripted([new Response('oops', { status: 500 }), new Response('oops', { status: 502 }), new Response('oops', { status: 500 })]);
    await expect(client(broken.fetch).viewer()).rejects.toBeInstanceOf(InternalServerError);
    expect(broken.calls).toHaveLength(3);
    const bad = scripted([new Response(JSON.stringify({ errors: [{ message: 'first > 100', extensions: { code: 'BAD_USER_INPUT' } }] }), { status: 200 })]);
    await expect(client(bad.fetch).viewer()).rejects.toBeInstanceOf(ValidationError);
    expect(AuthenticationError.prototype).toBeInstanceOf(Error);
  });

  it('times out an attempt, retries it, and ends with TimeoutError', async () => {
    const hang = (init: RequestInit | undefined) => new Promise<Response>((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
    const { fetch, calls } = scripted([hang, hang]);
    const error = await client(fetch, { timeout: 100, maxRetries: 1 }).viewer().catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(calls).toHaveLength(2);
  });

  it('stops at once with AbortError when the caller aborts, also during a backoff', async () => {
    const hang = (init: RequestInit | undefined) => new Promise<Response>((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
    const first = scripted([hang]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(client(first.fetch).viewer({ signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    const second = scripted([new TypeError('fetch failed'), new TypeError('fetch failed')]);
    const during = new AbortController();
    setTimeout(() => during.abort(), 100);
    const started = Date.now();
    await expect(client(second.fetch).viewer({ signal: during.signal })).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(400);
    expect(second.calls).toHaveLength(1);
  });

  it('refuses a server of another major API version in one clear error', async () => {
    const { fetch } = scripted([ok({ viewer: { scopes: [], workspace: { id: 'w', name: 'n' } } }, { 'brightrun-api-version': '2.0.0' })]);
    const error = await client(fetch).viewer().catch((e) => e);
    expect(error).toBeInstanceOf(APIVersionMismatchError);
    expect(error.message).toMatch(/server speaks BrightRun API 2\.0\.0; this SDK .* generated for API 1\./);
    const unknownField = scripted([new Response(JSON.stringify({ errors: [{ message: 'Cannot query field "viewer" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }), { status: 400, headers: { 'brightrun-api-version': '1.3.0' } })]);
    await expect(client(unknownField.fetch).viewer()).rejects.toThrow(/does not understand this SDK's request \(SDK generated for API 1\.\d+\.\d+, server 1\.3\.0\)/);
  });

  it('reads the key and address from the environment, and says how to fix a missing key', () => {
    const saved = { key: process.env.BRIGHTRUN_API_KEY, url: process.env.BRIGHTRUN_BASE_URL };
    try {
      delete process.env.BRIGHTRUN_API_KEY;
      expect(() => new BrightRun()).toThrow(/BRIGHTRUN_API_KEY/);
      process.env.BRIGHTRUN_API_KEY = 'brk_env';
      process.env.BRIGHTRUN_BASE_URL = 'https://api.example.com/';
      const br = new BrightRun();
      expect(br.transport.apiKey).toBe('brk_env');
      expect(br.transport.graphqlUrl).toBe('https://api.example.com/graphql');
      expect(br.transport.websocketUrl).toBe('wss://api.example.com/graphql');
      expect(() => new BrightRun({ baseUrl: 'ftp://x' })).toThrow(/http/);
    } finally {
      if (saved.key === undefined) delete process.env.BRIGHTRUN_API_KEY;
      else process.env.BRIGHTRUN_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.BRIGHTRUN_BASE_URL;
      else process.env.BRIGHTRUN_BASE_URL = saved.url;
    }
  });

  it('parses Retry-After as seconds, as an HTTP date, and as retry-after-ms; backoff grows with jitter and a cap', () => {
    const now = Date.parse('2026-11-30T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 30 Nov 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({}), now)).toBeUndefined();
    expect(retryDelayMs(1, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(2, undefined, () => 0)).toBe(1000);
    expect(retryDelayMs(2, undefined, () => 1)).toBe(750);
    expect(retryDelayMs(10, undefined, () => 0)).toBe(8000);
    expect(retryDelayMs(1, 2500)).toBe(2500);
    expect(retryDelayMs(1, 120_000, () => 0)).toBe(500);
  });
});
