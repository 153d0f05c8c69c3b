import type { SqlRunner } from './sql.js';

/**
 * Runs `work` while no other `work` for the same workspace runs: in this process (a promise chain
 * per workspace) and, on Postgres, across server instances (a transaction-scoped advisory lock
 * held while `work` runs; what `work` writes through other connections is committed before the
 * lock frees, so the next holder reads it). PGlite is one process, so the chain is enough there
 * (and a PGlite transaction would block the other queries `work` makes).
 */
export type WorkspaceLock = <T>(workspaceId: string, work: () => Promise<T>) => Promise<T>;

export function createWorkspaceLock(sql: SqlRunner, kind: 'postgres' | 'pglite', name: string): WorkspaceLock {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(workspaceId: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(workspaceId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() =>
      kind === 'postgres'
        ? sql.transaction(async (tx) => {
            await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`brightrun:${name}:${workspaceId}`]);
            return work();
          })
        : work(),
    );
    tails.set(workspaceId, run);
    try {
      return await run;
    } finally {
      if (tails.get(workspaceId) === run) tails.delete(workspaceId);
    }
  };
}
