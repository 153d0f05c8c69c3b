import type { ReadinessCheck } from '../../datasets/types.js';

/** The dataset failed a blocking readiness check and the input did not acknowledge it. */
export class DatasetNotReadyError extends Error {
  readonly code = 'DATASET_NOT_READY';
  constructor(readonly datasetId: string, readonly failedChecks: ReadinessCheck[]) {
    super(`Dataset ${datasetId} is not ready to train: ${failedChecks.map((c) => c.message).join(' ')} Set acknowledgeDatasetWarnings: true to train anyway.`);
  }
}

/** Starting the job would take the month's spend past the workspace budget. */
export class BudgetExceededError extends Error {
  readonly code = 'BUDGET_EXCEEDED';
  constructor(readonly budgetUsd: number, readonly spentUsd: number, readonly estimateHighUsd: number, readonly reservedUsd = 0) {
    super(
      `This job could cost up to $${estimateHighUsd.toFixed(2)}; with $${spentUsd.toFixed(2)} spent this month` +
        (reservedUsd > 0 ? ` and $${reservedUsd.toFixed(2)} reserved by running and queued jobs` : '') +
        ` it would pass the $${budgetUsd.toFixed(2)} monthly budget. Raise the budget in Settings, wait for running jobs to finish, or choose a cheaper configuration.`,
    );
  }
}

/** Cancel or another action on a job that already finished. */
export class JobFinishedError extends Error {
  readonly code = 'JOB_FINISHED';
  constructor(readonly jobId: string, readonly status: string) {
    super(`Job ${jobId} is already ${status.toLowerCase()}`);
  }
}
