import { describe, expect, it } from 'vitest';
import { HeavyOperations, TooManyHeavyOperationsError } from './heavy.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('HeavyOperations', () => {
  it('runs at most perWorkspace at once per workspace; the rest wait their turn, then run', async () => {
    const heavy = new HeavyOperations({ perWorkspace: 2, total: 10, queuePerWorkspace: 5, maxWaitMs: 5_000 });
    const g = gate();
    let peak = 0;
    const work = async () => {
      peak = Math.max(peak, heavy.inFlight('ws_a'));
      await g.opened;
      return 'done';
    };
    const all = Promise.all(Array.from({ length: 5 }, () => heavy.run('ws_a', 'metric history', work)));
    await new Promise((r) => setTimeout(r, 20));
    expect(heavy.inFlight('ws_a')).toBe(2);
    g.open();
    expect(await all).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(peak).toBe(2);
    expect(heavy.inFlight()).toBe(0);
  });

  it('refuses at once when the workspace queue is full, naming the limit and a retry hint', async () => {
    const heavy = new HeavyOperations({ perWorkspace: 1, total: 10, queuePerWorkspace: 1, maxWaitMs: 5_000 });
    const g = gate();
    const first = heavy.run('ws_a', 'metrics export', () => g.opened);
    const second = heavy.run('ws_a', 'metrics export', () => g.opened);
    let ran = false;
    const third = heavy.run('ws_a', 'metrics export', async () => void (ran = true));
    await expect(third).rejects.toBeInstanceOf(TooManyHeavyOperationsError);
    await expect(third).rejects.toMatchObject({ code: 'TOO_MANY_HEAVY_OPERATIONS', scope: 'workspace', limit: 1, retryAfterSeconds: 5 });
    expect(ran).toBe(false);
    // Another workspace is not held up by this one.
    await expect(heavy.run('ws_b', 'metrics export', async () => 'b')).resolves.toBe('b');
    g.open();
    await Promise.all([first, second]);
  });

  it('refuses a waiter whose wait runs out, and frees its place in the queue', async () => {
    const heavy = new HeavyOperations({ perWorkspace: 1, total: 10, queuePerWorkspace: 4, maxWaitMs: 50 });
    const g = gate();
    const first = heavy.run('ws_a', 'metric history', () => g.opened);
    const started = Date.now();
    await expect(heavy.run('ws_a', 'metric history', async () => 'late')).rejects.toThrow(/at most 1 run together/);
    expect(Date.now() - started).toBeLessThan(2_000);
    g.open();
    await first;
    await expect(heavy.run('ws_a', 'metric history', async () => 'now')).resolves.toBe('now');
  });

  it('bounds the whole server across workspaces', async () => {
    const heavy = new HeavyOperations({ perWorkspace: 5, total: 3, queuePerWorkspace: 0, maxWaitMs: 1_000 });
    const g = gate();
    const running = ['ws_a', 'ws_b', 'ws_c'].map((ws) => heavy.run(ws, 'metric history', () => g.opened));
    await expect(heavy.run('ws_d', 'metric history', async () => 'x')).rejects.toMatchObject({ scope: 'server', limit: 3 });
    g.open();
    await Promise.all(running);
    expect(heavy.inFlight()).toBe(0);
  });

  it('releases the slot when the work fails', async () => {
    const heavy = new HeavyOperations({ perWorkspace: 1, total: 1, queuePerWorkspace: 0, maxWaitMs: 0 });
    await expect(heavy.run('ws_a', 'metrics export', async () => { throw new Error('disk full'); })).rejects.toThrow('disk full');
    await expect(heavy.run('ws_a', 'metrics export', async () => 'ok')).resolves.toBe('ok');
  });
});
