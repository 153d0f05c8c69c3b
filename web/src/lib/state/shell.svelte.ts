import { pipe, subscribe } from 'wonka';
import { client, mutate, query } from '$lib/graphql/client';
import { useFragment, type FragmentType } from '$lib/graphql/generated';
import type { ActiveJobFieldsFragment, NotificationFieldsFragment, ShellQuery as ShellData } from '$lib/graphql/generated/graphql';
import {
  ActiveJobFields,
  ActiveTrainingJobsQuery,
  ActiveTrainingJobsSubscription,
  MarkNotificationsReadMutation,
  NotificationAddedSubscription,
  NotificationFields,
  NotificationsQuery,
  ShellQuery,
} from '$lib/graphql/shell';
import { connection } from './connection.svelte';

export type ActiveJob = ActiveJobFieldsFragment;
export type ShellNotification = NotificationFieldsFragment;
type Spend = Extract<ShellData['spend'], { __typename?: 'SpendSuccess' }> extends { spend: infer S } ? S : never;

/** How often the shell re-reads when the live socket is down (the spec's 60 s, as a fallback only). */
export const FALLBACK_POLL_MS = 60_000;
const NOTIFICATIONS_SHOWN = 20;

/**
 * The shell's live state: sidebar badges, the active-training indicator (activeTrainingJobs), the
 * month's spend, and notifications (notificationAdded). Started once by the signed-in layout.
 */
class Shell {
  loaded = $state(false);
  error = $state<string | null>(null);
  scopes = $state<string[]>([]);
  datasetCount = $state(0);
  modelCount = $state(0);
  activeJobs = $state<ActiveJob[]>([]);
  spend = $state<Spend | null>(null);
  /** Bumped when the spend figure changes, for the header's highlight. */
  spendChanged = $state(0);
  notifications = $state<ShellNotification[]>([]);
  unreadCount = $state(0);
  /** Bumped when a notification arrives, for the bell's shake. */
  arrivals = $state(0);
  /** The last status change, read out by the shell's aria-live region. */
  announcement = $state('');

  #stops: (() => void)[] = [];

  async start() {
    this.stop();
    await Promise.all([this.refresh(), this.refreshNotifications()]);
    const active = pipe(
      client.subscription(ActiveTrainingJobsSubscription, {}),
      subscribe((result) => {
        if (result.data) this.#setActive(result.data.activeTrainingJobs.map((j) => useFragment(ActiveJobFields, j)));
      }),
    );
    const added = pipe(
      client.subscription(NotificationAddedSubscription, {}),
      subscribe((result) => {
        if (!result.data) return;
        const item = useFragment(NotificationFields, result.data.notificationAdded);
        if (this.notifications.some((n) => n.id === item.id)) return;
        this.notifications = [item, ...this.notifications].slice(0, NOTIFICATIONS_SHOWN);
        this.unreadCount += item.readAt ? 0 : 1;
        this.arrivals++;
        this.announcement = `Notification: ${item.title}`;
        void this.refresh(); // spend and counts move with job events
      }),
    );
    const poll = setInterval(() => {
      if (connection.state !== 'live') void Promise.all([this.refresh(), this.refreshNotifications(), this.#pollActive()]);
    }, FALLBACK_POLL_MS);
    this.#stops.push(active.unsubscribe, added.unsubscribe, () => clearInterval(poll));
  }

  stop() {
    for (const stop of this.#stops.splice(0)) stop();
  }

  async refresh() {
    try {
      const data = await query(ShellQuery, {});
      this.scopes = data.viewer.scopes;
      this.datasetCount = data.datasets.totalCount;
      this.modelCount = data.modelArtifacts.totalCount;
      this.unreadCount = data.unread.totalCount;
      const spend = data.spend.__typename === 'SpendSuccess' ? data.spend.spend : null;
      if (this.spend && spend && spend.totalUsd !== this.spend.totalUsd) this.spendChanged++;
      this.spend = spend;
      if (!this.loaded && data.activeJobs.totalCount > 0) await this.#pollActive();
      this.loaded = true;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async refreshNotifications() {
    const data = await query(NotificationsQuery, { first: NOTIFICATIONS_SHOWN }).catch(() => null);
    if (data) this.notifications = data.notifications.edges.map((e) => useFragment(NotificationFields, e.node));
  }

  async markRead(ids: string[] | 'all') {
    const result = await mutate(MarkNotificationsReadMutation, { input: ids === 'all' ? { all: true } : { ids } });
    const now = new Date().toISOString();
    this.notifications = this.notifications.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n));
    if (result.markNotificationsRead.__typename === 'MarkNotificationsReadSuccess') this.unreadCount = result.markNotificationsRead.unreadCount;
  }

  async #pollActive() {
    const data = await query(ActiveTrainingJobsQuery, {}).catch(() => null);
    if (data) this.#setActive(data.trainingJobs.edges.map((e) => useFragment(ActiveJobFields, e.node as FragmentType<typeof ActiveJobFields>)));
  }

  #setActive(jobs: ActiveJob[]) {
    const before = this.activeJobs.length;
    this.activeJobs = jobs;
    if (jobs.length !== before) this.announcement = jobs.length === 0 ? 'No jobs training' : `${jobs.length} job${jobs.length === 1 ? '' : 's'} training`;
  }

  get isAdmin() {
    return this.scopes.includes('ADMIN');
  }
}

export const shell = new Shell();
