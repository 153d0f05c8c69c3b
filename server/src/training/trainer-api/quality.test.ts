import { describe, expect, it } from 'vitest';
import { artifactName, qualityRating } from './quality.js';

describe('adapter quality rating', () => {
  it('follows the documented perplexity thresholds', () => {
    const rate = (evalLoss: number) => qualityRating({ initialLoss: 10, finalLoss: evalLoss, evalLoss });
    expect([Math.log(2.5), Math.log(5), Math.log(10), Math.log(20), Math.log(40)].map(rate)).toEqual([5, 4, 3, 2, 1]);
  });

  it('drops a point when training barely moved the loss, and is null without a loss', () => {
    expect(qualityRating({ initialLoss: 1.0, finalLoss: 0.95, evalLoss: 0.95 })).toBe(4);
    expect(qualityRating({ initialLoss: null, finalLoss: null, evalLoss: null })).toBeNull();
  });

  it('names artifacts {Dataset}-{Preset}-{date}', () => {
    expect(artifactName('EQ Alignment (242)', 'BALANCED', new Date('2026-11-28T10:00:00Z'))).toBe('EQ-Alignment-242-Balanced-2026-11-28');
  });
});

describe('adapter quality assessment (how the rating was derived)', () => {
  it('says which loss it used, the perplexity band and the improvement check, and agrees with the rating', async () => {
    const { assessQuality } = await import('./quality.js');
    const good = assessQuality({ initialLoss: 2.0, finalLoss: 0.9, evalLoss: 1.0 })!;
    expect(good).toMatchObject({ rating: 5, basis: 'EVAL_LOSS', perplexityRating: 5, improvementPenalty: false });
    expect(good.perplexity).toBeCloseTo(Math.E, 6);
    expect(good.lossImprovement).toBeCloseTo(0.55, 6);
    expect(good.explanation).toBe('Perplexity e^1.00 = 2.72 from the held-out (eval) loss; ≤ 3 rates 5 of 5. Training improved the loss by 55.0% (at least 10% keeps the rating).');
    const flat = assessQuality({ initialLoss: 1.0, finalLoss: 0.95, evalLoss: null })!;
    expect(flat).toMatchObject({ rating: 4, basis: 'TRAIN_LOSS', perplexityRating: 5, improvementPenalty: true });
    expect(flat.explanation).toMatch(/final training loss .*only 5\.0% \(under 10%\), so one point is taken off: 4 of 5\.$/);
    expect(assessQuality({ initialLoss: 5, finalLoss: 4.9, evalLoss: 4.9 })).toMatchObject({ rating: 1, perplexityRating: 1, improvementPenalty: false });
    for (const input of [{ initialLoss: 3, finalLoss: 1.2, evalLoss: 1.5 }, { initialLoss: null, finalLoss: 2.5, evalLoss: null }]) {
      expect(assessQuality(input)!.rating).toBe(qualityRating(input));
    }
  });
});
