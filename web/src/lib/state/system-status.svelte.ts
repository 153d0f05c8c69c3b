import { query } from '$lib/graphql/client';
import { SystemStatusQuery } from '$lib/graphql/status';
import type { SystemStatusQuery as SystemStatusData } from '$lib/graphql/generated/graphql';
import { apiBudget } from './api-budget.svelte';
import type { ConnectionState } from './connection.svelte';

export type SystemStatus = SystemStatusData['systemStatus'];

/** The status bar re-reads this often while the tab is visible (the server caches RunPod's answer as long). */
export const STATUS_POLL_MS = 60_000;

/**
 * The status bar's state: systemStatus every 60 s while the tab is visible, at once when the tab
 * comes back or the live socket reconnects. A failed read keeps the last answer and says so.
 */
class SystemStatusState {
  status = $state<SystemStatus | null>(null);
  /** The last read's failure; null after a good one. */
  error = $state<string | null>(null);
  loading = $state(false);

  #timer: ReturnType<typeof setInterval> | undefined;
  #stops: (() => void)[] = [];
  #lastConnection: ConnectionState = 'idle';

  start() {
    this.stop();
    void this.refresh();
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        void this.refresh();
        this.#schedule();
      } else this.#unschedule();
    };
    document.addEventListener('visibilitychange', onVisibility);
    this.#stops.push(() => document.removeEventListener('visibilitychange', onVisibility));
    this.#schedule();
  }

  stop() {
    this.#unschedule();
    for (const stop of this.#stops.splice(0)) stop();
  }

  /** Called when the live socket's state changes: a reconnect re-reads at once. */
  connectionChanged(next: ConnectionState) {
    const before = this.#lastConnection;
    this.#lastConnection = next;
    if (next === 'live' && (before === 'reconnecting' || before === 'down')) void this.refresh();
  }

  async refresh() {
    if (this.loading) return;
    this.loading = true;
    try {
      const data = await query(SystemStatusQuery, {});
      this.status = data.systemStatus;
      apiBudget.set(data.systemStatus.apiBudget ?? null);
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message || 'Status unavailable';
    } finally {
      this.loading = false;
    }
  }

  #schedule() {
    this.#unschedule();
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    this.#timer = setInterval(() => void this.refresh(), STATUS_POLL_MS);
  }

  #unschedule() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

export const systemStatus = new SystemStatusState();
