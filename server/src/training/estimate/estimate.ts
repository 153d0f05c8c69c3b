/**
 * Duration and cost of a training job before it starts: pure arithmetic on the dataset's token
 * statistics, the configuration, an hourly rate (live or fallback) and, when there is any, the
 * throughput measured on past jobs with the same model, GPU, quantization and sequence length.
 *
 * `tokenStats.trainableTokensPerEpoch` counts every token of the trainable pairs (prompt and
 * response), as the model processes them; the validation share of the pairs is held out, so
 * training sees (1 − validationShare) of them and evaluation the rest, once per epoch.
 */
import { findBaseModel, findGpuType, type TrainingConfig } from '../presets/index.js';
import { costOf } from './cost.js';
import { artifactSizes, peakMemoryGb } from './memory.js';
import type { HourlyRate } from './prices.js';
import type { JobPlacement } from '../providers/provider.js';
import { EVALUATION_COST_PER_TOKEN, stageHours, type EstimateStage, type HoursRange } from './stages.js';
import { blendThroughput, modelTokensPerSecond } from './throughput.js';
import { estimateWarnings, type EstimateWarning } from './warnings.js';

export type EstimateConfig = Pick<
  TrainingConfig,
  | 'baseModel' | 'quantization' | 'gpuType' | 'cloudType' | 'maxDurationHours' | 'epochs' | 'batchSize'
  | 'gradientAccumulationSteps' | 'validationShare' | 'maxSequenceLength' | 'loraRank' | 'targetModules'
>;

export interface EstimateInput {
  tokenStats: { trainableTokensPerEpoch: number; trainablePairs: number };
  config: EstimateConfig;
  rate: HourlyRate;
  history?: { samples: number; tokensPerSecond: number } | null;
  /** A step limit (smoke runs): training stops there, so the estimate covers only those steps. */
  maxSteps?: number | null;
  /** The workspace's model-cache volume, when its pods mount one: its storage for the job's duration is in the cost. */
  modelCache?: { sizeGb: number; usdPerGbMonth: number } | null;
}

export interface TrainingEstimate {
  totalTokens: number;
  totalSteps: number;
  throughput: { tokensPerSecond: number; source: 'MODEL' | 'CALIBRATED'; pastJobs: number };
  stages: Array<{ stage: EstimateStage; hours: HoursRange }>;
  hours: HoursRange;
  cost: ReturnType<typeof costOf> & {
    pricePerHour: number;
    priceSource: HourlyRate['source'];
    priceNote: string;
  };
  /** The quantities behind the figures, for the UI's "Why a range?". */
  basis: {
    trainingPairs: number;
    validationPairs: number;
    tokensPerPair: number;
    peakMemoryGb: number;
    adapterGb: number;
  };
  warnings: EstimateWarning[];
  /** Where the job is pinned (a RunPod model-cache volume's data center); null when RunPod may place it anywhere. Set by the job service. */
  placement?: JobPlacement | null;
}

function requireCount(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number (got ${value})`);
  }
}

const roundHours = (value: number) => Math.round(value * 100) / 100;

export function estimateTraining(input: EstimateInput): TrainingEstimate {
  const { tokenStats, config, rate } = input;
  requireCount('tokenStats.trainableTokensPerEpoch', tokenStats.trainableTokensPerEpoch);
  requireCount('tokenStats.trainablePairs', tokenStats.trainablePairs);
  requireCount('rate.pricePerHour', rate.pricePerHour);
  const model = findBaseModel(config.baseModel);
  const gpu = findGpuType(config.gpuType);
  if (!model) throw new RangeError(`baseModel ${JSON.stringify(config.baseModel)} is not a known base model`);
  if (!gpu) throw new RangeError(`gpuType ${JSON.stringify(config.gpuType)} is not a known GPU type`);

  const pairs = Math.floor(tokenStats.trainablePairs);
  const validationPairs = Math.round(pairs * config.validationShare);
  const trainingPairs = pairs - validationPairs;
  const averageTokens = pairs > 0 ? tokenStats.trainableTokensPerEpoch / pairs : 0;
  // Pairs longer than the limit are truncated; with only totals known, cap the average.
  const tokensPerPair = Math.min(averageTokens, config.maxSequenceLength);

  const batchesPerEpoch = Math.ceil(trainingPairs / config.batchSize);
  const fullSteps = Math.ceil(batchesPerEpoch / config.gradientAccumulationSteps) * config.epochs;
  // A step limit below the full run cuts the training (and the evaluation passes) in proportion.
  const limited = input.maxSteps != null && input.maxSteps >= 1 && input.maxSteps < fullSteps;
  const share = limited ? input.maxSteps! / fullSteps : 1;
  const totalSteps = limited ? input.maxSteps! : fullSteps;
  const totalTokens = Math.round(trainingPairs * tokensPerPair * config.epochs * share);
  const evaluationTokens = validationPairs * tokensPerPair * config.epochs * share;

  const modelled = modelTokensPerSecond({
    model,
    gpuType: gpu.id,
    quantization: config.quantization,
    sequenceLength: Math.max(tokensPerPair, 1),
    batchSize: config.batchSize,
  });
  const throughput = blendThroughput(modelled, input.history ?? undefined);
  const sizes = artifactSizes(model, config.loraRank, config.targetModules);
  const stages = stageHours({
    datasetTokens: tokenStats.trainableTokensPerEpoch,
    computeTokens: totalTokens + evaluationTokens * EVALUATION_COST_PER_TOKEN,
    tokensPerSecond: throughput.tokensPerSecond,
    spread: throughput.spread,
    sizes,
  }).map(({ stage, hours }) => ({ stage, hours: { low: roundHours(hours.low), high: roundHours(hours.high) } }));
  const hours = {
    low: roundHours(stages.reduce((sum, s) => sum + s.hours.low, 0)),
    high: roundHours(stages.reduce((sum, s) => sum + s.hours.high, 0)),
  };

  const peak = peakMemoryGb({
    model,
    quantization: config.quantization,
    batchSize: config.batchSize,
    sequenceLength: config.maxSequenceLength,
    loraRank: config.loraRank,
    targetModules: config.targetModules,
  });

  return {
    totalTokens,
    totalSteps,
    throughput: {
      tokensPerSecond: Math.round(throughput.tokensPerSecond),
      source: throughput.source,
      pastJobs: throughput.pastJobs,
    },
    stages,
    hours,
    cost: {
      ...costOf(hours, rate.pricePerHour, sizes, input.modelCache),
      pricePerHour: rate.pricePerHour,
      priceSource: rate.source,
      priceNote: rate.note,
    },
    basis: {
      trainingPairs,
      validationPairs,
      tokensPerPair: Math.round(averageTokens),
      peakMemoryGb: Math.round(peak * 10) / 10,
      adapterGb: Math.round(sizes.adapterGb * 1000) / 1000,
    },
    warnings: estimateWarnings({
      config,
      hours,
      pairs,
      averageTokens,
      peakMemoryGb: peak,
      gpuMemoryGb: gpu.memoryGb,
      rate,
      modelLoadingHigh: stages.find((s) => s.stage === 'MODEL_LOADING')?.hours.high ?? 0,
    }),
  };
}
