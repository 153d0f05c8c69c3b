/**
 * Presets, ranges, base models and GPU types, and the one function that turns a preset plus
 * overrides into a validated configuration.
 */
import { BASE_MODELS, CLOUD_TYPE_OPTIONS, GPU_TYPES, QUANTIZATIONS } from './catalog.js';
import { DEFAULT_PRESET, PRESET_KEYS, PRESETS } from './presets.js';
import { CONFIG_FIELDS, FIELD_SPECS, type ConfigField, type FieldSpec } from './ranges.js';
import { RESOURCE_DEFAULTS } from './resolve.js';

export * from './catalog.js';
export * from './presets.js';
export * from './ranges.js';
export * from './resolve.js';

/** One row of the ranges table, flattened for GraphQL (fields that do not apply are null). */
export interface FieldRange {
  field: ConfigField;
  label: string;
  help: string;
  group: FieldSpec['group'];
  kind: FieldSpec['kind'];
  min: number | null;
  max: number | null;
  step: number | null;
  notation: 'scientific' | null;
  options: number[] | null;
  values: string[] | null;
}

function toRange(field: ConfigField): FieldRange {
  const spec: FieldSpec = FIELD_SPECS[field];
  return {
    field,
    label: spec.label,
    help: spec.help,
    group: spec.group,
    kind: spec.kind,
    min: spec.kind === 'INTEGER' || spec.kind === 'NUMBER' ? spec.min : null,
    max: spec.kind === 'INTEGER' || spec.kind === 'NUMBER' ? spec.max : null,
    step: spec.kind === 'NUMBER' ? spec.step : spec.kind === 'INTEGER' ? 1 : null,
    notation: spec.kind === 'NUMBER' ? (spec.notation ?? null) : null,
    options: spec.kind === 'CHOICE' ? [...spec.options] : null,
    values: spec.kind === 'ENUM' ? [...spec.values] : null,
  };
}

/** Everything the `trainingPresets` query returns. */
export const TRAINING_PRESETS_CATALOG = {
  defaultPreset: DEFAULT_PRESET,
  presets: PRESET_KEYS.map((key) => PRESETS[key]),
  ranges: CONFIG_FIELDS.map(toRange),
  baseModels: BASE_MODELS,
  gpuTypes: GPU_TYPES,
  cloudTypes: CLOUD_TYPE_OPTIONS,
  quantizations: QUANTIZATIONS,
  defaults: RESOURCE_DEFAULTS,
};
