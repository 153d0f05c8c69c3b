import { createRawSnippet } from 'svelte';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import Dialog from './Dialog.svelte';

const text = (t: string) => createRawSnippet(() => ({ render: () => `<p>${t}</p>` }));

describe('Dialog', () => {
  it('opens as a modal named by its title, and its close button closes it and reports it', async () => {
    const onclose = vi.fn();
    const { container, rerender } = render(Dialog, { open: true, title: 'Rename dataset', children: text('Body here'), footer: text('Footer here'), onclose });
    const dialog = container.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(screen.getByRole('heading', { name: 'Rename dataset' }).id).toBe(dialog.getAttribute('aria-labelledby'));
    expect(screen.getByText('Body here')).toBeTruthy();
    expect(screen.getByText('Footer here')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(dialog.open).toBe(false);
    expect(onclose).toHaveBeenCalledOnce();
    expect(screen.queryByText('Body here')).toBeNull(); // closed content is not rendered
    await rerender({ open: true });
    expect(dialog.open).toBe(true);
  });

  it('renders nothing inside while closed', () => {
    const { container } = render(Dialog, { open: false, title: 'Hidden', children: text('Secret') });
    expect(container.querySelector('dialog')!.open).toBe(false);
    expect(screen.queryByText('Secret')).toBeNull();
  });
});
