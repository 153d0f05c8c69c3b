// Creates another workspace and prints its admin key once. Usage: npm run workspace:create -- "Team name"
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/client.js';
import { createWorkspace } from '../src/auth/bootstrap.js';

const name = process.argv.slice(2).join(' ').trim();
if (!name) {
  console.error('usage: npm run workspace:create -- "<workspace name>"');
  process.exit(2);
}
const config = loadConfig();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  const { workspaceId, adminKey } = await createWorkspace(db.prisma, name);
  console.log(`workspace ${workspaceId} "${name}"\nadmin key (shown once): ${adminKey}`);
} finally {
  await db.close();
}
