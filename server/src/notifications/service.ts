import type { Notification, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub/pubsub.js';
import type { DeliveryTargets } from '../settings/service.js';
import type { TransitionListener } from '../training/jobs/lifecycle.js';
import { newId } from '../ids.js';
import { keyset, pageOf, type PageRequest, type PageResult } from '../db/keyset.js';
import { DeliveryQueue } from './delivery.js';
import { isNotificationKind, notificationForTransition, notificationKindForTransition, type NotificationInput } from './kinds.js';
import { deliveriesFor } from './outbound.js';
import { TestSendLimiter, testDeliveryRequest, testResult, type TestDelivery, type TestTarget } from './test-send.js';

export interface NotificationServiceOptions {
  prisma: PrismaClient;
  pubsub: AppPubSub;
  /** Where a workspace's notifications go (SettingsService). */
  targets: { deliveryTargets(workspaceId: string): Promise<DeliveryTargets> };
  /** Base for absolute links in Slack messages and webhook payloads. */
  publicUrl: string;
  deliveries?: DeliveryQueue;
  /** Bounds "send test" per workspace (default TEST_LIMIT). */
  testLimiter?: TestSendLimiter;
  log?: (line: string) => void;
}

const TITLE_LIMIT = 200;
const BODY_LIMIT = 2000;
const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

export class NotificationService {
  readonly deliveries: DeliveryQueue;
  /** Target look-ups not yet turned into deliveries. */
  private readonly dispatching = new Set<Promise<void>>();
  private readonly log: (line: string) => void;
  private readonly testLimiter: TestSendLimiter;

  constructor(private readonly options: NotificationServiceOptions) {
    this.log = options.log ?? ((line) => console.warn(line));
    this.deliveries = options.deliveries ?? new DeliveryQueue({ log: this.log });
    this.testLimiter = options.testLimiter ?? new TestSendLimiter();
  }

  /**
   * "Send test": one message to the workspace's saved Slack URL or webhook, now, and the receiver's
   * answer (no notification is recorded, nothing is retried). Bounded per workspace (TestSendLimiter).
   * Throws NotificationTargetNotSetError, NotificationDeliveryFailedError or TooManyTestNotificationsError.
   */
  async sendTest(workspaceId: string, target: TestTarget): Promise<TestDelivery> {
    const targets = await this.options.targets.deliveryTargets(workspaceId);
    const request = testDeliveryRequest(target, targets, workspaceId, this.options.publicUrl);
    this.testLimiter.take(workspaceId);
    const startedAt = new Date();
    const outcome = await this.deliveries.deliverOnce(request);
    return testResult(target, outcome, startedAt, Date.now() - startedAt.getTime());
  }

  /**
   * Records a notification, tells live subscribers, and queues its Slack and webhook deliveries.
   * Resolves once the row is written; deliveries run in the background and never throw here.
   */
  async notify(workspaceId: string, input: NotificationInput): Promise<Notification> {
    if (!isNotificationKind(input.kind)) throw new Error(`unknown notification kind "${input.kind}"`);
    const notification = await this.options.prisma.notification.create({
      data: {
        id: newId('ntf'),
        workspaceId,
        kind: input.kind,
        title: clip(input.title, TITLE_LIMIT),
        body: clip(input.body, BODY_LIMIT),
        link: input.link ?? null,
        jobId: input.jobId ?? null,
      },
    });
    this.options.pubsub.publish('workspace:notification', workspaceId, { notificationId: notification.id });
    const dispatching = this.dispatch(notification)
      .catch((error) => this.log(`notification ${notification.id}: deliveries not queued: ${(error as Error).message}`))
      .finally(() => this.dispatching.delete(dispatching));
    this.dispatching.add(dispatching);
    return notification;
  }

  /** `notify` for background callers (supervisor, listeners): logs a failure instead of throwing; null then. */
  async tryNotify(workspaceId: string, input: NotificationInput): Promise<Notification | null> {
    try {
      return await this.notify(workspaceId, input);
    } catch (error) {
      this.log(`notification "${input.title}" for workspace ${workspaceId} not recorded: ${(error as Error).message}`);
      return null;
    }
  }

  /** For `lifecycle.onTransition(...)`: notifies about starts, interruptions, resumes and endings; never throws. */
  transitionListener(): TransitionListener {
    return async (job, from, event) => {
      try {
        if (!notificationKindForTransition(job.status, from)) return;
        const dataset = await this.options.prisma.dataset.findUnique({ where: { id: job.datasetId }, select: { name: true } });
        const input = notificationForTransition(job, from, event, { dataset: dataset?.name });
        if (input) await this.notify(job.workspaceId, input);
      } catch (error) {
        this.log(`job ${job.id}: notification for ${from} → ${job.status} failed: ${(error as Error).message}`);
      }
    };
  }

  find(workspaceId: string, id: string): Promise<Notification | null> {
    return this.options.prisma.notification.findFirst({ where: { id, workspaceId } });
  }

  /** Newest first, a keyset page at a time. */
  async list(workspaceId: string, unreadOnly: boolean, page: PageRequest): Promise<PageResult<Notification>> {
    const { orderBy, where, take } = keyset({ field: 'createdAt', direction: 'desc' }, page);
    const scope: Prisma.NotificationWhereInput = { workspaceId, ...(unreadOnly ? { readAt: null } : {}) };
    return pageOf(await this.options.prisma.notification.findMany({ where: { AND: [scope, ...(where ? [where as Prisma.NotificationWhereInput] : [])] }, orderBy, take }), page);
  }

  count(workspaceId: string, unreadOnly: boolean): Promise<number> {
    return this.options.prisma.notification.count({ where: { workspaceId, ...(unreadOnly ? { readAt: null } : {}) } });
  }

  unreadCount(workspaceId: string): Promise<number> {
    return this.options.prisma.notification.count({ where: { workspaceId, readAt: null } });
  }

  /** Marks the given notifications (or all) read. Unknown ids (or another workspace's) are reported, and nothing changes. */
  async markRead(workspaceId: string, which: { ids?: string[]; all?: boolean }): Promise<{ ok: true; marked: number } | { ok: false; unknownId: string }> {
    const prisma = this.options.prisma;
    const now = new Date();
    if (which.all) return { ok: true, marked: (await prisma.notification.updateMany({ where: { workspaceId, readAt: null }, data: { readAt: now } })).count };
    const ids = [...new Set(which.ids ?? [])];
    const found = new Set((await prisma.notification.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true } })).map((n) => n.id));
    const unknownId = ids.find((id) => !found.has(id));
    if (unknownId) return { ok: false, unknownId };
    const { count } = await prisma.notification.updateMany({ where: { workspaceId, id: { in: ids }, readAt: null }, data: { readAt: now } });
    return { ok: true, marked: count };
  }

  /** Resolves when queued deliveries are done (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.dispatching.size > 0) await Promise.allSettled([...this.dispatching]);
    await this.deliveries.idle();
  }

  /** Stops retries (server shutdown); call before closing the database. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.dispatching]);
    await this.deliveries.close();
  }

  private async dispatch(notification: Notification): Promise<void> {
    const targets = await this.options.targets.deliveryTargets(notification.workspaceId);
    if (targets.webhookProblem) this.log(`notification ${notification.id}: webhook skipped: ${targets.webhookProblem}`);
    for (const request of deliveriesFor(notification, targets, this.options.publicUrl)) this.deliveries.enqueue(request);
  }
}
