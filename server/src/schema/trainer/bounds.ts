/**
 * The bounds of the trainer endpoint's inputs (/trainer/graphql), one place for the schema and
 * its tests. What the reference trainer sends is far inside them: events cut at 4,000
 * characters, failure messages at ~2,000 and details at 8,000 (trainer/brightrun_trainer/
 * api/reporter.py, errors.py), a report every 2 s of at most 1,000 points.
 */
export const TRAINER_INPUT_BOUNDS = {
  fileNameMaxLength: 200,
  /** 10 TiB: no adapter or checkpoint file comes near it. */
  fileMaxBytes: 10 * 1024 ** 4,
  /** Files of one checkpoint or artifact upload (as the service's own check, trainer-api/errors.ts). */
  maxFiles: 200,
  maxEpochs: 10_000,
  /** Cross-entropy loss: ~12 for a uniform guess over a 128k vocabulary; a diverged run sends NaN (refused as not finite). */
  maxLoss: 1_000_000,
  maxLearningRate: 10,
  maxTokensPerSecond: 1e9,
  /** The largest GPUs have 192 GB; room for multi-GPU totals. */
  maxGpuMemoryGb: 10_000,
  /** 1 year. */
  maxRuntimeSeconds: 366 * 24 * 3600,
  eventKindMaxLength: 100,
  eventMessageMaxLength: 10_000,
  maxEvents: 200,
  substatusMaxLength: 500,
  failureMessageMaxLength: 4_000,
  failureDetailMaxLength: 20_000,
} as const;
