import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * `fetch`, except that requests with a streamed body go through node:http(s).
 *
 * Node's built-in fetch (undici 6) keeps every chunk of a streamed request body reachable until
 * the request finishes, so a 5 GB checkpoint upload would need 5 GB of memory
 * (https://github.com/nodejs/undici/issues/4058). node:http honours backpressure and frees each
 * chunk once written. Everything else is passed to the real fetch untouched.
 */
export const streamingFetch: typeof fetch = async (input, init) => {
  const body: unknown = init?.body;
  const isWebStream = body instanceof ReadableStream;
  const isNodeStream = body instanceof Readable;
  if (!isWebStream && !isNodeStream) return fetch(input, init);

  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = init?.method ?? 'POST';
  const headers = Object.fromEntries(new Headers(init?.headers).entries());
  const source = isWebStream ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : (body as Readable);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<Response>((resolve, reject) => {
    const req = send(url, { method, headers, ...(init?.signal && { signal: init.signal }) }, (res) => {
      resolve(toResponse(res, method));
    });
    // Rejecting after the response arrived is a no-op: the server answered early (e.g. 401), and
    // that answer is what the caller should see.
    req.once('error', (error) => reject(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
    pipeline(source, req).catch((error: Error) =>
      reject(new TypeError(`fetch failed while sending the body: ${error.message}`, { cause: error })),
    );
  });
};

function toResponse(res: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const status = res.statusCode ?? 502;
  const empty = method === 'HEAD' || status === 204 || status === 304;
  if (empty) res.resume();
  const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}
