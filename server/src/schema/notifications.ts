import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { Notification } from '../generated/prisma/client.js';
import type { NotificationKind } from '../notifications/kinds.js';
import { InvalidCursorError, notificationCursor } from '../notifications/service.js';
import { NotFoundError, ValidationError } from './common.js';

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

builder.queryField('notifications', (t) =>
  t.connection(
    {
      type: NotificationRef,
      description: "The workspace's notifications, newest first (up to 100 a page).",
      authScopes: { read: true },
      args: { unreadOnly: t.arg.boolean({ description: 'Only those not marked read.' }) },
      resolve: async (_root, args, ctx) => {
        const workspaceId = workspaceOf(ctx);
        const service = ctx.services.notifications;
        try {
          const connection = resolveCursorConnection(
            { args, defaultSize: 20, maxSize: 100, toCursor: (n: Notification) => notificationCursor(n) },
            (params: ResolveCursorConnectionArgs): Promise<Notification[]> => service.list(workspaceId, { ...params, unreadOnly: args.unreadOnly ?? false }),
          );
          const [page, unreadCount] = await Promise.all([connection, service.unreadCount(workspaceId)]);
          return { ...page, unreadCount };
        } catch (error) {
          if (error instanceof InvalidCursorError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
          throw error;
        }
      },
    },
    { fields: (c) => ({ unreadCount: c.int({ description: 'Unread notifications of the workspace (whatever the filter).', resolve: (p) => (p as { unreadCount: number }).unreadCount }) }) },
  ),
);

const MarkedReadRef = builder.objectRef<{ markedCount: number; unreadCount: number }>('NotificationsMarkedRead').implement({
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
      ids: t.arg.idList({ description: 'Notifications of this workspace.' }),
      all: t.arg.boolean({ description: 'Every unread notification of the workspace.' }),
    },
    errors: { types: [ValidationError, NotFoundError] },
    resolve: async (_root, { ids, all }, ctx) => {
      const workspaceId = workspaceOf(ctx);
      if (all && ids?.length) throw new ValidationError([{ field: 'ids', message: 'give either ids or all: true, not both' }]);
      if (!all && !ids?.length) throw new ValidationError([{ field: 'ids', message: 'give the ids to mark read, or all: true' }]);
      if (ids && ids.length > 500) throw new ValidationError([{ field: 'ids', message: 'at most 500 ids per call; use all: true for everything' }]);
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
