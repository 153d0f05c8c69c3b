import { createClient } from 'graphql-ws/client';
import { AbortError, APIError, AuthenticationError, ConnectionError, errorFromResponse, RateLimitError, type GraphQLErrorData } from '../errors.js';
import type { Transport, TypedDocument } from './transport.js';

/**
 * One graphql-ws subscription on its own socket: yields each `data`, returns when the server
 * completes it, throws the SDK error when it fails. A dropped socket throws ConnectionError (the
 * caller decides whether to resume); a refused key AuthenticationError; a GraphQL error (e.g.
 * NOT_FOUND for an unknown id) the matching APIError.
 */
export async function* subscribeOnce<TResult, TVariables>(transport: Transport, document: TypedDocument<TResult, TVariables>, variables: TVariables, signal?: AbortSignal): AsyncGenerator<TResult> {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
  const webSocketImpl = await transport.webSocketImpl();
  const queue: TResult[] = [];
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const client = createClient({
    url: transport.websocketUrl,
    webSocketImpl,
    connectionParams: { authorization: `Bearer ${transport.apiKey}` },
    lazy: true,
    retryAttempts: 0,
    // Pings keep idle proxies from closing a quiet stream (a job between reports).
    keepAlive: 15_000,
    on: {
      closed: (event) => {
        if (done) return;
        failure ??= closeError(event as { code?: number; reason?: string });
        notify();
      },
    },
  });
  const onAbort = () => {
    failure ??= new AbortError(undefined, { cause: signal!.reason });
    notify();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const unsubscribe = client.subscribe<TResult>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) {
          failure ??= errorFromResponse(200, result.errors as GraphQLErrorData[], undefined);
        } else if (result.data) queue.push(result.data as TResult);
        notify();
      },
      error: (error) => {
        failure ??= Array.isArray(error) ? errorFromResponse(200, error as GraphQLErrorData[], undefined) : error instanceof Error ? new ConnectionError(`The live stream failed: ${error.message}`, { cause: error }) : closeError(error as { code?: number; reason?: string });
        notify();
      },
      complete: () => {
        done = true;
        notify();
      },
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    done = true;
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
    void client.dispose();
  }
}

function closeError(event: { code?: number; reason?: string } | undefined): Error {
  const code = event?.code ?? 0;
  const reason = event?.reason ? `: ${event.reason}` : '';
  if (code === 4403 || code === 4401) return new AuthenticationError(`The server refused the API key for the live stream${reason}`, { code: 'UNAUTHENTICATED', status: 401 });
  if (code === 4400 || code === 4406) return new APIError(`The server refused the live stream (close code ${code})${reason}`, { code: `WS_${code}` });
  return new ConnectionError(`The live stream's connection closed (code ${code || 'none'})${reason}`);
}

/** Whether a stream failure is worth reconnecting for (the network, a rate limit), not a refusal. */
export function isResumable(error: unknown): boolean {
  return error instanceof ConnectionError || error instanceof RateLimitError;
}

/** The wait the server asked for before reconnecting, when it did (a rate limit). */
export function askedWaitMs(error: unknown): number | undefined {
  return error instanceof RateLimitError ? error.retryAfterMs : undefined;
}
