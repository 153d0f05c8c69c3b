import { rangeNotSatisfiable, StorageError, StorageNotFoundError } from './storage.js';

/** What supabase-js storage methods resolve to. */
export type SupabaseResult<T> = { data: T; error: null } | { data: null; error: unknown };

export function unwrap<R extends { data: unknown; error: unknown }>(
  result: R,
  verb: string,
  path: string,
): NonNullable<R['data']> {
  if (result.error !== null && result.error !== undefined) throw toStorageError(result.error, verb, path);
  return result.data as NonNullable<R['data']>;
}

/**
 * Maps a supabase-js error (or a storage-api error body) to ours. storage-api answers most client
 * errors with HTTP 400 and puts the real code in `statusCode` ("404", "409"…), so that comes first.
 */
export function toStorageError(error: unknown, verb: string, path: string, rangeStart?: number): StorageError {
  if (error instanceof StorageError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    statusCode?: unknown;
    message?: unknown;
    error?: unknown;
    originalError?: unknown;
  };
  const status = typeof fields.status === 'number' ? fields.status : undefined;
  const code = fields.statusCode !== undefined ? String(fields.statusCode) : status !== undefined ? String(status) : '';
  const message = String(fields.message ?? fields.error ?? 'unknown error');
  const details = `${message} (HTTP ${status ?? '?'}, code ${code || '?'})`;

  if (code === '404' || (code === '' && status === 404)) {
    if (/bucket/i.test(message) || /bucket/i.test(String(fields.error ?? ''))) {
      return new StorageError(
        `The Supabase bucket for "${path}" does not exist; create it (private) in the Supabase dashboard or fix the bucket setting.`,
        { code: 'misconfigured', cause: error },
      );
    }
    return new StorageNotFoundError(path, { cause: error });
  }
  if (code === '401' || code === '403' || status === 401 || status === 403) {
    return new StorageError(
      `Supabase Storage refused our credentials while trying to ${verb} "${path}": ${details}. Check SUPABASE_SERVICE_ROLE_KEY.`,
      { code: 'unauthorized', cause: error },
    );
  }
  if (code === '416' || status === 416) return rangeNotSatisfiable(path, rangeStart ?? 0);
  if (code === '413' || status === 413) {
    return new StorageError(`"${path}" is larger than the Supabase bucket's file size limit: ${details}.`, {
      code: 'too_large',
      cause: error,
    });
  }
  if (code === '409') {
    return new StorageError(`Supabase Storage reported a conflict while trying to ${verb} "${path}": ${details}.`, {
      code: 'conflict',
      cause: error,
    });
  }
  if (status === undefined && fields.originalError !== undefined) {
    return new StorageError(`Could not reach Supabase Storage to ${verb} "${path}": ${message}.`, { cause: error });
  }
  return new StorageError(`Supabase Storage could not ${verb} "${path}": ${details}.`, { cause: error });
}
