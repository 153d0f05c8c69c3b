/** Persona colours, in a fixed order so a persona keeps its colour across cards and charts. */
export const SERIES = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)', 'var(--chart-6)', 'var(--chart-7)'];
export const colourOf = (key: string, keys: string[]) => SERIES[Math.max(0, [...keys].sort().indexOf(key)) % SERIES.length]!;
export const humanize = (key: string) => key.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

/** Quality colour per the spec: 4–5 green, 3–4 blue, 2–3 yellow, below 2 red. */
export const qualityTone = (q: number | null | undefined) => (q == null ? 'neutral' : q >= 4 ? 'success' : q >= 3 ? 'primary' : q >= 2 ? 'warning' : 'error');

export interface ScaffoldingShape {
  personas: { key: string; count: number }[];
  emotionalArcs: { key: string; count: number }[];
  combinations: { persona: string; arc: string; conversations: number }[];
}

/** One row per emotional arc with the conversations of each persona (every persona, zeros included). */
export function scaffoldingRows(s: ScaffoldingShape) {
  const personas = s.personas.map((p) => p.key);
  return s.emotionalArcs.map((arc) => ({
    arc: arc.key,
    total: arc.count,
    segments: personas.map((persona) => ({
      persona,
      count: s.combinations.filter((c) => c.arc === arc.key && c.persona === persona).reduce((sum, c) => sum + c.conversations, 0),
    })),
  }));
}
