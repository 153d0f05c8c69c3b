import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import DatasetCard from './DatasetCard.svelte';
import type { DatasetCardFieldsFragment } from '$lib/graphql/generated/graphql';

const dataset = {
  id: 'ds_1',
  name: 'A very long dataset name that goes on past the forty character limit',
  createdAt: '2026-11-01T10:00:00Z',
  format: 'brightrun-lora-v4',
  vertical: 'Financial Planning Consultant',
  conversationCount: 242,
  trainingPairCount: 1567,
  averageQuality: 3.04,
  importStatus: 'IMPORTED',
  readiness: { ready: true },
  consultantProfile: { name: 'Elena Morales, CFP' },
  scaffolding: { personas: [{ key: 'anxious_planner', count: 80 }, { key: 'pragmatic_optimist', count: 162 }] },
} as unknown as DatasetCardFieldsFragment;

describe('DatasetCard', () => {
  it('shows the spec’s metrics and tells screen readers the whole summary', () => {
    render(DatasetCard, { dataset });
    const card = screen.getByRole('article');
    expect(card.getAttribute('aria-label')).toBe(`Dataset: ${dataset.name}, 242 conversations, 1,567 training pairs, quality 3.0 of 5, ready for training`);
    expect(screen.getByRole('link', { name: /^A very long/ }).textContent).toBe('A very long dataset name that goes on p…');
    // P03's entry: Start Training hands the dataset to the configurator.
    expect(screen.getByRole('link', { name: 'Start Training' }).getAttribute('href')).toBe('/training/new?dataset_id=ds_1');
    expect(screen.getByText('v4')).toBeTruthy();
    expect(screen.getByText('3.0/5.0').dataset.tone).toBe('primary'); // 3–4 is blue
    expect(screen.getByText(/Ready for Training/)).toBeTruthy();
    expect(screen.getByText('Elena Morales, CFP')).toBeTruthy();
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Personas: Anxious planner 80, Pragmatic optimist 162');
  });

  it('says "Review Recommended" and a red score when not ready and poor', () => {
    render(DatasetCard, { dataset: { ...dataset, readiness: { ready: false }, averageQuality: 1.5 } as DatasetCardFieldsFragment });
    expect(screen.getByText(/Review Recommended/)).toBeTruthy();
    expect(screen.getByText('1.5/5.0').dataset.tone).toBe('error');
  });

  it('Ctrl/⌘-click and Space select for comparison; a plain click opens the details', async () => {
    const ontoggle = vi.fn();
    const onopen = vi.fn();
    render(DatasetCard, { dataset, ontoggle, onopen });
    const link = screen.getByRole('link', { name: /^A very long/ });
    await fireEvent.click(link, { ctrlKey: true });
    await fireEvent.click(link, { metaKey: true });
    await fireEvent.keyDown(link, { key: ' ' });
    expect(ontoggle).toHaveBeenCalledTimes(3);
    expect(onopen).not.toHaveBeenCalled();
    await fireEvent.click(link);
    expect(onopen).toHaveBeenCalledTimes(1);
    // Shift-click keeps the browser's own behaviour (open in a new window).
    await fireEvent.click(link, { shiftKey: true });
    expect(onopen).toHaveBeenCalledTimes(1);
    // Shift+Enter is the spec's "View Details" key.
    await fireEvent.keyDown(link, { key: 'Enter', shiftKey: true });
    expect(onopen).toHaveBeenCalledTimes(2);
  });

  it('marks a selected card; its "Compare" checkbox selects with keyboard or pointer', async () => {
    const ontoggle = vi.fn();
    const { container } = render(DatasetCard, { dataset, selected: true, ontoggle, posinset: 7, setsize: 1000 });
    const article = container.querySelector('article')!;
    expect(article.classList.contains('selected')).toBe(true);
    expect(article.getAttribute('aria-posinset')).toBe('7');
    expect(article.getAttribute('aria-setsize')).toBe('1000');
    const box = screen.getByRole('checkbox', { name: `Compare ${dataset.name}` }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box);
    expect(ontoggle).toHaveBeenCalledTimes(1);
  });

  it('has no "Compare" checkbox where nothing selects', () => {
    render(DatasetCard, { dataset });
    expect(screen.queryByRole('checkbox')).toBeNull();
  });
});
