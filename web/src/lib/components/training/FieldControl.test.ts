import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import FieldControl from './FieldControl.svelte';
import { CATALOG } from './fixtures';

const range = (field: string) => CATALOG.ranges.find((r) => r.field === field)!;

describe('FieldControl', () => {
  it('shows the learning rate in scientific notation and takes typed values in range only', async () => {
    const onchange = vi.fn();
    render(FieldControl, { range: range('learningRate'), value: 2e-4, presetValue: 2e-4, onchange });
    const input = screen.getByLabelText('learningRate', { selector: 'input[type=text]' }) as HTMLInputElement;
    expect(input.value).toBe('2e-4');
    await fireEvent.input(input, { target: { value: '5e-2' } });
    expect(screen.getByRole('alert').textContent).toBe('Between 1e-6 and 1e-3');
    expect(onchange).not.toHaveBeenCalled();
    await fireEvent.input(input, { target: { value: '3E-4' } });
    expect(onchange).toHaveBeenCalledWith(3e-4);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('moves the learning rate on a logarithmic slider', async () => {
    const onchange = vi.fn();
    render(FieldControl, { range: range('learningRate'), value: 2e-4, presetValue: 2e-4, onchange });
    const slider = screen.getByLabelText('learningRate slider') as HTMLInputElement;
    expect(Number(slider.min)).toBe(-6);
    expect(Number(slider.max)).toBe(-3);
    expect(slider.getAttribute('aria-valuetext')).toBe('2e-4');
    await fireEvent.input(slider, { target: { value: '-3.5' } });
    expect(onchange).toHaveBeenCalledWith(3.2e-4); // 10^-3.5, two significant digits
  });

  it('marks a value that differs from the preset and resets it', async () => {
    const onchange = vi.fn();
    render(FieldControl, { range: range('loraRank'), value: 24, presetValue: 16, onchange });
    expect(screen.getByText('Custom')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: /Reset loraRank to the preset's 16/ }));
    expect(onchange).toHaveBeenCalledWith(16);
  });

  it('offers a choice field as a radio group', async () => {
    const onchange = vi.fn();
    render(FieldControl, { range: range('batchSize'), value: 4, presetValue: 4, onchange });
    const group = screen.getByRole('radiogroup', { name: 'batchSize' });
    expect(group.querySelectorAll('input[type=radio]').length).toBe(4);
    expect((screen.getByRole('radio', { name: '4' }) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByRole('radio', { name: '8' }));
    expect(onchange).toHaveBeenCalledWith(8);
    expect(screen.queryByText('Custom')).toBeNull();
  });
});
