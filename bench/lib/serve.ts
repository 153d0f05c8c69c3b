// The API server as its own process for the benchmark (run by metrics.bench.ts with tsx), so
// the load generator's clients do not share its event loop. Prints {"url": …} once listening.
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config/config.js';

const app = buildApp(loadConfig(process.env), (line) => console.error(line));
const started = await app.start();
console.log(JSON.stringify({ url: started.url, workspaceId: started.bootstrap.workspaceId }));
const stop = async () => {
  await app.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
