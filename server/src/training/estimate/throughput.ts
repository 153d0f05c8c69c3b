/**
 * How many tokens per second LoRA training pushes through a GPU, per (base model, GPU,
 * quantization, sequence length). "Tokens" are every token of every training sequence (prompt and
 * response), the quantity compute scales with, and what the trainer reports as tokens/s.
 *
 * The model, factor by factor:
 *
 * 1. Anchor: a measured 6,990 tokens/s for a random-init Llama-3-8B, LoRA r=16 on the 7
 *    projections, sequence 2,048, batch 4, BF16 with gradient checkpointing on one H200 (29 GB
 *    peak); 10,020 tokens/s without checkpointing. The trainer checkpoints only when its memory
 *    plan needs it (memory.ts), but the estimate keeps the checkpointed figure for every case: the
 *    slower one, so time and cost err high rather than low until history calibrates them.
 * 2. Model size: per-token compute ∝ parameters × (1 + attention share), where the attention share
 *    (causal attention against the matmuls) = layers × sequence × hidden / parameters — about 3% for
 *    Llama 3 8B at 2,048 tokens, 2% for 70B; it is how sequence length enters.
 * 3. GPU, relative to the H200: H100 SXM 0.85, H100 NVL 0.75, H100 PCIe 0.6. Dense BF16 peak is
 *    989 TFLOPS for H200 and H100 SXM, ~835 for NVL and 756 for PCIe (NVIDIA datasheets); the
 *    H200's faster HBM (4.8 vs 3.35 TB/s) is worth ~15% on the SXM, and the 350 W PCIe card with
 *    2 TB/s HBM runs well below its peak.
 * 4. Quantization: NF4 (QLoRA, bitsandbytes) dequantizes every weight in the forward pass, again in
 *    the checkpointed recompute and in the backward pass. Published comparisons on 7B-class models
 *    put QLoRA at 1.4–2× the time of BF16 LoRA; we take 0.44 (2.3×), fitted so that the UI spec's
 *    reference case (1,567 pairs × ~1,900 tokens, Balanced, H100 PCIe, Llama 3 70B NF4) lands at
 *    10–12 h. It is the least certain factor: measured throughput of finished jobs replaces it
 *    (history), and a benchmark on the target GPU should replace the constant.
 * 5. A fixed per-step overhead (optimizer step, data loading, logging: 50 ms) keeps tiny models from
 *    claiming millions of tokens/s; it is negligible for real models.
 * 6. Spread: ±10% around the figure (kernel and host variance, padding, thermal limits), narrowing
 *    as past jobs inform it.
 */
import type { BaseModelSpec, GpuTypeId, Quantization } from '../presets/index.js';

export const ANCHOR = {
  tokensPerSecond: 6_990,
  tokensPerSecondWithoutCheckpointing: 10_020,
  parameterCount: 8.03e9,
  layers: 32,
  hiddenSize: 4096,
  sequenceLength: 2048,
  batchSize: 4,
  gpu: 'NVIDIA H200' as GpuTypeId,
  peakMemoryGb: 29,
};

export const GPU_SPEED: Record<GpuTypeId, number> = {
  'NVIDIA H200': 1,
  'NVIDIA H100 80GB HBM3': 0.85,
  'NVIDIA H100 NVL': 0.75,
  'NVIDIA H100 PCIe': 0.6,
};

export const QUANTIZATION_SPEED: Record<Quantization, number> = { BF16: 1, NF4: 0.44 };
export const STEP_OVERHEAD_SECONDS = 0.05;
export const THROUGHPUT_SPREAD = 0.1;
/** How many past jobs the model's figure is worth when blending with measured throughput. */
export const MODEL_WEIGHT_IN_JOBS = 2;

export interface ThroughputInput {
  model: BaseModelSpec;
  gpuType: GpuTypeId;
  quantization: Quantization;
  /** Tokens in a typical training sequence (the average pair, capped at the max length). */
  sequenceLength: number;
  batchSize: number;
}

function attentionShare(layers: number, hiddenSize: number, parameters: number, sequence: number): number {
  return (layers * sequence * hiddenSize) / parameters;
}

/** Modelled tokens/s (the centre of the range). Reproduces the anchor exactly at its own settings. */
export function modelTokensPerSecond(input: ThroughputInput): number {
  const { model, gpuType, quantization, sequenceLength, batchSize } = input;
  const { layers, hiddenSize } = model.architecture;
  const anchorCost =
    ANCHOR.parameterCount *
    (1 + attentionShare(ANCHOR.layers, ANCHOR.hiddenSize, ANCHOR.parameterCount, ANCHOR.sequenceLength));
  const cost = model.parameterCount * (1 + attentionShare(layers, hiddenSize, model.parameterCount, sequenceLength));
  // The anchor's figure includes its own per-step overhead: take it out before scaling.
  const anchorSecondsPerToken =
    1 / ANCHOR.tokensPerSecond - STEP_OVERHEAD_SECONDS / (ANCHOR.batchSize * ANCHOR.sequenceLength);
  const secondsPerToken =
    (anchorSecondsPerToken * (cost / anchorCost)) / (GPU_SPEED[gpuType] * QUANTIZATION_SPEED[quantization]);
  const tokensPerStep = batchSize * sequenceLength;
  return tokensPerStep / (tokensPerStep * secondsPerToken + STEP_OVERHEAD_SECONDS);
}

export interface Throughput {
  tokensPerSecond: number;
  /** Relative half-width of the range: the slow end is tokensPerSecond × (1 − spread). */
  spread: number;
  source: 'MODEL' | 'CALIBRATED';
  pastJobs: number;
}

/**
 * The modelled figure, blended toward the measured throughput of past completed jobs with the same
 * key when there are any: weight samples / (samples + 2), so one past job moves the estimate a
 * third of the way, ten jobs most of it.
 */
export function blendThroughput(
  modelled: number,
  history?: { samples: number; tokensPerSecond: number },
): Throughput {
  const usable =
    history && history.samples >= 1 && Number.isFinite(history.tokensPerSecond) && history.tokensPerSecond > 0;
  if (!usable) return { tokensPerSecond: modelled, spread: THROUGHPUT_SPREAD, source: 'MODEL', pastJobs: 0 };
  const samples = Math.floor(history.samples);
  const weight = samples / (samples + MODEL_WEIGHT_IN_JOBS);
  return {
    tokensPerSecond: weight * history.tokensPerSecond + (1 - weight) * modelled,
    spread: THROUGHPUT_SPREAD * (1 - weight / 2),
    source: 'CALIBRATED',
    pastJobs: samples,
  };
}

/** The key under which past jobs' measured throughput is grouped for `history`. */
export function throughputKey(config: {
  baseModel: string;
  gpuType: string;
  quantization: string;
  maxSequenceLength: number;
}): string {
  return [config.baseModel, config.gpuType, config.quantization, `seq${config.maxSequenceLength}`].join('|');
}
