import { describe, expect, it } from 'vitest';
import { getIntrospectionQuery, parse } from 'graphql';
import { schema } from '../../schema/index.js';
import { ASSUMED_LIST_SIZE, ASSUMED_PAGE, checkCost, checkShape, checkSource, operationCost, type QueryLimits } from './query-limits.js';

const LIMITS: QueryLimits = { maxTokens: 5_000, maxDepth: 10, maxAliases: 30, maxBreadth: 100, maxCost: 50_000 };
const aliases = (n: number, field = '__typename') => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const cost = (query: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(query), undefined, variables);
const METRICS = (n: number) => `jobMetrics(jobId: "job_x", maxPoints: ${n}) { ... on JobMetricsSuccess { series { points { step loss } } } }`;

describe('checkSource (before the parser)', () => {
  it('refuses more tokens than the limit, naming the limit and its setting', () => {
    const error = checkSource(aliases(2_000), LIMITS);
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'tokens', limit: 5_000, setting: 'BRIGHTRUN_MAX_QUERY_TOKENS', http: { status: 400 } });
    expect(error?.message).toMatch(/more than 5000 tokens/);
  });

  it('refuses nesting 5,000 deep without recursion (the parser itself would overflow its stack)', () => {
    const deep = `${'{a'.repeat(5_000)}${'}'.repeat(5_000)}`;
    expect(() => parse(deep)).toThrow(RangeError);
    const error = checkSource(deep, { ...LIMITS, maxTokens: 1_000_000 });
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'depth', limit: 10, actual: 21 });
  });

  it('lets ordinary queries, comments and the introspection query through, and leaves syntax errors to the parser', () => {
    expect(checkSource('# a comment\n{ viewer { scopes } }', LIMITS)).toBeNull();
    expect(checkSource(getIntrospectionQuery(), LIMITS)).toBeNull();
    expect(checkSource('{ viewer { ', LIMITS)).toBeNull();
    expect(checkSource('{ "unterminated', LIMITS)).toBeNull();
  });
});

describe('checkShape (before validation)', () => {
  it('refuses a query deeper than the limit and accepts one at it', () => {
    const nested = (depth: number) => `${'{ a '.repeat(depth - 1)}{ b }${' }'.repeat(depth - 1)}`.replace(/^\{ a /, '{ a ');
    const depthOf = (d: number) => checkShape(parse(nested(d)), LIMITS);
    expect(depthOf(10)).toBeNull();
    expect(depthOf(11)?.extensions).toMatchObject({ limitName: 'depth', limit: 10, actual: 11 });
  });

  it('counts depth through fragments, measuring each fragment once', () => {
    const fragments = Array.from({ length: 12 }, (_, i) => `fragment F${i} on T { x { ...F${i + 1} } }`).join('\n');
    const error = checkShape(parse(`{ ...F0 } ${fragments} fragment F12 on T { y }`), LIMITS);
    expect(error?.extensions).toMatchObject({ limitName: 'depth', actual: 13 });
  });

  it('counts aliases with fragments expanded', () => {
    const spread = `{ ${Array.from({ length: 4 }, (_, i) => `f${i}: viewer { ...A }`).join(' ')} } fragment A on Viewer { ${Array.from({ length: 8 }, (_, i) => `s${i}: scopes`).join(' ')} }`;
    expect(checkShape(parse(spread), LIMITS)?.extensions).toMatchObject({ limitName: 'aliases', limit: 30, actual: 36 });
    expect(checkShape(parse(aliases(30)), LIMITS)).toBeNull();
  });

  it('refuses a selection set wider than the limit, in fragments too', () => {
    const wide = Array.from({ length: 101 }, (_, i) => `f${i}`).join(' ');
    expect(checkShape(parse(`{ ${wide} }`), { ...LIMITS, maxAliases: 1_000 })?.extensions).toMatchObject({ limitName: 'breadth', limit: 100, actual: 101 });
    expect(checkShape(parse(`{ x } fragment Unused on T { ${wide} }`), LIMITS)?.extensions).toMatchObject({ limitName: 'breadth' });
  });

  it('holds introspection to its own depth: the standard query passes, a circular one does not', () => {
    expect(checkShape(parse(getIntrospectionQuery()), LIMITS)).toBeNull();
    const circular = `{ __schema { types ${'{ fields { type '.repeat(10)}{ name }${' } }'.repeat(10)} } }`;
    expect(checkShape(parse(circular), LIMITS)?.extensions).toMatchObject({ limitName: 'depth', limit: 20 });
  });
});

describe('operationCost (before execution)', () => {
  it('multiplies by page sizes: maxPoints, first, lines, with variables and defaults', () => {
    expect(cost(`{ ${METRICS(10_000)} }`)).toBe(10_002);
    expect(cost(`query($n: Int) { ${METRICS(0).replace('maxPoints: 0', 'maxPoints: $n')} }`, { n: 500 })).toBe(502);
    // maxPoints defaults to 1000 in the schema.
    expect(cost('{ jobMetrics(jobId: "job_x") { ... on JobMetricsSuccess { series { points { step } } } } }')).toBe(1_002);
    expect(cost('{ trainingJobs(first: 100) { edges { node { id } } } }')).toBe(1 + 100 * 2);
    expect(cost('{ trainingJobs { totalCount edges { node { id } } } }')).toBe(1 + ASSUMED_PAGE * 2);
    // A list with no page argument counts ASSUMED_LIST_SIZE; events default to 200 in the resolver.
    expect(cost('{ trainingJob(id: "job_x") { attempts { podId } events { message } } }')).toBe(1 + ASSUMED_LIST_SIZE + 200);
  });

  it('refuses 20 aliases of jobMetrics(maxPoints: 10000) and a nested fan-out, naming the limit', () => {
    const twenty = `{ ${Array.from({ length: 20 }, (_, i) => `m${i}: ${METRICS(10_000)}`).join(' ')} }`;
    const error = checkCost(schema, parse(twenty), undefined, {}, LIMITS);
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'cost', limit: 50_000, actual: 200_040, setting: 'BRIGHTRUN_MAX_QUERY_COST' });
    const fanOut = '{ trainingJobs(first: 100) { edges { node { dataset { conversations(first: 100) { edges { node { pairs { id } } } } } } } } }';
    expect(checkCost(schema, parse(fanOut), undefined, {}, LIMITS)?.extensions).toMatchObject({ limitName: 'cost' });
  });

  it('prices the standard introspection query well under the default limit', () => {
    expect(cost(getIntrospectionQuery())).toBeLessThan(LIMITS.maxCost / 2);
  });
});
