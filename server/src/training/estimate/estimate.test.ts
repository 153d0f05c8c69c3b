import { describe, expect, it } from 'vitest';
import { findBaseModel, resolveTrainingConfig, type PresetKey, type TrainingOverrides } from '../presets/index.js';
import { FALLBACK_PRICES, estimateTraining, fallbackRate, liveRate, type HourlyRate } from './index.js';

/**
 * The UI spec's reference case: 1,567 trainable pairs (P02), Balanced, H100 PCIe, Llama 3 70B in
 * NF4. The spec gives no token count; ~1,900 tokens per pair (a multi-turn consulting conversation
 * history plus its target response, just under the 2,048 limit) is our assumption.
 */
const REFERENCE_TOKENS = { trainablePairs: 1567, trainableTokensPerEpoch: 1567 * 1900 };

function configFor(preset: PresetKey = 'BALANCED', overrides: TrainingOverrides = {}) {
  const result = resolveTrainingConfig({ preset, overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.config;
}

const live: HourlyRate = { pricePerHour: 2.49, source: 'RUNPOD_LIVE', note: 'RunPod spot price, read just now.' };

describe('estimateTraining', () => {
  it('puts the reference case at 10–12 hours and prices it by arithmetic', () => {
    const estimate = estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor(), rate: live });

    expect(estimate.hours.low).toBeGreaterThanOrEqual(9.5);
    expect(estimate.hours.low).toBeLessThan(10.5);
    expect(estimate.hours.high).toBeGreaterThanOrEqual(11.5);
    expect(estimate.hours.high).toBeLessThan(12.5);
    expect(estimate.stages.map((s) => s.stage)).toEqual(['PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING']);
    const stageSum = estimate.stages.reduce((sum, s) => sum + s.hours.high, 0);
    expect(estimate.hours.high).toBeCloseTo(stageSum, 2);

    // 10% of pairs held out: 1,410 train × 1,900 tokens × 3 epochs; ceil(1410 / 4) × 3 steps.
    expect(estimate.totalTokens).toBe(1410 * 1900 * 3);
    expect(estimate.totalSteps).toBe(353 * 3);
    expect(estimate.throughput).toEqual({ tokensPerSecond: expect.any(Number), source: 'MODEL', pastJobs: 0 });

    const { cost } = estimate;
    expect(cost.breakdown.compute.low).toBeCloseTo(estimate.hours.low * 2.49, 2);
    expect(cost.breakdown.compute.high).toBeCloseTo(estimate.hours.high * 2.49, 2);
    expect(cost.breakdown.storage).toBeGreaterThan(0);
    expect(cost.breakdown.storage).toBeLessThan(2);
    expect(cost.breakdown.buffer.share).toBe(0.1);
    expect(cost.breakdown.buffer.high).toBeCloseTo((cost.breakdown.compute.high + cost.breakdown.storage) * 0.1, 2);
    expect(cost.high).toBeCloseTo(cost.breakdown.compute.high + cost.breakdown.storage + cost.breakdown.buffer.high, 2);
    expect(cost).toMatchObject({ pricePerHour: 2.49, priceSource: 'RUNPOD_LIVE', priceNote: live.note });
    expect(estimate.warnings.map((w) => w.code)).toEqual(['SPOT_INTERRUPTIONS']);
  });

  it("adds the model-cache volume's storage for the job's duration (size × rate × high hours ÷ 730) to storage, buffer and totals", () => {
    const without = estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor(), rate: live });
    const withVolume = estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor(), rate: live, modelCache: { sizeGb: 730, usdPerGbMonth: 0.07 } });
    // 730 GB at $0.07/GB-month is $0.07 an hour.
    const share = Math.round(0.07 * withVolume.hours.high * 100) / 100;
    expect(without.cost.breakdown.modelCacheStorage).toBe(0);
    expect(withVolume.cost.breakdown.modelCacheStorage).toBe(share);
    expect(share).toBeGreaterThan(0.5);
    expect(withVolume.cost.breakdown.storage).toBeCloseTo(without.cost.breakdown.storage + share, 2);
    expect(withVolume.cost.breakdown.buffer.high).toBeCloseTo((withVolume.cost.breakdown.compute.high + withVolume.cost.breakdown.storage) * 0.1, 2);
    expect(withVolume.cost.high).toBeCloseTo(without.cost.high + share * 1.1, 1);
  });

  it('covers only the steps a step limit lets run (maxSteps shortens hours, tokens and cost)', () => {
    const full = estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor(), rate: live });
    const smoke = estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor(), rate: live, maxSteps: 100 });
    expect(smoke.totalSteps).toBe(100);
    expect(smoke.totalTokens).toBe(Math.round(full.totalTokens * (100 / full.totalSteps)));
    const training = (e: typeof full) => e.stages.find((s) => s.stage === 'TRAINING')!.hours.high;
    expect(training(smoke)).toBeCloseTo(training(full) * (100 / full.totalSteps), 1);
    expect(smoke.hours.high).toBeLessThan(full.hours.high / 3);
    expect(smoke.cost.high).toBeLessThan(full.cost.high / 3);
    // A limit at or above the full run changes nothing.
    expect(estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor(), rate: live, maxSteps: 10_000 })).toEqual(full);
  });

  it('scales the other presets like the UI spec (6–8 h Conservative, 16–20 h Aggressive)', () => {
    const hoursOf = (preset: PresetKey) =>
      estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor(preset), rate: live }).hours;
    const conservative = hoursOf('CONSERVATIVE');
    const aggressive = hoursOf('AGGRESSIVE');
    expect(conservative.low).toBeGreaterThan(5.5);
    expect(conservative.high).toBeLessThan(8.5);
    expect(aggressive.low).toBeGreaterThan(15.5);
    expect(aggressive.high).toBeLessThan(20.5);
  });

  it('blends toward measured throughput of past jobs and says how many informed it', () => {
    const config = configFor();
    const modelOnly = estimateTraining({ tokenStats: REFERENCE_TOKENS, config, rate: live });
    const measured = modelOnly.throughput.tokensPerSecond * 2;
    const oneJob = estimateTraining({ tokenStats: REFERENCE_TOKENS, config, rate: live, history: { samples: 1, tokensPerSecond: measured } });
    const manyJobs = estimateTraining({ tokenStats: REFERENCE_TOKENS, config, rate: live, history: { samples: 18, tokensPerSecond: measured } });

    expect(oneJob.throughput).toMatchObject({ source: 'CALIBRATED', pastJobs: 1 });
    expect(oneJob.throughput.tokensPerSecond).toBeGreaterThan(modelOnly.throughput.tokensPerSecond);
    expect(oneJob.throughput.tokensPerSecond).toBeLessThan(measured);
    expect(manyJobs.throughput.pastJobs).toBe(18);
    expect(manyJobs.throughput.tokensPerSecond).toBeGreaterThan(0.9 * measured);
    expect(manyJobs.hours.high).toBeLessThan(oneJob.hours.high);
    // More evidence, narrower range.
    const width = (h: { low: number; high: number }) => h.high / h.low;
    expect(width(manyJobs.hours)).toBeLessThan(width(modelOnly.hours));

    const noHistory = estimateTraining({ tokenStats: REFERENCE_TOKENS, config, rate: live, history: { samples: 0, tokensPerSecond: 0 } });
    expect(noHistory.throughput).toEqual(modelOnly.throughput);
  });

  it('warns when the high end exceeds the maximum duration', () => {
    const estimate = (maxDurationHours: number) =>
      estimateTraining({ tokenStats: REFERENCE_TOKENS, config: configFor('BALANCED', { maxDurationHours }), rate: live });
    const mayStop = estimate(11).warnings.find((w) => w.code === 'EXCEEDS_MAX_DURATION');
    expect(mayStop?.message).toMatch(/over the maximum duration of 11 h: the job may be stopped/);
    expect(estimate(5).warnings.find((w) => w.code === 'EXCEEDS_MAX_DURATION')?.message).toMatch(/will be stopped/);
    expect(estimate(24).warnings.some((w) => w.code === 'EXCEEDS_MAX_DURATION')).toBe(false);
  });

  it('caps truncated pairs at the sequence limit, and warns about it', () => {
    const estimate = estimateTraining({
      tokenStats: { trainablePairs: 100, trainableTokensPerEpoch: 100 * 3000 },
      config: configFor('BALANCED', { validationShare: 0, maxSequenceLength: 2048 }),
      rate: live,
    });
    expect(estimate.totalTokens).toBe(100 * 2048 * 3);
    expect(estimate.warnings.find((w) => w.code === 'SEQUENCE_TRUNCATED')?.message).toContain('3000 tokens');
  });

  it('warns when a step would not fit the GPU memory', () => {
    const big = configFor('BALANCED', { batchSize: 8, maxSequenceLength: 4096 });
    const codes = estimateTraining({ tokenStats: REFERENCE_TOKENS, config: big, rate: live }).warnings.map((w) => w.code);
    expect(codes).toContain('OUT_OF_MEMORY_RISK');
  });

  it('says when it used a fallback price, and prices on-demand without the spot warning', () => {
    const config = configFor('BALANCED', { cloudType: 'ON_DEMAND' });
    const rate = fallbackRate(config.gpuType, config.cloudType);
    const estimate = estimateTraining({ tokenStats: REFERENCE_TOKENS, config, rate });
    expect(estimate.cost).toMatchObject({ pricePerHour: 7.99, priceSource: 'FALLBACK' });
    expect(estimate.warnings.map((w) => w.code)).toEqual(['FALLBACK_PRICE']);
  });

  it('handles an empty dataset and refuses nonsense input', () => {
    const empty = estimateTraining({ tokenStats: { trainablePairs: 0, trainableTokensPerEpoch: 0 }, config: configFor(), rate: live });
    expect(empty.totalTokens).toBe(0);
    expect(empty.stages.find((s) => s.stage === 'TRAINING')?.hours).toEqual({ low: 0, high: 0 });
    expect(empty.warnings.map((w) => w.code)).toContain('NO_TRAINABLE_PAIRS');
    expect(() =>
      estimateTraining({ tokenStats: { trainablePairs: -1, trainableTokensPerEpoch: 10 }, config: configFor(), rate: live }),
    ).toThrow('tokenStats.trainablePairs must be a non-negative number (got -1)');
  });

  it('estimates a smoke run on the tiny model in minutes', () => {
    const estimate = estimateTraining({
      tokenStats: { trainablePairs: 44, trainableTokensPerEpoch: 44 * 900 },
      config: configFor('CONSERVATIVE', { baseModel: 'tiny-llama' }),
      rate: live,
    });
    expect(findBaseModel('tiny-llama')).toBeDefined();
    expect(estimate.hours.high).toBeLessThan(0.5);
  });
});

describe('fallback prices', () => {
  it("uses the brief's H100 PCIe figures and keeps the other GPUs in list-price order", () => {
    expect(FALLBACK_PRICES['NVIDIA H100 PCIe']).toEqual({ SPOT: 2.49, ON_DEMAND: 7.99 });
    const onDemand = (gpu: keyof typeof FALLBACK_PRICES) => FALLBACK_PRICES[gpu].ON_DEMAND;
    expect(onDemand('NVIDIA H100 PCIe')).toBeLessThan(onDemand('NVIDIA H100 NVL'));
    expect(onDemand('NVIDIA H100 NVL')).toBeLessThan(onDemand('NVIDIA H100 80GB HBM3'));
    expect(onDemand('NVIDIA H100 80GB HBM3')).toBeLessThan(onDemand('NVIDIA H200'));
    expect(fallbackRate('NVIDIA H200', 'SPOT')).toMatchObject({ source: 'FALLBACK', pricePerHour: FALLBACK_PRICES['NVIDIA H200'].SPOT });
  });

  it('takes the live secure-cloud price when RunPod quotes one', () => {
    const quote = {
      gpuTypeId: 'NVIDIA H100 PCIe',
      onDemand: { secure: 2.39, community: 1.99 },
      spot: { secure: 1.49, community: 1.25 },
    };
    const readAt = new Date('2026-12-01T00:00:00Z');
    expect(liveRate(quote, 'SPOT', readAt)).toEqual({
      pricePerHour: 1.49,
      source: 'RUNPOD_LIVE',
      note: 'RunPod spot price for NVIDIA H100 PCIe, read 2026-12-01T00:00:00.000Z.',
    });
    expect(liveRate(quote, 'ON_DEMAND')?.pricePerHour).toBe(2.39);
    expect(liveRate({ ...quote, spot: null }, 'SPOT')).toBeNull();
  });
});
