import { MarkNotificationsReadDocument, NotificationAddedDocument, NotificationsDocument, SpendDocument, type NotificationFieldsFragment, type SpendQuery } from '../graphql/generated/graphql.js';
import { PagedList, pageOf, type ListOptions } from '../core/pagination.js';
import { unwrap } from '../core/results.js';
import { retryDelayMs, sleep } from '../core/retry.js';
import { askedWaitMs, isResumable, subscribeOnce } from '../core/subscription.js';
import type { RequestOptions, Transport } from '../core/transport.js';
import { AbortError } from '../errors.js';
import type { StreamOptions } from './jobs.js';

export type Notification = NotificationFieldsFragment;
export type MonthlySpend = Extract<SpendQuery['spend'], { __typename?: 'SpendSuccess' }>['spend'];

export interface NotificationListOptions extends ListOptions {
  /** Only those not marked read. */
  unreadOnly?: boolean | undefined;
}

/** `br.notifications`: what happened to the workspace's jobs. */
export class Notifications {
  constructor(private readonly transport: Transport) {}

  /** The workspace's notifications, newest first, as an async iterable over keyset pages. */
  list(options: NotificationListOptions = {}): PagedList<Notification> {
    return new PagedList(async (after, first, request) => {
      const { data } = await this.transport.graphql(NotificationsDocument, { first, after, unreadOnly: options.unreadOnly }, { ...request, idempotent: true });
      return pageOf(data.notifications);
    }, options);
  }

  /** Marks the given notifications read, or all of them with `{ all: true }`; returns how many changed and how many are left unread. */
  async markRead(params: { ids: string[] } | { all: true }, options: RequestOptions = {}): Promise<{ markedCount: number; unreadCount: number }> {
    const { data, requestId } = await this.transport.graphql(MarkNotificationsReadDocument, { input: params }, { ...options, idempotent: true });
    const { markedCount, unreadCount } = unwrap(data.markNotificationsRead, 'MarkNotificationsReadSuccess', requestId);
    return { markedCount, unreadCount };
  }

  /** Each new notification as it is recorded, over graphql-ws (reconnecting after a drop; notifications recorded while disconnected are in `list()`). Runs until aborted. */
  async *stream(options: StreamOptions = {}): AsyncGenerator<Notification> {
    let failures = 0;
    for (;;) {
      try {
        for await (const data of subscribeOnce(this.transport, NotificationAddedDocument, {}, options.signal)) {
          failures = 0;
          yield data.notificationAdded;
        }
        return;
      } catch (error) {
        if (!isResumable(error) || ++failures > (options.maxReconnects ?? 8)) throw error;
        try {
          await sleep(retryDelayMs(failures, askedWaitMs(error)), options.signal);
        } catch (reason) {
          throw new AbortError(undefined, { cause: reason });
        }
      }
    }
  }
}

/** `br.spend`: GPU spend per UTC month. */
export class Spend {
  constructor(private readonly transport: Transport) {}

  /** The workspace's GPU spend in a UTC month ("YYYY-MM"; default the current one), with the budget and the jobs that cost most. */
  async get(params: { month?: string } = {}, options: RequestOptions = {}): Promise<MonthlySpend> {
    const { data, requestId } = await this.transport.graphql(SpendDocument, { month: params.month }, { ...options, idempotent: true });
    return unwrap(data.spend, 'SpendSuccess', requestId).spend;
  }
}
