import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';

/**
 * The few raw-SQL needs (migrations, multi-row upserts, downsampling) on both backends. Prisma
 * covers everything else; this exists because multi-statement scripts and `unnest`-style bulk
 * statements need the driver itself.
 */
export interface SqlRunner {
  /** Runs a script that may hold several statements; no parameters. */
  exec(script: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` on one connection inside BEGIN/COMMIT (ROLLBACK on error). */
  transaction<T>(work: (tx: Omit<SqlRunner, 'transaction'>) => Promise<T>): Promise<T>;
}

export function sqlRunnerForPool(pool: pg.Pool): SqlRunner {
  return {
    async exec(script) {
      await pool.query(script);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          exec: async (script) => void (await client.query(script)),
          query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

export function sqlRunnerForPGlite(db: PGlite): SqlRunner {
  const runner = {
    async exec(script: string) {
      await db.exec(script);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
  };
  return {
    ...runner,
    async transaction(work) {
      return db.transaction(async (tx) =>
        work({
          exec: async (script) => void (await tx.exec(script)),
          query: async <T>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows,
        }),
      );
    },
  };
}
