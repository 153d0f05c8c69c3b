import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const nav = vi.hoisted(() => ({ goto: vi.fn() }));
const client = vi.hoisted(() => ({ query: vi.fn(), mutate: vi.fn(), handleUnauthenticated: vi.fn() }));
vi.mock('$app/navigation', () => nav);
vi.mock('$lib/graphql/client', () => client);

import CommandPalette from './CommandPalette.svelte';

beforeEach(() => {
  nav.goto.mockReset();
  client.query.mockReset();
});

const options = () => screen.getAllByRole('option').map((o) => o.querySelector('.label')!.textContent);

describe('CommandPalette', () => {
  it('lists navigation and actions, filters as you type, and runs the highlighted one with Enter', async () => {
    render(CommandPalette, { open: true });
    const input = screen.getByRole('combobox', { name: 'Command' });
    expect(options()).toContain('Go to Datasets');
    expect(options()).toContain('Upload a dataset');
    await fireEvent.input(input, { target: { value: 'sett' } });
    expect(options()).toEqual(['Go to Settings']);
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(nav.goto).toHaveBeenCalledWith('/settings');
  });

  it('moves the highlight with the arrow keys (aria-activedescendant follows)', async () => {
    render(CommandPalette, { open: true });
    const input = screen.getByRole('combobox', { name: 'Command' });
    expect(input.getAttribute('aria-activedescendant')).toBe('pal-0');
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe('pal-2');
    expect(screen.getAllByRole('option')[2]!.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(nav.goto).toHaveBeenCalledTimes(1);
    expect(nav.goto.mock.calls[0]![0]).toBe('/datasets'); // the second item: Go to Datasets
  });

  it('searches datasets, jobs and models by name and opens what is picked', async () => {
    client.query.mockResolvedValue({
      datasets: { edges: [{ node: { id: 'ds_1', name: 'Demo: ready to train' } }] },
      trainingJobs: { edges: [{ node: { id: 'job_1', status: 'TRAINING', dataset: { name: 'Demo: ready to train' } } }] },
      modelArtifacts: { edges: [{ node: { id: 'm_1', name: 'other', version: 1 } }] },
    });
    render(CommandPalette, { open: true });
    const input = screen.getByRole('combobox', { name: 'Command' });
    await fireEvent.input(input, { target: { value: 'demo' } });
    await waitFor(() => expect(options()).toEqual(['Demo: ready to train', 'Demo: ready to train — training']));
    expect(client.query).toHaveBeenCalledWith(expect.anything(), { search: 'demo' });
    await fireEvent.click(screen.getAllByRole('option')[1]!);
    expect(nav.goto).toHaveBeenCalledWith('/training/jobs/job_1');
  });

  it('does not search for a single character', async () => {
    render(CommandPalette, { open: true });
    await fireEvent.input(screen.getByRole('combobox', { name: 'Command' }), { target: { value: 'd' } });
    await new Promise((r) => setTimeout(r, 250));
    expect(client.query).not.toHaveBeenCalled();
  });
});
