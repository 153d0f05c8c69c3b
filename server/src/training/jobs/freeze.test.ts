import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../presets/resolve.js';
import { freezeHyperparameters } from './freeze.js';

describe('freezeHyperparameters', () => {
  it('asks the trainer for padding-free batches and leaves checkpointing to its memory plan', () => {
    const resolved = resolveTrainingConfig({ preset: 'BALANCED' });
    if (!('config' in resolved) || !resolved.config) throw new Error('the Balanced preset must resolve');
    const frozen = freezeHyperparameters(resolved.config, { maxSteps: 20 });
    expect(frozen).toMatchObject({ packing: true, gradientCheckpointing: null, maxSteps: 20, keepCheckpoints: 3 });
    expect(['NONE', 'NF4']).toContain(frozen.quantization);
  });
});
