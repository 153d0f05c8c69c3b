import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import PresetSelector from './PresetSelector.svelte';
import { CATALOG } from './fixtures';

describe('PresetSelector', () => {
  it('is a radio group of the three presets, each with its own estimate', async () => {
    const onselect = vi.fn();
    render(PresetSelector, {
      presets: CATALOG.presets,
      selected: 'BALANCED',
      estimates: { CONSERVATIVE: { lowUsd: 8.07, highUsd: 10.63, hoursLow: 2.8, hoursHigh: 3.73 }, BALANCED: null, AGGRESSIVE: 'error' },
      onselect,
    });
    const radios = screen.getAllByRole('radio') as HTMLInputElement[];
    expect(radios.map((r) => r.value)).toEqual(['CONSERVATIVE', 'BALANCED', 'AGGRESSIVE']);
    expect(radios[1]!.checked).toBe(true);
    expect(screen.getByText('$8.07–$10.63')).toBeTruthy();
    expect(screen.getByText('2.8–3.7 h')).toBeTruthy();
    expect(screen.getByText('Estimating')).toBeTruthy();
    expect(screen.getByText('No estimate')).toBeTruthy();
    expect(screen.getByText('r=32 · lr=5e-4 · 5 epochs')).toBeTruthy();
    await fireEvent.click(radios[2]!);
    expect(onselect).toHaveBeenCalledWith('AGGRESSIVE');
  });

  it('badges the selected preset "Custom" once an advanced setting differs', () => {
    render(PresetSelector, { presets: CATALOG.presets, selected: 'CONSERVATIVE', custom: true, estimates: {}, onselect: () => undefined });
    const custom = screen.getByText('Custom');
    expect(custom.closest('label')?.textContent).toContain('Conservative');
  });
});
