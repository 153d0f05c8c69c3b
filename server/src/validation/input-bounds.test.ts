import { describe, expect, it } from 'vitest';
import {
  GraphQLError,
  coerceInputValue,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
} from 'graphql';
import { schema } from '../schema/index.js';
import { ValidationError } from '../errors.js';
import { effectiveBounds, type InputBounds } from './input-bounds.js';

/** Every argument and input field of the public schema, with where it sits. */
function everyInput() {
  const inputs: { where: string; input: GraphQLArgument | GraphQLInputField; isArg: boolean }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) for (const arg of field.args) inputs.push({ where: `${type.name}.${field.name}(${arg.name})`, input: arg, isArg: true });
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) inputs.push({ where: `${type.name}.${field.name}`, input: field, isArg: false });
    }
  }
  return inputs;
}

describe('every input of the public schema is bounded', () => {
  it('every String and ID input has a length bound, every list an item bound', () => {
    const unbounded: string[] = [];
    for (const { where, input, isArg } of everyInput()) {
      const named = getNamedType(input.type).name;
      const bounds = effectiveBounds(input, isArg);
      if ((named === 'String' || named === 'ID') && !(Number.isFinite(bounds.maxLength) && bounds.maxLength! <= 10_000)) unbounded.push(where);
      if (isListType(getNullableType(input.type)) && !(Number.isFinite(bounds.maxItems) && bounds.maxItems! <= 1000)) unbounded.push(`${where} (items)`);
    }
    expect(unbounded).toEqual([]);
    expect(everyInput().length).toBeGreaterThan(50);
  });

  it('every ID input says which kind of id it takes (node(id:) takes any)', () => {
    const untyped = everyInput()
      .filter(({ input }) => getNamedType(input.type).name === 'ID' && effectiveBounds(input, true).idOf == null)
      .map(({ where }) => where);
    expect(untyped).toEqual(['Query.node(id)']);
  });
});

// ── Every field with arguments, called with one bad leaf at a time ─────────────────────────────

const nothingBehind = new Proxy({}, { get: () => { throw new Error('the resolver ran: the input was not refused'); } });
const context = { auth: { kind: 'apiKey', workspaceId: 'ws_test', keyId: 'key_test', scopes: new Set(['READ', 'WRITE', 'ADMIN']) }, services: nothingBehind, loaders: nothingBehind };

/** A value the type accepts (JSON form, coerced before the call). */
function sample(type: GraphQLInputType, bounds: InputBounds): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [sample(t.ofType, bounds)];
  if (isInputObjectType(t)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(t.getFields())) if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = sample(field.type, effectiveBounds(field, false));
    return value;
  }
  if (isEnumType(t)) return t.getValues()[0]!.name;
  switch (t.name) {
    case 'ID': return `${[bounds.idOf ?? 'ds'].flat()[0]}_0abc`;
    case 'String': return 'abcdefgh';
    case 'Int': case 'Float': case 'SafeInt': return 1;
    case 'Boolean': return true;
    case 'DateTime': return '2026-01-01T00:00:00Z';
    case 'Upload': return new File(['{}'], 'data.jsonl');
    default: return {};
  }
}

interface Leaf { path: string[]; display: string; type: 'String' | 'ID' | 'Upload'; bounds: InputBounds }

/** Every String/ID/Upload leaf under a type; list positions become index 0. */
function leaves(type: GraphQLInputType, bounds: InputBounds, path: string[], display: string, depth = 0): Leaf[] {
  const t = getNullableType(type);
  if (depth > 6) return [];
  if (isListType(t)) return leaves(t.ofType, bounds, [...path, '0'], `${display}[0]`, depth + 1);
  if (isInputObjectType(t)) return Object.values(t.getFields()).flatMap((f) => leaves(f.type, effectiveBounds(f, false), [...path, f.name], `${display}.${f.name}`, depth + 1));
  if (isScalarType(t) && (t.name === 'String' || t.name === 'ID' || t.name === 'Upload')) return [{ path, display, type: t.name, bounds }];
  return [];
}

function setAt(root: Record<string, unknown>, arg: GraphQLArgument, path: string[], value: unknown) {
  const keys = [arg.name, ...path];
  let node = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i]!;
    if (node[key] == null) node[key] = /^\d+$/.test(keys[i + 1]!) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function badValues(leaf: Leaf): { label: string; value: unknown; expect: RegExp }[] {
  const max = leaf.bounds.maxLength!;
  if (leaf.type === 'Upload') {
    return [
      { label: 'file name too long', value: new File(['{}'], `${'f'.repeat(300)}.jsonl`), expect: /file name has 306 characters/ },
      { label: 'NUL in file name', value: new File(['{}'], 'a\u0000.jsonl'), expect: /NUL/ },
    ];
  }
  const good = String(sample(leaf.type === 'ID' ? ({ name: 'ID' } as never) : ({ name: 'String' } as never), leaf.bounds));
  const bad = [
    { label: 'one character too long', value: (leaf.type === 'ID' ? `${good}` : '').padEnd(max + 1, 'x'), expect: new RegExp(`at most ${max.toLocaleString('en-US')} characters`) },
    { label: 'NUL', value: leaf.type === 'ID' ? `${good.slice(0, 3)}\u0000x` : `ab\u0000c`, expect: /NUL/ },
  ];
  if (leaf.type === 'ID') {
    bad.push({ label: 'not an id', value: 'nope', expect: /not a BrightRun id/ });
    const expected = [leaf.bounds.idOf ?? []].flat();
    if (expected.length > 0) bad.push({ label: 'another kind of id', value: `${expected.includes('ntf') ? 'ds' : 'ntf'}_0abc`, expect: /id; this needs a/ });
  }
  return bad;
}

function fakeInfo(parentType: GraphQLObjectType, field: GraphQLField<unknown, unknown>): GraphQLResolveInfo {
  const operation = parentType === schema.getMutationType() ? 'mutation' : parentType === schema.getSubscriptionType() ? 'subscription' : 'query';
  return {
    fieldName: field.name,
    fieldNodes: [],
    returnType: field.type,
    parentType,
    path: { prev: undefined, key: field.name, typename: parentType.name },
    schema,
    fragments: {},
    rootValue: {},
    operation: { kind: 'OperationDefinition', operation, selectionSet: { kind: 'SelectionSet', selections: [] } },
    variableValues: {},
  } as unknown as GraphQLResolveInfo;
}

async function outcome(run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    return error;
  }
}

describe('every field with arguments refuses a bad value in any String/ID/Upload input before it runs', () => {
  const cases: { where: string; type: GraphQLObjectType; field: GraphQLField<unknown, unknown>; arg: GraphQLArgument; leaf: Leaf }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) for (const leaf of leaves(arg.type, effectiveBounds(arg, true), [], arg.name)) cases.push({ where: `${type.name}.${field.name} ${leaf.display}`, type, field, arg, leaf });
    }
  }

  it('every mutation can answer with its ValidationError member', () => {
    const without = Object.values(schema.getMutationType()!.getFields()).filter((f) => {
      const returned = getNamedType(f.type);
      return !(isUnionType(returned) && returned.getTypes().some((t) => t.name === 'ValidationError'));
    });
    expect(without.map((f) => f.name)).toEqual([]);
  });

  it('covers the inputs it should', () => {
    const where = cases.map((c) => c.where);
    for (const expected of ['Mutation.requestDatasetUpload input.description', 'Query.datasets filter.search', 'Query.dataset id', 'Mutation.uploadDataset input.file', 'Dataset.conversations after', 'Subscription.trainingMetrics jobId', 'Mutation.markNotificationsRead input.ids[0]']) {
      expect(where).toContain(expected);
    }
  });

  it.each(cases.map((c) => [c.where, c] as const))('%s', async (_where, { type, field, arg, leaf }) => {
    const isSubscription = type === schema.getSubscriptionType();
    const returned = getNamedType(field.type);
    const withValidationError = !isSubscription && isUnionType(returned) && returned.getTypes().some((t) => t.name === 'ValidationError');
    for (const bad of badValues(leaf)) {
      const raw: Record<string, unknown> = {};
      for (const other of field.args) if (isNonNullType(other.type)) raw[other.name] = sample(other.type, effectiveBounds(other, true));
      setAt(raw, arg, leaf.path, bad.value);
      const args: Record<string, unknown> = {};
      for (const a of field.args) {
        if (raw[a.name] === undefined) continue;
        args[a.name] = coerceLenient(raw[a.name], a.type);
      }
      const call = isSubscription ? field.subscribe! : field.resolve!;
      const result = await outcome(() => call({}, args, context, fakeInfo(type, field)));
      // The errors plugin hands a mutation's ValidationError on as a proxy of it (the union's member).
      const validation = typeof result === 'object' && result !== null && (result as ValidationError).code === 'VALIDATION_FAILED' ? (result as ValidationError) : null;
      const problems = validation
        ? validation.fieldErrors
        : result instanceof GraphQLError && result.extensions.code === 'BAD_USER_INPUT'
          ? (result.extensions.fieldErrors as { field: string; message: string }[])
          : null;
      expect(problems, `${bad.label}: got ${result instanceof Error ? result.message : JSON.stringify(result)}`).not.toBeNull();
      expect(Boolean(validation), `${bad.label}: a mutation returns its ValidationError member; other fields throw BAD_USER_INPUT`).toBe(withValidationError);
      expect(problems!.find((p) => p.field === leaf.display && bad.expect.test(p.message)), `${bad.label}: ${JSON.stringify(problems)}`).toBeDefined();
    }
  });
});

/** Input coercion as graphql-js does it for variables, but keeping File objects as they are. */
function coerceLenient(value: unknown, type: GraphQLInputType): unknown {
  return coerceInputValue(value, type, (path, _invalid, error) => {
    throw new Error(`sample for ${path.join('.')} does not coerce: ${error.message}`);
  });
}

describe('a ValidationError thrown by a resolver', () => {
  it('becomes the ValidationError member where the result has one, else BAD_USER_INPUT with the fields', async () => {
    const { default: SchemaBuilder } = await import('@pothos/core');
    const { default: ErrorsPlugin } = await import('@pothos/plugin-errors');
    const { inputBoundsPlugin } = await import('./input-bounds.js');
    const { graphql } = await import('graphql');
    const b = new SchemaBuilder<{ Objects: object }>({ plugins: [ErrorsPlugin, inputBoundsPlugin], errors: { defaultTypes: [] }, scopeAuth: { authScopes: () => ({}) } });
    b.objectType(ValidationError, { name: 'ValidationError', fields: (t) => ({ fields: t.stringList({ resolve: (e) => e.fieldErrors.map((f) => f.field) }) }) });
    const refuse = () => {
      throw new ValidationError([{ field: 'month', message: 'use YYYY-MM' }]);
    };
    b.queryType({
      fields: (t) => ({
        plain: t.string({ nullable: true, args: { month: t.arg.string() }, resolve: refuse }),
        asyncPlain: t.string({ nullable: true, args: { month: t.arg.string() }, resolve: async () => refuse() }),
        typed: t.string({ nullable: true, args: { month: t.arg.string() }, errors: { types: [ValidationError] }, resolve: refuse }),
        other: t.string({ nullable: true, args: { month: t.arg.string() }, resolve: () => { throw new Error('boom'); } }),
      }),
    });
    const testSchema = b.toSchema();
    const result = await graphql({ schema: testSchema, source: '{ plain(month: "x") asyncPlain(month: "x") typed(month: "x") { __typename ... on ValidationError { fields } } other(month: "x") }' });
    const byPath = Object.fromEntries((result.errors ?? []).map((e) => [String(e.path?.[0]), e]));
    expect(byPath.plain?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month', fieldErrors: [{ field: 'month', message: 'use YYYY-MM' }] });
    expect(byPath.asyncPlain?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
    expect(byPath.other?.message).toBe('boom');
    expect(byPath.other?.extensions.code).toBeUndefined();
    expect(result.data?.typed).toEqual({ __typename: 'ValidationError', fields: ['month'] });
  });
});
