import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throw-away Postgres database on the server named by `serverUrl` (tests, drift checks):
 * every suite gets its own, so suites can run side by side.
 */
export async function createTempDatabase(serverUrl: string, label = 'tmp'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `brightrun_${label}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
