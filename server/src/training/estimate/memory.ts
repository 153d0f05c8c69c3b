/**
 * Sizes that follow from the model's architecture: the LoRA adapter (and so checkpoints and
 * storage) and the peak GPU memory of a training step (to warn before a pod runs out of memory).
 *
 * The memory model reproduces the measured 29 GB peak of Llama 3 8B in BF16, LoRA r=16, batch 4 ×
 * 2,048 tokens with gradient checkpointing to within a few percent: weights + one checkpointed
 * hidden state per layer + one layer's working activations + the logits (BF16, their FP32 upcast in
 * the loss, and the gradient) + the adapter with its gradient and Adam moments in FP32 + CUDA context.
 */
import type { BaseModelSpec, Quantization } from '../presets/index.js';

const GB = 1e9;
/** PEFT keeps adapter weights in FP32 even when the base model computes in BF16. */
const ADAPTER_BYTES_PER_PARAMETER = 4;
/** A resumable checkpoint: adapter weights plus Adam's two moments, all FP32. */
const CHECKPOINT_TO_ADAPTER = 3;
/** NF4 with double quantization: half a byte per weight plus ~3% for the quantization constants. */
const NF4_BYTES_PER_PARAMETER = 0.5 * 1.03;
const CUDA_CONTEXT_GB = 1.5;

type Projection = 'q_proj' | 'k_proj' | 'v_proj' | 'o_proj' | 'gate_proj' | 'up_proj' | 'down_proj';

/** LoRA adds rank × (inputs + outputs) parameters to each adapted projection of each layer. */
export function loraParameterCount(model: BaseModelSpec, rank: number, targetModules: readonly string[]): number {
  const { layers, hiddenSize: d, intermediateSize: i, kvDim: kv } = model.architecture;
  const inPlusOut: Record<Projection, number> = {
    q_proj: d + d,
    k_proj: d + kv,
    v_proj: d + kv,
    o_proj: d + d,
    gate_proj: d + i,
    up_proj: d + i,
    down_proj: i + d,
  };
  const perLayer = targetModules.reduce((sum, name) => sum + (inPlusOut[name as Projection] ?? 0), 0);
  return layers * rank * perLayer;
}

export interface ArtifactSizes {
  adapterGb: number;
  checkpointGb: number;
  /** Weights as downloaded (BF16 safetensors), whatever the training quantization. */
  downloadGb: number;
}

export function artifactSizes(model: BaseModelSpec, rank: number, targetModules: readonly string[]): ArtifactSizes {
  const adapterGb = (loraParameterCount(model, rank, targetModules) * ADAPTER_BYTES_PER_PARAMETER) / GB;
  return { adapterGb, checkpointGb: adapterGb * CHECKPOINT_TO_ADAPTER, downloadGb: (model.parameterCount * 2) / GB };
}

/** Scratch space on the pod's disk beyond the weights: image layers, dataset, checkpoints in flight. */
export const POD_SCRATCH_GB = 20;

/**
 * Container disk a pod needs for this model, rounded up to 10 GB: the BF16 weights as downloaded
 * (even for NF4, which quantizes on load), 10% for the download cache's partial files, and scratch.
 * Llama 3 70B needs 180 GB.
 */
export function podDiskGb(model: BaseModelSpec): number {
  const weightsGb = (model.parameterCount * 2) / GB;
  return Math.ceil((weightsGb * 1.1 + POD_SCRATCH_GB) / 10) * 10;
}

export function peakMemoryGb(input: {
  model: BaseModelSpec;
  quantization: Quantization;
  batchSize: number;
  sequenceLength: number;
  loraRank: number;
  targetModules: readonly string[];
}): number {
  const { model, quantization, batchSize, sequenceLength } = input;
  const { layers, hiddenSize: d, intermediateSize: i, vocabSize } = model.architecture;
  // Embeddings and the LM head stay in BF16 under bitsandbytes.
  const embeddingParameters = 2 * vocabSize * d;
  const weights =
    quantization === 'NF4'
      ? (model.parameterCount - embeddingParameters) * NF4_BYTES_PER_PARAMETER + embeddingParameters * 2
      : model.parameterCount * 2;
  const tokens = batchSize * sequenceLength;
  const checkpoints = layers * tokens * d * 2;
  const workingLayer = tokens * (4 * d + 3 * i) * 2 * 2;
  const logits = tokens * vocabSize * (2 + 4 + 2);
  const adapter = loraParameterCount(model, input.loraRank, input.targetModules) * 16;
  return (weights + checkpoints + workingLayer + logits + adapter) / GB + CUDA_CONTEXT_GB;
}
