import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { migrate, readMigrations } from './migrate.js';
import { driftScript, introspectionAdapter } from './schema-engine.js';
import { sqlRunnerForPGlite, sqlRunnerForPool } from './sql.js';
import { createTempDatabase } from './temp-database.js';

const postgres = process.env.TEST_DATABASE_URL;

describe('migrations', () => {
  it.runIf(Boolean(postgres))('leave Postgres exactly as schema.prisma describes (no drift)', async () => {
    const temp = await createTempDatabase(postgres!, 'drift');
    const pool = new pg.Pool({ connectionString: temp.url });
    pool.on('error', () => undefined);
    const adapter = introspectionAdapter(temp.url);
    try {
      await migrate(sqlRunnerForPool(pool));
      const drift = await driftScript(adapter.factory);
      expect(drift, 'schema.prisma changed without a migration: run `npm run db:migration -- <name>`').toBe('');
    } finally {
      await adapter.close();
      await pool.end();
      await temp.drop();
    }
  });

  it('apply on PGlite, record themselves as Prisma does, and are idempotent', async () => {
    const db = await PGlite.create('memory://');
    const sql = sqlRunnerForPGlite(db);
    const all = await readMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(await migrate(sql)).toEqual({ applied: all.map((m) => m.name), alreadyApplied: 0 });
    expect(await migrate(sql)).toEqual({ applied: [], alreadyApplied: all.length });
    const rows = await sql.query<{ migration_name: string; checksum: string }>('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows).toEqual(all.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    await db.close();
  });

  it('refuse an applied migration that was edited afterwards', async () => {
    const db = await PGlite.create('memory://');
    const sql = sqlRunnerForPGlite(db);
    const all = await readMigrations();
    await migrate(sql, all);
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migrate(sql, edited)).rejects.toThrow(/was changed after it was applied/);
    await db.close();
  });

  it('roll back entirely when a migration fails', async () => {
    const db = await PGlite.create('memory://');
    const sql = sqlRunnerForPGlite(db);
    const all = await readMigrations();
    const broken = [...all, { name: '99990101000000_broken', sql: 'CREATE TABLE "Half" (id int); SELECT no_such_function();', checksum: 'x' }];
    await expect(migrate(sql, broken)).rejects.toThrow();
    const tables = await sql.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables).toEqual([]);
    await db.close();
  });
});
