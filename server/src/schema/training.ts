import { builder } from '../builder.js';
import { workspaceOf } from '../context.js';
import type { ProviderInfo } from '../training/provider-registry.js';
import type { TrainingConfiguration } from '../generated/prisma/client.js';
import { TRAINING_PRESETS_CATALOG, PRESET_KEYS, type FieldRange, type PresetDefinition, type BaseModelSpec, type GpuTypeSpec, type Hyperparameters, type PresetKey, type TrainingOverrides } from '../training/presets/index.js';
import type { FrozenHyperparameters } from '../training/jobs/freeze.js';
import type { TrainingEstimate } from '../training/estimate/index.js';
import type { JobPlacement } from '../training/providers/provider.js';
import { NotFoundError, ValidationError, inInput } from './errors.js';
import { connectionType, pageLimitsText, pageRequest, toConnection } from './pagination.js';
import { nodeInterface } from './node.js';

export const PresetEnum = builder.enumType('TrainingPreset', { values: PRESET_KEYS });
export const CloudTypeEnum = builder.enumType('CloudType', {
  values: { SPOT: { description: 'Interruptible and cheaper; resumes from the last checkpoint by itself.' }, ON_DEMAND: { description: 'Not interrupted; costs more per hour.' } } as const,
});
export const QuantizationEnum = builder.enumType('Quantization', {
  description: 'How the base model is loaded: the same values in inputs and outputs.',
  values: { NF4: { description: '4-bit NormalFloat with double quantization (QLoRA); needs CUDA.' }, BF16: { description: '16-bit weights, no quantization.' } } as const,
});
const FieldGroupEnum = builder.enumType('TrainingFieldGroup', { values: ['HYPERPARAMETERS', 'MODEL', 'RESOURCES'] as const });
const FieldKindEnum = builder.enumType('TrainingFieldKind', {
  values: {
    INTEGER: { description: 'A whole number from min to max.' },
    NUMBER: { description: 'A number from min to max in steps of `step`.' },
    CHOICE: { description: 'One of `options` (numbers).' },
    ENUM: { description: 'One of `values` (names).' },
  } as const,
});
const LrSchedulerEnum = builder.enumType('LearningRateScheduler', { values: { COSINE: { description: 'Cosine decay after a linear warm-up.' } } as const });

/** Hyperparameters as users see them: a preset's, a saved configuration's or a job's frozen ones. */
export interface HyperparameterView extends Hyperparameters {
  quantization: 'NF4' | 'BF16' | null;
  maxSteps: number | null;
  checkpointEverySteps: number | null;
  evalEverySteps: number | null;
}

/** A job's frozen hyperparameters (the trainer's shape, NONE for no quantization) in the users' shape. */
export function hyperparametersOfJob(frozen: FrozenHyperparameters): HyperparameterView {
  return {
    ...frozen,
    quantization: frozen.quantization === 'NF4' ? 'NF4' : 'BF16',
    maxSteps: frozen.maxSteps ?? null,
    checkpointEverySteps: frozen.checkpointEverySteps ?? null,
    evalEverySteps: frozen.evalEverySteps ?? null,
  };
}
const ofPreset = (h: Hyperparameters): HyperparameterView => ({ ...h, quantization: null, maxSteps: null, checkpointEverySteps: null, evalEverySteps: null });

export const HyperparametersRef = builder.objectRef<HyperparameterView>('Hyperparameters').implement({
  description: "The training hyperparameters: a preset's, or the values a job froze at launch.",
  fields: (t) => ({
    loraRank: t.exposeInt('loraRank'), loraAlpha: t.exposeInt('loraAlpha'), loraDropout: t.exposeFloat('loraDropout'),
    targetModules: t.exposeStringList('targetModules', { description: 'Module names of the base model the adapter attaches to, e.g. "q_proj".' }),
    epochs: t.exposeInt('epochs'), batchSize: t.exposeInt('batchSize'),
    gradientAccumulationSteps: t.exposeInt('gradientAccumulationSteps'), learningRate: t.exposeFloat('learningRate'),
    lrScheduler: t.field({ type: LrSchedulerEnum, resolve: () => 'COSINE' as const }),
    warmupRatio: t.exposeFloat('warmupRatio'), maxSequenceLength: t.exposeInt('maxSequenceLength'),
    validationShare: t.exposeFloat('validationShare', { description: 'Share of the trainable pairs held out for evaluation, 0–1.' }), seed: t.exposeInt('seed'),
    quantization: t.field({ type: QuantizationEnum, nullable: true, description: "Null in a preset: the base model's default applies.", resolve: (h) => h.quantization }),
    maxSteps: t.exposeInt('maxSteps', { nullable: true, description: 'Null: as many steps as the epochs take.' }),
    checkpointEverySteps: t.exposeInt('checkpointEverySteps', { nullable: true, description: 'Null: the trainer keeps at most ~10 minutes of work at risk.' }),
    evalEverySteps: t.exposeInt('evalEverySteps', { nullable: true, description: 'Null: the trainer decides.' }),
  }),
});
const PresetRef = builder.objectRef<PresetDefinition>('TrainingPresetDefinition').implement({
  fields: (t) => ({
    key: t.field({ type: PresetEnum, resolve: (p) => p.key }),
    label: t.exposeString('label'), description: t.exposeString('description'), bestFor: t.exposeString('bestFor'),
    hyperparameters: t.field({ type: HyperparametersRef, resolve: (p) => ofPreset(p.hyperparameters) }),
  }),
});
const RangeRef = builder.objectRef<FieldRange>('TrainingFieldRange').implement({
  description: 'What one configurable field accepts; the same table validates startTrainingJob.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The TrainingOverridesInput field it describes, e.g. "loraRank".' }),
    label: t.exposeString('label'), help: t.exposeString('help'),
    group: t.field({ type: FieldGroupEnum, resolve: (r) => r.group }),
    kind: t.field({ type: FieldKindEnum, resolve: (r) => r.kind }),
    min: t.exposeFloat('min', { nullable: true }), max: t.exposeFloat('max', { nullable: true }), step: t.exposeFloat('step', { nullable: true }),
    scientificNotation: t.boolean({ description: 'Show the value in scientific notation (e.g. 2e-4).', resolve: (r) => r.notation === 'scientific' }),
    options: t.exposeFloatList('options', { nullable: true }), values: t.exposeStringList('values', { nullable: true }),
  }),
});
const BaseModelRef = builder.objectRef<BaseModelSpec>('BaseModel').implement({
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The Hugging Face model id, e.g. "meta-llama/Meta-Llama-3-70B-Instruct".' }),
    label: t.exposeString('label'), description: t.exposeString('description'),
    parameterCount: t.field({ type: 'SafeInt', resolve: (m) => m.parameterCount }),
    defaultQuantization: t.field({ type: QuantizationEnum, resolve: (m) => m.defaultQuantization }),
    minGpuMemoryGbNf4: t.float({ resolve: (m) => m.minGpuMemoryGb.NF4 }), minGpuMemoryGbBf16: t.float({ resolve: (m) => m.minGpuMemoryGb.BF16 }),
    requiresHuggingFaceToken: t.boolean({ description: 'Gated on Hugging Face: accept its license there and set workspaceSettings.huggingFaceToken before training it on a real GPU.', resolve: (m) => m.gated }),
  }),
});
export const AvailabilityEnum = builder.enumType('GpuAvailability', {
  description: "RunPod's stock level for a GPU type in a data center.",
  values: { NONE: { description: 'Not offered there (or none at all).' }, LOW: {}, MEDIUM: {}, HIGH: {} } as const,
});

export const JobPlacementRef = builder.objectRef<JobPlacement>('JobPlacement').implement({
  description:
    "Where RunPod jobs of the workspace must run: its model-cache network volume lives in one data center, and every pod that mounts it is placed there. Show it where a GPU is chosen: a GPU type the data center does not offer cannot start (GPU_NOT_IN_DATA_CENTER).",
  fields: (t) => ({
    dataCenterId: t.exposeString('dataCenterId', { description: 'e.g. "US-KS-2".' }),
    dataCenterName: t.exposeString('dataCenterName', { nullable: true, description: "RunPod's name for it; null when RunPod did not answer." }),
    modelCacheVolumeId: t.exposeString('modelCacheVolumeId', { description: "RunPod's id of the volume that pins the job." }),
    gpuOffered: t.exposeBoolean('gpuOffered', { nullable: true, description: 'Whether the data center offers the GPU type; null when RunPod could not be asked (the launch asks again).' }),
    gpuAvailability: t.field({ type: AvailabilityEnum, nullable: true, description: "RunPod's stock of the GPU type there now (NONE: not offered); null when unknown.", resolve: (p) => p.gpuAvailability }),
    offeredGpuTypes: t.exposeStringList('offeredGpuTypes', { description: 'The GPU types (RunPod ids) the data center offers now; empty when unknown.' }),
    storageUsdPerHour: t.exposeFloat('storageUsdPerHour', { description: "The volume's storage cost per hour (sizeGb × usdPerGbMonth ÷ 730 h), which a job's spend accrues while its pod runs." }),
  }),
});

const GpuTypeRef = builder.objectRef<GpuTypeSpec>('GpuType').implement({
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The RunPod GPU type id, e.g. "NVIDIA H100 PCIe".' }), label: t.exposeString('label'), memoryGb: t.exposeInt('memoryGb'), description: t.exposeString('description'), recommended: t.exposeBoolean('recommended'),
    pinnedDataCenter: t.field({
      type: JobPlacementRef,
      nullable: true,
      description: "Where a RunPod job on this GPU type would run when the workspace has a model-cache volume (its data center) and whether this GPU type is offered there; null when jobs may run anywhere (no volume, or no RunPod provider).",
      resolve: async (gpu, _args, ctx) => {
        const runpod = ctx.services.providers.all().find((p) => p.name === 'runpod');
        return (await runpod?.placement?.(gpu.id, { workspaceId: workspaceOf(ctx) }).catch(() => null)) ?? null;
      },
    }),
  }),
});
export const ProviderNameEnum = builder.enumType('TrainingProviderName', {
  values: {
    RUNPOD: { description: 'RunPod GPU pods (spot or on-demand), billed by RunPod.' },
    LOCAL: { description: "The trainer as a process on the server's own machine." },
    DEMO: { description: 'A labelled simulation: synthetic metrics, no GPU.' },
  } as const,
});
export const ProviderRef = builder.objectRef<ProviderInfo>('TrainingProvider').implement({
  description: 'Where this server can run jobs.',
  fields: (t) => ({
    name: t.field({ type: ProviderNameEnum, resolve: (p) => p.name.toUpperCase() as 'RUNPOD' }),
    simulated: t.exposeBoolean('simulated'),
    isDefault: t.exposeBoolean('isDefault', { description: 'Used when a job names no provider.' }),
    ready: t.boolean({ description: 'Whether a job can start on it now (false: see setupHint).', resolve: (p) => p.setupHint === null }),
    setupHint: t.string({ nullable: true, description: 'What it still needs before it can launch for your workspace (e.g. a RunPod API key in Settings), with the fix; null when ready.', resolve: (p) => p.setupHint }),
  }),
});
const CatalogRef = builder.objectRef<typeof TRAINING_PRESETS_CATALOG>('TrainingCatalog').implement({
  description: 'Everything the training configurator offers: presets, field ranges, base models, GPU types, and the providers of this server.',
  fields: (t) => ({
    defaultPreset: t.field({ type: PresetEnum, resolve: (c) => c.defaultPreset }),
    presets: t.field({ type: [PresetRef], resolve: (c) => [...c.presets] }),
    ranges: t.field({ type: [RangeRef], resolve: (c) => [...c.ranges] }),
    baseModels: t.field({ type: [BaseModelRef], resolve: (c) => [...c.baseModels] }),
    gpuTypes: t.field({ type: [GpuTypeRef], resolve: (c) => [...c.gpuTypes] }),
    providers: t.field({ type: [ProviderRef], resolve: async (_c, _a, ctx) => ctx.services.providers.list(await ctx.services.settings.launchSettings(workspaceOf(ctx))) }),
    defaultBaseModel: t.string({ resolve: (c) => c.defaults.baseModel }),
    defaultGpuType: t.string({ resolve: (c) => c.defaults.gpuType }),
    defaultMaxDurationHours: t.float({ resolve: (c) => c.defaults.maxDurationHours }),
  }),
});

builder.queryField('trainingCatalog', (t) =>
  t.field({ type: CatalogRef, description: 'The whole configurator catalog (what v0 called trainingPresets).', authScopes: { read: true }, resolve: () => TRAINING_PRESETS_CATALOG }),
);

export const TrainingOverridesInput = builder.inputType('TrainingOverridesInput', {
  description: 'Any field left out keeps the preset value. Ranges: see trainingCatalog.ranges.',
  fields: (t) => ({
    loraRank: t.int(), loraAlpha: t.int({ description: 'Defaults to 2 × loraRank when only the rank is given.' }), loraDropout: t.float(),
    epochs: t.int(), batchSize: t.int(), gradientAccumulationSteps: t.int(), learningRate: t.float(), warmupRatio: t.float(),
    maxSequenceLength: t.int(), validationShare: t.float(), seed: t.int(),
    baseModel: t.string({ description: 'A trainingCatalog.baseModels id.' }), quantization: t.field({ type: QuantizationEnum }),
    gpuType: t.string({ description: 'A trainingCatalog.gpuTypes id.' }), cloudType: t.field({ type: CloudTypeEnum }), maxDurationHours: t.float(),
  }),
});

export const TrainingPlanInput = builder.inputType('TrainingPlanInput', {
  description: 'What to train and how: the part of a job that the estimate depends on.',
  fields: (t) => ({
    datasetId: t.id({ required: true, bounds: { idOf: 'ds' } }),
    preset: t.field({ type: PresetEnum, description: 'Default BALANCED (or the saved configuration\'s).' }),
    overrides: t.field({ type: TrainingOverridesInput }),
    configurationId: t.id({ bounds: { idOf: 'cfg' }, description: 'Start from a saved configuration; overrides still apply on top.' }),
    provider: t.field({ type: ProviderNameEnum, description: "One of trainingCatalog.providers; default: the server's default provider." }),
    maxSteps: t.int({ description: 'Estimate a run stopped after this many optimizer steps (≥ 1), as StartTrainingJobInput.maxSteps does; startTrainingJob takes the larger-scope input.maxSteps when both are set.' }),
  }),
});

/** Where a plan field sits in StartTrainingJobInput (the plan is nested there). */
export const PLAN_FIELDS = /^(datasetId|preset|overrides|configurationId|provider|maxSteps)\b/;

/** The plan input as the job service takes it. */
export function planOf(input: { datasetId: string | number; preset?: PresetKey | null; overrides?: object | null; configurationId?: string | number | null; provider?: string | null; maxSteps?: number | null }) {
  if (input.maxSteps != null && (!Number.isInteger(input.maxSteps) || input.maxSteps < 1)) throw new ValidationError([{ field: 'maxSteps', message: `must be a whole number ≥ 1 (got ${input.maxSteps})` }]);
  return {
    maxSteps: input.maxSteps ?? null,
    datasetId: String(input.datasetId),
    preset: input.preset,
    overrides: input.overrides as TrainingOverrides | null | undefined,
    configurationId: input.configurationId != null ? String(input.configurationId) : null,
    provider: input.provider ? (input.provider.toLowerCase() as 'runpod' | 'local' | 'demo') : null,
  };
}

type Range = { low: number; high: number };
const HoursRef = builder.objectRef<Range>('HoursRange').implement({ fields: (t) => ({ low: t.exposeFloat('low'), high: t.exposeFloat('high') }) });
const UsdRangeRef = builder.objectRef<Range>('UsdRange').implement({
  description: 'An amount in US dollars, low to high.',
  fields: (t) => ({ lowUsd: t.float({ resolve: (r) => r.low }), highUsd: t.float({ resolve: (r) => r.high }) }),
});
const StageEnum = builder.enumType('EstimateStage', { values: ['PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING'] as const });
const StageHoursRef = builder.objectRef<TrainingEstimate['stages'][number]>('EstimateStageHours').implement({
  fields: (t) => ({ stage: t.field({ type: StageEnum, resolve: (s) => s.stage }), hours: t.field({ type: HoursRef, resolve: (s) => s.hours }) }),
});
const WarningCodeEnum = builder.enumType('EstimateWarningCode', {
  values: ['EXCEEDS_MAX_DURATION', 'NO_TRAINABLE_PAIRS', 'SEQUENCE_TRUNCATED', 'OUT_OF_MEMORY_RISK', 'FALLBACK_PRICE', 'SPOT_INTERRUPTIONS', 'HUGGING_FACE_TOKEN_MISSING', 'PROVIDER_NOT_READY', 'GPU_NOT_IN_DATA_CENTER'] as const,
});
const WarningRef = builder.objectRef<TrainingEstimate['warnings'][number]>('EstimateWarning').implement({
  fields: (t) => ({ code: t.field({ type: WarningCodeEnum, resolve: (w) => w.code }), message: t.exposeString('message') }),
});
const PriceSourceEnum = builder.enumType('PriceSource', {
  values: {
    RUNPOD_LIVE: { description: "RunPod's live price for the GPU and cloud type." },
    FALLBACK: { description: 'The documented price table (RunPod did not answer, or no key).' },
    LOCAL: { description: "The server's own machine: nothing is rented." },
    SIMULATED: { description: 'A demo job, billed at the documented rate in simulated time.' },
  } as const,
});
const ThroughputSourceEnum = builder.enumType('ThroughputSource', {
  values: { MODEL: { description: 'The documented throughput model.' }, CALIBRATED: { description: 'Blended with the measured throughput of past jobs.' } } as const,
});
const CostRef = builder.objectRef<TrainingEstimate['cost']>('CostEstimate').implement({
  description: 'Arithmetic, not decoration: compute = hours × pricePerHourUsd; plus storage; plus a stated buffer.',
  fields: (t) => ({
    lowUsd: t.float({ resolve: (c) => c.low }), highUsd: t.float({ resolve: (c) => c.high }),
    compute: t.field({ type: UsdRangeRef, resolve: (c) => c.breakdown.compute }),
    storageUsd: t.float({ description: 'Pod disk while the job runs, kept artifacts for a month, and modelCacheStorageUsd.', resolve: (c) => c.breakdown.storage }),
    modelCacheStorageUsd: t.float({
      description:
        "The workspace's model-cache network volume prorated for the job's duration: sizeGb × usdPerGbMonth × hours.high ÷ 730 (0 without a volume, or for a provider that does not mount it); part of storageUsd. The volume bills per GB-month whether jobs run or not: this is the job's share, the same share its spend accrues per hour its pods run.",
      resolve: (c) => c.breakdown.modelCacheStorage ?? 0,
    }),
    bufferShare: t.float({ description: 'The buffer as a share of compute + storage, 0–1.', resolve: (c) => c.breakdown.buffer.share }),
    buffer: t.field({ type: UsdRangeRef, resolve: (c) => c.breakdown.buffer }),
    pricePerHourUsd: t.float({ resolve: (c) => c.pricePerHour }),
    priceSource: t.field({ type: PriceSourceEnum, resolve: (c) => c.priceSource }),
    priceNote: t.exposeString('priceNote'),
  }),
});
export const EstimateRef = builder.objectRef<TrainingEstimate>('TrainingEstimate').implement({
  fields: (t) => ({
    totalTokens: t.field({ type: 'SafeInt', description: 'Tokens the training reads over all epochs.', resolve: (e) => Math.round(e.totalTokens) }),
    totalSteps: t.exposeInt('totalSteps'),
    tokensPerSecond: t.float({ resolve: (e) => e.throughput.tokensPerSecond }),
    throughputSource: t.field({ type: ThroughputSourceEnum, resolve: (e) => e.throughput.source }),
    pastJobs: t.int({ description: 'Completed jobs with the same model, GPU and sequence length that informed this estimate.', resolve: (e) => e.throughput.pastJobs }),
    hours: t.field({ type: HoursRef, resolve: (e) => e.hours }),
    stages: t.field({ type: [StageHoursRef], resolve: (e) => e.stages }),
    cost: t.field({ type: CostRef, resolve: (e) => e.cost }),
    peakMemoryGb: t.float({ resolve: (e) => e.basis.peakMemoryGb }),
    trainingPairs: t.int({ resolve: (e) => e.basis.trainingPairs }),
    validationPairs: t.int({ resolve: (e) => e.basis.validationPairs }),
    tokensPerPair: t.float({ resolve: (e) => e.basis.tokensPerPair }),
    warnings: t.field({ type: [WarningRef], resolve: (e) => e.warnings }),
    placement: t.field({
      type: JobPlacementRef,
      nullable: true,
      description: "Where the job will run when the workspace's model-cache volume pins it to a data center, and whether its GPU type is offered there; null when RunPod may place it anywhere.",
      resolve: (e) => e.placement ?? null,
    }),
  }),
});

builder.queryField('estimateTraining', (t) =>
  t.field({
    type: EstimateRef,
    description: 'Duration and cost before you commit, for a dataset and a configuration; the same figures startTrainingJob freezes.',
    authScopes: { read: true },
    args: { input: t.arg({ type: TrainingPlanInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'estimate' } },
    resolve: async (_root, { input }, ctx) => (await inInput(() => ctx.services.jobs.plan(workspaceOf(ctx), planOf(input)), (field) => `input.${field}`)).estimate,
  }),
);

export const TrainingConfigurationRef = builder.objectRef<TrainingConfiguration>('TrainingConfiguration').implement({
  description: 'A saved, named configuration: a preset plus overrides and the GPU choice.',
  interfaces: [nodeInterface],
  fields: (t) => ({
    id: t.exposeID('id'), name: t.exposeString('name'),
    preset: t.field({ type: PresetEnum, resolve: (c) => c.preset as PresetKey }),
    overrides: t.field({ type: 'JSON', description: 'The fields that differ from the preset (TrainingOverridesInput field names).', resolve: (c) => c.hyperparameters }),
    baseModel: t.exposeString('baseModel'), gpuType: t.exposeString('gpuType'),
    cloudType: t.field({ type: CloudTypeEnum, resolve: (c) => c.cloudType }), maxDurationHours: t.exposeFloat('maxDurationHours'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }), updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
const ConfigurationConnection = connectionType(TrainingConfigurationRef, 'TrainingConfiguration');
const CONFIGURATION_PAGES = { defaultSize: 50, maxSize: 100 };

builder.queryField('trainingConfigurations', (t) =>
  t.connection(
    {
      type: TrainingConfigurationRef,
      description: `Saved configurations, most recently saved first. ${pageLimitsText(CONFIGURATION_PAGES)}`,
      authScopes: { read: true },
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, CONFIGURATION_PAGES);
        const workspaceId = workspaceOf(ctx);
        const result = await ctx.services.configurations.list(workspaceId, page);
        return toConnection(result, page, (c) => [c.updatedAt, c.id], ctx.services.configurations.count(workspaceId));
      },
    },
    ConfigurationConnection,
  ),
);

builder.queryField('trainingConfiguration', (t) =>
  t.field({
    type: TrainingConfigurationRef,
    nullable: true,
    description: 'Null when no configuration of this workspace has the id.',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true, bounds: { idOf: 'cfg' } }) },
    resolve: (_root, { id }, ctx) => ctx.services.configurations.find(workspaceOf(ctx), String(id)),
  }),
);

const SaveConfigurationInput = builder.inputType('SaveTrainingConfigurationInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: '1–100 characters; saving under an existing name replaces that configuration.', bounds: { maxLength: 100 } }),
    preset: t.field({ type: PresetEnum }),
    overrides: t.field({ type: TrainingOverridesInput }),
  }),
});

builder.mutationField('saveTrainingConfiguration', (t) =>
  t.field({
    type: TrainingConfigurationRef,
    description: 'Saves (or replaces, by name) a configuration after validating it.',
    authScopes: { write: true },
    args: { input: t.arg({ type: SaveConfigurationInput, required: true }) },
    errors: { types: [ValidationError], dataField: { name: 'configuration' } },
    resolve: (_root, { input }, ctx) => ctx.services.configurations.save(workspaceOf(ctx), { name: input.name, preset: input.preset, overrides: input.overrides as TrainingOverrides | null }),
  }),
);

const DeleteConfigurationInput = builder.inputType('DeleteTrainingConfigurationInput', { fields: (t) => ({ id: t.id({ required: true, bounds: { idOf: 'cfg' } }) }) });

builder.mutationField('deleteTrainingConfiguration', (t) =>
  t.field({
    type: TrainingConfigurationRef,
    description: 'Deletes a saved configuration. Jobs started from it keep their frozen copy.',
    authScopes: { write: true },
    args: { input: t.arg({ type: DeleteConfigurationInput, required: true }) },
    errors: { types: [NotFoundError, ValidationError], dataField: { name: 'configuration' } },
    resolve: (_root, { input }, ctx) => ctx.services.configurations.delete(workspaceOf(ctx), String(input.id)),
  }),
);
