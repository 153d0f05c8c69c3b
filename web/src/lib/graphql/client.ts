import { Client, CombinedError, fetchExchange, mapExchange, subscriptionExchange, type AnyVariables, type OperationResult, type TypedDocumentNode } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { connection } from '$lib/state/connection.svelte';
import { apiBudget } from '$lib/state/api-budget.svelte';
import { CSRF_HEADER } from '$lib/api/session';

/**
 * One urql client for the app: HTTP for queries and mutations, graphql-ws for subscriptions, both
 * authenticated by the session cookie (the CSRF header on HTTP; the socket's handshake carries the
 * cookie). An UNAUTHENTICATED answer sends the user to sign-in and back afterwards.
 */
let ws: WsClient | undefined;
let onUnauthenticated: (message: string) => void = () => undefined;

export function handleUnauthenticated(handler: (message: string) => void) {
  onUnauthenticated = handler;
}

function socket(): WsClient {
  ws ??= createWsClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    keepAlive: 20_000,
    retryAttempts: Infinity,
    shouldRetry: (event) => (event as CloseEvent)?.code !== 4403,
    retryWait: async (retries) => new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** retries) * (0.5 + Math.random() / 2))),
    on: {
      connected: () => connection.set('live'),
      closed: (event) => {
        const close = event as CloseEvent;
        if (close?.code === 4403) onUnauthenticated(close.reason);
        connection.set('down');
      },
      connecting: () => connection.set(connection.state === 'live' ? 'reconnecting' : connection.state),
    },
  });
  return ws;
}

/** Every API answer carries the key's remaining budget (RateLimit-* headers): the status bar shows it. */
const counted =
  (base?: typeof fetch): typeof fetch =>
  async (input, init) => {
    const response = await (base ?? fetch)(input, init);
    apiBudget.fromHeaders(response.headers);
    return response;
  };

export const client = new Client({
  url: '/graphql',
  fetch: counted(),
  preferGetMethod: false,
  requestPolicy: 'network-only',
  fetchOptions: () => ({ credentials: 'same-origin', headers: { [CSRF_HEADER]: '1' } }),
  exchanges: [
    mapExchange({
      onError(error: CombinedError) {
        const code = error.graphQLErrors.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
        if (code || error.response?.status === 401) onUnauthenticated(code?.message ?? 'Please sign in again');
      },
    }),
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? '' };
        return {
          subscribe(sink) {
            const dispose = socket().subscribe(input, sink);
            return { unsubscribe: dispose };
          },
        };
      },
    }),
  ],
});

/** Closes the socket (sign-out): the next subscription opens a new one with the new cookie. */
export function closeSocket() {
  void ws?.dispose();
  ws = undefined;
  connection.set('idle');
}

/** A query's data, or a thrown Error with the server's message (for load functions). */
export async function query<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables, fetcher?: typeof fetch): Promise<Data> {
  const result: OperationResult<Data, Variables> = await client.query(document, variables, fetcher ? { fetch: counted(fetcher) } : undefined).toPromise();
  if (result.error) throw new Error(messageOf(result.error));
  return result.data as Data;
}

export async function mutate<Data, Variables extends AnyVariables>(document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Data> {
  const result = await client.mutation(document, variables).toPromise();
  if (result.error) throw new Error(messageOf(result.error));
  return result.data as Data;
}

export function messageOf(error: CombinedError): string {
  return error.graphQLErrors[0]?.message ?? (error.networkError ? `Cannot reach the server: ${error.networkError.message}` : error.message);
}
