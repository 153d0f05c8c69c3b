// The error hierarchy (after openai-node): catch BrightRunError for everything the SDK throws,
// APIError for anything the server answered, or one subclass for one kind of failure.

/** One invalid input field: its path in the input (e.g. "plan.overrides.loraRank") and the fix. */
export interface FieldError {
  field: string;
  message: string;
}

/** The base of every error this SDK throws. */
export class BrightRunError extends Error {
  override name = 'BrightRunError';
}

export interface APIErrorInit {
  /** The HTTP status of the response (200 for expected failures the API returns as data). */
  status?: number | undefined;
  /** The server's stable code: an `ErrorCode` for expected failures, else `extensions.code`. */
  code: string;
  requestId?: string | undefined;
  /** The raw GraphQL error or typed error object, for anything this class does not lift out. */
  body?: unknown;
  cause?: unknown;
  /** What the response's Retry-After asked for, in milliseconds. */
  retryAfterMs?: number | undefined;
}

/** The server answered and refused or failed the request. */
export class APIError extends BrightRunError {
  override name = 'APIError';
  /** The HTTP status of the response; 200 when the API returned the failure as data (a typed error). */
  readonly status: number | undefined;
  /** Stable: an `ErrorCode` (e.g. `VALIDATION_FAILED`) or a GraphQL `extensions.code` (e.g. `UNAUTHENTICATED`). */
  readonly code: string;
  /** The server's `X-Request-Id` for this request: quote it in a bug report. */
  readonly requestId: string | undefined;
  readonly body: unknown;
  /** What the server's Retry-After asked for, in milliseconds (429, 503). */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: APIErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.retryAfterMs = init.retryAfterMs;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.body = init.body;
  }
}

/** 401: the API key is missing, unknown, malformed or revoked. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}

/** The key is valid but lacks the scope (READ, WRITE, ADMIN) the operation needs. */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}

/** Nothing with that id in your workspace (ids of other workspaces read the same). */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
  /** What was looked for, e.g. "dataset" (when the server said). */
  readonly resource: string | undefined;
  readonly id: string | undefined;
  constructor(message: string, init: APIErrorInit & { resource?: string | undefined; id?: string | undefined }) {
    super(message, init);
    this.resource = init.resource;
    this.id = init.id;
  }
}

/** Input refused: `fieldErrors` names each field and what to change. */
export class ValidationError extends APIError {
  override name = 'ValidationError';
  readonly fieldErrors: FieldError[];
  constructor(message: string, init: APIErrorInit & { fieldErrors?: FieldError[] }) {
    super(message, init);
    this.fieldErrors = init.fieldErrors ?? [];
  }
}

/** Starting the job could pass the workspace's monthly budget. */
export class BudgetExceededError extends APIError {
  override name = 'BudgetExceededError';
  readonly budgetUsd: number | undefined;
  readonly spentUsd: number | undefined;
  readonly estimateHighUsd: number | undefined;
  constructor(message: string, init: APIErrorInit & { budgetUsd?: number; spentUsd?: number; estimateHighUsd?: number }) {
    super(message, init);
    this.budgetUsd = init.budgetUsd;
    this.spentUsd = init.spentUsd;
    this.estimateHighUsd = init.estimateHighUsd;
  }
}

export interface DatasetProblem {
  line?: number | null;
  conversation?: string | null;
  field?: string | null;
  message: string;
}

/** The file is not a usable brightrun-lora-v4 dataset; nothing was kept. */
export class DatasetInvalidError extends APIError {
  override name = 'DatasetInvalidError';
  /** EMPTY, INVALID_CONTENT, INVALID_JSON, TOO_LARGE or WRONG_FORMAT. */
  readonly kind: string | undefined;
  readonly problemCount: number;
  /** The first 50 problems, located as precisely as the file allows. */
  readonly problems: DatasetProblem[];
  constructor(message: string, init: APIErrorInit & { kind?: string; problemCount?: number; problems?: DatasetProblem[] }) {
    super(message, init);
    this.kind = init.kind;
    this.problems = init.problems ?? [];
    this.problemCount = init.problemCount ?? this.problems.length;
  }
}

/** The request conflicts with the current state: the job already finished, the name typed does not match, the dataset is in use… */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}

/** A dataset with the same bytes already exists in this workspace: `existingDataset` is it. */
export class DuplicateDatasetError extends ConflictError {
  override name = 'DuplicateDatasetError';
  readonly existingDataset: { id: string; name: string } | undefined;
  constructor(message: string, init: APIErrorInit & { existingDataset?: { id: string; name: string } }) {
    super(message, init);
    this.existingDataset = init.existingDataset;
  }
}

/** The dataset failed a blocking readiness check; pass `acknowledgeDatasetWarnings: true` to train anyway. */
export class DatasetNotReadyError extends ConflictError {
  override name = 'DatasetNotReadyError';
  readonly datasetId: string | undefined;
  readonly failedChecks: { key: string; message: string; value: string; threshold: string }[];
  constructor(message: string, init: APIErrorInit & { datasetId?: string; failedChecks?: { key: string; message: string; value: string; threshold: string }[] }) {
    super(message, init);
    this.datasetId = init.datasetId;
    this.failedChecks = init.failedChecks ?? [];
  }
}

/** 429 / RATE_LIMITED, or too many heavy operations at once: retried automatically (honouring Retry-After) up to `maxRetries`. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}

/** 5xx, or 503 while the server starts (SERVER_STARTING). Retried automatically. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** A job ended other than COMPLETED while you waited for it: `job` is its last state. */
export abstract class JobEndedError extends APIError {
  readonly jobId: string;
  readonly job: unknown;
  constructor(message: string, init: APIErrorInit & { jobId: string; job: unknown }) {
    super(message, init);
    this.jobId = init.jobId;
    this.job = init.job;
  }
}

/** A job ended FAILED: `job` is its last state, `code` its `errorCode` (e.g. OUT_OF_MEMORY, TRAINER_SILENT). */
export class JobFailedError extends JobEndedError {
  override name = 'JobFailedError';
}

/** A job failed because the provider had no GPU capacity (NO_CAPACITY) or refused spot (SPOT_UNAVAILABLE); try another GPU type, on-demand, or later. */
export class ProviderCapacityError extends JobFailedError {
  override name = 'ProviderCapacityError';
}

/** A job ended CANCELLED while you waited for it to complete. */
export class JobCancelledError extends JobEndedError {
  override name = 'JobCancelledError';
}

/** The server speaks an API version this SDK cannot (a different major version, or fields it does not know). */
export class APIVersionMismatchError extends BrightRunError {
  override name = 'APIVersionMismatchError';
  constructor(
    message: string,
    readonly sdkApiVersion: string,
    readonly serverApiVersion: string | undefined,
  ) {
    super(message);
  }
}

/** The request never got an answer: DNS, refused connection, reset socket, a dropped stream that could not be resumed. */
export class ConnectionError extends BrightRunError {
  override name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No answer within `timeout` (per attempt), after the retries. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}

/** Your AbortSignal fired. */
export class AbortError extends BrightRunError {
  override name = 'AbortError';
  constructor(message = 'The request was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A downloaded file's sha256 did not match the one the server recorded; the partial file was removed. */
export class ChecksumError extends BrightRunError {
  override name = 'ChecksumError';
  constructor(
    message: string,
    readonly fileName: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(message);
  }
}

// ---- mapping ---------------------------------------------------------------------------------

/** The typed error object of a mutation's result union (`... on Error { code message }` and friends). */
export interface TypedErrorData {
  __typename?: string;
  code?: string;
  message?: string;
  [key: string]: unknown;
}

/** An expected failure the API returned as data → the matching SDK error. */
export function errorFromTyped(data: TypedErrorData, requestId: string | undefined): APIError {
  const code = data.code ?? 'UNKNOWN';
  const message = data.message ?? `${data.__typename ?? 'Error'} (${code})`;
  const init = { status: 200, code, requestId, body: data };
  switch (code) {
    case 'VALIDATION_FAILED':
      return new ValidationError(message, { ...init, fieldErrors: (data.fieldErrors as FieldError[] | undefined) ?? [] });
    case 'NOT_FOUND':
      return new NotFoundError(message, { ...init, resource: data.resource as string | undefined, id: data.id as string | undefined });
    case 'BUDGET_EXCEEDED':
      return new BudgetExceededError(message, { ...init, budgetUsd: data.budgetUsd as number, spentUsd: data.spentUsd as number, estimateHighUsd: data.estimateHighUsd as number });
    case 'DATASET_INVALID':
      return new DatasetInvalidError(message, { ...init, kind: data.kind as string, problemCount: data.problemCount as number, problems: data.problems as DatasetProblem[] });
    case 'DUPLICATE_DATASET':
      return new DuplicateDatasetError(message, { ...init, existingDataset: data.existingDataset as { id: string; name: string } });
    case 'DATASET_NOT_READY':
      return new DatasetNotReadyError(message, { ...init, datasetId: data.datasetId as string, failedChecks: data.failedChecks as never });
    case 'JOB_FINISHED':
    case 'RESOURCE_IN_USE':
    case 'CONFIRMATION_MISMATCH':
    case 'UPLOAD_NOT_FINALIZABLE':
      return new ConflictError(message, init);
    default:
      return new APIError(message, init);
  }
}

export interface GraphQLErrorData {
  message: string;
  extensions?: { code?: string; fieldErrors?: FieldError[]; [key: string]: unknown };
}

/** A GraphQL error (or an HTTP failure) → the matching SDK error. */
export function errorFromResponse(status: number, errors: GraphQLErrorData[] | undefined, requestId: string | undefined, retryAfterMs?: number): APIError {
  const first = errors?.[0];
  const code = first?.extensions?.code ?? httpCode(status);
  const message = first?.message ?? `HTTP ${status}`;
  // The header when there is one; else what the error itself says (subscriptions have no headers).
  const askedSeconds = first?.extensions?.retryAfterSeconds;
  const waitMs = retryAfterMs ?? (typeof askedSeconds === 'number' && askedSeconds >= 0 ? askedSeconds * 1000 : undefined);
  const init = { status, code, requestId, body: errors, retryAfterMs: waitMs };
  if (code === 'UNAUTHENTICATED' || status === 401) return new AuthenticationError(message, init);
  if (code === 'FORBIDDEN' || status === 403) return new PermissionDeniedError(message, init);
  if (code === 'NOT_FOUND' || status === 404) return new NotFoundError(message, init);
  // Per-key request limits, and the server's bound on concurrent heavy operations: wait and retry.
  if (code === 'RATE_LIMITED' || code === 'TOO_MANY_HEAVY_OPERATIONS' || code === 'TOO_MANY_EXPORTS' || status === 429) return new RateLimitError(message, init);
  if (code === 'BAD_USER_INPUT' || code === 'VALIDATION_FAILED' || code === 'GRAPHQL_VALIDATION_FAILED' || code === 'BAD_REQUEST' || status === 400 || status === 413) {
    return new ValidationError(message, { ...init, fieldErrors: first?.extensions?.fieldErrors ?? [] });
  }
  if (code === 'SERVER_STARTING' || status >= 500) return new InternalServerError(message, init);
  return new APIError(message, init);
}

function httpCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'SERVICE_UNAVAILABLE';
  if (status >= 500) return 'INTERNAL_SERVER_ERROR';
  return `HTTP_${status}`;
}
