import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStorage } from './local.js';
import { createLocalFileRoutes } from './local-routes.js';

/** For tests: a LocalStorage in a temp folder, its links served by a real HTTP server on port 0. */
export async function startLocalFileServer(options: { now?: () => number } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'brightrun-storage-'));
  let routes: ReturnType<typeof createLocalFileRoutes> | undefined;
  const server = createServer((req, res) => {
    void routes?.(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not a file route');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const storage = new LocalStorage({ root, publicUrl: baseUrl, secret: randomBytes(32), ...options });
  routes = createLocalFileRoutes(storage);
  return {
    storage,
    root,
    baseUrl,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
