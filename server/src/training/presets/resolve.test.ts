import { describe, expect, it } from 'vitest';
import { TRAINING_PRESETS_CATALOG, hyperparametersOf, resolveTrainingConfig, type TrainingOverrides } from './index.js';

function resolveOk(input: Parameters<typeof resolveTrainingConfig>[0]) {
  const result = resolveTrainingConfig(input);
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.config;
}

describe('resolveTrainingConfig', () => {
  it('defaults to Balanced on an H100 PCIe spot pod with Llama 3 70B in NF4', () => {
    const config = resolveOk({});
    expect(config).toMatchObject({
      preset: 'BALANCED',
      loraRank: 16,
      loraAlpha: 32,
      learningRate: 2e-4,
      epochs: 3,
      loraDropout: 0.05,
      batchSize: 4,
      warmupRatio: 0.03,
      maxSequenceLength: 2048,
      lrScheduler: 'cosine',
      gradientAccumulationSteps: 1,
      validationShare: 0.1,
      baseModel: 'meta-llama/Meta-Llama-3-70B-Instruct',
      quantization: 'NF4',
      gpuType: 'NVIDIA H100 PCIe',
      cloudType: 'SPOT',
      maxDurationHours: 24,
      customizedFields: [],
    });
    expect(config.targetModules).toEqual([
      'q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj',
    ]);
  });

  it.each([
    ['CONSERVATIVE', 8, 16, 1e-4, 2],
    ['AGGRESSIVE', 32, 64, 5e-4, 5],
  ] as const)('applies the %s preset', (preset, loraRank, loraAlpha, learningRate, epochs) => {
    expect(resolveOk({ preset })).toMatchObject({ preset, loraRank, loraAlpha, learningRate, epochs });
  });

  it('sets alpha to twice an overridden rank unless alpha is given too', () => {
    expect(resolveOk({ overrides: { loraRank: 48 } })).toMatchObject({ loraRank: 48, loraAlpha: 96 });
    expect(resolveOk({ overrides: { loraRank: 48, loraAlpha: 48 } })).toMatchObject({ loraAlpha: 48 });
  });

  it('marks the hyperparameters moved away from the preset, and ignores null overrides', () => {
    const config = resolveOk({
      preset: 'CONSERVATIVE',
      overrides: { epochs: 4, loraRank: 8, gpuType: 'NVIDIA H200', learningRate: null },
    });
    expect(config.customizedFields).toEqual(['epochs']);
    expect(config.learningRate).toBe(1e-4);
    expect(config.gpuType).toBe('NVIDIA H200');
  });

  it('takes the quantization from the base model unless overridden', () => {
    expect(resolveOk({ overrides: { baseModel: 'Qwen/Qwen2.5-7B-Instruct' } }).quantization).toBe('BF16');
    expect(
      resolveOk({ overrides: { baseModel: 'Qwen/Qwen2.5-7B-Instruct', quantization: 'NF4' } }).quantization,
    ).toBe('NF4');
  });

  it('reports every field error at once, naming the field, the range and the value', () => {
    const result = resolveTrainingConfig({
      preset: 'BALANCED',
      overrides: {
        loraRank: 128,
        loraAlpha: 4,
        loraDropout: 0.5,
        epochs: 2.5,
        batchSize: 3,
        learningRate: 1e-2,
        warmupRatio: -0.1,
        maxSequenceLength: 8192,
        gpuType: 'NVIDIA A100',
        cloudType: 'RESERVED',
        maxDurationHours: 200,
        gradientAccumulationSteps: 0,
        validationShare: 0.9,
        seed: 'lucky',
        epocs: 3,
        constructor: 1,
      } as unknown as TrainingOverrides,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = Object.fromEntries(result.fieldErrors.map((e) => [e.field, e.message]));
    expect(byField).toEqual({
      loraRank: 'loraRank must be between 4 and 64 (got 128)',
      loraAlpha: 'loraAlpha must be between 8 and 128 (got 4)',
      loraDropout: 'loraDropout must be between 0 and 0.2 (got 0.5)',
      epochs: 'epochs must be a whole number between 1 and 10 (got 2.5)',
      batchSize: 'batchSize must be one of 1, 2, 4, 8 (got 3)',
      learningRate: 'learningRate must be between 1e-6 and 1e-3 (got 0.01)',
      warmupRatio: 'warmupRatio must be between 0 and 0.1 (got -0.1)',
      maxSequenceLength: 'maxSequenceLength must be one of 512, 1024, 2048, 4096 (got 8192)',
      gpuType: expect.stringMatching(/^gpuType must be one of "NVIDIA H100 PCIe", .* \(got "NVIDIA A100"\)$/),
      cloudType: 'cloudType must be one of "SPOT", "ON_DEMAND" (got "RESERVED")',
      maxDurationHours: 'maxDurationHours must be between 0.1 and 168 (got 200)',
      gradientAccumulationSteps: 'gradientAccumulationSteps must be between 1 and 64 (got 0)',
      validationShare: 'validationShare must be between 0 and 0.5 (got 0.9)',
      seed: 'seed must be between 0 and 2147483647 (got "lucky")',
      epocs: expect.stringContaining('epocs is not a configurable field'),
      constructor: expect.stringContaining('constructor is not a configurable field'),
    });
  });

  it('rejects an unknown preset alongside override errors', () => {
    const result = resolveTrainingConfig({ preset: 'TURBO' as never, overrides: { epochs: 11 } });
    expect(result).toEqual({
      ok: false,
      fieldErrors: [
        { field: 'preset', message: 'preset must be one of CONSERVATIVE, BALANCED, AGGRESSIVE (got "TURBO")' },
        { field: 'epochs', message: 'epochs must be between 1 and 10 (got 11)' },
      ],
    });
  });

  it('refuses a model that does not fit the GPU memory', () => {
    const result = resolveTrainingConfig({ overrides: { quantization: 'BF16' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toEqual([
      {
        field: 'quantization',
        message: expect.stringContaining('Llama 3 70B Instruct in BF16 needs at least 160 GB'),
      },
    ]);
    expect(resolveOk({ overrides: { baseModel: 'Qwen/Qwen2.5-32B-Instruct', quantization: 'BF16', gpuType: 'NVIDIA H200' } }))
      .toMatchObject({ quantization: 'BF16' });
  });

  it('splits out the hyperparameters stored as JSON', () => {
    const stored = hyperparametersOf(resolveOk({ overrides: { seed: 7 } }));
    expect(stored).toMatchObject({ seed: 7, quantization: 'NF4', loraRank: 16 });
    expect(stored).not.toHaveProperty('gpuType');
    expect(stored).not.toHaveProperty('preset');
  });
});

describe('TRAINING_PRESETS_CATALOG', () => {
  it('lists the presets, every range, the base models and the GPU types', () => {
    const catalog = TRAINING_PRESETS_CATALOG;
    expect(catalog.presets.map((p) => [p.key, p.label, p.hyperparameters.loraRank])).toEqual([
      ['CONSERVATIVE', 'Conservative', 8],
      ['BALANCED', 'Balanced', 16],
      ['AGGRESSIVE', 'Aggressive', 32],
    ]);
    expect(catalog.ranges.find((r) => r.field === 'loraRank')).toMatchObject({ min: 4, max: 64, kind: 'INTEGER' });
    expect(catalog.ranges.find((r) => r.field === 'batchSize')?.options).toEqual([1, 2, 4, 8]);
    expect(catalog.baseModels.map((m) => m.id)).toContain('tiny-llama');
    expect(catalog.baseModels).toHaveLength(7);
    expect(catalog.gpuTypes.map((g) => g.id)).toEqual([
      'NVIDIA H100 PCIe', 'NVIDIA H100 80GB HBM3', 'NVIDIA H100 NVL', 'NVIDIA H200',
    ]);
    // Every preset's own values pass the ranges it is shown with.
    for (const preset of catalog.presets) expect(resolveTrainingConfig({ preset: preset.key }).ok).toBe(true);
  });
});
