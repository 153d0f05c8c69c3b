// The real server, started in-process on port 0 the way the server's own suites start it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { BrightRun, type ClientOptions } from '../src/index.js';

export { startTestServer, type TestServer };

export const SAMPLE_JSON = fileURLToPath(new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.json', import.meta.url));
export const SAMPLE_JSONL = fileURLToPath(new URL('../../../shared/data/brightrun-v4/EQ-12-conversations-demo.jsonl', import.meta.url));

/** A demo-provider server whose simulated jobs run for seconds, not hours. */
export function startDemoServer(env: Record<string, string> = {}) {
  return startTestServer('pglite', { BRIGHTRUN_PROVIDER: 'demo', BRIGHTRUN_DEMO_SPEEDUP: '20000', BRIGHTRUN_SUPERVISOR_TICK_MS: '100', ...env });
}

export function clientFor(server: TestServer, options: ClientOptions = {}) {
  return new BrightRun({ apiKey: server.adminKey, baseUrl: server.url, ...options });
}

export const readSample = () => readFile(SAMPLE_JSON);
