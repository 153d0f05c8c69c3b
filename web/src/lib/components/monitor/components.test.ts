import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import CostCard from './CostCard.svelte';
import StageIndicator from './StageIndicator.svelte';
import OutcomeBanner from './OutcomeBanner.svelte';
import type { MonitorJob } from './monitor.svelte';

const t0 = Date.parse('2026-11-30T06:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
function job(patch: Partial<MonitorJob> = {}): MonitorJob {
  return {
    id: 'job_1', status: 'TRAINING', substatus: 'Step 850 of 2,000', progress: 0.425, currentStep: 850, totalSteps: 2000, currentEpoch: 1.3, totalEpochs: 3, etaSeconds: 29_700,
    createdAt: at(0), startedAt: at(0), finishedAt: null, lastHeartbeatAt: at(100), isActive: true, isSimulated: false, provider: 'RUNPOD',
    gpuType: 'NVIDIA A100 80GB PCIe', cloudType: 'SPOT', baseModel: 'meta-llama/Meta-Llama-3-8B-Instruct', preset: 'BALANCED', spendUsd: 22.18, costCapUsd: null, maxDurationHours: 24, interruptionCount: 0,
    errorCode: null, errorMessage: null, cancelReason: null,
    dataset: { id: 'ds_1', name: 'EQ sample', trainablePairCount: 1567 },
    estimate: { totalSteps: 2000, hours: { low: 8, high: 20 }, cost: { lowUsd: 45, highUsd: 55, pricePerHourUsd: 2.49, priceSource: 'LIVE' }, stages: [] },
    hyperparameters: { learningRate: 2e-4, epochs: 3, batchSize: 4, loraRank: 16, maxSequenceLength: 2048 },
    stages: [
      { stage: 'PREPROCESSING', attempt: 1, startedAt: at(0), endedAt: at(222), durationSeconds: 222 },
      { stage: 'MODEL_LOADING', attempt: 1, startedAt: at(222), endedAt: at(900), durationSeconds: 678 },
      { stage: 'TRAINING', attempt: 1, startedAt: at(900), endedAt: null, durationSeconds: 0 },
    ],
    attempts: [{ id: 'att_1', number: 1, startedAt: at(0), endedAt: null, endReason: null, exit: null, pricePerHourUsd: 2.49, spendUsd: 22.18, cloudType: 'SPOT' }],
    latestMetrics: { train: null, eval: null },
    artifact: null,
    ...patch,
  } as MonitorJob;
}

describe('CostCard', () => {
  it('shows spend, % of the estimate, the hourly rate and the projection; no alert under 80 %', () => {
    render(CostCard, { job: job() });
    expect(screen.getByText('$22.18')).toBeTruthy();
    expect(screen.getByText('44%')).toBeTruthy();
    expect(screen.getByText(/\$2\.49\/hr/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
  it('alerts past the estimate (the page plan: $54 against $45–55)', () => {
    render(CostCard, { job: job({ spendUsd: 54 }) });
    expect(screen.getByRole('alert').textContent).toMatch(/Cost exceeding estimate/);
  });
});

describe('StageIndicator', () => {
  it('shows completed stages with their durations and the active one with its substatus', () => {
    render(StageIndicator, { job: job(), now: t0 + 1000_000 });
    expect(screen.getByText('Done in 3m 42s')).toBeTruthy();
    expect(screen.getByText('Done in 11m 18s')).toBeTruthy();
    expect(screen.getByText(/^Step 850 of 2,000/)).toBeTruthy();
  });
  it('shows a spot interruption as such, with the attempt that resumes', () => {
    render(StageIndicator, { job: job({ status: 'INTERRUPTED', interruptionCount: 1, attempts: [{ id: 'a1', number: 1, startedAt: at(0), endedAt: at(5000), endReason: 'INTERRUPTED', exit: null, pricePerHourUsd: 2.49, spendUsd: 3, cloudType: 'SPOT' }] as MonitorJob['attempts'] }), now: t0 + 6000_000 });
    expect(screen.getByRole('status').textContent).toMatch(/Spot interruption — resuming from the last checkpoint as attempt 2/);
    expect(screen.getByText('Interrupted — resuming')).toBeTruthy();
  });
});

describe('OutcomeBanner', () => {
  it('completion links to the artifact; failure shows the fix and the retry link', () => {
    const done = render(OutcomeBanner, { job: job({ status: 'COMPLETED', artifact: { id: 'art_9', name: 'eq', version: 2, finalLoss: 0.312, evalLoss: 0.33 } }), finalLoss: null });
    expect(screen.getByRole('heading').textContent).toMatch(/Training complete! Final loss: 0\.312/);
    expect(screen.getByRole('link', { name: 'View LoRA model' }).getAttribute('href')).toBe('/models/art_9');
    done.unmount();
    render(OutcomeBanner, { job: job({ status: 'FAILED', errorCode: 'OUT_OF_MEMORY', errorMessage: 'CUDA out of memory. Fix: lower batchSize.' }), finalLoss: null });
    expect(screen.getByText('Lower batchSize.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Retry with these settings' }).getAttribute('href')).toBe('/training/new?dataset_id=ds_1&from_job=job_1');
  });
});
