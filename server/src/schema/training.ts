import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import { newId } from '../ids.js';
import type { TrainingConfiguration } from '../generated/prisma/client.js';
import { TRAINING_PRESETS_CATALOG, PRESET_KEYS, resolveTrainingConfig, type FieldRange, type PresetDefinition, type BaseModelSpec, type GpuTypeSpec } from '../training/presets/index.js';
import type { TrainingEstimate } from '../training/estimate/index.js';
import { NotFoundError, ValidationError } from './common.js';

export const PresetEnum = builder.enumType('TrainingPreset', { values: PRESET_KEYS });
export const CloudTypeEnum = builder.enumType('CloudType', {
  values: { SPOT: { description: 'Interruptible and cheaper; resumes from the last checkpoint by itself.' }, ON_DEMAND: { description: 'Not interrupted; costs more per hour.' } } as const,
});

const HyperparametersRef = builder.objectRef<PresetDefinition['hyperparameters']>('Hyperparameters').implement({
  fields: (t) => ({
    loraRank: t.exposeInt('loraRank'), loraAlpha: t.exposeInt('loraAlpha'), loraDropout: t.exposeFloat('loraDropout'),
    targetModules: t.exposeStringList('targetModules'), epochs: t.exposeInt('epochs'), batchSize: t.exposeInt('batchSize'),
    gradientAccumulationSteps: t.exposeInt('gradientAccumulationSteps'), learningRate: t.exposeFloat('learningRate'),
    lrScheduler: t.exposeString('lrScheduler'), warmupRatio: t.exposeFloat('warmupRatio'), maxSequenceLength: t.exposeInt('maxSequenceLength'),
    validationShare: t.exposeFloat('validationShare'), seed: t.exposeInt('seed'),
  }),
});
const PresetRef = builder.objectRef<PresetDefinition>('TrainingPresetDefinition').implement({
  fields: (t) => ({
    key: t.field({ type: PresetEnum, resolve: (p) => p.key }),
    label: t.exposeString('label'), description: t.exposeString('description'), bestFor: t.exposeString('bestFor'),
    hyperparameters: t.field({ type: HyperparametersRef, resolve: (p) => p.hyperparameters }),
  }),
});
const RangeRef = builder.objectRef<FieldRange>('TrainingFieldRange').implement({
  description: 'What one configurable field accepts; the same table validates startTrainingJob.',
  fields: (t) => ({
    field: t.exposeString('field'), label: t.exposeString('label'), help: t.exposeString('help'), group: t.exposeString('group'), kind: t.exposeString('kind'),
    min: t.exposeFloat('min', { nullable: true }), max: t.exposeFloat('max', { nullable: true }), step: t.exposeFloat('step', { nullable: true }),
    notation: t.exposeString('notation', { nullable: true }), options: t.exposeFloatList('options', { nullable: true }), values: t.exposeStringList('values', { nullable: true }),
  }),
});
const BaseModelRef = builder.objectRef<BaseModelSpec>('BaseModel').implement({
  fields: (t) => ({
    id: t.exposeString('id'), label: t.exposeString('label'), description: t.exposeString('description'),
    parameterCount: t.exposeFloat('parameterCount'), defaultQuantization: t.exposeString('defaultQuantization'),
    minGpuMemoryGbNf4: t.float({ resolve: (m) => m.minGpuMemoryGb.NF4 }), minGpuMemoryGbBf16: t.float({ resolve: (m) => m.minGpuMemoryGb.BF16 }),
  }),
});
const GpuTypeRef = builder.objectRef<GpuTypeSpec>('GpuType').implement({
  fields: (t) => ({ id: t.exposeString('id'), label: t.exposeString('label'), memoryGb: t.exposeInt('memoryGb'), description: t.exposeString('description'), recommended: t.exposeBoolean('recommended') }),
});
const CatalogRef = builder.objectRef<typeof TRAINING_PRESETS_CATALOG>('TrainingCatalog').implement({
  description: 'Everything the training configurator offers: presets, field ranges, base models, GPU types.',
  fields: (t) => ({
    defaultPreset: t.field({ type: PresetEnum, resolve: (c) => c.defaultPreset }),
    presets: t.field({ type: [PresetRef], resolve: (c) => [...c.presets] }),
    ranges: t.field({ type: [RangeRef], resolve: (c) => [...c.ranges] }),
    baseModels: t.field({ type: [BaseModelRef], resolve: (c) => [...c.baseModels] }),
    gpuTypes: t.field({ type: [GpuTypeRef], resolve: (c) => [...c.gpuTypes] }),
    defaultBaseModel: t.string({ resolve: (c) => c.defaults.baseModel }),
    defaultGpuType: t.string({ resolve: (c) => c.defaults.gpuType }),
    defaultMaxDurationHours: t.float({ resolve: (c) => c.defaults.maxDurationHours }),
  }),
});

builder.queryField('trainingPresets', (t) => t.field({ type: CatalogRef, authScopes: { read: true }, resolve: () => TRAINING_PRESETS_CATALOG }));

export const TrainingOverridesInput = builder.inputType('TrainingOverridesInput', {
  description: 'Any field left out keeps the preset value. Ranges: see trainingPresets.ranges.',
  fields: (t) => ({
    loraRank: t.int(), loraAlpha: t.int({ description: 'Defaults to 2 × loraRank when only the rank is given.' }), loraDropout: t.float(),
    epochs: t.int(), batchSize: t.int(), gradientAccumulationSteps: t.int(), learningRate: t.float(), warmupRatio: t.float(),
    maxSequenceLength: t.int(), validationShare: t.float(), seed: t.int(), baseModel: t.string(), quantization: t.string({ description: 'NF4 or BF16.' }),
    gpuType: t.string(), cloudType: t.field({ type: CloudTypeEnum }), maxDurationHours: t.float(),
  }),
});

export const TrainingPlanInput = builder.inputType('TrainingPlanInput', {
  fields: (t) => ({
    datasetId: t.id({ required: true }),
    preset: t.field({ type: PresetEnum, description: 'Default BALANCED.' }),
    overrides: t.field({ type: TrainingOverridesInput }),
    configurationId: t.id({ description: 'Start from a saved configuration; overrides still apply on top.' }),
  }),
});

type Hours = { low: number; high: number };
const HoursRef = builder.objectRef<Hours>('HoursRange').implement({ fields: (t) => ({ low: t.exposeFloat('low'), high: t.exposeFloat('high') }) });
const UsdRangeRef = builder.objectRef<Hours>('UsdRange').implement({ fields: (t) => ({ low: t.exposeFloat('low'), high: t.exposeFloat('high') }) });
const StageHoursRef = builder.objectRef<TrainingEstimate['stages'][number]>('EstimateStage').implement({
  fields: (t) => ({ stage: t.exposeString('stage'), hours: t.field({ type: HoursRef, resolve: (s) => s.hours }) }),
});
const WarningRef = builder.objectRef<TrainingEstimate['warnings'][number]>('EstimateWarning').implement({
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});
const CostRef = builder.objectRef<TrainingEstimate['cost']>('CostEstimate').implement({
  description: 'Arithmetic, not decoration: compute = hours × pricePerHour; plus storage; plus a stated buffer.',
  fields: (t) => ({
    low: t.exposeFloat('low'), high: t.exposeFloat('high'),
    compute: t.field({ type: UsdRangeRef, resolve: (c) => c.breakdown.compute }),
    storageUsd: t.float({ resolve: (c) => c.breakdown.storage }),
    bufferShare: t.float({ resolve: (c) => c.breakdown.buffer.share }),
    buffer: t.field({ type: UsdRangeRef, resolve: (c) => c.breakdown.buffer }),
    pricePerHour: t.exposeFloat('pricePerHour'),
    priceSource: t.exposeString('priceSource', { description: 'RUNPOD_LIVE or FALLBACK.' }),
    priceNote: t.exposeString('priceNote'),
  }),
});
export const EstimateRef = builder.objectRef<TrainingEstimate>('TrainingEstimate').implement({
  fields: (t) => ({
    totalTokens: t.exposeFloat('totalTokens'),
    totalSteps: t.exposeInt('totalSteps'),
    tokensPerSecond: t.float({ resolve: (e) => e.throughput.tokensPerSecond }),
    throughputSource: t.string({ description: 'MODEL (documented throughput model) or CALIBRATED (blended with past jobs).', resolve: (e) => e.throughput.source }),
    pastJobs: t.int({ description: 'Completed jobs with the same model, GPU and sequence length that informed this estimate.', resolve: (e) => e.throughput.pastJobs }),
    hours: t.field({ type: HoursRef, resolve: (e) => e.hours }),
    stages: t.field({ type: [StageHoursRef], resolve: (e) => e.stages }),
    cost: t.field({ type: CostRef, resolve: (e) => e.cost }),
    peakMemoryGb: t.float({ resolve: (e) => e.basis.peakMemoryGb }),
    trainingPairs: t.int({ resolve: (e) => e.basis.trainingPairs }),
    validationPairs: t.int({ resolve: (e) => e.basis.validationPairs }),
    tokensPerPair: t.float({ resolve: (e) => e.basis.tokensPerPair }),
    warnings: t.field({ type: [WarningRef], resolve: (e) => e.warnings }),
  }),
});

builder.queryField('estimateTraining', (t) =>
  t.field({
    type: EstimateRef,
    description: 'Duration and cost before you commit, for a dataset and a configuration; the same figures startTrainingJob freezes.',
    authScopes: { read: true },
    args: { input: t.arg({ type: TrainingPlanInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'estimate' } },
    resolve: async (_root, { input }, ctx) =>
      (await ctx.services.jobs.plan(workspaceOf(ctx), { ...input, datasetId: String(input.datasetId), configurationId: input.configurationId ? String(input.configurationId) : null, overrides: input.overrides as never })).estimate,
  }),
);

export const TrainingConfigurationRef = builder.objectRef<TrainingConfiguration>('TrainingConfiguration').implement({
  description: 'A saved, named configuration: a preset plus overrides and the GPU choice.',
  fields: (t) => ({
    id: t.exposeID('id'), name: t.exposeString('name'),
    preset: t.field({ type: PresetEnum, resolve: (c) => c.preset as (typeof PRESET_KEYS)[number] }),
    overrides: t.field({ type: 'JSON', description: 'The fields that differ from the preset.', resolve: (c) => c.hyperparameters }),
    baseModel: t.exposeString('baseModel'), gpuType: t.exposeString('gpuType'),
    cloudType: t.field({ type: CloudTypeEnum, resolve: (c) => c.cloudType }), maxDurationHours: t.exposeFloat('maxDurationHours'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }), updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('trainingConfigurations', (t) =>
  t.field({
    type: [TrainingConfigurationRef],
    authScopes: { read: true },
    resolve: (_root, _args, ctx) => ctx.services.db.prisma.trainingConfiguration.findMany({ where: { workspaceId: workspaceOf(ctx) }, orderBy: { updatedAt: 'desc' } }),
  }),
);

builder.mutationField('saveTrainingConfiguration', (t) =>
  t.field({
    type: TrainingConfigurationRef,
    description: 'Saves (or replaces, by name) a configuration after validating it.',
    authScopes: { write: true },
    args: { name: t.arg.string({ required: true }), preset: t.arg({ type: PresetEnum }), overrides: t.arg({ type: TrainingOverridesInput }) },
    errors: { types: [ValidationError], dataField: { name: 'configuration' } },
    resolve: async (_root, args, ctx) => {
      const name = args.name.trim();
      if (!name || name.length > 100) throw new ValidationError([{ field: 'name', message: 'must be 1–100 characters' }]);
      const resolved = resolveTrainingConfig({ preset: args.preset, overrides: args.overrides as never });
      if (!resolved.ok) throw new ValidationError(resolved.fieldErrors.map((e) => ({ field: e.field === 'preset' ? 'preset' : `overrides.${e.field}`, message: e.message })));
      const c = resolved.config;
      const overrides = Object.fromEntries(c.customizedFields.map((f) => [f, c[f as keyof typeof c]]));
      const data = { preset: c.preset, hyperparameters: overrides, baseModel: c.baseModel, gpuType: c.gpuType, cloudType: c.cloudType, maxDurationHours: c.maxDurationHours };
      const workspaceId = workspaceOf(ctx);
      return ctx.services.db.prisma.trainingConfiguration.upsert({
        where: { workspaceId_name: { workspaceId, name } },
        create: { id: newId('cfg'), workspaceId, name, ...data },
        update: data,
      });
    },
  }),
);
