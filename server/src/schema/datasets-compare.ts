import { builder } from '../builder.js';
import type { DatasetComparison, KeyOverlap, MeasureComparison } from '../datasets/compare.js';
import { NotFoundError, ValidationError } from './errors.js';
import { DatasetRef } from './dataset-ref.js';
import { ReadinessCheckKeyEnum, readinessKey } from './datasets-types.js';
import { mustFindDataset } from './datasets.js';

const MeasureEnum = builder.enumType('DatasetMeasure', {
  values: ['CONVERSATIONS', 'TRAINING_PAIRS', 'TRAINABLE_PAIRS', 'TOTAL_TOKENS', 'TARGET_TOKENS', 'MEAN_TOKENS_PER_PAIR', 'P95_TOKENS_PER_PAIR', 'AVERAGE_QUALITY', 'HUMAN_REVIEWED_SHARE', 'SIZE_BYTES'] as const,
});
const DimensionEnum = builder.enumType('ScaffoldingDimension', { values: ['PERSONA', 'EMOTIONAL_ARC', 'TRAINING_TOPIC'] as const });

const MeasureRef = builder.objectRef<MeasureComparison>('DatasetMeasureComparison').implement({
  description: 'One measure of both datasets; `difference` is b − a (null when either is unknown).',
  fields: (t) => ({
    measure: t.field({ type: MeasureEnum, resolve: (m) => m.measure }),
    a: t.exposeFloat('a', { nullable: true }),
    b: t.exposeFloat('b', { nullable: true }),
    difference: t.exposeFloat('difference', { nullable: true }),
  }),
});
const OverlapRef = builder.objectRef<KeyOverlap>('ScaffoldingOverlap').implement({
  fields: (t) => ({
    dimension: t.field({ type: DimensionEnum, resolve: (o) => o.dimension }),
    shared: t.exposeStringList('shared'),
    onlyInA: t.exposeStringList('onlyInA'),
    onlyInB: t.exposeStringList('onlyInB'),
  }),
});
const ReadinessDifferenceRef = builder.objectRef<DatasetComparison['readinessDifferences'][number]>('ReadinessDifference').implement({
  fields: (t) => ({
    key: t.field({ type: ReadinessCheckKeyEnum, resolve: (d) => readinessKey(d.key) }),
    passedInA: t.exposeBoolean('passedInA'),
    passedInB: t.exposeBoolean('passedInB'),
  }),
});
const ComparisonRef = builder.objectRef<DatasetComparison>('DatasetComparison').implement({
  description: 'Two datasets side by side, from their stored statistics and conversation index.',
  fields: (t) => ({
    a: t.field({ type: DatasetRef, resolve: (c) => c.a }),
    b: t.field({ type: DatasetRef, resolve: (c) => c.b }),
    measures: t.field({ type: [MeasureRef], resolve: (c) => c.measures }),
    scaffolding: t.field({ type: [OverlapRef], resolve: (c) => c.scaffolding }),
    sharedConversationCount: t.exposeInt('sharedConversationCount', { description: 'Conversations (by uuid) present in both.' }),
    readinessDifferences: t.field({ type: [ReadinessDifferenceRef], description: 'Checks that pass in one and fail in the other.', resolve: (c) => c.readinessDifferences }),
  }),
});

const CompareDatasetsInput = builder.inputType('CompareDatasetsInput', {
  fields: (t) => ({ aId: t.id({ required: true, bounds: { idOf: 'ds' } }), bId: t.id({ required: true, bounds: { idOf: 'ds' } }) }),
});

builder.queryField('compareDatasets', (t) =>
  t.field({
    type: ComparisonRef,
    description: 'Compares two imported datasets of the workspace.',
    authScopes: { read: true },
    args: { input: t.arg({ type: CompareDatasetsInput, required: true }) },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'comparison' } },
    resolve: async (_root, { input }, ctx) => {
      if (String(input.aId) === String(input.bId)) throw new ValidationError([{ field: 'input.bId', message: 'give two different datasets' }]);
      const [a, b] = await Promise.all([mustFindDataset(ctx, input.aId), mustFindDataset(ctx, input.bId)]);
      for (const [field, d] of [['input.aId', a], ['input.bId', b]] as const) {
        if (d.status !== 'READY') throw new ValidationError([{ field, message: `dataset ${d.id} is still ${d.status.toLowerCase()}; compare it once imported` }]);
      }
      return ctx.services.datasetLookup.compare(a, b);
    },
  }),
);
