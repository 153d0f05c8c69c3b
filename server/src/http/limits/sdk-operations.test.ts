import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type DefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LIMIT_DEFAULTS as L } from '../../config/config.js';
import { schema } from '../../schema/index.js';
import { checkShape, checkSource, operationCost, type QueryLimits } from './query-limits.js';

const OPERATIONS = fileURLToPath(new URL('../../../../sdk/src/operations/', import.meta.url));
const LIMITS: QueryLimits = { maxTokens: L.BRIGHTRUN_MAX_QUERY_TOKENS, maxDepth: L.BRIGHTRUN_MAX_QUERY_DEPTH, maxAliases: L.BRIGHTRUN_MAX_QUERY_ALIASES, maxBreadth: L.BRIGHTRUN_MAX_QUERY_BREADTH, maxCost: L.BRIGHTRUN_MAX_QUERY_COST };
/** The largest value each page variable may take (the API's own maxima). */
const LARGEST: Record<string, number> = { first: 100, last: 100, maxPoints: 10_000, lines: 1_000, tail: 1_000 };

// The shipped client must never meet a default limit, even at the largest pages it can ask for.
describe.runIf(existsSync(OPERATIONS))("the SDK's operations under the default limits", () => {
  const files = existsSync(OPERATIONS) ? readdirSync(OPERATIONS).filter((f) => f.endsWith('.graphql')) : [];
  const documents = files.map((file) => ({ file, text: readFileSync(OPERATIONS + file, 'utf8') }));
  const fragments: DefinitionNode[] = documents.flatMap(({ text }) => parse(text).definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION));
  const operations = documents.flatMap(({ file, text }) =>
    parse(text).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [{ file, text, operation: d }] : [])),
  );

  it('has operations to check', () => expect(operations.length).toBeGreaterThan(5));

  it.each(operations.map((o) => [`${o.file} ${o.operation.name?.value}`, o] as const))('%s fits', (_name, { text, operation }) => {
    expect(checkSource(text, LIMITS)).toBeNull();
    const document = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] } as const;
    expect(checkShape(document, LIMITS)).toBeNull();
    const variables = Object.fromEntries((operation.variableDefinitions ?? []).flatMap((v) => (v.variable.name.value in LARGEST ? [[v.variable.name.value, LARGEST[v.variable.name.value]]] : [])));
    expect(operationCost(schema, document, operation.name?.value, variables)).toBeLessThanOrEqual(LIMITS.maxCost);
  });
});
