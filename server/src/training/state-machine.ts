/**
 * The job life cycle as one pure function (ARCHITECTURE.md, "Job life cycle"):
 *
 *   QUEUED → PROVISIONING → PREPROCESSING → MODEL_LOADING → TRAINING → FINALIZING → COMPLETED
 *   FAILED and CANCELLED from any non-terminal state; INTERRUPTED (spot pod lost) → PROVISIONING.
 *
 * Every status write goes through `transition`, so the rules live here and nowhere else.
 */
export const JOB_STATUSES = ['QUEUED', 'PROVISIONING', 'PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING', 'INTERRUPTED', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TRAINER_STAGES = ['PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING'] as const;
export type TrainerStage = (typeof TRAINER_STAGES)[number];

export const TERMINAL_STATUSES: readonly JobStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];
export const isTerminal = (status: JobStatus) => TERMINAL_STATUSES.includes(status);
/** A pod is (or should be) running for the job. */
export const ACTIVE_STATUSES: readonly JobStatus[] = ['PROVISIONING', 'PREPROCESSING', 'MODEL_LOADING', 'TRAINING', 'FINALIZING'];

export type JobSignal =
  | { type: 'PROVISION' }
  | { type: 'STAGE'; stage: TrainerStage }
  | { type: 'INTERRUPT' }
  | { type: 'COMPLETE' }
  | { type: 'FAIL' }
  | { type: 'CANCEL' };

export type TransitionResult =
  | { ok: true; status: JobStatus; changed: boolean }
  | { ok: false; reason: string };

const ORDER: Record<JobStatus, number> = {
  QUEUED: 0, INTERRUPTED: 0, PROVISIONING: 1, PREPROCESSING: 2, MODEL_LOADING: 3, TRAINING: 4, FINALIZING: 5, COMPLETED: 6, FAILED: 6, CANCELLED: 6,
};

export function transition(current: JobStatus, signal: JobSignal): TransitionResult {
  if (isTerminal(current)) {
    return { ok: false, reason: `the job is already ${current.toLowerCase()}` };
  }
  const to = (status: JobStatus): TransitionResult => ({ ok: true, status, changed: status !== current });
  switch (signal.type) {
    case 'PROVISION':
      return current === 'QUEUED' || current === 'INTERRUPTED' || current === 'PROVISIONING'
        ? to('PROVISIONING')
        : { ok: false, reason: `cannot provision a job that is ${current.toLowerCase()}` };
    case 'STAGE': {
      if (current === 'QUEUED' || current === 'INTERRUPTED') {
        return { ok: false, reason: `a trainer reported ${signal.stage} before its pod was provisioned` };
      }
      // Stages only move forward within an attempt; a repeated report is a no-op.
      if (ORDER[signal.stage] < ORDER[current]) {
        return { ok: false, reason: `stage ${signal.stage} would go back from ${current}` };
      }
      return to(signal.stage);
    }
    case 'INTERRUPT':
      return ACTIVE_STATUSES.includes(current) ? to('INTERRUPTED') : { ok: false, reason: `a ${current.toLowerCase()} job has no pod to lose` };
    case 'COMPLETE':
      return current === 'TRAINING' || current === 'FINALIZING'
        ? to('COMPLETED')
        : { ok: false, reason: `a job cannot complete while ${current.toLowerCase()}` };
    case 'FAIL':
      return to('FAILED');
    case 'CANCEL':
      return to('CANCELLED');
  }
}
