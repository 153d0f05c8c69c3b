/**
 * Sizes that follow from the model's architecture: the LoRA adapter (and so checkpoints and
 * storage) and the peak GPU memory of a training step (to warn before a pod runs out of memory).
 *
 * The memory model reproduces the peaks measured on an H200 for Llama 3 8B in BF16, LoRA r=16 on 7
 * projections, batch 4 × 2,048 tokens: 29 GB with gradient checkpointing and 90 GB without, each
 * within 6%: weights + activations (every layer's working set without checkpointing; one hidden
 * state per layer plus one layer's working set with it) + the logits (BF16, their FP32 upcast in
 * the loss, and the gradient) + the adapter with its gradient and Adam moments in FP32 + CUDA context.
 * The trainer plans with the same model (trainer/brightrun_trainer/memory.py).
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

export interface MemoryInput {
  model: BaseModelSpec;
  quantization: Quantization;
  batchSize: number;
  sequenceLength: number;
  loraRank: number;
  targetModules: readonly string[];
}

export interface MemoryPlan {
  withoutCheckpointingGb: number;
  withCheckpointingGb: number;
}

/**
 * Peak GPU memory of a training step with and without gradient checkpointing. The same model as
 * the trainer's (`trainer/brightrun_trainer/memory.py`); both are tested against the same cases
 * (`trainer/tests/memory_cases.json`), which hold the measured H200 figures for Llama 3 8B (90 GB
 * without checkpointing, 29 GB with; the model gives 88.9 and 30.7).
 */
export function memoryPlan(input: MemoryInput): MemoryPlan {
  const { model, quantization, batchSize, sequenceLength } = input;
  const { layers, hiddenSize: d, intermediateSize: i, vocabSize } = model.architecture;
  // Embeddings and the LM head stay in BF16 under bitsandbytes.
  const embeddingParameters = 2 * vocabSize * d;
  const weights =
    quantization === 'NF4'
      ? (model.parameterCount - embeddingParameters) * NF4_BYTES_PER_PARAMETER + embeddingParameters * 2
      : model.parameterCount * 2;
  const tokens = batchSize * sequenceLength;
  // One layer's working activations (kept for its backward pass, and their gradients' transients).
  const layerActivations = tokens * (4 * d + 3 * i) * 2 * 2;
  // With checkpointing: one BF16 hidden state per layer, and one layer recomputed at a time.
  const checkpoints = layers * tokens * d * 2;
  const logits = tokens * vocabSize * (2 + 4 + 2);
  const adapter = loraParameterCount(model, input.loraRank, input.targetModules) * 16;
  const rest = weights + logits + adapter;
  return {
    withoutCheckpointingGb: (rest + layers * layerActivations) / GB + CUDA_CONTEXT_GB,
    withCheckpointingGb: (rest + checkpoints + layerActivations) / GB + CUDA_CONTEXT_GB,
  };
}

/** Share of a GPU's memory a plan may use (allocator fragmentation); the trainer uses the same. */
export const MEMORY_PLAN_HEADROOM = 0.9;

/** The trainer's rule: checkpoint only when the step does not fit without it. */
export function trainerCheckpoints(plan: MemoryPlan, gpuMemoryGb: number): boolean {
  return plan.withoutCheckpointingGb > gpuMemoryGb * MEMORY_PLAN_HEADROOM;
}

/**
 * Peak memory of a training step. With `gpuMemoryGb`: the peak of the plan the trainer picks on
 * that GPU (no checkpointing when it fits). Without: the checkpointed peak, the least the trainer
 * can run with (what decides whether a GPU can run the job at all).
 */
export function peakMemoryGb(input: MemoryInput & { gpuMemoryGb?: number }): number {
  const plan = memoryPlan(input);
  if (input.gpuMemoryGb === undefined) return plan.withCheckpointingGb;
  return trainerCheckpoints(plan, input.gpuMemoryGb) ? plan.withCheckpointingGb : plan.withoutCheckpointingGb;
}
