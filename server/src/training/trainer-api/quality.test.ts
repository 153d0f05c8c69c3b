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
