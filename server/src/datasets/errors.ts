import type { Dataset } from '../generated/prisma/client.js';
import type { DatasetProblem, DatasetProblemKind } from './types.js';

/** The file is not a usable brightrun-lora-v4 dataset; nothing of it was kept. */
export class DatasetInvalidError extends Error {
  readonly code = 'DATASET_INVALID';
  constructor(
    readonly kind: DatasetProblemKind,
    readonly problems: DatasetProblem[],
    readonly problemCount: number,
  ) {
    const first = problems[0]?.message ?? 'the file could not be read';
    super(`The file is not a valid brightrun-lora-v4 dataset (${problemCount} problem${problemCount === 1 ? '' : 's'}; first: ${first})`);
  }
}

/** The same bytes (sha256) are already a dataset of this workspace. */
export class DuplicateDatasetError extends Error {
  readonly code = 'DUPLICATE_DATASET';
  constructor(readonly existingDataset: Dataset) {
    super(`This file was already uploaded as "${existingDataset.name}" (${existingDataset.id}) on ${existingDataset.createdAt.toISOString().slice(0, 10)}; use that dataset or rename it`);
  }
}

/** A signed upload that cannot be finalized (expired, never uploaded, already finalized). */
export class UploadStateError extends Error {
  readonly code = 'UPLOAD_NOT_FINALIZABLE';
}

/**
 * A READY dataset's stored bytes no longer match what was imported (its sha256 and size, or its
 * conversation index): nothing is served from them. Raised by every read path that serves them.
 */
export class DatasetIntegrityError extends Error {
  readonly code = 'DATASET_INTEGRITY';
  constructor(
    readonly datasetId: string,
    problem: string,
  ) {
    super(`The stored file of dataset ${datasetId} ${problem}; nothing was served from it. Upload the file again as a new dataset (and report this: stored files never change after import).`);
  }
}

/** Conversation pages are refused while the server already reads its limit of them. */
export class ConversationBudgetError extends Error {
  readonly code = 'RESPONSE_BUDGET_EXCEEDED';
}
