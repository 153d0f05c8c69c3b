import { describe, expect, it } from 'vitest';
import {
  applyPreset,
  checkRange,
  customFields,
  formatFieldValue,
  formatHoursRange,
  formatScientific,
  formatUsdRange,
  fromConfiguration,
  fromFrozenJob,
  initialState,
  LatestOnly,
  matchesConfiguration,
  newIdempotencyKey,
  parseNumber,
  presetPlan,
  resetToPreset,
  setHyper,
  snap,
  stableKey,
  toOverrides,
  toPlan,
} from './config';
import { CATALOG, hyper } from './fixtures';

const rangeOf = (field: string) => CATALOG.ranges.find((r) => r.field === field)!;

describe('the form model', () => {
  it('starts from the catalog, with the workspace defaults where given', () => {
    const s = initialState(CATALOG);
    expect(s).toMatchObject({ preset: 'BALANCED', baseModel: 'meta-llama/Meta-Llama-3-70B-Instruct', gpuType: 'NVIDIA H100 PCIe', cloudType: 'SPOT', maxDurationHours: 24, costCapUsd: null, quantization: null });
    expect(s.hyper.loraRank).toBe(16);
    const d = initialState(CATALOG, { preset: 'AGGRESSIVE', gpuType: 'NVIDIA H200', cloudType: 'ON_DEMAND' });
    expect(d).toMatchObject({ preset: 'AGGRESSIVE', gpuType: 'NVIDIA H200', cloudType: 'ON_DEMAND' });
    expect(initialState(CATALOG, { gpuType: 'RTX 4090' }).gpuType).toBe('NVIDIA H100 PCIe'); // unknown to the catalog
  });

  it('marks changed hyperparameters as custom; a preset or reset replaces them, model and compute stay', () => {
    let s = setHyper(initialState(CATALOG), 'learningRate', 3e-4);
    s = { ...s, cloudType: 'ON_DEMAND' };
    expect(customFields(s, CATALOG)).toEqual(['learningRate']);
    const aggressive = applyPreset(s, CATALOG, 'AGGRESSIVE');
    expect(customFields(aggressive, CATALOG)).toEqual([]);
    expect(aggressive.hyper.learningRate).toBe(5e-4);
    expect(aggressive.cloudType).toBe('ON_DEMAND');
    expect(customFields(resetToPreset(s, CATALOG), CATALOG)).toEqual([]);
  });

  it('keeps alpha at 2 × rank until alpha is set itself', () => {
    let s = setHyper(initialState(CATALOG), 'loraRank', 24);
    expect(s.hyper.loraAlpha).toBe(48);
    s = setHyper(s, 'loraAlpha', 30);
    expect(s.alphaLinked).toBe(false);
    s = setHyper(s, 'loraRank', 40);
    expect(s.hyper.loraAlpha).toBe(30);
    s = setHyper(s, 'loraAlpha', 80); // back on 2 × rank: linked again
    expect(setHyper(s, 'loraRank', 8).hyper.loraAlpha).toBe(16);
  });

  it('sends the changed hyperparameters and every model and compute choice explicitly', () => {
    const s = setHyper({ ...initialState(CATALOG), gpuType: 'NVIDIA H200', quantization: 'BF16' }, 'loraRank', 24);
    expect(toOverrides(s, CATALOG)).toEqual({ loraRank: 24, loraAlpha: 48, baseModel: 'meta-llama/Meta-Llama-3-70B-Instruct', quantization: 'BF16', gpuType: 'NVIDIA H200', cloudType: 'SPOT', maxDurationHours: 24 });
    expect(toPlan(s, CATALOG, 'ds_1')).toMatchObject({ datasetId: 'ds_1', preset: 'BALANCED' });
    expect(toPlan({ ...s, provider: 'LOCAL' }, CATALOG, 'ds_1').provider).toBe('LOCAL');
    // A preset card's plan: that preset's values with this form's compute, no custom hyperparameters.
    expect(presetPlan(s, CATALOG, 'ds_1', 'CONSERVATIVE')).toEqual({ datasetId: 'ds_1', preset: 'CONSERVATIVE', overrides: { baseModel: 'meta-llama/Meta-Llama-3-70B-Instruct', quantization: 'BF16', gpuType: 'NVIDIA H200', cloudType: 'SPOT', maxDurationHours: 24 } });
  });

  it('loads a saved configuration and knows whether the form still matches it', () => {
    const saved = { preset: 'CONSERVATIVE' as const, overrides: { loraRank: 12, loraAlpha: 24, quantization: 'BF16' }, baseModel: 'Qwen/Qwen2.5-7B-Instruct', gpuType: 'NVIDIA H200', cloudType: 'ON_DEMAND' as const, maxDurationHours: 12 };
    const s = fromConfiguration(CATALOG, saved, { ...initialState(CATALOG), costCapUsd: 50 });
    expect(s).toMatchObject({ preset: 'CONSERVATIVE', baseModel: 'Qwen/Qwen2.5-7B-Instruct', quantization: 'BF16', gpuType: 'NVIDIA H200', cloudType: 'ON_DEMAND', maxDurationHours: 12, costCapUsd: 50 });
    expect(s.hyper).toMatchObject({ loraRank: 12, loraAlpha: 24, learningRate: 1e-4, epochs: 2 });
    expect(matchesConfiguration(s, CATALOG, saved)).toBe(true);
    expect(matchesConfiguration(setHyper(s, 'epochs', 3), CATALOG, saved)).toBe(false);
    expect(matchesConfiguration({ ...s, gpuType: 'NVIDIA H100 PCIe' }, CATALOG, saved)).toBe(false);
  });

  it('reads a job’s frozen configuration (its model’s default quantization stays implicit)', () => {
    const s = fromFrozenJob(CATALOG, {
      preset: 'AGGRESSIVE', baseModel: 'meta-llama/Meta-Llama-3-70B-Instruct', gpuType: 'NVIDIA H100 PCIe', cloudType: 'SPOT', maxDurationHours: 24, costCapUsd: 40, provider: 'DEMO',
      hyperparameters: { ...hyper({ loraRank: 32, loraAlpha: 64, learningRate: 5e-4, epochs: 5 }), quantization: 'NF4' },
    });
    expect(s).toMatchObject({ preset: 'AGGRESSIVE', quantization: null, costCapUsd: 40, provider: 'DEMO' });
    expect(customFields(s, CATALOG)).toEqual([]);
  });

  it('gives equal plans equal keys, whatever the key order', () => {
    expect(stableKey({ a: 1, b: { d: 2, c: 3 } })).toBe(stableKey({ b: { c: 3, d: 2 }, a: 1 }));
    expect(stableKey({ a: 1 })).not.toBe(stableKey({ a: 2 }));
  });
});

describe('numbers', () => {
  it('writes the learning rate in scientific notation and reads it back in several spellings', () => {
    expect(formatScientific(2e-4)).toBe('2e-4');
    expect(formatScientific(0.00025)).toBe('2.5e-4');
    expect(formatScientific(1e-6)).toBe('1e-6');
    expect(formatFieldValue(rangeOf('learningRate'), 0.0005)).toBe('5e-4');
    expect(formatFieldValue(rangeOf('loraDropout'), 0.1)).toBe('0.10');
    expect(formatFieldValue(rangeOf('loraRank'), 16)).toBe('16');
    for (const text of ['2e-4', '2E-4', '0.0002', ' 2e-4 ', '2×10^-4', '2 x 10^-4']) expect(parseNumber(text)).toBeCloseTo(2e-4, 12);
    for (const text of ['', 'abc', '2e', '1.2.3', '--1']) expect(parseNumber(text)).toBeNull();
  });

  it('checks a value against the catalog’s range and names the bounds', () => {
    expect(checkRange(rangeOf('learningRate'), 5e-2)).toBe('Between 1e-6 and 1e-3');
    expect(checkRange(rangeOf('learningRate'), null)).toBe('Enter a number, e.g. 2e-4');
    expect(checkRange(rangeOf('learningRate'), 3e-4)).toBeNull();
    expect(checkRange(rangeOf('loraRank'), 12.5)).toBe('Enter a whole number');
    expect(checkRange(rangeOf('loraRank'), 65)).toBe('Between 4 and 64');
    expect(checkRange(rangeOf('batchSize'), 3)).toBe('Choose one of 1, 2, 4, 8');
    expect(snap(rangeOf('loraDropout'), 0.07 + 0.00000001)).toBe(0.07);
    expect(snap(rangeOf('loraRank'), 15.6)).toBe(16);
  });

  it('formats money and duration ranges', () => {
    expect(formatUsdRange(8.07, 10.634)).toBe('$8.07–$10.63');
    expect(formatUsdRange(99.5, 1234.4)).toBe('$99.50–$1,234');
    expect(formatHoursRange(4.1, 5.35)).toBe('4.1–5.3 h');
    expect(formatHoursRange(0.2, 0.5)).toBe('12–30 min');
    expect(formatHoursRange(10.2, 12.7)).toBe('10–13 h');
    expect(formatHoursRange(50, 72)).toBe('2.1–3.0 days');
  });
});

describe('ordering and launch keys', () => {
  it('lets only the newest request’s answer through, however the answers arrive', () => {
    const latest = new LatestOnly();
    const first = latest.next();
    const second = latest.next();
    expect(latest.isLatest(first)).toBe(false);
    expect(latest.isLatest(second)).toBe(true);
    expect(latest.issued).toBe(2);
  });

  it('makes a fresh v4 UUID per launch intent', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
