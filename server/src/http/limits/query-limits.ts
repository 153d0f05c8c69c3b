import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { limitError } from './errors.js';

/** The limits a GraphQL document is held to before it is parsed, validated or executed. */
export interface QueryLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxBreadth: number;
  maxCost: number;
}

/** How deep braces/brackets may nest before the parser sees them: selection depth plus room for arguments and input objects. */
export const NESTING_ALLOWANCE = 10;
/** Introspection (`__schema`, `__type`) is held to its own depth: the standard introspection query is 15 deep. */
export const INTROSPECTION_MAX_DEPTH = 20;
/** A list field with no page argument (attempts, stages, pairs…) is counted as this many items. */
export const ASSUMED_LIST_SIZE = 10;
/** A connection whose first/last is not given is counted as this page (the largest default page of the API). */
export const ASSUMED_PAGE = 50;
/** Arguments that say how many items a field returns. */
const SIZE_ARGUMENTS = ['first', 'last', 'maxPoints', 'lines'] as const;
/** Size arguments whose default lives in the resolver rather than the schema. */
const SIZE_DEFAULTS: Record<string, number> = { 'TrainingJob.events': 200 };

const TOO_COMPLEX = 'QUERY_TOO_COMPLEX';
const complex = (limitName: string, setting: string, limit: number, actual: number, message: string) =>
  limitError(TOO_COMPLEX, message, { limitName, setting, limit, actual, status: 400 });

/**
 * Counts tokens and bracket nesting with the lexer alone (no recursion, linear time), before the
 * recursive parser may see the text: a query 5,000 deep would overflow its stack. Returns null
 * when the text is within limits (syntax errors are left to the parser to report).
 */
export function checkSource(text: string, limits: QueryLimits): GraphQLError | null {
  const maxNesting = limits.maxDepth + NESTING_ALLOWANCE;
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens += 1;
      if (tokens > limits.maxTokens) {
        return complex('tokens', 'BRIGHTRUN_MAX_QUERY_TOKENS', limits.maxTokens, tokens,
          `Query has more than ${limits.maxTokens} tokens (names, punctuation, values); split it into smaller operations or pass large values as variables`);
      }
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) {
        nesting += 1;
        if (nesting > maxNesting) {
          return complex('depth', 'BRIGHTRUN_MAX_QUERY_DEPTH', limits.maxDepth, nesting,
            `Query nests braces/brackets more than ${maxNesting} levels deep (selection depth limit ${limits.maxDepth} + ${NESTING_ALLOWANCE} for arguments); select fewer nested levels`);
        }
      } else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.BRACKET_R || token.kind === TokenKind.PAREN_R) {
        nesting -= 1;
      }
    }
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
  return null;
}

interface Shape {
  depth: number;
  introspectionDepth: number;
  aliases: number;
}

/**
 * Depth, alias count (fragments expanded) and breadth (fields in one selection set) of every
 * operation, before the standard validation rules run (their cost grows with the square of a
 * selection set's width). Fragments are measured once each, so spreading one many times is cheap.
 */
export function checkShape(document: DocumentNode, limits: QueryLimits): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const memo = new Map<string, Shape>();
  const visiting = new Set<string>();
  let widest = 0;

  const measure = (set: SelectionSetNode, inIntrospection: boolean): Shape => {
    let fields = 0;
    const shape: Shape = { depth: 0, introspectionDepth: 0, aliases: 0 };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        fields += 1;
        if (selection.alias) shape.aliases += 1;
        const introspection = inIntrospection || selection.name.value === '__schema' || selection.name.value === '__type';
        const child = selection.selectionSet ? measure(selection.selectionSet, introspection) : { depth: 0, introspectionDepth: 0, aliases: 0 };
        shape.aliases += child.aliases;
        if (introspection) shape.introspectionDepth = Math.max(shape.introspectionDepth, 1 + Math.max(child.depth, child.introspectionDepth));
        else {
          shape.depth = Math.max(shape.depth, 1 + child.depth);
          shape.introspectionDepth = Math.max(shape.introspectionDepth, child.introspectionDepth && 1 + child.introspectionDepth);
        }
      } else {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? measure(selection.selectionSet, inIntrospection) : spread(selection.name.value, inIntrospection);
        shape.depth = Math.max(shape.depth, inner.depth);
        shape.introspectionDepth = Math.max(shape.introspectionDepth, inner.introspectionDepth);
        shape.aliases += inner.aliases;
      }
    }
    widest = Math.max(widest, fields);
    return shape;
  };
  const spread = (name: string, inIntrospection: boolean): Shape => {
    const key = `${name}:${inIntrospection}`;
    const known = memo.get(key);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown and cyclic fragments are reported by validation (NoFragmentCycles, KnownFragmentNames).
    if (!fragment || visiting.has(key)) return { depth: 0, introspectionDepth: 0, aliases: 0 };
    visiting.add(key);
    const shape = measure(fragment.selectionSet, inIntrospection);
    visiting.delete(key);
    memo.set(key, shape);
    return shape;
  };

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = measure(definition.selectionSet, false);
    const name = definition.name ? `Operation ${definition.name.value}` : 'The operation';
    if (shape.depth > limits.maxDepth) {
      return complex('depth', 'BRIGHTRUN_MAX_QUERY_DEPTH', limits.maxDepth, shape.depth,
        `${name} is ${shape.depth} fields deep; the limit is ${limits.maxDepth}. Select fewer nested levels (fetch deeper objects by id in a second query)`);
    }
    if (shape.introspectionDepth > INTROSPECTION_MAX_DEPTH) {
      return complex('depth', 'BRIGHTRUN_MAX_QUERY_DEPTH', INTROSPECTION_MAX_DEPTH, shape.introspectionDepth,
        `${name} introspects ${shape.introspectionDepth} levels deep; introspection is limited to ${INTROSPECTION_MAX_DEPTH} (the standard introspection query is 15)`);
    }
    if (shape.aliases > limits.maxAliases) {
      return complex('aliases', 'BRIGHTRUN_MAX_QUERY_ALIASES', limits.maxAliases, shape.aliases,
        `${name} uses ${shape.aliases} aliases (fragments expanded); the limit is ${limits.maxAliases}. Use a list field with a page size instead of many aliases, or send several operations`);
    }
  }
  // Fragments are measured where they are defined, too: a wide one is refused even if unused.
  for (const fragment of fragments.values()) measure(fragment.selectionSet, false);
  if (widest > limits.maxBreadth) {
    return complex('breadth', 'BRIGHTRUN_MAX_QUERY_BREADTH', limits.maxBreadth, widest,
      `A selection set has ${widest} fields; the limit is ${limits.maxBreadth} per selection set. Select fewer fields, or split the query`);
  }
  return null;
}

/**
 * The estimated work of an operation: every object it may return counts 1, multiplied through
 * the lists above it. A list's size is its page argument (first/last, maxPoints, lines) with
 * variables substituted, else its default; a list without one counts as ASSUMED_LIST_SIZE, a
 * connection without first/last as ASSUMED_PAGE. Scalars are free (breadth and aliases bound them).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const operation = pickOperation(document, operationName);
  if (!operation) return 0;
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  const valueOf = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
    if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return Number(node.value);
    return undefined;
  };
  const sizeOf = (type: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, node: import('graphql').FieldNode): number | undefined => {
    let sized = false;
    let size: number | undefined;
    for (const name of SIZE_ARGUMENTS) {
      const definition = field.args.find((arg) => arg.name === name);
      if (!definition) continue;
      sized = true;
      const given = valueOf(node.arguments?.find((arg) => arg.name.value === name)?.value);
      const value = typeof given === 'number' ? given : typeof definition.defaultValue === 'number' ? definition.defaultValue : undefined;
      if (value !== undefined) size = Math.max(size ?? 0, Math.max(0, value));
    }
    if (!sized) return undefined;
    return size ?? SIZE_DEFAULTS[`${type.name}.${field.name}`] ?? ASSUMED_PAGE;
  };

  // `pending`: a page size given above (connections(first:), jobMetrics(maxPoints:), logs(lines:))
  // that the first list at or below it spends (edges, points, lines); objects in between pass it on.
  const costOf = (type: GraphQLCompositeType, set: SelectionSetNode, pending: number | undefined): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (inner && isCompositeType(inner)) total += costOf(inner, selection.selectionSet, pending);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        total += spreadCost(selection.name.value, pending);
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') continue;
      const field = name === '__schema' ? SchemaMetaFieldDef : name === '__type' ? TypeMetaFieldDef : fieldOf(type, name);
      if (!field) continue; // validation reports unknown fields
      const size = sizeOf(type, field, selection);
      const list = isListType(getNullableType(field.type));
      const multiplier = list ? (size ?? pending ?? ASSUMED_LIST_SIZE) : 1;
      const childPending = list ? undefined : (size ?? pending);
      const named = getNamedType(field.type);
      if (!isCompositeType(named) || !selection.selectionSet) {
        if (list) total += multiplier;
        continue;
      }
      total += multiplier * (1 + costOf(named, selection.selectionSet, childPending));
    }
    return total;
  };
  const spreadCost = (name: string, pending: number | undefined): number => {
    const key = `${name}:${pending}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(key)) return 0;
    const type = schema.getType(fragment.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return 0;
    visiting.add(key);
    const cost = costOf(type, fragment.selectionSet, pending);
    visiting.delete(key);
    memo.set(key, cost);
    return cost;
  };
  return costOf(root, operation.selectionSet, undefined);
}

export function checkCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined, limits: QueryLimits): GraphQLError | null {
  const cost = operationCost(schema, document, operationName, variables);
  if (cost <= limits.maxCost) return null;
  const shown = Number.isFinite(cost) && cost < 1e15 ? Math.round(cost) : Number.MAX_SAFE_INTEGER;
  return complex('cost', 'BRIGHTRUN_MAX_QUERY_COST', limits.maxCost, shown,
    `Query would cost ${shown.toLocaleString('en-US')} (every object it may return counts 1, multiplied by the page sizes — first/last, maxPoints, lines — of the lists above it); the limit is ${limits.maxCost.toLocaleString('en-US')}. Ask for smaller pages or fewer nested lists, and page with cursors`);
}

function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function pickOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}
