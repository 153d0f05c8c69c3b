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
export function qualityRating(input: { initialLoss: number | null; finalLoss: number | null; evalLoss: number | null }): number | null {
  const loss = input.evalLoss ?? input.finalLoss;
  if (loss === null || !Number.isFinite(loss)) return null;
  const perplexity = Math.exp(loss);
  let rating = perplexity <= 3 ? 5 : perplexity <= 6 ? 4 : perplexity <= 12 ? 3 : perplexity <= 25 ? 2 : 1;
  if (input.initialLoss !== null && input.finalLoss !== null && input.initialLoss > 0) {
    const improvement = (input.initialLoss - input.finalLoss) / input.initialLoss;
    if (improvement < 0.1) rating = Math.max(1, rating - 1);
  }
  return rating;
}

/** `{Dataset}-{Preset}-{YYYY-MM-DD}`, e.g. "EQ-Alignment-Balanced-2026-11-28". */
export function artifactName(datasetName: string, preset: string, date: Date): string {
  const clean = (s: string) => s.trim().replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'dataset';
  const presetLabel = preset.charAt(0).toUpperCase() + preset.slice(1).toLowerCase();
  return `${clean(datasetName)}-${clean(presetLabel)}-${date.toISOString().slice(0, 10)}`;
}
