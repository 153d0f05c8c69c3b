import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BaseModelSpec } from '../presets/index.js';
import { memoryPlan, peakMemoryGb, trainerCheckpoints } from './memory.js';

/** The cases the trainer's memory plan is tested against too (trainer/tests/test_memory.py). */
interface MemoryCase {
  name: string;
  model: { parameters: number; layers: number; hiddenSize: number; intermediateSize: number; kvDim: number; vocabSize: number };
  quantization: 'BF16' | 'NF4';
  loraRank: number;
  batchSize: number;
  sequenceLength: number;
  measuredGb?: { withoutCheckpointing: number; withCheckpointing: number };
  plannedGb: { withoutCheckpointing: number; withCheckpointing: number };
  checkpointsOnGpuGb: Record<string, boolean>;
}

const CASES: MemoryCase[] = JSON.parse(
  readFileSync(new URL('../../../../trainer/tests/memory_cases.json', import.meta.url), 'utf8'),
).cases;
const SEVEN = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

function inputOf(c: MemoryCase) {
  const { parameters, ...architecture } = c.model;
  const model = { id: c.name, parameterCount: parameters, architecture } as unknown as BaseModelSpec;
  return { model, quantization: c.quantization, batchSize: c.batchSize, sequenceLength: c.sequenceLength, loraRank: c.loraRank, targetModules: SEVEN };
}

describe('the memory plan agrees with the trainer and with measurement', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const plan = memoryPlan(inputOf(c));
    expect(plan.withoutCheckpointingGb).toBeCloseTo(c.plannedGb.withoutCheckpointing, 1);
    expect(plan.withCheckpointingGb).toBeCloseTo(c.plannedGb.withCheckpointing, 1);
    if (c.measuredGb) {
      expect(Math.abs(plan.withoutCheckpointingGb - c.measuredGb.withoutCheckpointing) / c.measuredGb.withoutCheckpointing).toBeLessThan(0.1);
      expect(Math.abs(plan.withCheckpointingGb - c.measuredGb.withCheckpointing) / c.measuredGb.withCheckpointing).toBeLessThan(0.1);
    }
    for (const [gpuGb, expected] of Object.entries(c.checkpointsOnGpuGb)) {
      expect(trainerCheckpoints(plan, Number(gpuGb)), `${gpuGb} GB`).toBe(expected);
    }
  });

  it('gives the peak of the plan the trainer picks on a GPU, and the checkpointed peak without one', () => {
    const input = inputOf(CASES[0]!); // Llama 3 8B, batch 4 × 2,048: measured 90 GB / 29 GB
    expect(peakMemoryGb({ ...input, gpuMemoryGb: 80 })).toBeCloseTo(30.7, 1); // 80 GB must checkpoint
    expect(peakMemoryGb({ ...input, gpuMemoryGb: 141 })).toBeCloseTo(88.9, 1); // an H200 need not
    expect(peakMemoryGb(input)).toBeCloseTo(30.7, 1);
  });
});
