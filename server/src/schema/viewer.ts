import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';

const WorkspaceRef = builder.objectRef<{ id: string; name: string; createdAt: Date }>('Workspace').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ViewerRef = builder.objectRef<{ workspaceId: string; scopes: string[] }>('Viewer').implement({
  description: 'Who the API key acts for.',
  fields: (t) => ({
    workspace: t.field({
      type: WorkspaceRef,
      resolve: async (v, _args, ctx) => ctx.services.db.prisma.workspace.findUniqueOrThrow({ where: { id: v.workspaceId } }),
    }),
    scopes: t.exposeStringList('scopes'),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    authScopes: { read: true },
    resolve: (_root, _args, ctx) => ({
      workspaceId: workspaceOf(ctx),
      scopes: ctx.auth?.kind === 'apiKey' ? [...ctx.auth.scopes] : [],
    }),
  }),
);

builder.subscriptionField('serverTime', (t) =>
  t.field({
    type: 'DateTime',
    description: 'The server clock once a second (or every `intervalMs`): a heartbeat that proves the socket is live.',
    authScopes: { read: true },
    args: { intervalMs: t.arg.int({ required: false, description: '100–60000; default 1000.' }) },
    subscribe: async function* (_root, { intervalMs }) {
      const every = Math.min(60_000, Math.max(100, intervalMs ?? 1000));
      while (true) {
        yield new Date();
        await new Promise((resolve) => setTimeout(resolve, every));
      }
    },
    resolve: (value) => value as Date,
  }),
);
