import { GraphQLError } from 'graphql';
import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder.js';
import type { PageRequest, PageResult, SortValue } from '../db/keyset.js';

// Keyset pagination for every list: connection arguments → a PageRequest for the service, and
// the service's rows → a Relay connection with totalCount. Cursors are opaque strings holding the
// row's sort value and id.

export interface PageLimits {
  defaultSize: number;
  maxSize: number;
}

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The sentence every list field's description ends with. */
export const pageLimitsText = (limits: PageLimits) =>
  `Pages of up to ${limits.maxSize} (first/last; default ${limits.defaultSize}), keyset cursors: a page does not shift when rows are added.`;

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

type Tagged = ['d', string] | ['b', string] | ['n', number] | ['s', string] | ['z', null];

function tag(value: SortValue): Tagged {
  if (value === null) return ['z', null];
  if (value instanceof Date) return ['d', value.toISOString()];
  if (typeof value === 'bigint') return ['b', value.toString()];
  if (typeof value === 'number') return ['n', value];
  return ['s', value];
}

function untag([kind, raw]: Tagged): SortValue {
  switch (kind) {
    case 'd':
      return new Date(raw);
    case 'b':
      return BigInt(raw);
    case 'z':
      return null;
    default:
      return raw;
  }
}

export function encodeCursor(value: SortValue, id: string): string {
  return Buffer.from(JSON.stringify([...tag(value), id])).toString('base64url');
}

function decodeCursor(cursor: string, argument: string): { value: SortValue; id: string } {
  try {
    const [kind, raw, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [Tagged[0], never, string];
    if (!['d', 'b', 'n', 's', 'z'].includes(kind) || typeof id !== 'string') throw new Error('shape');
    return { value: untag([kind, raw] as Tagged), id };
  } catch {
    throw badInput(`${argument} is not a cursor of this list: pass an endCursor/startCursor (or an edge's cursor) you received from it`);
  }
}

/** Checks the connection arguments against the list's limits before anything is read. */
export function pageRequest(args: ConnectionArgs, limits: PageLimits): PageRequest {
  if (args.first != null && args.last != null) throw badInput('give first or last, not both');
  const size = args.first ?? args.last ?? limits.defaultSize;
  const which = args.last != null ? 'last' : 'first';
  if (!Number.isInteger(size) || size < 0 || size > limits.maxSize) {
    throw badInput(`${which} must be from 0 to ${limits.maxSize} on this list (got ${size}); page with the cursors for more`);
  }
  const backward = args.last != null || (args.before != null && args.first == null);
  const raw = backward ? args.before : args.after;
  return { size, backward, cursor: raw ? decodeCursor(raw, backward ? 'before' : 'after') : null };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | Promise<number>;
}

/** A page of rows as a connection; `position` is the row's (sort value, id). */
export function toConnection<T>(result: PageResult<T>, page: PageRequest, position: (row: T) => [SortValue, string], totalCount: number | Promise<number>): Connection<T> {
  const edges = result.rows.map((node) => ({ node, cursor: encodeCursor(...position(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.backward ? page.cursor !== null : result.hasMore,
      hasPreviousPage: page.backward ? result.hasMore : page.cursor !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

/** `<Type>Connection` and `<Type>Edge`, shared by every list of that type, with `totalCount`. */
export function connectionType<T>(ref: ObjectRef<any, T>, typeName: string, description?: string) {
  return builder.connectionObject(
    {
      type: ref,
      name: `${typeName}Connection`,
      description,
      fields: (t) => ({
        totalCount: t.int({
          description: 'How many rows the whole list holds (all pages), with the same filter.',
          resolve: (connection) => (connection as unknown as Connection<T>).totalCount,
        }),
      }),
    },
    { name: `${typeName}Edge` },
  );
}
