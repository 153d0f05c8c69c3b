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

const SAFE_INT_RANGE = `−${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')} to ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}`;
const toSafeInt = (value: unknown): number => {
  const number = typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new GraphQLError(`SafeInt must be a whole number from ${SAFE_INT_RANGE} (got ${JSON.stringify(String(value))})`);
  }
  return number;
};

builder.scalarType('SafeInt', {
  description: `A whole number beyond Int's 32 bits, exact up to 2^53 − 1 (${SAFE_INT_RANGE}): a JSON number every JavaScript client reads without loss. Byte sizes and token totals use it.`,
  serialize: toSafeInt,
  parseValue: toSafeInt,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new GraphQLError(`SafeInt must be a whole number from ${SAFE_INT_RANGE}`);
    return toSafeInt(ast.value);
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
