import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a test receiver got: headers lower-cased, body as the raw text. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export type Responder = (request: ReceivedRequest, index: number) => Promise<{ status: number; headers?: Record<string, string> }> | { status: number; headers?: Record<string, string> };

/**
 * A real HTTP server on 127.0.0.1:0 that records what it receives, for delivery tests. The
 * responder decides each answer (fail, delay, succeed); by default every request gets 200.
 */
export async function startReceiver(responder: Responder = () => ({ status: 200 })) {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      const index = requests.push(request) - 1;
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
      try {
        const answer = await responder(request, index);
        res.writeHead(answer.status, answer.headers).end();
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    /** Resolves when at least `count` requests have arrived. */
    received(count: number) {
      return requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
