import { describe, expect, it } from 'vitest';
import { findBaseModel, type BaseModelSpec, type GpuTypeId, type Quantization } from '../presets/index.js';
import { artifactSizes, loraParameterCount, peakMemoryGb, podDiskGb } from './memory.js';
import { ANCHOR, modelTokensPerSecond, throughputKey } from './throughput.js';

function model(id: string): BaseModelSpec {
  const found = findBaseModel(id);
  if (!found) throw new Error(id);
  return found;
}

const llama8b = model('meta-llama/Meta-Llama-3-8B-Instruct');
const llama70b = model('meta-llama/Meta-Llama-3-70B-Instruct');
const ALL_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

function tps(m: BaseModelSpec, gpuType: GpuTypeId, quantization: Quantization, sequenceLength = 2048) {
  return modelTokensPerSecond({ model: m, gpuType, quantization, sequenceLength, batchSize: 4 });
}

describe('throughput model', () => {
  it('reproduces the anchor measurement at its own settings', () => {
    expect(tps(llama8b, 'NVIDIA H200', 'BF16')).toBeCloseTo(ANCHOR.tokensPerSecond, 6);
  });

  it('orders GPUs, quantizations, model sizes and sequence lengths the way compute does', () => {
    const byGpu = (['NVIDIA H200', 'NVIDIA H100 80GB HBM3', 'NVIDIA H100 NVL', 'NVIDIA H100 PCIe'] as const).map(
      (gpu) => tps(llama8b, gpu, 'BF16'),
    );
    expect([...byGpu].sort((a, b) => b - a)).toEqual(byGpu);
    expect(byGpu[3]! / byGpu[0]!).toBeCloseTo(0.6, 1); // the fixed step overhead shifts it slightly
    expect(tps(llama8b, 'NVIDIA H200', 'NF4')).toBeLessThan(tps(llama8b, 'NVIDIA H200', 'BF16'));
    expect(tps(llama70b, 'NVIDIA H200', 'BF16')).toBeLessThan(tps(llama8b, 'NVIDIA H200', 'BF16') / 8);
    expect(tps(llama8b, 'NVIDIA H200', 'BF16', 4096)).toBeLessThan(tps(llama8b, 'NVIDIA H200', 'BF16', 2048));
    expect(tps(llama8b, 'NVIDIA H200', 'BF16', 512)).toBeGreaterThan(tps(llama8b, 'NVIDIA H200', 'BF16', 2048) * 0.9);
  });

  it('keeps a tiny model within what a step loop can do', () => {
    expect(tps(model('tiny-llama'), 'NVIDIA H200', 'BF16')).toBeLessThan(4 * 2048 / 0.05);
  });

  it('keys history by model, GPU, quantization and sequence length', () => {
    expect(
      throughputKey({ baseModel: llama70b.id, gpuType: 'NVIDIA H100 PCIe', quantization: 'NF4', maxSequenceLength: 2048 }),
    ).toBe('meta-llama/Meta-Llama-3-70B-Instruct|NVIDIA H100 PCIe|NF4|seq2048');
  });
});

describe('sizes and memory', () => {
  it('counts LoRA parameters from the architecture', () => {
    // Llama 3 8B, r=16 on all 7 projections: 32 layers × 16 × (9·4096 + 2·1024 + 3·14336) = 41.9M.
    expect(loraParameterCount(llama8b, 16, ALL_MODULES)).toBe(41_943_040);
    expect(loraParameterCount(llama8b, 16, ['q_proj', 'v_proj'])).toBe(32 * 16 * (2 * 4096 + 4096 + 1024));
    expect(artifactSizes(llama70b, 16, ALL_MODULES).downloadGb).toBeCloseTo(141.2, 1);
    expect([podDiskGb(llama70b), podDiskGb(llama8b), podDiskGb(model('tiny-llama'))]).toEqual([180, 40, 30]);
  });

  it('reproduces the measured 29 GB peak of Llama 3 8B within 10%', () => {
    const peak = peakMemoryGb({ model: llama8b, quantization: 'BF16', batchSize: 4, sequenceLength: 2048, loraRank: 16, targetModules: ALL_MODULES });
    expect(Math.abs(peak - ANCHOR.peakMemoryGb) / ANCHOR.peakMemoryGb).toBeLessThan(0.1);
    const nf4 = peakMemoryGb({ model: llama70b, quantization: 'NF4', batchSize: 4, sequenceLength: 2048, loraRank: 16, targetModules: ALL_MODULES });
    expect(nf4).toBeGreaterThan(llama70b.minGpuMemoryGb.NF4);
    expect(nf4).toBeLessThan(80);
  });
});
