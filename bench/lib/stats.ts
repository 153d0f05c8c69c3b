import net from 'node:net';

export const median = (values: number[]) => percentile(values, 50);

/** Nearest-rank percentile of `values` (not mutated). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A TCP port free on the loopback interface right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `work` `times` times (stopping early past `budgetMs`), returning each duration in ms. */
export async function timeRuns(times: number, budgetMs: number, work: () => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  const deadline = Date.now() + budgetMs;
  for (let i = 0; i < times && Date.now() < deadline; i++) {
    const started = performance.now();
    await work();
    durations.push(performance.now() - started);
  }
  return durations;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')}/s`;
/** ours / theirs, with enough digits to stay readable when far from 1. */
export function ratio(ours: number, theirs: number): string {
  const value = ours / theirs;
  return `${value >= 0.1 ? value.toFixed(2) : value.toPrecision(2)}×`;
}
