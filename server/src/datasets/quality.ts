import type { QualitySummary, QualityTier, TrainingPair } from './types.js';

/** FORMAT.md: ≥4.5 seed, ≥3.5 production, 2.5–3.5 experimental, <2.5 rejected. */
export function qualityTier(score: number): QualityTier {
  if (score >= 4.5) return 'seed';
  if (score >= 3.5) return 'production';
  if (score >= 2.5) return 'experimental';
  return 'rejected';
}

/** Mean quality_score of a conversation's trainable pairs; null when none is scored. */
export function averageTrainableQuality(pairs: readonly TrainingPair[]): number | null {
  let sum = 0;
  let count = 0;
  for (const pair of pairs) {
    if (pair.targetResponse === null || pair.qualityScore === null) continue;
    sum += pair.qualityScore;
    count += 1;
  }
  return count === 0 ? null : sum / count;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Quality figures over the trainable pairs: those are what the model learns from. */
export class QualityAccumulator {
  private sum = 0;
  private scored = 0;
  private min = Infinity;
  private max = -Infinity;
  private trainable = 0;
  private humanReviewed = 0;
  private readonly tiers: Record<QualityTier, number> = { seed: 0, production: 0, experimental: 0, rejected: 0 };

  addTrainablePair(pair: TrainingPair): void {
    this.trainable += 1;
    if (pair.humanReviewed) this.humanReviewed += 1;
    const score = pair.qualityScore;
    if (score === null) return;
    this.sum += score;
    this.scored += 1;
    if (score < this.min) this.min = score;
    if (score > this.max) this.max = score;
    this.tiers[qualityTier(score)] += 1;
  }

  summary(declared: Record<string, unknown> | null): QualitySummary {
    const hasScores = this.scored > 0;
    return {
      average: hasScores ? round(this.sum / this.scored, 3) : null,
      min: hasScores ? this.min : null,
      max: hasScores ? this.max : null,
      scoredPairCount: this.scored,
      humanReviewedCount: this.humanReviewed,
      humanReviewedShare: this.trainable === 0 ? 0 : round(this.humanReviewed / this.trainable, 4),
      tierCounts: { ...this.tiers },
      declared,
    };
  }
}
