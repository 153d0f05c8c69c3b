import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import { generateApiKey, hashSecret, keyPrefix } from '../auth/keys.js';
import type { ApiKey } from '../generated/prisma/client.js';
import { newId } from '../ids.js';
import { NotFoundError, ValidationError } from './common.js';

const ApiKeyScopeEnum = builder.enumType('ApiKeyScope', {
  values: {
    READ: { description: 'Queries and subscriptions.' },
    WRITE: { description: 'Mutations: upload datasets, start and cancel jobs.' },
    ADMIN: { description: 'Manage API keys and workspace settings.' },
  } as const,
});

export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey').implement({
  description: 'An API key. The secret itself is shown once, by createApiKey; only its prefix is kept visible.',
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

const CreatedApiKey = builder.objectRef<{ apiKey: ApiKey; secret: string }>('CreatedApiKey').implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (r) => r.apiKey }),
    secret: t.exposeString('secret', { description: 'The whole key. Store it now: it is never shown again.' }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    description: 'Every key of the workspace, newest first, revoked ones included.',
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) =>
      ctx.services.db.prisma.apiKey.findMany({ where: { workspaceId: workspaceOf(ctx) }, orderBy: { createdAt: 'desc' } }),
  }),
);

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the key is for, e.g. "CI" or "notebook".' }),
    scopes: t.field({ type: [ApiKeyScopeEnum], required: true, description: 'At least one of READ, WRITE, ADMIN.' }),
  }),
});

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKey,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const name = input.name.trim();
      const problems = [];
      if (name.length === 0 || name.length > 100) problems.push({ field: 'input.name', message: 'must be 1–100 characters' });
      if (input.scopes.length === 0) problems.push({ field: 'input.scopes', message: 'give at least one scope: READ, WRITE or ADMIN' });
      if (problems.length > 0) throw new ValidationError(problems);
      const secret = generateApiKey();
      const apiKey = await ctx.services.db.prisma.apiKey.create({
        data: {
          id: newId('key'),
          workspaceId: workspaceOf(ctx),
          name,
          prefix: keyPrefix(secret),
          keyHash: hashSecret(secret),
          scopes: [...new Set(input.scopes)],
        },
      });
      return { apiKey, secret };
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.field({
    type: ApiKeyRef,
    description: 'Revokes a key at once. Revoking the key making the call is refused (use another admin key).',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [NotFoundError, ValidationError] },
    resolve: async (_root, { id }, ctx) => {
      const prisma = ctx.services.db.prisma;
      const key = await prisma.apiKey.findFirst({ where: { id: String(id), workspaceId: workspaceOf(ctx) } });
      if (!key) throw new NotFoundError('API key', String(id));
      if (ctx.auth?.kind === 'apiKey' && ctx.auth.keyId === key.id) {
        throw new ValidationError([{ field: 'id', message: 'this is the key making the call; revoke it with another admin key' }]);
      }
      if (key.revokedAt) return key;
      return prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    },
  }),
);
