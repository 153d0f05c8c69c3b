import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { migrate, type MigrateResult } from './migrate.js';
import { sqlRunnerForPGlite, sqlRunnerForPool, type SqlRunner } from './sql.js';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  sql: SqlRunner;
  /** 'postgres' when DATABASE_URL is set, else the embedded PGlite. */
  kind: 'postgres' | 'pglite';
  migration: MigrateResult;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres connection string; absent → PGlite stored in `<dataDir>/pglite`. */
  url?: string;
  dataDir: string;
  /** `memory://` PGlite for tests that need no file. */
  inMemory?: boolean;
}

/** Opens the database and applies pending migrations before anything else touches it. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on the next query.
    pool.on('error', (error) => console.error(`database connection lost: ${error.message}`));
    try {
      const sql = sqlRunnerForPool(pool);
      const migration = await migrate(sql);
      const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
      return {
        prisma,
        sql,
        kind: 'postgres',
        migration,
        async close() {
          await prisma.$disconnect();
          await pool.end();
        },
      };
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new Error(`Cannot open the database at DATABASE_URL: ${(error as Error).message}`, { cause: error });
    }
  }
  let dataDir = 'memory://';
  if (!options.inMemory) {
    dataDir = path.join(options.dataDir, 'pglite');
    await mkdir(dataDir, { recursive: true });
  }
  const db = await PGlite.create(dataDir);
  const sql = sqlRunnerForPGlite(db);
  const migration = await migrate(sql);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    prisma,
    sql,
    kind: 'pglite',
    migration,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
