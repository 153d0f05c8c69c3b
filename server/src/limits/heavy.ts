/**
 * A bound on operations that cost a lot of memory, CPU or database time at once (metric CSV
 * exports, metric history with many points; pages of conversation pairs have their own byte
 * budgets in schema/datasets.ts): at most `perWorkspace`
 * run at the same time for one workspace and `total` for the whole server. A caller over the bound
 * waits a short while for a slot (a burst of a few aliases is served in turn); when the queue is
 * full or the wait runs out it is refused with `TooManyHeavyOperationsError` and a retry hint,
 * before any of the work starts.
 *
 * The bound is per server process: N instances allow N times as much.
 */
export interface HeavyLimits {
  perWorkspace: number;
  total: number;
  /** Callers that may wait for a slot, per workspace; one more is refused at once. */
  queuePerWorkspace: number;
  /** How long a caller waits for a slot before it is refused. */
  maxWaitMs: number;
}

export const DEFAULT_HEAVY_LIMITS: HeavyLimits = { perWorkspace: 4, total: 12, queuePerWorkspace: 8, maxWaitMs: 2_000 };

export type HeavyKind = 'metrics export' | 'metric history';

export class TooManyHeavyOperationsError extends Error {
  readonly code = 'TOO_MANY_HEAVY_OPERATIONS';
  constructor(
    readonly kind: HeavyKind,
    readonly scope: 'workspace' | 'server',
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      scope === 'workspace'
        ? `Too many heavy operations at once in this workspace (${kind}): at most ${limit} run together. Retry in ${retryAfterSeconds} s, or ask for less (fewer aliases, a smaller page or maxPoints).`
        : `The server is running its limit of ${limit} heavy operations (${kind}). Retry in ${retryAfterSeconds} s.`,
    );
  }
}

interface Waiter {
  workspaceId: string;
  grant: () => void;
}

export class HeavyOperations {
  private readonly running = new Map<string, number>();
  private runningTotal = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limits: HeavyLimits = DEFAULT_HEAVY_LIMITS) {}

  /** Runs `work` when a slot is free for the workspace and the server; refuses if none frees up in time. */
  async run<T>(workspaceId: string, kind: HeavyKind, work: () => Promise<T>): Promise<T> {
    await this.acquire(workspaceId, kind);
    try {
      return await work();
    } finally {
      this.release(workspaceId);
    }
  }

  /** Now running, for a workspace or (without one) the whole server. */
  inFlight(workspaceId?: string): number {
    return workspaceId ? (this.running.get(workspaceId) ?? 0) : this.runningTotal;
  }

  private free(workspaceId: string): boolean {
    return this.runningTotal < this.limits.total && (this.running.get(workspaceId) ?? 0) < this.limits.perWorkspace;
  }

  private take(workspaceId: string) {
    this.running.set(workspaceId, (this.running.get(workspaceId) ?? 0) + 1);
    this.runningTotal++;
  }

  private async acquire(workspaceId: string, kind: HeavyKind): Promise<void> {
    if (this.free(workspaceId) && !this.waiting.some((w) => w.workspaceId === workspaceId)) {
      this.take(workspaceId);
      return;
    }
    const scope = (this.running.get(workspaceId) ?? 0) >= this.limits.perWorkspace ? 'workspace' : 'server';
    const limit = scope === 'workspace' ? this.limits.perWorkspace : this.limits.total;
    const retryAfterSeconds = Math.max(1, Math.ceil(this.limits.maxWaitMs / 1000));
    const queued = this.waiting.filter((w) => w.workspaceId === workspaceId).length;
    if (queued >= this.limits.queuePerWorkspace || this.limits.maxWaitMs <= 0) throw new TooManyHeavyOperationsError(kind, scope, limit, retryAfterSeconds);
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        workspaceId,
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new TooManyHeavyOperationsError(kind, scope, limit, retryAfterSeconds));
      }, this.limits.maxWaitMs);
      this.waiting.push(waiter);
    });
  }

  private release(workspaceId: string) {
    const now = (this.running.get(workspaceId) ?? 1) - 1;
    if (now === 0) this.running.delete(workspaceId);
    else this.running.set(workspaceId, now);
    this.runningTotal--;
    // Grant freed slots to waiters in arrival order, skipping those whose workspace is still full.
    for (let i = 0; i < this.waiting.length && this.runningTotal < this.limits.total; ) {
      const waiter = this.waiting[i]!;
      if (this.free(waiter.workspaceId)) {
        this.waiting.splice(i, 1);
        this.take(waiter.workspaceId);
        waiter.grant();
      } else {
        i++;
      }
    }
  }
}
