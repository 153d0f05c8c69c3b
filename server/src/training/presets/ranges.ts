/**
 * What each configurable field accepts (the Advanced Settings panel of UI spec P03). One table
 * drives the validation in `resolve.ts` and the `trainingPresets` query, so the UI's sliders and
 * the server's checks cannot disagree.
 */
import { BASE_MODELS, CLOUD_TYPES, GPU_TYPE_IDS, QUANTIZATIONS } from './catalog.js';

interface FieldBase {
  label: string;
  help: string;
  group: 'HYPERPARAMETERS' | 'MODEL' | 'RESOURCES';
}

export type FieldSpec = FieldBase &
  (
    | { kind: 'INTEGER'; min: number; max: number }
    | { kind: 'NUMBER'; min: number; max: number; step: number; notation?: 'scientific' }
    | { kind: 'CHOICE'; options: readonly number[] }
    | { kind: 'ENUM'; values: readonly string[] }
  );

export const FIELD_SPECS = {
  loraRank: {
    kind: 'INTEGER', min: 4, max: 64, group: 'HYPERPARAMETERS',
    label: 'LoRA rank (r)', help: 'Higher = more capacity, slower training.',
  },
  loraAlpha: {
    kind: 'INTEGER', min: 8, max: 128, group: 'HYPERPARAMETERS',
    label: 'LoRA alpha', help: 'Scales the adapter; defaults to 2 × rank.',
  },
  loraDropout: {
    kind: 'NUMBER', min: 0, max: 0.2, step: 0.01, group: 'HYPERPARAMETERS',
    label: 'LoRA dropout', help: 'Regularises the adapter; 0.05 suits most datasets.',
  },
  epochs: {
    kind: 'INTEGER', min: 1, max: 10, group: 'HYPERPARAMETERS',
    label: 'Epochs', help: 'Passes over the training pairs; cost grows linearly.',
  },
  batchSize: {
    kind: 'CHOICE', options: [1, 2, 4, 8], group: 'HYPERPARAMETERS',
    label: 'Batch size', help: 'Pairs per GPU step; larger needs more GPU memory.',
  },
  gradientAccumulationSteps: {
    kind: 'INTEGER', min: 1, max: 64, group: 'HYPERPARAMETERS',
    label: 'Gradient accumulation', help: 'Steps summed before each update (effective batch).',
  },
  learningRate: {
    kind: 'NUMBER', min: 1e-6, max: 1e-3, step: 1e-6, notation: 'scientific',
    group: 'HYPERPARAMETERS',
    label: 'Learning rate', help: 'Peak rate of the cosine schedule.',
  },
  warmupRatio: {
    kind: 'NUMBER', min: 0, max: 0.1, step: 0.01, group: 'HYPERPARAMETERS',
    label: 'Warmup ratio', help: 'Share of steps spent ramping the learning rate up.',
  },
  maxSequenceLength: {
    kind: 'CHOICE', options: [512, 1024, 2048, 4096], group: 'HYPERPARAMETERS',
    label: 'Max sequence length', help: 'Longer pairs are truncated to this many tokens.',
  },
  validationShare: {
    kind: 'NUMBER', min: 0, max: 0.5, step: 0.01, group: 'HYPERPARAMETERS',
    label: 'Validation share', help: 'Share of conversations held out to measure validation loss.',
  },
  seed: {
    kind: 'INTEGER', min: 0, max: 2_147_483_647, group: 'HYPERPARAMETERS',
    label: 'Seed', help: 'Fixes shuffling and initialisation so a run can be repeated.',
  },
  baseModel: {
    kind: 'ENUM', values: BASE_MODELS.map((model) => model.id), group: 'MODEL',
    label: 'Base model', help: 'The model the adapter is trained for.',
  },
  quantization: {
    kind: 'ENUM', values: QUANTIZATIONS, group: 'MODEL',
    label: 'Quantization', help: 'NF4 (QLoRA) loads the base model in 4 bits; BF16 in 16.',
  },
  gpuType: {
    kind: 'ENUM', values: GPU_TYPE_IDS, group: 'RESOURCES',
    label: 'GPU type', help: 'The RunPod GPU the job rents.',
  },
  cloudType: {
    kind: 'ENUM', values: CLOUD_TYPES, group: 'RESOURCES',
    label: 'Instance type', help: 'Spot is cheaper but interruptible; On-Demand is guaranteed.',
  },
  maxDurationHours: {
    kind: 'NUMBER', min: 0.1, max: 168, step: 0.1, group: 'RESOURCES',
    label: 'Max duration (hours)', help: 'The job is stopped when it runs longer than this.',
  },
} as const satisfies Record<string, FieldSpec>;

export type ConfigField = keyof typeof FIELD_SPECS;
export const CONFIG_FIELDS = Object.keys(FIELD_SPECS) as ConfigField[];

/** `1e-6`, not `0.000001`, where the field is shown in scientific notation. */
export function formatFieldNumber(spec: FieldSpec, value: number): string {
  if (spec.kind === 'NUMBER' && spec.notation === 'scientific' && value !== 0) {
    return value.toExponential().replace('e+', 'e');
  }
  return String(value);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return String(value);
  return JSON.stringify(value) ?? typeof value;
}

/** Checks one value against its field's spec; returns the error message, or null when valid. */
export function checkField(field: ConfigField, value: unknown): string | null {
  const spec: FieldSpec = FIELD_SPECS[field];
  const got = `(got ${describeValue(value)})`;
  switch (spec.kind) {
    case 'INTEGER':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
        const whole = typeof value === 'number' && !Number.isInteger(value) ? 'a whole number ' : '';
        return `${field} must be ${whole}between ${spec.min} and ${spec.max} ${got}`;
      }
      return null;
    case 'NUMBER':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max) {
        const [min, max] = [formatFieldNumber(spec, spec.min), formatFieldNumber(spec, spec.max)];
        return `${field} must be between ${min} and ${max} ${got}`;
      }
      return null;
    case 'CHOICE':
      if (typeof value !== 'number' || !spec.options.includes(value)) {
        return `${field} must be one of ${spec.options.join(', ')} ${got}`;
      }
      return null;
    case 'ENUM':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        return `${field} must be one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')} ${got}`;
      }
      return null;
  }
}
