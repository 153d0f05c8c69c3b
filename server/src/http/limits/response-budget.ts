import {
  defaultFieldResolver,
  isLeafType,
  getNamedType,
  isObjectType,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { limitError } from './errors.js';

/** Where an execution's budget sits in its context (a symbol: no resolver can collide with it). */
export const RESPONSE_BUDGET = Symbol('responseBudget');

/**
 * Counts the JSON bytes an execution is about to send, as each field resolves, and stops the
 * execution once they pass the limit: every field resolved after that fails at once, and the
 * whole result is replaced by one RESPONSE_TOO_LARGE error. So an oversized response is refused
 * while it is being built, never serialized whole. The count is an estimate (string lengths in
 * UTF-16 units, numbers as 8 bytes, keys and punctuation included), close for ASCII text.
 */
export class ResponseBudget {
  bytes = 0;
  exceeded: GraphQLError | null = null;

  constructor(readonly limit: number) {}

  add(bytes: number) {
    this.bytes += bytes;
    if (this.bytes > this.limit && !this.exceeded) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MB`;
      this.exceeded = limitError('RESPONSE_TOO_LARGE', `The response would be larger than ${mb(this.limit)}; ask for smaller pages (first/last, maxPoints, lines) or fewer fields, and page with cursors`, {
        limitName: 'responseBytes',
        limit: this.limit,
        setting: 'BRIGHTRUN_MAX_RESPONSE_MB',
        status: 400,
      });
    }
  }

  /** For subscriptions: each event has a budget of its own. */
  reset() {
    this.bytes = 0;
    this.exceeded = null;
  }
}

// By field, not by schema: the introspection types (__Schema, __Type…) are shared by every schema.
const instrumented = new WeakSet<object>();

/**
 * Wraps every field resolver of the schema, introspection included (each field once), to charge
 * its value to the execution's ResponseBudget when the context carries one (executions without
 * one, such as schema tests, are untouched).
 */
export function instrumentResponseBudget(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (instrumented.has(field)) continue;
      instrumented.add(field);
      const resolve = field.resolve ?? defaultFieldResolver;
      const leaf = isLeafType(getNamedType(field.type));
      const wrapped: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
        const budget = (context as { [RESPONSE_BUDGET]?: ResponseBudget } | undefined)?.[RESPONSE_BUDGET];
        if (!budget) return resolve(source, args, context, info);
        if (budget.exceeded) throw budget.exceeded;
        const value = resolve(source, args, context, info);
        if (value instanceof Promise) return value.then((resolved) => charge(budget, resolved, leaf, info));
        return charge(budget, value, leaf, info);
      };
      field.resolve = wrapped;
    }
  }
}

function charge<T>(budget: ResponseBudget, value: T, leaf: boolean, info: GraphQLResolveInfo): T {
  const node = info.fieldNodes[0]!;
  const key = (node.alias ?? node.name).value.length + 4; // "key":, and a comma
  budget.add(key + (leaf ? leafBytes(value, budget.limit - budget.bytes) : shellBytes(value)));
  if (budget.exceeded) throw budget.exceeded;
  return value;
}

/** Objects and lists of objects: their brackets and commas (their fields charge themselves). */
function shellBytes(value: unknown): number {
  if (value == null) return 4;
  if (Array.isArray(value)) return 2 + value.length * 3;
  return 2;
}

/** A scalar, an enum, a list of them or a JSON value: measured without recursion, up to `cap` bytes. */
function leafBytes(value: unknown, cap: number): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && bytes <= cap) {
    const item = stack.pop();
    if (item == null) bytes += 4;
    else if (typeof item === 'string') bytes += item.length + 2;
    else if (typeof item === 'number' || typeof item === 'bigint') bytes += 8;
    else if (typeof item === 'boolean') bytes += 5;
    else if (item instanceof Date) bytes += 26;
    else if (Array.isArray(item)) {
      bytes += 2 + item.length;
      for (const element of item) stack.push(element);
    } else if (typeof item === 'object') {
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
        bytes += k.length + 4;
        stack.push(v);
      }
      bytes += 2;
    } else bytes += 8;
  }
  return bytes;
}
