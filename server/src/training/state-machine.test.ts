import { describe, expect, it } from 'vitest';
import { JOB_STATUSES, isTerminal, transition, type JobSignal, type JobStatus } from './state-machine.js';

const run = (signals: JobSignal[], from: JobStatus = 'QUEUED') =>
  signals.reduce<JobStatus>((status, signal) => {
    const result = transition(status, signal);
    if (!result.ok) throw new Error(result.reason);
    return result.status;
  }, from);

describe('job state machine', () => {
  it('walks the happy path in order', () => {
    const stages = ['PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING'] as const;
    expect(run([{ type: 'PROVISION' }, ...stages.map((stage) => ({ type: 'STAGE' as const, stage })), { type: 'COMPLETE' }])).toBe('COMPLETED');
  });

  it('resumes an interrupted job through a new provisioning, where stages start over', () => {
    const status = run([{ type: 'PROVISION' }, { type: 'STAGE', stage: 'TRAINING' }, { type: 'INTERRUPT' }, { type: 'PROVISION' }, { type: 'STAGE', stage: 'PREPROCESSING' }]);
    expect(status).toBe('PREPROCESSING');
  });

  it('never lets a stage go backwards within an attempt, and treats a repeat as a no-op', () => {
    expect(transition('TRAINING', { type: 'STAGE', stage: 'PREPROCESSING' })).toEqual({ ok: false, reason: 'stage PREPROCESSING would go back from TRAINING' });
    expect(transition('TRAINING', { type: 'STAGE', stage: 'TRAINING' })).toEqual({ ok: true, status: 'TRAINING', changed: false });
  });

  it('can fail or cancel from every non-terminal state, and terminal states absorb everything', () => {
    for (const status of JOB_STATUSES) {
      for (const signal of [{ type: 'FAIL' }, { type: 'CANCEL' }, { type: 'PROVISION' }] as JobSignal[]) {
        const result = transition(status, signal);
        if (isTerminal(status)) expect(result.ok).toBe(false);
        else if (signal.type !== 'PROVISION') expect(result).toMatchObject({ ok: true });
      }
    }
  });

  it('refuses stage reports before provisioning and completion before training', () => {
    expect(transition('QUEUED', { type: 'STAGE', stage: 'TRAINING' }).ok).toBe(false);
    expect(transition('MODEL_LOADING', { type: 'COMPLETE' }).ok).toBe(false);
    expect(transition('QUEUED', { type: 'INTERRUPT' }).ok).toBe(false);
  });
});
