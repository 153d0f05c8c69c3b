import { createRawSnippet } from 'svelte';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ConfirmByName from './ConfirmByName.svelte';

const text = (t: string) => createRawSnippet(() => ({ render: () => `<p>${t}</p>` }));
const props = (extra: Record<string, unknown> = {}) => ({ open: true, title: 'Delete model', name: 'Support-Balanced-2026-11-30', label: 'Type the model name to confirm', action: 'Delete model', children: text('This cannot be undone.'), onconfirm: vi.fn(), ...extra });

describe('ConfirmByName', () => {
  it('keeps the action disabled until the typed text is the name, then passes it on (spaces around it ignored)', async () => {
    const p = props();
    render(ConfirmByName, p);
    const input = screen.getByLabelText('Type the model name to confirm') as HTMLInputElement;
    const button = screen.getByRole('button', { name: 'Delete model' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.input(input, { target: { value: 'Support-Balanced' } });
    expect(button.disabled).toBe(true);
    await fireEvent.input(input, { target: { value: '  Support-Balanced-2026-11-30 ' } });
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    expect(p.onconfirm).toHaveBeenCalledWith('Support-Balanced-2026-11-30');
  });

  it('starts empty each time it opens, shows the error in an alert, and stays disabled while busy', async () => {
    const { rerender } = render(ConfirmByName, props());
    const input = () => screen.getByLabelText('Type the model name to confirm') as HTMLInputElement;
    await fireEvent.input(input(), { target: { value: 'Support-Balanced-2026-11-30' } });
    await rerender({ open: false });
    await rerender({ open: true });
    expect(input().value).toBe('');
    await fireEvent.input(input(), { target: { value: 'Support-Balanced-2026-11-30' } });
    await rerender({ busy: true, error: 'A job is still using it' });
    expect((screen.getByRole('button', { name: 'Deleting…' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toBe('A job is still using it');
  });
});
