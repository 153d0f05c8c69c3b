import { describe, expect, it } from 'vitest';
import { costView, decimate, formatDuration, lowerBound, mergePoints, niceTicks, sliceRange, splitFix, stageViews, toCsv, trend, type Point } from './series';

const pts = (steps: number[]): Point[] => steps.map((step) => ({ step, loss: 2 - step / 1000 }));

describe('mergePoints', () => {
  it('appends new steps, replaces re-sent ones, inserts late ones in order: never doubles a step', () => {
    const held = pts([1, 2, 3]);
    expect(mergePoints(held, pts([4, 5]))).toBe(2);
    expect(mergePoints(held, [{ step: 3, loss: 9 }, { step: 4, loss: 8 }])).toBe(0); // a reconnect re-sends 3 and 4
    expect(held.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    expect(held[2]!.loss).toBe(9);
    expect(mergePoints(held, pts([0, 7, 6]))).toBe(3);
    expect(held.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
  it('binary-searches ranges', () => {
    const held = pts([2, 4, 6, 8]);
    expect(lowerBound(held, 5)).toBe(2);
    expect(sliceRange(held, 3, 6).map((p) => p.step)).toEqual([4, 6]);
    expect(sliceRange(held, 9, 20)).toEqual([]);
  });
});

describe('decimate', () => {
  it("keeps at most about max points, each bucket's min and max, and always the last point", () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ step: i + 1, loss: Math.sin(i / 50) }));
    const out = decimate(many, 2000);
    expect(out.length).toBeLessThanOrEqual(2001);
    expect(out.at(-1)!.step).toBe(100_000);
    expect(out.every((p, i) => i === 0 || p.step > out[i - 1]!.step)).toBe(true);
    expect(Math.min(...out.map((p) => p.loss!))).toBeCloseTo(-1, 3);
    expect(decimate(pts([1, 2]), 10).length).toBe(2);
  });
});

describe('stageViews', () => {
  const span = (stage: string, start: number, end: number | null, attempt = 1) => ({ stage, attempt, startedAt: new Date(start * 1000).toISOString(), endedAt: end == null ? null : new Date(end * 1000).toISOString(), durationSeconds: end == null ? 0 : end - start });
  it('marks stages completed with durations, the current one active, later ones pending', () => {
    const v = stageViews('TRAINING', [span('QUEUED', 0, 1), span('PREPROCESSING', 1, 223), span('MODEL_LOADING', 223, 901), span('TRAINING', 901, null)], 1000_000);
    expect(v.map((s) => s.state)).toEqual(['completed', 'completed', 'active', 'pending']);
    expect(v[0]!.seconds).toBe(222);
    expect(formatDuration(v[1]!.seconds)).toBe('11m 18s');
  });
  it('shows an interruption where it happened, a failure as failed, a completed job all green', () => {
    const spans = [span('PREPROCESSING', 0, 10), span('MODEL_LOADING', 10, 20), span('TRAINING', 20, 100)];
    expect(stageViews('INTERRUPTED', spans, 200_000).map((s) => s.state)).toEqual(['completed', 'completed', 'interrupted', 'pending']);
    expect(stageViews('FAILED', spans, 200_000).map((s) => s.state)).toEqual(['completed', 'completed', 'failed', 'pending']);
    expect(stageViews('COMPLETED', [...spans, span('FINALIZING', 100, 110)], 200_000).every((s) => s.state === 'completed')).toBe(true);
    // Resumed: attempt 2 re-enters the stages; the durations add up over attempts.
    const resumed = stageViews('TRAINING', [...spans, span('PREPROCESSING', 200, 205, 2), span('TRAINING', 210, null, 2)], 220_000);
    expect(resumed[0]!.seconds).toBe(15);
    expect(resumed[2]!.attempts).toEqual([1, 2]);
  });
});

describe('costView', () => {
  it("is % of the estimate's midpoint with the 80 % and 100 % levels, and projects at the hourly rate", () => {
    const base = { low: 45, high: 55, hourly: 2.49, etaSeconds: 3600, active: true, costCapUsd: null };
    expect(costView({ ...base, spendUsd: 22.18 })).toMatchObject({ level: 'ok', estimateMid: 50 });
    expect(costView({ ...base, spendUsd: 22.18 }).percent).toBeCloseTo(44.36, 2);
    expect(costView({ ...base, spendUsd: 22.18 }).projected).toBeCloseTo(24.67, 2);
    expect(costView({ ...base, spendUsd: 41 }).level).toBe('warning');
    expect(costView({ ...base, spendUsd: 54 }).level).toBe('exceeded');
    expect(costView({ ...base, spendUsd: 30, costCapUsd: 60 }).capPercent).toBe(50);
    expect(costView({ ...base, spendUsd: 30, active: false }).projected).toBe(30);
  });
});

describe('trends, CSV, the failure text', () => {
  it('colours a falling loss good and falling throughput bad', () => {
    expect(trend(0.342, 0.389, true)).toMatchObject({ direction: 'down', good: true });
    expect(trend(0.342, 0.389, true)!.changePercent).toBeCloseTo(-12.08, 1);
    expect(trend(1200, 1300, false)).toMatchObject({ direction: 'down', good: false });
    expect(trend(null, 1, true)).toBeNull();
  });
  it('writes every point of both splits', () => {
    const csv = toCsv([{ step: 1, loss: 2.5, learningRate: 1e-4 }], [{ step: 1, loss: 2.6, perplexity: 13.5 }]);
    expect(csv.trim().split('\n')).toEqual(['split,step,loss,learning_rate,grad_norm,tokens_per_second,perplexity,epoch', 'train,1,2.5,0.0001,,,,', 'validation,1,2.6,,,,13.5,']);
  });
  it('splits the error from the fix the server appended', () => {
    expect(splitFix('CUDA out of memory at step 12. Fix: lower batchSize or maxSequenceLength.')).toEqual({ error: 'CUDA out of memory at step 12.', fix: 'Lower batchSize or maxSequenceLength.' });
    expect(splitFix('Pod lost')).toEqual({ error: 'Pod lost', fix: null });
  });
});

describe('niceTicks', () => {
  it('steps of 1, 2 or 5 × 10ⁿ inside the range, without float noise', () => {
    expect(niceTicks(0, 60, 5)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(niceTicks(0.47, 2.41, 5)).toEqual([0.5, 1, 1.5, 2]);
    expect(niceTicks(0.1, 0.7, 6)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceTicks(15, 45, 6)).toEqual([15, 20, 25, 30, 35, 40, 45]);
    expect(niceTicks(0, 1_000_000, 4)).toEqual([0, 200_000, 400_000, 600_000, 800_000, 1_000_000]);
    expect(niceTicks(3, 3, 5)).toEqual([3]);
    expect(niceTicks(5, 1, 4)).toEqual([1, 2, 3, 4, 5]);
    expect(niceTicks(0, Infinity, 5)).toEqual([]);
  });
});
