import { builder } from '../builder.js';
import { ConfirmationMismatchError, NotFoundError, ResourceInUseError, ValidationError, type FieldProblem } from '../errors.js';

/**
 * Every `code` an expected failure can carry. Each error type below (and in its domain's module)
 * has one; clients switch on the code or on __typename, and show `message`.
 */
export const ERROR_CODES = {
  NOT_FOUND: 'Nothing with that id in your workspace.',
  VALIDATION_FAILED: 'Input refused; `fieldErrors` names each field and the fix.',
  CONFIRMATION_MISMATCH: 'A destructive call whose confirmName did not match the name.',
  RESOURCE_IN_USE: 'Still used by something that must finish first.',
  DATASET_INVALID: 'The file is not a usable brightrun-lora-v4 dataset.',
  DUPLICATE_DATASET: 'The same file is already a dataset of this workspace.',
  UPLOAD_NOT_FINALIZABLE: 'A signed upload that cannot be finalized (expired, empty, or done already).',
  DATASET_NOT_READY: 'The dataset failed a blocking readiness check.',
  BUDGET_EXCEEDED: "Starting the job could pass the workspace's monthly budget.",
  JOB_FINISHED: 'The job already finished.',
  NOTIFICATION_TARGET_NOT_SET: 'No Slack or webhook URL of that kind is saved (or it cannot be read back).',
  NOTIFICATION_DELIVERY_FAILED: 'The receiver did not accept a test message (its status or the network error says why).',
  TOO_MANY_TEST_NOTIFICATIONS: 'More test messages than the per-minute bound; retry after `retryAfterSeconds`.',
  PROVIDER_REFUSED: 'The GPU provider (RunPod) refused or failed the call; `message` has its words and the fix.',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'The stable code of an expected failure (`Error.code`).',
  values: Object.fromEntries(Object.entries(ERROR_CODES).map(([code, description]) => [code, { description }])) as Record<ErrorCode, { description: string }>,
});

/** Every expected failure implements this, so a client can always show `message`. */
export const ErrorInterface = builder.interfaceRef<Error & { code: string }>('Error').implement({
  description: 'An expected failure, returned as data in a mutation\'s result union. `code` is stable; `message` says what to do.',
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code as ErrorCode }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'What was looked for, e.g. "dataset".' }),
    id: t.exposeID('id'),
  }),
});

export const FieldErrorRef = builder.objectRef<FieldProblem>('FieldError').implement({
  description: 'One invalid input field: the path of the field and what to change.',
  fields: (t) => ({ field: t.exposeString('field'), message: t.exposeString('message') }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldErrorRef], resolve: (e) => e.fieldErrors }) }),
});

builder.objectType(ConfirmationMismatchError, {
  name: 'ConfirmationMismatchError',
  description: 'Deleting needs the exact name typed as `confirmName`, so a wrong id cannot destroy the wrong thing.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ expectedName: t.exposeString('expected', { description: 'The name to type.' }) }),
});

builder.objectType(ResourceInUseError, {
  name: 'ResourceInUseError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ blockingIds: t.exposeIDList('blockingIds', { description: 'What must finish first (e.g. the running jobs).' }) }),
});

export { ConfirmationMismatchError, NotFoundError, ResourceInUseError, ValidationError };

/**
 * Runs a service call and reports its field errors by their place in the mutation's input
 * (services name fields as they know them: "overrides.loraRank" becomes "input.plan.overrides.loraRank").
 */
export async function inInput<T>(work: () => Promise<T>, path: (field: string) => string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.fieldErrors.map((e) => ({ ...e, field: e.field.startsWith('input.') ? e.field : path(e.field) })));
    throw error;
  }
}
