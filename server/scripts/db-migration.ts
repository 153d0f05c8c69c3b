// Writes prisma/migrations/<timestamp>_<name>/migration.sql: what turns the migrated database into
// schema.prisma. Usage: npm run db:migration -- <name>   (needs a Postgres server: TEST_DATABASE_URL
// or the local one). Prisma's own `migrate dev` needs a native engine we cannot download.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, migrate } from '../src/db/migrate.js';
import { driftScript, introspectionAdapter } from '../src/db/schema-engine.js';
import { sqlRunnerForPool } from '../src/db/sql.js';
import { createTempDatabase } from '../src/db/temp-database.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (name: lowercase letters, digits and _)');
  process.exit(2);
}
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const temp = await createTempDatabase(serverUrl, 'migration');
try {
  const pool = new pg.Pool({ connectionString: temp.url });
  await migrate(sqlRunnerForPool(pool));
  await pool.end();
  const adapter = introspectionAdapter(temp.url);
  const sql = await driftScript(adapter.factory).finally(() => adapter.close());
  if (!sql) {
    console.log('schema.prisma and the migrations agree: nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), sql.endsWith('\n') ? sql : `${sql}\n`);
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await temp.drop();
}
