// Expected failures every domain shares. Domain code throws these; the schema registers them as
// GraphQL error types (schema/errors.ts), never the other way round.

/** One invalid input field: its path (e.g. "input.name") and what to change. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** No such thing in the caller's workspace (ids of other workspaces read the same). */
export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`No ${resource} with id "${id}" in this workspace`);
  }
}

/** Input that cannot be accepted; every problem at once, each naming its field and the fix. */
export class ValidationError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fieldErrors: FieldProblem[]) {
    super(fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/** A destructive call whose typed confirmation does not match the name of what it would destroy. */
export class ConfirmationMismatchError extends Error {
  readonly code = 'CONFIRMATION_MISMATCH';
  constructor(
    readonly resource: string,
    readonly expected: string,
  ) {
    super(`To delete this ${resource}, type its name exactly as confirmName: "${expected}"`);
  }
}

/** The thing is still used by something that must finish first (e.g. a dataset with a running job). */
export class ResourceInUseError extends Error {
  readonly code = 'RESOURCE_IN_USE';
  constructor(
    message: string,
    readonly blockingIds: string[],
  ) {
    super(message);
  }
}
