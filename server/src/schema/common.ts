import { GraphQLError, Kind } from 'graphql';
import { builder } from '../builder.js';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO-8601 string in UTC (e.g. "2026-11-28T09:30:00.000Z").',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
      throw new GraphQLError(`DateTime must be an ISO-8601 string such as "2026-11-28T09:30:00Z" (got ${JSON.stringify(value)})`);
    }
    return date;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 string such as "2026-11-28T09:30:00Z"');
    }
    return new Date(ast.value);
  },
});

builder.scalarType('JSON', {
  description: 'Free-form JSON, used only for data whose shape the source file decides (e.g. file metadata).',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.scalarType('Upload', {
  description: 'A file sent with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new Error('Upload is an input-only scalar');
  },
});

builder.queryType({ description: 'Reads. Every field needs an API key with the read scope unless it says otherwise.' });
builder.mutationType({ description: 'Writes. Every field needs an API key with the write scope unless it says otherwise.' });
builder.subscriptionType({ description: 'Live updates over graphql-ws at /graphql/ws (authenticate in connection_init).' });

/** Every expected failure implements this, so a client can always show `message`. */
export const ErrorInterface = builder.interfaceRef<Error & { code: string }>('Error').implement({
  description: 'An expected failure, returned as data. `code` is stable; `message` says what to do.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(readonly resource: string, readonly id: string) {
    super(`No ${resource} with id "${id}" in this workspace`);
  }
}
builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    resource: t.exposeString('resource'),
    id: t.exposeString('id'),
  }),
});

export interface FieldProblem {
  field: string;
  message: string;
}
export const FieldErrorRef = builder.objectRef<FieldProblem>('FieldError').implement({
  description: 'One invalid input field: the path of the field and what to change.',
  fields: (t) => ({ field: t.exposeString('field'), message: t.exposeString('message') }),
});

export class ValidationError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fieldErrors: FieldProblem[]) {
    super(fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}
builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (e) => e.fieldErrors }) }),
});
