import pg from 'pg';

/**
 * Which server instance runs singleton work (the supervisor). On Postgres: whoever holds a
 * session-level advisory lock, on a connection of its own; if that instance dies, its session
 * ends, the lock frees and another instance takes over at its next check. PGlite is one process.
 */
export interface Leadership {
  isLeader(): Promise<boolean>;
  close(): Promise<void>;
}

export const soleLeadership: Leadership = { isLeader: async () => true, close: async () => undefined };

export function postgresLeadership(connectionString: string, lockName: string, log: (line: string) => void = () => undefined): Leadership {
  let client: pg.Client | undefined;
  let leader = false;
  const drop = () => {
    if (leader) log(`lost the ${lockName} lock (database connection closed); another instance may take over`);
    leader = false;
    const old = client;
    client = undefined;
    void old?.end().catch(() => undefined);
  };
  return {
    async isLeader() {
      if (leader && client) return true;
      try {
        if (!client) {
          client = new pg.Client({ connectionString });
          client.on('error', drop);
          client.on('end', drop);
          await client.connect();
        }
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`brightrun:${lockName}`]);
        leader = rows[0]?.locked === true;
        return leader;
      } catch {
        drop();
        return false;
      }
    },
    async close() {
      leader = false;
      const old = client;
      client = undefined;
      await old?.end().catch(() => undefined);
    },
  };
}
