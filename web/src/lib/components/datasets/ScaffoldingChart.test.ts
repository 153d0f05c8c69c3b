import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ScaffoldingChart from './ScaffoldingChart.svelte';
import { colourOf, qualityTone, scaffoldingRows } from './scaffolding';

const scaffolding = {
  personas: [{ key: 'anxious_planner', count: 5 }, { key: 'pragmatic_optimist', count: 4 }],
  emotionalArcs: [{ key: 'shame_to_acceptance', count: 6 }, { key: 'crisis_to_referral', count: 3 }],
  trainingTopics: [],
  combinations: [
    { persona: 'anxious_planner', arc: 'shame_to_acceptance', topic: 'a', conversations: 2 },
    { persona: 'anxious_planner', arc: 'shame_to_acceptance', topic: 'b', conversations: 1 },
    { persona: 'pragmatic_optimist', arc: 'shame_to_acceptance', topic: 'a', conversations: 3 },
    { persona: 'anxious_planner', arc: 'crisis_to_referral', topic: 'c', conversations: 2 },
    { persona: 'pragmatic_optimist', arc: 'crisis_to_referral', topic: 'c', conversations: 1 },
  ],
};

describe('scaffolding', () => {
  it('sums each persona × arc over topics, zeros included', () => {
    expect(scaffoldingRows(scaffolding)).toEqual([
      { arc: 'shame_to_acceptance', total: 6, segments: [{ persona: 'anxious_planner', count: 3 }, { persona: 'pragmatic_optimist', count: 3 }] },
      { arc: 'crisis_to_referral', total: 3, segments: [{ persona: 'anxious_planner', count: 2 }, { persona: 'pragmatic_optimist', count: 1 }] },
    ]);
    expect(scaffoldingRows({ ...scaffolding, combinations: [] })[0]!.segments.every((s) => s.count === 0)).toBe(true);
  });

  it('keeps a persona’s colour whatever the order it comes in', () => {
    expect(colourOf('b', ['a', 'b'])).toBe(colourOf('b', ['b', 'a']));
    expect(colourOf('a', ['a', 'b'])).not.toBe(colourOf('b', ['a', 'b']));
  });

  it('colours quality per the spec (4–5 green, 3–4 blue, 2–3 yellow, < 2 red)', () => {
    expect([4.5, 3.2, 2.1, 1.9, null].map(qualityTone)).toEqual(['success', 'primary', 'warning', 'error', 'neutral']);
  });
});

describe('ScaffoldingChart', () => {
  it('draws with layerchart and gives screen readers every count in a table', () => {
    const { container } = render(ScaffoldingChart, { scaffolding });
    expect(container.querySelector('[data-testid="scaffolding-chart"] .lc-chart, [data-testid="scaffolding-chart"] > div')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Conversations per emotional arc and persona' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['Shame to acceptance', '3', '3', '6'],
      ['Crisis to referral', '2', '1', '3'],
    ]);
    expect(container.querySelector('.legend')!.textContent).toContain('Anxious planner');
  });
});
