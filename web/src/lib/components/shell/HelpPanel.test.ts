import { render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({ page: { url: new URL('http://x/datasets/ds_1') } }));
vi.mock('$app/state', () => state);

import HelpPanel from './HelpPanel.svelte';
import { SHORTCUTS, sectionOf } from './help';

describe('HelpPanel', () => {
  it('explains the current section and lists every shortcut with its keys', () => {
    render(HelpPanel, { open: true });
    expect(screen.getByRole('complementary', { name: 'Help' })).toBeTruthy();
    expect(screen.getByText(/more than 500 trainable pairs/)).toBeTruthy(); // the datasets section's help
    const terms = screen.getAllByRole('term');
    expect(terms).toHaveLength(SHORTCUTS.length);
    expect(terms[0]!.textContent).toBe('Ctrl/⌘ + K');
    expect(screen.getByText(/Focus the dataset search/).textContent).toContain('(Datasets)');
  });

  it('renders nothing while closed', () => {
    render(HelpPanel, { open: false });
    expect(screen.queryByRole('complementary')).toBeNull();
  });

  it('maps nested paths to their section', () => {
    expect([sectionOf('/datasets/ds_1'), sectionOf('/settings'), sectionOf('/'), sectionOf('/nowhere')]).toEqual(['/datasets', '/settings', '/', '/']);
  });
});
