import { hyperparametersOf, type Hyperparameters, type TrainingConfig } from '../presets/index.js';

/**
 * The hyperparameters a job freezes at launch, in the trainer contract's shape
 * (trainer/CONTRACT.md): the configuration's own values plus the run controls.
 */
export interface FrozenHyperparameters extends Hyperparameters {
  quantization: 'NONE' | 'NF4';
  packing: boolean;
  gradientCheckpointing: boolean | null;
  maxSteps: number | null;
  evalEverySteps: number | null;
  checkpointEverySteps: number | null;
  keepCheckpoints: number;
}

export interface RunControls {
  /** Smoke runs: stop after this many optimizer steps. */
  maxSteps?: number | null;
  checkpointEverySteps?: number | null;
  evalEverySteps?: number | null;
}

export function freezeHyperparameters(config: TrainingConfig, controls: RunControls = {}): FrozenHyperparameters {
  const values = hyperparametersOf(config);
  return {
    ...values,
    // The estimator's BF16 means "no quantization": the trainer then picks bf16 on capable GPUs.
    quantization: values.quantization === 'NF4' ? 'NF4' : 'NONE',
    // Padding-free batches: the trainer uses them where FlashAttention-2's varlen kernels are
    // installed (its `kernels` event says so) and pads otherwise, where they measured slower.
    packing: true,
    gradientCheckpointing: null,
    maxSteps: controls.maxSteps ?? null,
    evalEverySteps: controls.evalEverySteps ?? null,
    checkpointEverySteps: controls.checkpointEverySteps ?? null,
    keepCheckpoints: 3,
  };
}
