/**
 * Preset + overrides → one validated training configuration, or every field error at once.
 */
import {
  DEFAULT_BASE_MODEL,
  DEFAULT_GPU_TYPE,
  findBaseModel,
  findGpuType,
  type CloudType,
  type GpuTypeId,
  type Quantization,
} from './catalog.js';
import { DEFAULT_PRESET, PRESET_KEYS, PRESETS, isPresetKey, type Hyperparameters, type PresetKey } from './presets.js';
import { CONFIG_FIELDS, FIELD_SPECS, checkField, type ConfigField } from './ranges.js';

export interface TrainingConfig extends Hyperparameters {
  preset: PresetKey;
  /** Hyperparameters the overrides moved away from the preset (the UI's "Custom" badge). */
  customizedFields: ConfigField[];
  baseModel: string;
  quantization: Quantization;
  gpuType: GpuTypeId;
  cloudType: CloudType;
  maxDurationHours: number;
}

/** `null` means "keep the preset's value", as GraphQL sends omitted input fields. */
export type TrainingOverrides = { [Field in ConfigField]?: TrainingConfig[Field] | null };

export interface FieldError {
  field: string;
  message: string;
}

export type ResolveResult =
  | { ok: true; config: TrainingConfig }
  | { ok: false; fieldErrors: FieldError[] };

export const RESOURCE_DEFAULTS = {
  baseModel: DEFAULT_BASE_MODEL,
  gpuType: DEFAULT_GPU_TYPE,
  cloudType: 'SPOT' as CloudType,
  maxDurationHours: 24,
};

/**
 * Merges a preset (default BALANCED) with overrides and validates the result. `null` or absent
 * overrides mean "keep the preset's value" (GraphQL sends nulls for omitted input fields). When the
 * rank is overridden and alpha is not, alpha follows as 2 × rank.
 */
export function resolveTrainingConfig(input: {
  preset?: PresetKey | null;
  overrides?: TrainingOverrides | null;
}): ResolveResult {
  const fieldErrors: FieldError[] = [];
  const presetInput: unknown = input.preset ?? DEFAULT_PRESET;
  if (!isPresetKey(presetInput)) {
    fieldErrors.push({
      field: 'preset',
      message: `preset must be one of ${PRESET_KEYS.join(', ')} (got ${JSON.stringify(presetInput)})`,
    });
  }
  const presetKey = isPresetKey(presetInput) ? presetInput : DEFAULT_PRESET;
  const presetValues = PRESETS[presetKey].hyperparameters;

  const rawOverrides: unknown = input.overrides ?? {};
  const given = new Map<ConfigField, unknown>();
  if (typeof rawOverrides !== 'object' || Array.isArray(rawOverrides)) {
    fieldErrors.push({ field: 'overrides', message: 'overrides must be an object of field values' });
  } else {
    for (const [field, value] of Object.entries(rawOverrides as Record<string, unknown>)) {
      if (value === null || value === undefined) continue;
      if (!Object.hasOwn(FIELD_SPECS, field)) {
        fieldErrors.push({
          field,
          message: `${field} is not a configurable field (allowed: ${CONFIG_FIELDS.join(', ')})`,
        });
        continue;
      }
      const problem = checkField(field as ConfigField, value);
      if (problem) fieldErrors.push({ field, message: problem });
      else given.set(field as ConfigField, value);
    }
  }

  const baseModel = (given.get('baseModel') as string | undefined) ?? RESOURCE_DEFAULTS.baseModel;
  const model = findBaseModel(baseModel);
  const config: TrainingConfig = {
    ...presetValues,
    targetModules: [...presetValues.targetModules],
    preset: presetKey,
    customizedFields: [],
    baseModel,
    quantization: model?.defaultQuantization ?? 'NF4',
    gpuType: RESOURCE_DEFAULTS.gpuType,
    cloudType: RESOURCE_DEFAULTS.cloudType,
    maxDurationHours: RESOURCE_DEFAULTS.maxDurationHours,
  };
  for (const [field, value] of given) Object.assign(config, { [field]: value });
  if (given.has('loraRank') && !given.has('loraAlpha')) config.loraAlpha = 2 * config.loraRank;

  config.customizedFields = CONFIG_FIELDS.filter(
    (field) =>
      FIELD_SPECS[field].group === 'HYPERPARAMETERS' &&
      config[field] !== presetValues[field as keyof Hyperparameters],
  );

  const memoryProblem = checkGpuMemory(config, given);
  if (memoryProblem) fieldErrors.push(memoryProblem);

  return fieldErrors.length > 0 ? { ok: false, fieldErrors } : { ok: true, config };
}

/** A model that does not fit the GPU's memory would fail minutes into a paid pod: refuse it here. */
function checkGpuMemory(config: TrainingConfig, given: Map<ConfigField, unknown>): FieldError | null {
  const model = findBaseModel(config.baseModel);
  const gpu = findGpuType(config.gpuType);
  if (!model || !gpu) return null;
  const needed = model.minGpuMemoryGb[config.quantization];
  if (needed <= gpu.memoryGb) return null;
  const field = given.has('gpuType') ? 'gpuType' : given.has('quantization') ? 'quantization' : 'baseModel';
  return {
    field,
    message:
      `${model.label} in ${config.quantization} needs at least ${needed} GB of GPU memory, but ` +
      `${gpu.id} has ${gpu.memoryGb} GB: choose NF4 quantization or a GPU with more memory`,
  };
}

/**
 * The part of a configuration stored as the job's `hyperparameters` JSON: everything without a
 * column of its own (preset, base model, GPU, cloud type and max duration have columns).
 */
export function hyperparametersOf(config: TrainingConfig): Hyperparameters & { quantization: Quantization } {
  return {
    loraRank: config.loraRank,
    loraAlpha: config.loraAlpha,
    loraDropout: config.loraDropout,
    targetModules: [...config.targetModules],
    epochs: config.epochs,
    batchSize: config.batchSize,
    gradientAccumulationSteps: config.gradientAccumulationSteps,
    learningRate: config.learningRate,
    lrScheduler: config.lrScheduler,
    warmupRatio: config.warmupRatio,
    maxSequenceLength: config.maxSequenceLength,
    validationShare: config.validationShare,
    seed: config.seed,
    quantization: config.quantization,
  };
}
