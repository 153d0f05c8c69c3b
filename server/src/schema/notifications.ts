import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { Notification } from '../generated/prisma/client.js';
import type { NotificationKind } from '../notifications/kinds.js';
import { ErrorInterface, NotFoundError, ValidationError } from './errors.js';
import { NotificationDeliveryFailedError, NotificationTargetNotSetError, TEST_LIMIT, TooManyTestNotificationsError, type TestDelivery, type TestTarget } from '../notifications/test-send.js';
import { pageLimitsText, pageRequest, toConnection, type Connection } from './pagination.js';
import { nodeInterface } from './node.js';

const NotificationKindEnum = builder.enumType('NotificationKind', {
  values: {
    JOB_STARTED: { description: 'A queued job got its first pod.' },
    JOB_INTERRUPTED: { description: 'The spot pod was reclaimed; the job resumes by itself.' },
    JOB_RESUMED: { description: 'An interrupted job is getting a new pod.' },
    COST_WARNING: { description: "Spend reached 80% or 100% of the estimate's high end." },
    JOB_COMPLETED: { description: 'Training finished; the adapter is stored.' },
    JOB_FAILED: { description: 'The job stopped with an error.' },
    JOB_CANCELLED: { description: 'Someone (or a limit) cancelled the job.' },
  } as const,
});

export const NotificationRef = builder.objectRef<Notification>('Notification').implement({
  description: 'Something that happened to a job, shown in the app and sent to Slack and webhooks when configured.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: NotificationKindEnum, resolve: (n) => n.kind as NotificationKind }),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    link: t.exposeString('link', { nullable: true, description: 'A dashboard path such as "/jobs/job_…".' }),
    jobId: t.exposeID('jobId', { nullable: true }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true, description: 'Null while unread.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const NOTIFICATION_PAGES = { defaultSize: 20, maxSize: 100 };
const NotificationConnection = builder.connectionObject(
  {
    type: NotificationRef,
    name: 'NotificationConnection',
    fields: (t) => ({
      totalCount: t.int({ description: 'How many rows the whole list holds (all pages), with the same filter.', resolve: (c) => (c as unknown as Connection<Notification>).totalCount }),
      unreadCount: t.int({ description: 'Unread notifications of the workspace (whatever the filter).', resolve: (c) => (c as unknown as { unreadCount: Promise<number> }).unreadCount }),
    }),
  },
  { name: 'NotificationEdge' },
);

builder.queryField('notifications', (t) =>
  t.connection(
    {
      type: NotificationRef,
      description: `The workspace's notifications, newest first. ${pageLimitsText(NOTIFICATION_PAGES)}`,
      authScopes: { read: true },
      args: { unreadOnly: t.arg.boolean({ description: 'Only those not marked read.' }) },
      resolve: async (_root, args, ctx) => {
        const workspaceId = workspaceOf(ctx);
        const service = ctx.services.notifications;
        const page = pageRequest(args, NOTIFICATION_PAGES);
        const unreadOnly = args.unreadOnly ?? false;
        const connection = toConnection(await service.list(workspaceId, unreadOnly, page), page, (n) => [n.createdAt, n.id], service.count(workspaceId, unreadOnly));
        return { ...connection, unreadCount: service.unreadCount(workspaceId) };
      },
    },
    NotificationConnection,
  ),
);

const MarkedReadRef = builder.objectRef<{ markedCount: number; unreadCount: number }>('MarkNotificationsReadSuccess').implement({
  fields: (t) => ({
    markedCount: t.exposeInt('markedCount', { description: 'How many were unread and are now read.' }),
    unreadCount: t.exposeInt('unreadCount', { description: 'Unread notifications left in the workspace.' }),
  }),
});

builder.mutationField('markNotificationsRead', (t) =>
  t.field({
    type: MarkedReadRef,
    description: 'Marks the given notifications read, or all of them with `all: true`. Already-read ones are left as they are.',
    authScopes: { write: true },
    args: {
      input: t.arg({
        type: builder.inputType('MarkNotificationsReadInput', {
          fields: (f) => ({
            ids: f.idList({ description: 'Notifications of this workspace (at most 500).', bounds: { idOf: 'ntf', maxItems: 500 } }),
            all: f.boolean({ description: 'Every unread notification of the workspace.' }),
          }),
        }),
        required: true,
      }),
    },
    errors: { types: [ValidationError, NotFoundError], directResult: true },
    resolve: async (_root, { input: { ids, all } }, ctx) => {
      const workspaceId = workspaceOf(ctx);
      if (all && ids?.length) throw new ValidationError([{ field: 'input.ids', message: 'give either ids or all: true, not both' }]);
      if (!all && !ids?.length) throw new ValidationError([{ field: 'input.ids', message: 'give the ids to mark read, or all: true' }]);
      if (ids && ids.length > 500) throw new ValidationError([{ field: 'input.ids', message: 'at most 500 ids per call; use all: true for everything' }]);
      const service = ctx.services.notifications;
      const result = await service.markRead(workspaceId, all ? { all: true } : { ids: ids!.map(String) });
      if (!result.ok) throw new NotFoundError('notification', result.unknownId);
      return { markedCount: result.marked, unreadCount: await service.unreadCount(workspaceId) };
    },
  }),
);

builder.subscriptionField('notificationAdded', (t) =>
  t.field({
    type: NotificationRef,
    description: "Each new notification of the caller's workspace, as it is recorded.",
    authScopes: { read: true },
    subscribe: (_root, _args, ctx) => ctx.services.pubsub.subscribe('workspace:notification', workspaceOf(ctx)),
    resolve: async (event, _args, ctx) => {
      const notification = await ctx.services.notifications.find(workspaceOf(ctx), event.notificationId);
      if (!notification) throw new GraphQLError(`notification ${event.notificationId} is gone`, { extensions: { code: 'NOT_FOUND' } });
      return notification;
    },
  }),
);

// "Send test" (Settings → Notifications): one message to a saved target, and the receiver's answer.
const NotificationTargetEnum = builder.enumType('NotificationTarget', {
  values: {
    SLACK: { description: "The workspace's Slack incoming webhook (settings.slackWebhookUrl)." },
    WEBHOOK: { description: "The workspace's generic webhook (settings.webhookUrl), signed with its secret." },
  } as const,
});
const TARGET_OF: Record<'SLACK' | 'WEBHOOK', TestTarget> = { SLACK: 'slack', WEBHOOK: 'webhook' };
const targetEnum = (t: TestTarget) => (t === 'slack' ? 'SLACK' : 'WEBHOOK') as 'SLACK' | 'WEBHOOK';

builder.objectType(NotificationTargetNotSetError, {
  name: 'NotificationTargetNotSetError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ target: t.field({ type: NotificationTargetEnum, resolve: (e) => targetEnum(e.target) }) }),
});
builder.objectType(NotificationDeliveryFailedError, {
  name: 'NotificationDeliveryFailedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    target: t.field({ type: NotificationTargetEnum, resolve: (e) => targetEnum(e.target) }),
    httpStatus: t.exposeInt('httpStatus', { nullable: true, description: "The receiver's HTTP status; null when there was no answer (network error, timeout)." }),
    reason: t.exposeString('reason', { description: 'E.g. "HTTP 404" or "no answer within 5000 ms".' }),
  }),
});
builder.objectType(TooManyTestNotificationsError, {
  name: 'TooManyTestNotificationsError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ limit: t.exposeInt('limit', { description: 'Test messages allowed per minute per workspace.' }), retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

const TestDeliveryRef = builder.objectRef<TestDelivery>('TestNotificationDelivery').implement({
  description: 'A test message the receiver accepted.',
  fields: (t) => ({
    target: t.field({ type: NotificationTargetEnum, resolve: (d) => targetEnum(d.target) }),
    deliveryId: t.exposeID('deliveryId', { description: 'Sent as X-BrightRun-Delivery (webhooks) so the receiver can find it in its logs.' }),
    httpStatus: t.exposeInt('httpStatus'),
    durationMs: t.exposeInt('durationMs', { description: 'From sending to the answer.' }),
    sentAt: t.expose('sentAt', { type: 'DateTime' }),
  }),
});

builder.mutationField('sendTestNotification', (t) =>
  t.field({
    type: TestDeliveryRef,
    description:
      `Sends one test message to the saved Slack URL or webhook now and returns the receiver's answer (one try, ${'no retries'}; ` +
      `no notification is recorded). At most ${TEST_LIMIT.perWindow} a minute per workspace.`,
    authScopes: { write: true },
    args: {
      input: t.arg({
        type: builder.inputType('SendTestNotificationInput', { fields: (f) => ({ target: f.field({ type: NotificationTargetEnum, required: true, description: 'Which saved target to test.' }) }) }),
        required: true,
      }),
    },
    errors: { types: [ValidationError, NotificationTargetNotSetError, NotificationDeliveryFailedError, TooManyTestNotificationsError], dataField: { name: 'delivery' } },
    resolve: (_root, { input }, ctx) => ctx.services.notifications.sendTest(workspaceOf(ctx), TARGET_OF[input.target]),
  }),
);
