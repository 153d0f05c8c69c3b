import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const app = buildApp(config);
const started = await app.start().catch((error: Error) => {
  console.error(`BrightRun LoRA could not start: ${error.message}`);
  process.exit(1);
});

const { url, services, bootstrap, dashboard } = started;
console.log(`BrightRun LoRA API   ${url}/graphql${config.production ? '' : '  (GraphiQL in the browser)'}`);
console.log(`  dashboard          ${url}/${dashboard ? '' : `  (not built: run "npm run build -w web"; looked in ${config.webDir})`}`);
console.log(`  subscriptions      ${url.replace(/^http/, 'ws')}/graphql (graphql-ws; also /graphql/ws)`);
console.log(`  trainer endpoint   ${url}/trainer/graphql (training pods, job tokens only)`);
console.log(`  health             ${url}/healthz · ${url}/readyz`);
const dataDir = path.resolve(config.dataDir);
console.log(`  database           ${services.db.kind === 'pglite' ? `embedded PGlite in ${path.join(dataDir, 'pglite')}` : 'Postgres (DATABASE_URL)'}`);
console.log(`  storage            ${services.storage.kind === 'local' ? `local folder ${path.join(dataDir, 'storage')}` : 'Supabase Storage'}`);
console.log(`  pub/sub            ${config.redisUrl ? 'Redis (REDIS_URL)' : 'in-process'}`);
for (const provider of services.providers.list()) {
  const needs = provider.setupHint ? " (uses each workspace's own API key from Settings; none on the server)" : '';
  console.log(`  training provider  ${provider.name}${provider.simulated ? ' (simulated jobs, labelled as such)' : ''}${provider.isDefault ? ' (default)' : ''}${needs}`);
}
if (bootstrap.generatedAdminKey) {
  console.log('');
  console.log('  Admin API key (shown once; store it now):');
  console.log(`    ${bootstrap.generatedAdminKey}`);
  console.log('  Use it as: Authorization: Bearer <key>');
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests and closing…`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  });
}
