import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { ApiKey } from '../generated/prisma/client.js';
import { NotFoundError, ValidationError } from './errors.js';
import { connectionType, pageLimitsText, pageRequest, toConnection } from './pagination.js';
import { nodeInterface } from './node.js';

export const ApiKeyScopeEnum = builder.enumType('ApiKeyScope', {
  values: {
    READ: { description: 'Queries and subscriptions.' },
    WRITE: { description: 'Mutations: upload datasets, start and cancel jobs.' },
    ADMIN: { description: 'Manage API keys and workspace settings.' },
  } as const,
});

export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey').implement({
  description: 'An API key. The secret itself is shown once, by createApiKey; only its prefix is kept visible.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, e.g. "brk_a1B2c3D4".' }),
    scopes: t.field({ type: [ApiKeyScopeEnum], resolve: (k) => k.scopes }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Updated at most once a minute.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});
const ApiKeyConnection = connectionType(ApiKeyRef, 'ApiKey');
const KEY_PAGES = { defaultSize: 50, maxSize: 100 };

builder.queryField('apiKeys', (t) =>
  t.connection(
    {
      type: ApiKeyRef,
      description: `Every key of the workspace, newest first, revoked ones included. Needs the admin scope. ${pageLimitsText(KEY_PAGES)}`,
      authScopes: { admin: true },
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, KEY_PAGES);
        const workspaceId = workspaceOf(ctx);
        return toConnection(await ctx.services.apiKeys.list(workspaceId, page), page, (k) => [k.createdAt, k.id], ctx.services.apiKeys.count(workspaceId));
      },
    },
    ApiKeyConnection,
  ),
);

const CreateApiKeySuccess = builder.objectRef<{ apiKey: ApiKey; secret: string }>('CreateApiKeySuccess').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (r) => r.apiKey }),
    secret: t.exposeString('secret', { description: 'The whole key. Store it now: it is never shown again.' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the key is for, e.g. "CI" or "notebook" (1–100 characters).', bounds: { maxLength: 100 } }),
    scopes: t.field({ type: [ApiKeyScopeEnum], required: true, description: 'At least one of READ, WRITE, ADMIN.' }),
  }),
});

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreateApiKeySuccess,
    description: 'Needs the admin scope.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    errors: { types: [ValidationError], directResult: true },
    resolve: (_root, { input }, ctx) => ctx.services.apiKeys.create(workspaceOf(ctx), input),
  }),
);

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', { fields: (t) => ({ id: t.id({ required: true, bounds: { idOf: 'key' } }) }) });

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: 'Revokes a key at once. Revoking the key making the call is refused (use another admin key). Needs the admin scope.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true }) },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'apiKey' } },
    resolve: (_root, { input }, ctx) => ctx.services.apiKeys.revoke(workspaceOf(ctx), String(input.id), ctx.auth!.keyId),
  }),
);
