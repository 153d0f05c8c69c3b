import SchemaBuilder from '@pothos/core';
import { GraphQLError } from 'graphql';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import RelayPlugin from '@pothos/plugin-relay';
import ErrorsPlugin from '@pothos/plugin-errors';
import ZodPlugin from '@pothos/plugin-zod';
import { inputBoundsPlugin } from './validation/input-bounds.js';
import type { Context } from './context.js';
import { decodeId } from './ids.js';

/** The public API's builder. Types live in schema/*; trainer operations have their own builder (schema/trainer/). */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    Upload: { Input: File; Output: never };
    SafeInt: { Input: number; Output: number | bigint };
  };
}>({
  // inputBounds after errors: a mutation's refused input becomes its result's ValidationError member.
  plugins: [ScopeAuthPlugin, RelayPlugin, ErrorsPlugin, ZodPlugin, inputBoundsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    // A denied field reads as a clear message with a stable code, not a generic failure.
    unauthorizedError: (_parent, context, _info, result) => {
      const message = context.auth
        ? `${result.message}: this key lacks the scope the operation needs (read, write or admin); create a key with it under Settings → API keys`
        : 'Not authenticated: send Authorization: Bearer <API key>';
      return new GraphQLError(message, { extensions: { code: context.auth ? 'FORBIDDEN' : 'UNAUTHENTICATED' } });
    },
    authScopes: (context) => ({
      read: context.auth?.scopes.has('READ') ?? false,
      write: context.auth?.scopes.has('WRITE') ?? false,
      admin: context.auth?.scopes.has('ADMIN') ?? false,
    }),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // IDs are already global and readable (`ds_…`, `job_…`): the type is in the prefix.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => decodeId(globalID),
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // `node(id:)` is ours (schema/node.ts): it answers null outside the caller's workspace.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  errors: {
    defaultTypes: [],
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  zod: {
    validationError: (zodError) => zodError,
  },
});

function capitalize(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
