import { createHash } from 'node:crypto';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';

/** Options of one statement. */
export interface QueryOptions {
  /**
   * A statement a hot path sends again and again (the trainer report, the job read): on Postgres
   * it is prepared once per connection under a name derived from its text, so the server parses
   * it once instead of on every call. PGlite: no effect.
   */
  prepare?: boolean;
}

/**
 * The few raw-SQL needs (migrations, multi-row upserts, downsampling) on both backends. Prisma
 * covers everything else; this exists because multi-statement scripts and `unnest`-style bulk
 * statements need the driver itself.
 */
export interface SqlRunner {
  /** Runs a script that may hold several statements; no parameters. */
  exec(script: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
  /** Runs `work` on one connection inside BEGIN/COMMIT (ROLLBACK on error). */
  transaction<T>(work: (tx: Omit<SqlRunner, 'transaction'>) => Promise<T>): Promise<T>;
}

const statementNames = new Map<string, string>();
/** One name per statement text (a pg connection refuses a name reused for another text). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= 1000) statementNames.clear(); // texts are few; this only bounds a mistake
    name = `br_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}
const poolQuery = (text: string, values: unknown[], options?: QueryOptions): pg.QueryConfig => (options?.prepare ? { name: statementName(text), text, values } : { text, values });

export function sqlRunnerForPool(pool: pg.Pool): SqlRunner {
  return {
    async exec(script) {
      await pool.query(script);
    },
    async query<T>(text: string, params: unknown[] = [], options?: QueryOptions) {
      return (await pool.query(poolQuery(text, params, options))).rows as T[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({
          exec: async (script) => void (await client.query(script)),
          query: async <T>(text: string, params: unknown[] = [], options?: QueryOptions) => (await client.query(poolQuery(text, params, options))).rows as T[],
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
