import { describe, expect, it } from 'vitest';
import { Prisma, type TrainingJob } from '../generated/prisma/client.js';
import { costWarningNotification, crossedCostWarnings, estimateHighUsd, notificationForTransition, notificationKindForTransition } from './kinds.js';

const job = (patch: Partial<TrainingJob> = {}) =>
  ({
    id: 'job_1',
    status: 'PROVISIONING',
    baseModel: 'meta-llama/Meta-Llama-3-8B-Instruct',
    gpuType: 'NVIDIA H100 PCIe',
    cloudType: 'SPOT',
    preset: 'BALANCED',
    estimate: { cost: { low: 12.5, high: 20 } },
    currentStep: 300,
    totalSteps: 1200,
    interruptionCount: 0,
    spendUsd: new Prisma.Decimal('7.456'),
    costCapUsd: null,
    errorMessage: null,
    cancelReason: null,
    startedAt: new Date('2026-03-01T10:00:00Z'),
    finishedAt: null,
    ...patch,
  }) as TrainingJob;

describe('notificationForTransition', () => {
  it('maps lifecycle transitions to kinds; trainer stages raise nothing', () => {
    expect(notificationKindForTransition('PROVISIONING', 'QUEUED')).toBe('JOB_STARTED');
    expect(notificationKindForTransition('PROVISIONING', 'INTERRUPTED')).toBe('JOB_RESUMED');
    expect(notificationKindForTransition('INTERRUPTED', 'TRAINING')).toBe('JOB_INTERRUPTED');
    expect(notificationKindForTransition('COMPLETED', 'FINALIZING')).toBe('JOB_COMPLETED');
    expect(notificationKindForTransition('FAILED', 'TRAINING')).toBe('JOB_FAILED');
    expect(notificationKindForTransition('CANCELLED', 'QUEUED')).toBe('JOB_CANCELLED');
    expect(notificationKindForTransition('TRAINING', 'MODEL_LOADING')).toBeNull();
    expect(notificationForTransition(job({ status: 'TRAINING' }), 'MODEL_LOADING', { message: 'stage' })).toBeNull();
  });

  it('writes texts a person can act on, with the dataset name and a link to the job', () => {
    expect(notificationForTransition(job(), 'QUEUED', { message: 'x' }, { dataset: 'EQ-242' })).toEqual({
      kind: 'JOB_STARTED',
      title: 'Training started: “EQ-242”',
      body: 'Meta-Llama-3-8B-Instruct (balanced) is getting a spot NVIDIA H100 PCIe. Estimated cost $12.50–$20.00.',
      link: '/jobs/job_1',
      jobId: 'job_1',
    });
    const interrupted = notificationForTransition(job({ status: 'INTERRUPTED', interruptionCount: 2 }), 'TRAINING', { message: 'The spot pod was reclaimed' });
    expect(interrupted?.body).toBe('The spot pod was reclaimed (at step 300 of 1,200; interruption 2). It resumes from the last checkpoint.');
    expect(interrupted?.title).toBe('Training interrupted: job_1');
    const done = notificationForTransition(job({ status: 'COMPLETED', finishedAt: new Date('2026-03-01T12:05:00Z') }), 'FINALIZING', { message: 'done' });
    expect(done?.body).toBe('Meta-Llama-3-8B-Instruct finished in 2 h 5 min; spent $7.46. The adapter is ready to download.');
    expect(notificationForTransition(job({ status: 'FAILED', errorMessage: 'CUDA out of memory' }), 'TRAINING', { message: 'x' })?.body).toBe('CUDA out of memory (at step 300 of 1,200; spent $7.46).');
    expect(notificationForTransition(job({ status: 'CANCELLED', cancelReason: 'wrong dataset' }), 'TRAINING', { message: 'x' })?.body).toBe('Reason: wrong dataset. Spent $7.46.');
  });
});

describe('jobs that rent nothing', () => {
  it('never calls a demo or local job a spot pod, and labels simulated money as simulated', () => {
    const demo = job({ provider: 'demo', isSimulated: true });
    const started = notificationForTransition(demo, 'QUEUED', { message: 'x' })!;
    expect(started.title).toBe('[Simulated] Training started: job_1');
    expect(started.body).toBe('Meta-Llama-3-8B-Instruct (balanced) is getting a simulated NVIDIA H100 PCIe (demo: no GPU is rented). Estimated simulated cost $12.50–$20.00.');
    const done = notificationForTransition({ ...demo, status: 'COMPLETED' }, 'FINALIZING', { message: 'done' })!;
    expect(done.body).toMatch(/spent simulated \$7\.46\. The adapter is synthetic/);
    const local = notificationForTransition(job({ provider: 'local', isSimulated: false }), 'QUEUED', { message: 'x' })!;
    expect(local.body).toContain("is getting the server's own machine (local trainer, nothing rented)");
    for (const note of [started, local]) expect(note.body).not.toMatch(/\bspot\b/);
  });
});

describe('cost warnings', () => {
  it('fires each threshold of the estimate high end once, as spend crosses it', () => {
    expect(estimateHighUsd({ cost: { high: 20 } })).toBe(20);
    expect(estimateHighUsd({})).toBeNull();
    expect(crossedCostWarnings(10, 15.99, 20)).toEqual([]);
    expect(crossedCostWarnings(10, 16, 20)).toEqual([0.8]);
    expect(crossedCostWarnings(16, 19, 20)).toEqual([]);
    expect(crossedCostWarnings(15, 21, 20)).toEqual([0.8, 1]);
    expect(crossedCostWarnings(1, 100, null)).toEqual([]);
  });

  it('builds the COST_WARNING text', () => {
    expect(costWarningNotification(job(), 0.8, 16.2, { dataset: 'EQ-242' })).toEqual({
      kind: 'COST_WARNING', title: '80% of estimate: “EQ-242”', body: 'Spent $16.20 of the estimated high of $20.00.', link: '/jobs/job_1', jobId: 'job_1',
    });
    const over = costWarningNotification(job({ costCapUsd: new Prisma.Decimal(30) }), 1, 20.01);
    expect(over.title).toBe('Over estimate: job_1');
    expect(over.body).toBe('Spent $20.01 of the estimated high of $20.00. It is still running; cancel it if the cost is no longer worth it. The job stops at its cost cap of $30.00.');
  });
});
