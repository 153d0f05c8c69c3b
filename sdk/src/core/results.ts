import { errorFromTyped, NotFoundError, type TypedErrorData } from '../errors.js';

/**
 * A mutation's `<Name>Result` union → its success payload, or the SDK error for the typed error
 * the API returned.
 */
export function unwrap<TResult extends { __typename?: string }, TName extends string>(
  result: TResult,
  success: TName,
  requestId: string | undefined,
): Extract<TResult, { __typename?: TName }> {
  if (result.__typename === success) return result as Extract<TResult, { __typename?: TName }>;
  throw errorFromTyped(result as unknown as TypedErrorData, requestId);
}

/** A by-id query's null → NotFoundError naming what was looked for. */
export function found<T>(value: T | null | undefined, resource: string, id: string, requestId: string | undefined): T {
  if (value === null || value === undefined) {
    throw new NotFoundError(`No ${resource} with id "${id}" in this workspace`, { status: 200, code: 'NOT_FOUND', requestId, resource, id });
  }
  return value;
}
