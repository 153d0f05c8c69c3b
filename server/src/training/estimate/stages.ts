/**
 * How long each stage of a job takes, low and high. Training comes from the throughput model;
 * the other stages are transfer sizes over assumed speeds plus fixed start-up costs:
 *
 * - PREPROCESSING: pod start and trainer image pull (3–8 min on RunPod secure cloud), dataset
 *   download (small) and tokenization at 50k–200k tokens/s (fast tokenizers, one CPU core).
 * - MODEL_LOADING: the base model's BF16 weights from the Hugging Face Hub at 150–400 MB/s, then
 *   disk → GPU (with NF4 quantization on the fly) at 1–2 GB/s, plus 1–2 min of imports and CUDA
 *   start-up.
 * - TRAINING: tokens ÷ throughput, the evaluation pass after each epoch (forward only: a quarter
 *   of a training token's cost — forward, recomputed forward and a backward of about two
 *   forwards), and a resumable checkpoint every 30 minutes uploaded at 100–250 MB/s.
 * - FINALIZING: the adapter's upload at 100–250 MB/s and 2–5 min for the final save and summary.
 */
import type { ArtifactSizes } from './memory.js';

export interface HoursRange {
  low: number;
  high: number;
}

export type EstimateStage = 'PREPROCESSING' | 'MODEL_LOADING' | 'TRAINING' | 'FINALIZING';

const HOUR = 3600;
const POD_START_HOURS: HoursRange = { low: 3 / 60, high: 8 / 60 };
const TOKENIZE_TOKENS_PER_SECOND = { fast: 200_000, slow: 50_000 };
const DOWNLOAD_GB_PER_SECOND = { fast: 0.4, slow: 0.15 };
const LOAD_GB_PER_SECOND = { fast: 2, slow: 1 };
const MODEL_START_HOURS: HoursRange = { low: 1 / 60, high: 2 / 60 };
const UPLOAD_GB_PER_SECOND = { fast: 0.25, slow: 0.1 };
const FINALIZE_HOURS: HoursRange = { low: 2 / 60, high: 5 / 60 };
export const EVALUATION_COST_PER_TOKEN = 0.25;
export const CHECKPOINT_EVERY_HOURS = 0.5;

export interface StageInput {
  /** Tokens tokenized in preprocessing (the whole dataset, once). */
  datasetTokens: number;
  /** Training tokens plus evaluation tokens weighted by their relative cost. */
  computeTokens: number;
  tokensPerSecond: number;
  spread: number;
  sizes: ArtifactSizes;
}

function transferHours(gb: number, speed: { fast: number; slow: number }): HoursRange {
  return { low: gb / speed.fast / HOUR, high: gb / speed.slow / HOUR };
}

function add(...ranges: HoursRange[]): HoursRange {
  return ranges.reduce((sum, r) => ({ low: sum.low + r.low, high: sum.high + r.high }), { low: 0, high: 0 });
}

export function stageHours(input: StageInput): Array<{ stage: EstimateStage; hours: HoursRange }> {
  const { sizes, spread } = input;
  const preprocessing = add(POD_START_HOURS, {
    low: input.datasetTokens / TOKENIZE_TOKENS_PER_SECOND.fast / HOUR,
    high: input.datasetTokens / TOKENIZE_TOKENS_PER_SECOND.slow / HOUR,
  });
  const modelLoading = add(
    MODEL_START_HOURS,
    transferHours(sizes.downloadGb, DOWNLOAD_GB_PER_SECOND),
    transferHours(sizes.downloadGb, LOAD_GB_PER_SECOND),
  );
  const computeHours = input.tokensPerSecond > 0 ? input.computeTokens / input.tokensPerSecond / HOUR : 0;
  const compute = { low: computeHours / (1 + spread), high: computeHours / (1 - spread) };
  const checkpointing = transferHours(sizes.checkpointGb, UPLOAD_GB_PER_SECOND);
  const training = {
    low: compute.low + Math.floor(compute.low / CHECKPOINT_EVERY_HOURS) * checkpointing.low,
    high: compute.high + Math.floor(compute.high / CHECKPOINT_EVERY_HOURS) * checkpointing.high,
  };
  const finalizing = add(FINALIZE_HOURS, transferHours(sizes.adapterGb, UPLOAD_GB_PER_SECOND));
  return [
    { stage: 'PREPROCESSING', hours: preprocessing },
    { stage: 'MODEL_LOADING', hours: modelLoading },
    { stage: 'TRAINING', hours: training },
    { stage: 'FINALIZING', hours: finalizing },
  ];
}
