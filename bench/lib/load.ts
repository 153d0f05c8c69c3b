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
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
