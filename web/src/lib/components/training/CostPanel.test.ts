import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import CostPanel from './CostPanel.svelte';
import type { EstimateFieldsFragment } from '$lib/graphql/generated/graphql';

const ESTIMATE: EstimateFieldsFragment = {
  hours: { low: 4.1, high: 5.35 },
  totalSteps: 1059, trainingPairs: 1410, validationPairs: 157, tokensPerSecond: 224, throughputSource: 'MODEL', pastJobs: 0, peakMemoryGb: 67.3, totalTokens: 1_000_000,
  stages: [
    { stage: 'PREPROCESSING', hours: { low: 0.05, high: 0.14 } },
    { stage: 'TRAINING', hours: { low: 3.89, high: 4.79 } },
  ],
  warnings: [{ code: 'EXCEEDS_MAX_DURATION', message: 'The estimate runs up to 5.3 h, over the maximum duration of 2 h.' }, { code: 'SPOT_INTERRUPTIONS', message: 'Spot pods can be interrupted.' }],
  cost: {
    lowUsd: 12, highUsd: 15.42, pricePerHourUsd: 2.49, priceSource: 'SIMULATED', priceNote: 'Simulated job billed at the documented spot rate', storageUsd: 0.7, bufferShare: 0.1,
    compute: { lowUsd: 10.21, highUsd: 13.32 }, buffer: { lowUsd: 1.09, highUsd: 1.4 },
  },
};

describe('CostPanel', () => {
  it('shows the range, the breakdown, the hourly rate with its source, and the duration', () => {
    render(CostPanel, { estimate: ESTIMATE, cloudType: 'SPOT', gpuLabel: 'H100 PCIe (80GB)' });
    expect(screen.getByTestId('cost-range').textContent).toBe('$12.00–$15.42');
    expect(screen.getByTestId('duration-range').textContent).toBe('4.1–5.3 h');
    expect(screen.getByText('$10.21–$13.32')).toBeTruthy(); // compute
    expect(screen.getByText('$0.70')).toBeTruthy(); // storage
    expect(screen.getByText('$1.09–$1.40')).toBeTruthy(); // buffer
    expect(screen.getByTestId('hourly-rate').textContent).toBe('$2.49/h');
    expect(screen.getByText('Simulated (demo job)')).toBeTruthy();
    // The duration warning is shown; the spot one belongs to the confirmation, not here.
    expect(screen.getByText(/over the maximum duration/)).toBeTruthy();
    expect(screen.queryByText('Spot pods can be interrupted.')).toBeNull();
  });

  it('explains the range on request', async () => {
    render(CostPanel, { estimate: ESTIMATE, cloudType: 'ON_DEMAND', gpuLabel: 'H100 PCIe (80GB)' });
    const why = screen.getByRole('button', { name: 'Why a range?' });
    expect(why.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(why);
    expect(why.getAttribute('aria-expanded')).toBe('true');
    expect(document.getElementById('why-range')?.textContent).toMatch(/documented throughput model \(224 tokens\/s\).*30% above the low end/s);
  });

  it('dims the figures while a newer answer is on its way, and announces only settled ones', async () => {
    const { rerender } = render(CostPanel, { estimate: ESTIMATE, pending: true, cloudType: 'SPOT', gpuLabel: 'H100' });
    expect(document.querySelector('section')?.getAttribute('aria-busy')).toBe('true');
    expect(document.querySelector('.figures')?.classList.contains('stale')).toBe(true);
    expect(document.querySelector('[aria-live]')?.textContent).toBe('');
    await rerender({ estimate: ESTIMATE, pending: false, cloudType: 'SPOT', gpuLabel: 'H100' });
    expect(document.querySelector('[aria-live]')?.textContent).toBe('Estimated cost $12.00 to $15.42, 4.1 to 5.3 h');
  });

  it('shows the API’s message when the configuration is refused', () => {
    render(CostPanel, { estimate: null, error: 'Llama 3 70B in BF16 needs at least 160 GB of GPU memory', cloudType: 'SPOT', gpuLabel: 'H100' });
    expect(screen.getByRole('alert').textContent).toMatch(/needs at least 160 GB/);
  });
});
