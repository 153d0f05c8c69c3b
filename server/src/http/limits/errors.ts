import { GraphQLError } from 'graphql';

/**
 * The codes a request refused by a limit carries in `extensions.code`. Every such error also
 * carries `extensions.limit` (the configured value), `extensions.setting` (the environment
 * variable that sets it) and, where measured, `extensions.actual`.
 */
export type LimitCode = 'REQUEST_TOO_LARGE' | 'QUERY_TOO_COMPLEX' | 'RESPONSE_TOO_LARGE' | 'RATE_LIMITED' | 'SUBSCRIPTION_LIMIT';

export interface LimitDetails {
  /** Which limit: "tokens", "depth", "aliases"… */
  limitName: string;
  limit: number;
  actual?: number;
  /** The environment variable that sets it. */
  setting: string;
  /** HTTP status when the error ends an HTTP request (not sent: yoga reads it). */
  status: number;
  retryAfterSeconds?: number;
  /** Extra response headers (e.g. Connection: close after a body read in part). */
  headers?: Record<string, string>;
}

export function limitError(code: LimitCode, message: string, details: LimitDetails): GraphQLError {
  const { status, limitName, retryAfterSeconds, headers: extraHeaders, ...rest } = details;
  const headers = { ...(extraHeaders ?? {}), ...(retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {}) };
  return new GraphQLError(message, {
    extensions: {
      code,
      limitName,
      ...rest,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      // spec: false keeps this status for application/json clients too (yoga would send 200 for
      // a parse or validation error there, as the GraphQL-over-HTTP spec allows).
      http: { status, spec: false, ...(Object.keys(headers).length > 0 ? { headers } : {}) },
    },
  });
}

/** The JSON body of an HTTP answer carrying one GraphQL error (yoga's own shape, `http` left out). */
export function errorBody(error: GraphQLError): string {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return JSON.stringify({ errors: [{ message: error.message, extensions }] });
}

/** An HTTP answer for an error, as yoga would send it (status and Retry-After from `extensions.http`). */
export function errorResponse(error: GraphQLError, ResponseCtor: typeof Response = Response): Response {
  const http = (error.extensions.http ?? {}) as { status?: number; headers?: Record<string, string> };
  return new ResponseCtor(errorBody(error), {
    status: http.status ?? 400,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(http.headers ?? {}) },
  });
}
