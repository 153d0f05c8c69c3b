/**
 * The configurator's form model (UI spec P03): a preset plus the fields changed from it, the model
 * and compute choices, and the plan sent to estimateTraining / startTrainingJob. Pure functions,
 * no Svelte, so they are unit-tested beside this file.
 */
import type {
  CatalogFieldsFragment,
  CloudType,
  Quantization,
  TrainingOverridesInput,
  TrainingPlanInput,
  TrainingPreset,
  TrainingProviderName,
} from '$lib/graphql/generated/graphql';

/** The hyperparameters a preset sets and the Advanced Settings panel edits (TrainingOverridesInput names). */
export const HYPER_FIELDS = [
  'loraRank',
  'loraAlpha',
  'loraDropout',
  'epochs',
  'batchSize',
  'gradientAccumulationSteps',
  'learningRate',
  'warmupRatio',
  'maxSequenceLength',
  'validationShare',
  'seed',
] as const;
export type HyperField = (typeof HYPER_FIELDS)[number];
export type Hyper = Record<HyperField, number>;

export const PRESET_ORDER: TrainingPreset[] = ['CONSERVATIVE', 'BALANCED', 'AGGRESSIVE'];

export interface FormState {
  preset: TrainingPreset;
  hyper: Hyper;
  /** LoRA alpha follows 2 × rank until the user sets alpha itself (the spec's default). */
  alphaLinked: boolean;
  baseModel: string;
  /** Null: the base model's default quantization. */
  quantization: Quantization | null;
  gpuType: string;
  cloudType: CloudType;
  maxDurationHours: number;
  /** Null: no cap. */
  costCapUsd: number | null;
  /** Null: the server's default provider. */
  provider: TrainingProviderName | null;
  allowOnDemandFallback: boolean;
}

export type Catalog = CatalogFieldsFragment;
export type FieldRange = Catalog['ranges'][number];

export function presetHyper(catalog: Catalog, key: TrainingPreset): Hyper {
  const preset = catalog.presets.find((p) => p.key === key) ?? catalog.presets[0];
  if (!preset) throw new Error('The training catalog has no presets');
  const h = preset.hyperparameters;
  return Object.fromEntries(HYPER_FIELDS.map((f) => [f, h[f]])) as Hyper;
}

/** The catalog's defaults, then the workspace's launch defaults where known. */
export function initialState(
  catalog: Catalog,
  defaults: { preset?: TrainingPreset | null; gpuType?: string | null; cloudType?: CloudType | null } = {},
): FormState {
  const preset = defaults.preset ?? catalog.defaultPreset;
  return {
    preset,
    hyper: presetHyper(catalog, preset),
    alphaLinked: true,
    baseModel: catalog.defaultBaseModel,
    quantization: null,
    gpuType: defaults.gpuType && catalog.gpuTypes.some((g) => g.id === defaults.gpuType) ? defaults.gpuType : catalog.defaultGpuType,
    cloudType: defaults.cloudType ?? 'SPOT',
    maxDurationHours: catalog.defaultMaxDurationHours,
    costCapUsd: null,
    provider: null,
    allowOnDemandFallback: false,
  };
}

/** Another preset: its hyperparameters replace every custom value; model and compute stay. */
export function applyPreset(state: FormState, catalog: Catalog, key: TrainingPreset): FormState {
  return { ...state, preset: key, hyper: presetHyper(catalog, key), alphaLinked: true };
}

/** One hyperparameter changed; alpha keeps following 2 × rank unless it was set itself. */
export function setHyper(state: FormState, field: HyperField, value: number): FormState {
  const hyper = { ...state.hyper, [field]: value };
  let alphaLinked = state.alphaLinked;
  if (field === 'loraAlpha') alphaLinked = value === 2 * hyper.loraRank;
  if (field === 'loraRank' && alphaLinked) hyper.loraAlpha = Math.min(128, 2 * value);
  return { ...state, hyper, alphaLinked };
}

const same = (a: number, b: number) => Math.abs(a - b) <= Math.max(Math.abs(a), Math.abs(b)) * 1e-9;

/** The hyperparameters that differ from the selected preset's (the "Custom" badge). */
export function customFields(state: FormState, catalog: Catalog): HyperField[] {
  const base = presetHyper(catalog, state.preset);
  return HYPER_FIELDS.filter((f) => !same(state.hyper[f], base[f]));
}

export function resetToPreset(state: FormState, catalog: Catalog): FormState {
  return applyPreset(state, catalog, state.preset);
}

/** What the API is sent: the changed hyperparameters plus every model and compute choice, explicitly. */
export function toOverrides(state: FormState, catalog: Catalog): TrainingOverridesInput {
  const overrides: TrainingOverridesInput = {};
  for (const field of customFields(state, catalog)) overrides[field] = state.hyper[field];
  // Rank changed with alpha following: send alpha too, so the server cannot read it otherwise.
  if (overrides.loraRank !== undefined) overrides.loraAlpha = state.hyper.loraAlpha;
  overrides.baseModel = state.baseModel;
  if (state.quantization) overrides.quantization = state.quantization;
  overrides.gpuType = state.gpuType;
  overrides.cloudType = state.cloudType;
  overrides.maxDurationHours = state.maxDurationHours;
  return overrides;
}

export function toPlan(state: FormState, catalog: Catalog, datasetId: string): TrainingPlanInput {
  return { datasetId, preset: state.preset, overrides: toOverrides(state, catalog), ...(state.provider ? { provider: state.provider } : {}) };
}

/** A preset card's own estimate: that preset's hyperparameters with this form's model and compute. */
export function presetPlan(state: FormState, catalog: Catalog, datasetId: string, key: TrainingPreset): TrainingPlanInput {
  return toPlan(applyPreset(state, catalog, key), catalog, datasetId);
}

/** A saved configuration (preset + overrides + model and compute) as the form. */
export function fromConfiguration(
  catalog: Catalog,
  saved: { preset: TrainingPreset; overrides: unknown; baseModel: string; gpuType: string; cloudType: CloudType; maxDurationHours: number },
  keep: FormState,
): FormState {
  const hyper = presetHyper(catalog, saved.preset);
  const overrides = (saved.overrides && typeof saved.overrides === 'object' ? saved.overrides : {}) as Record<string, unknown>;
  for (const field of HYPER_FIELDS) {
    const value = overrides[field];
    if (typeof value === 'number' && Number.isFinite(value)) hyper[field] = value;
  }
  const quantization = overrides.quantization === 'NF4' || overrides.quantization === 'BF16' ? overrides.quantization : null;
  return {
    ...keep,
    preset: saved.preset,
    hyper,
    alphaLinked: hyper.loraAlpha === 2 * hyper.loraRank,
    baseModel: saved.baseModel,
    quantization,
    gpuType: saved.gpuType,
    cloudType: saved.cloudType,
    maxDurationHours: saved.maxDurationHours,
  };
}

/** A job's frozen configuration as the form (read-only view, or "train again with these settings"). */
export function fromFrozenJob(
  catalog: Catalog,
  job: {
    preset: TrainingPreset;
    baseModel: string;
    gpuType: string;
    cloudType: CloudType;
    maxDurationHours: number;
    costCapUsd?: number | null;
    allowOnDemandFallback?: boolean;
    provider?: TrainingProviderName | null;
    hyperparameters: Hyper & { quantization?: Quantization | null };
  },
): FormState {
  const hyper = Object.fromEntries(HYPER_FIELDS.map((f) => [f, job.hyperparameters[f]])) as Hyper;
  const model = catalog.baseModels.find((m) => m.id === job.baseModel);
  const q = job.hyperparameters.quantization ?? null;
  return {
    preset: job.preset,
    hyper,
    alphaLinked: hyper.loraAlpha === 2 * hyper.loraRank,
    baseModel: job.baseModel,
    quantization: q && q !== model?.defaultQuantization ? q : null,
    gpuType: job.gpuType,
    cloudType: job.cloudType,
    maxDurationHours: job.maxDurationHours,
    costCapUsd: job.costCapUsd ?? null,
    provider: job.provider ?? null,
    allowOnDemandFallback: job.allowOnDemandFallback ?? false,
  };
}

/** Whether the form is exactly a saved configuration (then a launch records it as the job's origin). */
export function matchesConfiguration(state: FormState, catalog: Catalog, saved: Parameters<typeof fromConfiguration>[1]): boolean {
  const a = toOverrides(state, catalog);
  const b = toOverrides(fromConfiguration(catalog, saved, state), catalog);
  return state.preset === saved.preset && stableKey(a) === stableKey(b);
}

/** A stable string for a plain value (object keys sorted): equal plans, equal keys. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}

/** `2e-4`, not `0.0002` (the learning rate). */
export function formatScientific(value: number): string {
  if (value === 0) return '0';
  const [mantissa, exponent] = value.toExponential().split('e');
  const m = Number(Number(mantissa).toPrecision(3));
  return `${m}e${Number(exponent)}`;
}

/** A field's value for display: scientific where the catalog says so, else trimmed decimals. */
export function formatFieldValue(range: Pick<FieldRange, 'scientificNotation' | 'step'>, value: number): string {
  if (range.scientificNotation) return formatScientific(value);
  if (range.step && range.step < 1) {
    const decimals = Math.max(0, Math.ceil(-Math.log10(range.step) - 1e-9));
    return value.toFixed(decimals);
  }
  return String(value);
}

/** Text typed into a field: a number (2e-4, 0.0002, 2E-4, "2 × 10^-4") or null. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(/\s+/g, '').replace(/[×x*]10\^/i, 'e').replace(/,/g, '');
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Whether a value fits the catalog's range for its field; the message names the bounds (and the notation). */
export function checkRange(range: FieldRange, value: number | null): string | null {
  if (value === null) return range.scientificNotation ? 'Enter a number, e.g. 2e-4' : 'Enter a number';
  if (range.kind === 'CHOICE') return range.options?.includes(value) ? null : `Choose one of ${range.options?.join(', ')}`;
  const min = range.min ?? -Infinity;
  const max = range.max ?? Infinity;
  if (range.kind === 'INTEGER' && !Number.isInteger(value)) return 'Enter a whole number';
  if (value < min || value > max) return `Between ${formatFieldValue(range, min)} and ${formatFieldValue(range, max)}`;
  return null;
}

/** Snap a slider's raw value to the field's step (and avoid 0.30000000000000004). */
export function snap(range: FieldRange, value: number): number {
  if (range.kind === 'INTEGER') return Math.round(value);
  const step = range.step ?? 0;
  if (!step) return value;
  const snapped = Math.round(value / step) * step;
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return Number(snapped.toFixed(decimals + 2));
}

/**
 * Answers in the order they were asked for: each request takes a number, and only the answer to
 * the newest request may be shown — an older answer arriving late is dropped.
 */
export class LatestOnly {
  #issued = 0;
  next(): number {
    return ++this.#issued;
  }
  isLatest(seq: number): boolean {
    return seq === this.#issued;
  }
  get issued(): number {
    return this.#issued;
  }
}

/** "$12–15" for whole-dollar ranges above $100, else cents: "$8.07–$10.63". */
export function formatUsdRange(low: number, high: number): string {
  const fmt = (v: number) => (v >= 100 ? `$${Math.round(v).toLocaleString('en-US')}` : `$${v.toFixed(2)}`);
  return `${fmt(low)}–${fmt(high)}`;
}

/** "4.1–5.4 h", "25–40 min" under an hour, "2.1–3 days" beyond 48 h. */
export function formatHoursRange(low: number, high: number): string {
  if (high < 1) return `${Math.max(1, Math.round(low * 60))}–${Math.max(1, Math.round(high * 60))} min`;
  if (low >= 48) return `${(low / 24).toFixed(1)}–${(high / 24).toFixed(1)} days`;
  const one = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
  return `${one(low)}–${one(high)} h`;
}

/** A fresh idempotency key (a v4 UUID) for one confirmed launch; getRandomValues works outside secure contexts too. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
