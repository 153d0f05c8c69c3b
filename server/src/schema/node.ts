import { builder } from '../builder.js';
import { workspaceOf, type Context } from '../context.js';
import { ID_PREFIXES, type IdPrefix } from '../ids.js';

/** Every object with a global id. Ids are readable and typed by prefix (`ds_…`, `job_…`), so the type is in the id. */
export const nodeInterface = builder.interfaceRef<{ id: string }>('Node').implement({
  description: 'An object with a global id; `node(id:)` fetches any of them.',
  fields: (t) => ({ id: t.exposeID('id') }),
  resolveType: (value) => ID_PREFIXES[value.id.slice(0, value.id.indexOf('_')) as IdPrefix],
});

const lookups: Partial<Record<IdPrefix, (ctx: Context, workspaceId: string, id: string) => Promise<{ id: string } | null>>> = {
  ws: async (ctx, workspaceId, id) => (id === workspaceId ? ctx.services.apiKeys.workspace(id) : null),
  key: async (ctx, workspaceId, id) => (ctx.auth?.scopes.has('ADMIN') ? ctx.services.apiKeys.find(workspaceId, id) : null),
  ds: (ctx, workspaceId, id) => ctx.services.datasets.find(workspaceId, id),
  cfg: (ctx, workspaceId, id) => ctx.services.configurations.find(workspaceId, id),
  job: (ctx, workspaceId, id) => ctx.services.jobQueries.find(workspaceId, id),
  att: (ctx, workspaceId, id) => ctx.services.jobQueries.attempt(workspaceId, id),
  ckpt: (ctx, workspaceId, id) => ctx.services.jobQueries.checkpoint(workspaceId, id),
  art: (ctx, workspaceId, id) => ctx.services.artifacts.find(workspaceId, id),
  ntf: (ctx, workspaceId, id) => ctx.services.notifications.find(workspaceId, id),
};

builder.queryField('node', (t) =>
  t.field({
    type: nodeInterface,
    nullable: true,
    description: 'Any object by its id; null when nothing of your workspace has it (API keys need the admin scope). A string that is no BrightRun id is an error.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const raw = String(id);
      const lookup = lookups[raw.slice(0, raw.indexOf('_')) as IdPrefix];
      return lookup ? lookup(ctx, workspaceOf(ctx), raw) : null;
    },
  }),
);
