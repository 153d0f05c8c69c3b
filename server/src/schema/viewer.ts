import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import { nodeInterface } from './node.js';
import { ApiKeyScopeEnum } from './api-keys.js';

const WorkspaceRef = builder.objectRef<{ id: string; name: string; createdAt: Date }>('Workspace').implement({
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ViewerRef = builder.objectRef<{ workspaceId: string; scopes: ('READ' | 'WRITE' | 'ADMIN')[] }>('Viewer').implement({
  description: 'Who the API key acts for.',
  fields: (t) => ({
    workspace: t.field({
      type: WorkspaceRef,
      resolve: async (v, _args, ctx) => (await ctx.services.apiKeys.workspace(v.workspaceId))!,
    }),
    scopes: t.field({ type: [ApiKeyScopeEnum], description: "The calling key's scopes.", resolve: (v) => v.scopes }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    authScopes: { read: true },
    resolve: (_root, _args, ctx) => ({ workspaceId: workspaceOf(ctx), scopes: [...(ctx.auth?.scopes ?? [])] }),
  }),
);

const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 60_000;

builder.subscriptionField('serverTime', (t) =>
  t.field({
    type: 'DateTime',
    description: `The server clock once a second (or every \`intervalMs\`, ${MIN_INTERVAL_MS}–${MAX_INTERVAL_MS}): a heartbeat that proves the socket is live.`,
    authScopes: { read: true },
    args: { intervalMs: t.arg.int({ required: false, description: `${MIN_INTERVAL_MS}–${MAX_INTERVAL_MS}; default 1000.` }) },
    subscribe: async function* (_root, { intervalMs }) {
      const every = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, intervalMs ?? 1000));
      while (true) {
        yield new Date();
        await new Promise((resolve) => setTimeout(resolve, every));
      }
    },
    resolve: (value) => value as Date,
  }),
);
