/**
 * What the user should know before paying for an estimate's job, each with a stable code.
 */
import type { TrainingConfig } from '../presets/index.js';
import type { HourlyRate } from './prices.js';
import type { HoursRange } from './stages.js';

export type EstimateWarningCode =
  | 'EXCEEDS_MAX_DURATION'
  | 'NO_TRAINABLE_PAIRS'
  | 'SEQUENCE_TRUNCATED'
  | 'OUT_OF_MEMORY_RISK'
  | 'FALLBACK_PRICE'
  | 'SPOT_INTERRUPTIONS'
  /** Blocking: the base model is gated and the workspace has no Hugging Face token (startTrainingJob refuses). */
  | 'HUGGING_FACE_TOKEN_MISSING'
  | 'PROVIDER_NOT_READY'
  /** Blocking: the workspace's model-cache volume pins its RunPod jobs to a data center that does not offer the GPU type. */
  | 'GPU_NOT_IN_DATA_CENTER';

export interface EstimateWarning {
  code: EstimateWarningCode;
  message: string;
}

/** Above this share of the GPU's memory, allocator fragmentation alone can fail a step. */
const MEMORY_HEADROOM = 0.9;

export function estimateWarnings(input: {
  config: Pick<TrainingConfig, 'maxDurationHours' | 'maxSequenceLength' | 'cloudType' | 'gpuType' | 'batchSize'>;
  hours: HoursRange;
  pairs: number;
  averageTokens: number;
  peakMemoryGb: number;
  gpuMemoryGb: number;
  rate: HourlyRate;
  modelLoadingHigh: number;
}): EstimateWarning[] {
  const { config, hours } = input;
  const warnings: EstimateWarning[] = [];
  if (hours.high > config.maxDurationHours) {
    const certainty = hours.low > config.maxDurationHours ? 'will' : 'may';
    warnings.push({
      code: 'EXCEEDS_MAX_DURATION',
      message:
        `The estimate runs up to ${hours.high.toFixed(1)} h, over the maximum duration of ` +
        `${config.maxDurationHours} h: the job ${certainty} be stopped before it finishes. ` +
        'Raise Max Duration or train fewer epochs.',
    });
  }
  if (input.pairs === 0) {
    warnings.push({ code: 'NO_TRAINABLE_PAIRS', message: 'The dataset has no trainable pairs: there is nothing to train on.' });
  }
  if (input.averageTokens > config.maxSequenceLength) {
    warnings.push({
      code: 'SEQUENCE_TRUNCATED',
      message:
        `The average pair has ${Math.round(input.averageTokens)} tokens, more than the maximum sequence ` +
        `length of ${config.maxSequenceLength}: longer pairs lose the start of their context. ` +
        'Raise Max Sequence Length if the GPU memory allows.',
    });
  }
  if (input.peakMemoryGb > input.gpuMemoryGb * MEMORY_HEADROOM) {
    warnings.push({
      code: 'OUT_OF_MEMORY_RISK',
      message:
        `A training step needs about ${Math.round(input.peakMemoryGb)} GB of GPU memory at batch ` +
        `${config.batchSize} × ${config.maxSequenceLength} tokens; ${config.gpuType} has ${input.gpuMemoryGb} GB. ` +
        'Lower the batch size (raise gradient accumulation to keep the effective batch) or the sequence length.',
    });
  }
  if (input.rate.source === 'FALLBACK') {
    warnings.push({ code: 'FALLBACK_PRICE', message: input.rate.note });
  }
  // Only a rented RunPod spot pod can be interrupted: a local or simulated job is not a spot pod.
  if (config.cloudType === 'SPOT' && (input.rate.source === 'RUNPOD_LIVE' || input.rate.source === 'FALLBACK')) {
    warnings.push({
      code: 'SPOT_INTERRUPTIONS',
      message:
        'Spot pods can be interrupted. Training resumes from its last checkpoint; each interruption ' +
        `adds up to ${(input.modelLoadingHigh + 0.5).toFixed(1)} h (reloading the model and repeating ` +
        'up to 30 minutes of training), which this estimate does not include.',
    });
  }
  return warnings;
}
