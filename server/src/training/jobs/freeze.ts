import type { TrainingConfig } from '../presets/index.js';

/** The hyperparameters a job freezes at launch, in the trainer contract's shape (trainer/CONTRACT.md). */
export interface FrozenHyperparameters {
  loraRank: number;
  loraAlpha: number;
  loraDropout: number;
  targetModules: string[];
  epochs: number;
  batchSize: number;
  gradientAccumulationSteps: number;
  learningRate: number;
  warmupRatio: number;
  maxSequenceLength: number;
  lrScheduler: string;
  quantization: 'NONE' | 'NF4';
  validationShare: number;
  seed: number;
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
  return {
    loraRank: config.loraRank,
    loraAlpha: config.loraAlpha,
    loraDropout: config.loraDropout,
    targetModules: [...config.targetModules],
    epochs: config.epochs,
    batchSize: config.batchSize,
    gradientAccumulationSteps: config.gradientAccumulationSteps,
    learningRate: config.learningRate,
    warmupRatio: config.warmupRatio,
    maxSequenceLength: config.maxSequenceLength,
    lrScheduler: config.lrScheduler,
    // The estimator's BF16 means "no quantization": the trainer then picks bf16 on capable GPUs.
    quantization: config.quantization === 'NF4' ? 'NF4' : 'NONE',
    validationShare: config.validationShare,
    seed: config.seed,
    packing: false,
    gradientCheckpointing: null,
    maxSteps: controls.maxSteps ?? null,
    evalEverySteps: controls.evalEverySteps ?? null,
    checkpointEverySteps: controls.checkpointEverySteps ?? null,
    keepCheckpoints: 3,
  };
}
