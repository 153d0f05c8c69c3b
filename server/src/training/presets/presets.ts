/**
 * The three presets of the Training Configurator (UI spec P03) and the hyperparameters they set.
 */

export const PRESET_KEYS = ['CONSERVATIVE', 'BALANCED', 'AGGRESSIVE'] as const;
export type PresetKey = (typeof PRESET_KEYS)[number];
export const DEFAULT_PRESET: PresetKey = 'BALANCED';

/** All attention and MLP projections of a Llama-style block. */
export const TARGET_MODULES = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
] as const;

export interface Hyperparameters {
  loraRank: number;
  loraAlpha: number;
  loraDropout: number;
  targetModules: string[];
  epochs: number;
  batchSize: number;
  gradientAccumulationSteps: number;
  learningRate: number;
  lrScheduler: 'cosine';
  warmupRatio: number;
  maxSequenceLength: number;
  /** Share of the trainable pairs held out for evaluation (split by conversation). */
  validationShare: number;
  seed: number;
}

export interface PresetDefinition {
  key: PresetKey;
  label: string;
  /** One line for the preset card. */
  description: string;
  bestFor: string;
  hyperparameters: Hyperparameters;
}

const SHARED = {
  loraDropout: 0.05,
  batchSize: 4,
  gradientAccumulationSteps: 1,
  lrScheduler: 'cosine',
  warmupRatio: 0.03,
  maxSequenceLength: 2048,
  validationShare: 0.1,
  seed: 42,
} as const;

function preset(
  key: PresetKey,
  label: string,
  description: string,
  bestFor: string,
  own: Pick<Hyperparameters, 'loraRank' | 'loraAlpha' | 'learningRate' | 'epochs'>,
): PresetDefinition {
  return {
    key,
    label,
    description,
    bestFor,
    hyperparameters: { ...SHARED, ...own, targetModules: [...TARGET_MODULES] },
  };
}

export const PRESETS: Readonly<Record<PresetKey, PresetDefinition>> = {
  CONSERVATIVE: preset(
    'CONSERVATIVE',
    'Conservative',
    'Slower, safer, lower cost',
    'First training attempt',
    { loraRank: 8, loraAlpha: 16, learningRate: 1e-4, epochs: 2 },
  ),
  BALANCED: preset(
    'BALANCED',
    'Balanced',
    'Recommended for most use cases',
    'Production training',
    { loraRank: 16, loraAlpha: 32, learningRate: 2e-4, epochs: 3 },
  ),
  AGGRESSIVE: preset(
    'AGGRESSIVE',
    'Aggressive',
    'Faster learning, higher risk',
    'Experimentation',
    { loraRank: 32, loraAlpha: 64, learningRate: 5e-4, epochs: 5 },
  ),
};

export function isPresetKey(value: unknown): value is PresetKey {
  return typeof value === 'string' && (PRESET_KEYS as readonly string[]).includes(value);
}
