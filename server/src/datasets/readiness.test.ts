import { describe, expect, it } from 'vitest';
import { READINESS_THRESHOLDS, assessReadiness, averageQualityCheck, formatCheck, humanReviewedCheck, trainableVolumeCheck, type ReadinessInput } from './readiness.js';

const ready: ReadinessInput = {
  encoding: 'JSON',
  formatSpec: 'brightrun-lora-v4',
  version: '4.0.0',
  trainablePairCount: 1567,
  averageQuality: 3.8,
  humanReviewedCount: 72,
};

describe('assessReadiness', () => {
  it('is ready when every blocking check passes, with the checks in a fixed order', () => {
    const readiness = assessReadiness(ready);
    expect(readiness.ready).toBe(true);
    expect(readiness.checks.map((check) => [check.key, check.passed, check.blocking])).toEqual([
      ['format', true, true],
      ['trainable_volume', true, true],
      ['average_quality', true, true],
      ['human_reviewed', true, false],
    ]);
  });

  it('is not ready when one blocking check fails', () => {
    expect(assessReadiness({ ...ready, trainablePairCount: 500 }).ready).toBe(false);
    expect(assessReadiness({ ...ready, averageQuality: 2.99 }).ready).toBe(false);
    expect(assessReadiness({ ...ready, averageQuality: null }).ready).toBe(false);
    expect(assessReadiness({ ...ready, version: '3.2.0' }).ready).toBe(false);
  });
});

describe('trainable_volume', () => {
  it('needs more than 500 trainable pairs', () => {
    expect(READINESS_THRESHOLDS.minTrainablePairs).toBe(501);
    expect(trainableVolumeCheck(500)).toMatchObject({ passed: false, value: 500, threshold: 501 });
    expect(trainableVolumeCheck(501)).toMatchObject({ passed: true, value: 501 });
  });

  it('explains the gap and the fix in plain language', () => {
    expect(trainableVolumeCheck(44).message).toBe('44 trainable pairs; at least 501 are needed for a stable LoRA run — add conversations or merge datasets.');
    expect(trainableVolumeCheck(1567).message).toBe('1,567 trainable pairs: enough for a stable LoRA run (more than 500).');
  });
});

describe('average_quality', () => {
  it('passes at 3.0 and above', () => {
    expect(averageQualityCheck(3)).toMatchObject({ passed: true, value: 3, threshold: 3 });
    expect(averageQualityCheck(2.95)).toMatchObject({ passed: false, value: 2.95 });
    expect(averageQualityCheck(2.95).message).toBe('Average quality 2.95 is below 3.0 — remove or rewrite the low-scoring pairs (below 2.5 is the rejected tier) before training.');
  });

  it('fails, with a reason, when nothing is scored', () => {
    expect(averageQualityCheck(null)).toMatchObject({ passed: false, value: null });
    expect(averageQualityCheck(null).message).toContain('quality_score');
  });
});

describe('format', () => {
  it('accepts brightrun-lora-v4 in version 4.x', () => {
    expect(formatCheck(ready)).toMatchObject({ passed: true, value: 'brightrun-lora-v4 4.0.0' });
    expect(formatCheck({ ...ready, version: '4.3.1' }).passed).toBe(true);
  });

  it('counts a JSONL _meta version of 4.x, and accepts a JSONL file without one', () => {
    expect(formatCheck({ encoding: 'JSONL', formatSpec: null, version: '4.0.0' })).toMatchObject({ passed: true, value: 'brightrun-lora-v4 4.0.0' });
    const undeclared = formatCheck({ encoding: 'JSONL', formatSpec: null, version: null });
    expect(undeclared.passed).toBe(true);
    expect(undeclared.message).toContain('does not declare a version');
  });

  it('rejects other versions and other formats', () => {
    expect(formatCheck({ encoding: 'JSONL', formatSpec: null, version: '3.9.0' })).toMatchObject({ passed: false, blocking: true });
    expect(formatCheck({ ...ready, formatSpec: 'alpaca' }).message).toContain('"alpaca"');
  });
});

describe('human_reviewed', () => {
  it('is information only: always passes, never blocks', () => {
    const check = humanReviewedCheck(0, 44);
    expect(check).toMatchObject({ passed: true, blocking: false, value: 0, threshold: null });
    expect(check.message).toBe('0 of 44 trainable pairs (0%) are human-reviewed. For information: not required, but reviewed pairs make the quality scores more trustworthy.');
    expect(humanReviewedCheck(1, 3).value).toBe(0.3333);
    expect(humanReviewedCheck(0, 0).value).toBe(0);
  });
});
