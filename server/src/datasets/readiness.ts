import { FORMAT_SPEC } from './schema.js';
import type { DatasetEncoding, Readiness, ReadinessCheck } from './types.js';

/** The product's rules of thumb for a dataset worth a LoRA run (FORMAT.md, "Readiness"). */
export const READINESS_THRESHOLDS = {
  /** More than 500 trainable pairs. */
  minTrainablePairs: 501,
  minAverageQuality: 3.0,
} as const;

export interface ReadinessInput {
  encoding: DatasetEncoding;
  /** JSON: training_file_metadata.format_spec; JSONL: `_meta.format_spec` if it has one. */
  formatSpec: string | null;
  /** JSON: training_file_metadata.version; JSONL: `_meta.version`; null when absent. */
  version: string | null;
  trainablePairCount: number;
  /** Mean quality_score of the trainable pairs; null when no pair is scored. */
  averageQuality: number | null;
  humanReviewedCount: number;
}

const SUPPORTED_MAJOR_VERSION = 4;

function majorVersion(version: string): number | null {
  const match = /^v?(\d+)(?:\.|$)/.exec(version.trim());
  return match ? Number(match[1]) : null;
}

function check(
  key: ReadinessCheck['key'],
  passed: boolean,
  value: ReadinessCheck['value'],
  threshold: ReadinessCheck['threshold'],
  message: string,
  blocking = true,
): ReadinessCheck {
  return { key, passed, value, threshold, message, blocking };
}

export function formatCheck(input: Pick<ReadinessInput, 'encoding' | 'formatSpec' | 'version'>): ReadinessCheck {
  const threshold = `${FORMAT_SPEC} (version ${SUPPORTED_MAJOR_VERSION}.x)`;
  const { formatSpec, version } = input;
  // A JSONL `_meta` line carries only a version; the pair shape stands for the format.
  const value = `${formatSpec ?? FORMAT_SPEC}${version === null ? '' : ` ${version}`}`;
  if (formatSpec !== null && formatSpec !== FORMAT_SPEC) {
    return check('format', false, formatSpec, threshold, `The file declares format "${formatSpec}"; only ${FORMAT_SPEC} can be trained on — export the dataset as ${FORMAT_SPEC}.`);
  }
  if (version !== null && majorVersion(version) !== SUPPORTED_MAJOR_VERSION) {
    return check('format', false, value, threshold, `The file declares version ${version}; the trainer reads version ${SUPPORTED_MAJOR_VERSION}.x — export it again with a current ${FORMAT_SPEC} generator.`);
  }
  if (version === null) {
    return check('format', true, value, threshold, `Every pair has the ${FORMAT_SPEC} shape; the file does not declare a version.`);
  }
  return check('format', true, value, threshold, `${value}: a format the trainer reads.`);
}

export function trainableVolumeCheck(trainablePairCount: number): ReadinessCheck {
  const minimum = READINESS_THRESHOLDS.minTrainablePairs;
  const count = trainablePairCount.toLocaleString('en-US');
  return trainablePairCount >= minimum
    ? check('trainable_volume', true, trainablePairCount, minimum, `${count} trainable pairs: enough for a stable LoRA run (more than ${minimum - 1}).`)
    : check('trainable_volume', false, trainablePairCount, minimum, `${count} trainable pairs; at least ${minimum} are needed for a stable LoRA run — add conversations or merge datasets.`);
}

export function averageQualityCheck(averageQuality: number | null): ReadinessCheck {
  const minimum = READINESS_THRESHOLDS.minAverageQuality;
  if (averageQuality === null) {
    return check('average_quality', false, null, minimum, 'No trainable pair has a quality_score, so quality cannot be judged — score the pairs (1–5) in training_metadata.quality_score.');
  }
  const shown = averageQuality.toFixed(2);
  return averageQuality >= minimum
    ? check('average_quality', true, averageQuality, minimum, `Average quality ${shown} meets the minimum of ${minimum.toFixed(1)}.`)
    : check('average_quality', false, averageQuality, minimum, `Average quality ${shown} is below ${minimum.toFixed(1)} — remove or rewrite the low-scoring pairs (below 2.5 is the rejected tier) before training.`);
}

/** Information only: never blocks, always passes. */
export function humanReviewedCheck(humanReviewedCount: number, trainablePairCount: number): ReadinessCheck {
  const share = trainablePairCount === 0 ? 0 : humanReviewedCount / trainablePairCount;
  const percent = `${Math.round(share * 100)}%`;
  const message = `${humanReviewedCount} of ${trainablePairCount} trainable pairs (${percent}) are human-reviewed. For information: not required, but reviewed pairs make the quality scores more trustworthy.`;
  return check('human_reviewed', true, Math.round(share * 10_000) / 10_000, null, message, false);
}

export function assessReadiness(input: ReadinessInput): Readiness {
  const checks = [
    formatCheck(input),
    trainableVolumeCheck(input.trainablePairCount),
    averageQualityCheck(input.averageQuality),
    humanReviewedCheck(input.humanReviewedCount, input.trainablePairCount),
  ];
  return { ready: checks.every((check) => check.passed || !check.blocking), checks };
}
