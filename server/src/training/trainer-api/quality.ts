/**
 * The 1–5 quality rating of a trained adapter, from its held-out perplexity (eval loss when the
 * job had a validation split, else the final train loss) and how much training improved it.
 *
 *   perplexity ≤ 3 → 5 · ≤ 6 → 4 · ≤ 12 → 3 · ≤ 25 → 2 · else 1
 *   then −1 (never below 1) when the loss improved by less than 10% from the first step.
 *
 * The thresholds suit chat fine-tunes of instruction-tuned 7B–70B models on in-domain
 * conversations, where a held-out perplexity of 2–4 is typical of a good adapter.
 */
export const PERPLEXITY_BANDS: readonly { rating: number; maxPerplexity: number | null }[] = [
  { rating: 5, maxPerplexity: 3 },
  { rating: 4, maxPerplexity: 6 },
  { rating: 3, maxPerplexity: 12 },
  { rating: 2, maxPerplexity: 25 },
  { rating: 1, maxPerplexity: null },
];
/** Below this relative loss improvement (first step → last) the rating drops one point. */
export const MIN_IMPROVEMENT = 0.1;

export interface QualityAssessment {
  rating: number;
  /** Which loss the perplexity comes from. */
  basis: 'EVAL_LOSS' | 'TRAIN_LOSS';
  basisLoss: number;
  perplexity: number;
  /** The rating of the perplexity alone, before the improvement check. */
  perplexityRating: number;
  /** (initial − final) / initial train loss; null without both. */
  lossImprovement: number | null;
  improvementPenalty: boolean;
  /** The derivation in one sentence. */
  explanation: string;
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

/** The rating with how it was derived; null without a usable loss. */
export function assessQuality(input: { initialLoss: number | null; finalLoss: number | null; evalLoss: number | null }): QualityAssessment | null {
  const basis = input.evalLoss !== null && Number.isFinite(input.evalLoss) ? 'EVAL_LOSS' : 'TRAIN_LOSS';
  const loss = basis === 'EVAL_LOSS' ? input.evalLoss : input.finalLoss;
  if (loss === null || !Number.isFinite(loss)) return null;
  const perplexity = Math.exp(loss);
  const band = PERPLEXITY_BANDS.find((b) => b.maxPerplexity === null || perplexity <= b.maxPerplexity)!;
  let rating = band.rating;
  let lossImprovement: number | null = null;
  let improvementPenalty = false;
  if (input.initialLoss !== null && input.finalLoss !== null && input.initialLoss > 0) {
    lossImprovement = (input.initialLoss - input.finalLoss) / input.initialLoss;
    if (lossImprovement < MIN_IMPROVEMENT) {
      improvementPenalty = rating > 1;
      rating = Math.max(1, rating - 1);
    }
  }
  const source = basis === 'EVAL_LOSS' ? 'held-out (eval) loss' : 'final training loss (the job had no validation split)';
  const bandText = band.maxPerplexity === null ? `above ${PERPLEXITY_BANDS.at(-2)!.maxPerplexity}` : `≤ ${band.maxPerplexity}`;
  let explanation = `Perplexity e^${fmt(loss)} = ${fmt(perplexity)} from the ${source}; ${bandText} rates ${band.rating} of 5.`;
  if (lossImprovement !== null) {
    const pct = `${(lossImprovement * 100).toFixed(1)}%`;
    explanation += lossImprovement < MIN_IMPROVEMENT
      ? ` Training improved the loss by only ${pct} (under ${MIN_IMPROVEMENT * 100}%)${improvementPenalty ? ', so one point is taken off' : ''}: ${rating} of 5.`
      : ` Training improved the loss by ${pct} (at least ${MIN_IMPROVEMENT * 100}% keeps the rating).`;
  }
  return { rating, basis, basisLoss: loss, perplexity, perplexityRating: band.rating, lossImprovement, improvementPenalty, explanation };
}

export function qualityRating(input: { initialLoss: number | null; finalLoss: number | null; evalLoss: number | null }): number | null {
  return assessQuality(input)?.rating ?? null;
}

/** `{Dataset}-{Preset}-{YYYY-MM-DD}`, e.g. "EQ-Alignment-Balanced-2026-11-28". */
export function artifactName(datasetName: string, preset: string, date: Date): string {
  const clean = (s: string) => s.trim().replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'dataset';
  const presetLabel = preset.charAt(0).toUpperCase() + preset.slice(1).toLowerCase();
  return `${clean(datasetName)}-${clean(presetLabel)}-${date.toISOString().slice(0, 10)}`;
}
