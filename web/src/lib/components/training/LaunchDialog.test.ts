import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import LaunchDialog, { type LaunchSummary } from './LaunchDialog.svelte';

const SUMMARY: LaunchSummary = {
  dataset: 'Demo (1,567 pairs)', preset: 'Balanced', custom: false, baseModel: 'Llama 3 70B · NF4', compute: 'H100 PCIe · Spot', parameters: 'r=16',
  cost: '$12.00–$15.42', duration: '4.1–5.3 h', maxDuration: '24 h', costCap: null, simulated: true,
};
const confirmButton = () => document.querySelector('dialog footer button:last-child') as HTMLButtonElement;

describe('LaunchDialog', () => {
  it('needs the budget acknowledgement, plus spot and dataset ones when they apply', async () => {
    const onconfirm = vi.fn();
    render(LaunchDialog, { open: true, summary: SUMMARY, spot: true, datasetIssues: ['Only 70 trainable pairs (needs > 500).'], onconfirm });
    expect(confirmButton().disabled).toBe(true);
    await fireEvent.click(screen.getByRole('checkbox', { name: 'I understand the costs and have approved budget' }));
    expect(confirmButton().disabled).toBe(true);
    await fireEvent.click(screen.getByRole('checkbox', { name: 'I accept that a spot instance may be interrupted' }));
    expect(confirmButton().disabled).toBe(true);
    expect(screen.getByRole('button', { name: /Confirm & Start Training/ })).toBe(confirmButton());
    expect(screen.getByText('Only 70 trainable pairs (needs > 500).')).toBeTruthy();
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Train on this dataset anyway' }));
    expect(confirmButton().disabled).toBe(false);
    await fireEvent.click(confirmButton());
    expect(onconfirm).toHaveBeenCalledTimes(1);
  });

  it('on-demand with a ready dataset: the budget box alone', async () => {
    render(LaunchDialog, { open: true, summary: { ...SUMMARY, simulated: false }, spot: false, onconfirm: () => undefined });
    expect(screen.getAllByRole('checkbox')).toHaveLength(1);
    expect(screen.queryByText(/Demo provider/)).toBeNull();
    await fireEvent.click(screen.getByRole('checkbox'));
    expect(confirmButton().disabled).toBe(false);
  });

  it('stays disabled while launching or while the estimate is recomputed, and shows the error to retry', async () => {
    const { rerender } = render(LaunchDialog, { open: true, summary: SUMMARY, spot: false, launching: true, onconfirm: () => undefined });
    await fireEvent.click(screen.getByRole('checkbox'));
    expect(confirmButton().disabled).toBe(true);
    expect(confirmButton().textContent).toContain('Launching…');
    await rerender({ launching: false, stale: true });
    expect(confirmButton().disabled).toBe(true);
    await rerender({ stale: false, error: 'Starting this job could pass the monthly budget of $100.00.' });
    expect(confirmButton().disabled).toBe(false);
    expect(screen.getByRole('alert').textContent).toMatch(/monthly budget/);
  });
});
