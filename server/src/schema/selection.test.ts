import { parse, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selects } from './selection.js';

/** The info a resolver of the operation's first root field would get (only what selects reads). */
function infoFor(query: string): GraphQLResolveInfo {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((d) => [d.name.value, d]));
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments } as unknown as GraphQLResolveInfo;
}

describe('selects', () => {
  it('finds a field on the result directly, in inline fragments and through (nested) fragment spreads', () => {
    expect(selects(infoFor('{ job { id latestMetrics { train { step } } } }'), 'latestMetrics')).toBe(true);
    expect(selects(infoFor('{ job { id ... on TrainingJob { latestMetrics { eval { step } } } } }'), 'latestMetrics')).toBe(true);
    expect(selects(infoFor('{ job { ...A } } fragment A on J { ...B } fragment B on J { latestMetrics { train { step } } }'), 'latestMetrics')).toBe(true);
  });

  it('does not look deeper than the result, and survives a fragment cycle', () => {
    expect(selects(infoFor('{ job { id dataset { latestMetrics } } }'), 'latestMetrics')).toBe(false);
    expect(selects(infoFor('{ job { id status } }'), 'latestMetrics')).toBe(false);
    expect(selects(infoFor('{ job { ...A } } fragment A on J { ...A id }'), 'latestMetrics')).toBe(false);
  });
});
