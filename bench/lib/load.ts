import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** `concurrency` clients each sending `request` back to back for `seconds`; completed requests per second. */
export async function closedLoop(request: () => Promise<void>, options: { concurrency: number; seconds: number }) {
  const until = performance.now() + options.seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < until) {
        try {
          await request();
          done += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requests: done, failed, seconds, perSecond: done / seconds };
}

/** A script run with tsx in its own process; resolves with the JSON of its first stdout line. */
export async function spawnJsonServer(script: string, env: Record<string, string> = {}, nodeOptions: string[] = []) {
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', (first) => {
      clearTimeout(timer);
      resolve(first);
    });
  });
  return {
    info: JSON.parse(line) as { url: string },
    pid: child.pid!,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * CPU seconds used so far by each Postgres backend serving the database `pool` connects to
 * (from /proc: Postgres on this host). Subtract two readings with `backendCpuSince`.
 */
export async function backendCpu(pool: { query: (text: string) => Promise<{ rows: { pid: number }[] }> }): Promise<Map<number, number>> {
  const { rows } = await pool.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuSecondsOf(pid));
    } catch {
      // exited meanwhile
    }
  }
  return cpu;
}

/** Postgres CPU seconds between two readings (backends that started meanwhile count from zero; ones that ended are lost). */
export function backendCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
