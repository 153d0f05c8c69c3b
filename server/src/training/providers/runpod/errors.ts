/**
 * RunPod failures as typed errors, each with a message a user can act on, the server's own words
 * (`detail`) and whether retrying the same request later can help.
 */

export type RunPodErrorCode =
  | 'NO_CAPACITY'
  | 'INSUFFICIENT_BALANCE'
  | 'RATE_LIMITED'
  | 'CONTRACT'
  | 'SPOT_UNAVAILABLE'
  | 'AUTH'
  | 'NOT_FOUND'
  | 'TRANSIENT'
  | 'REJECTED';

interface ErrorFacts {
  status?: number | null;
  detail?: string | null;
  cause?: unknown;
}

export class RunPodError extends Error {
  readonly code: RunPodErrorCode;
  /** HTTP status, when the failure came with one. */
  readonly status: number | null;
  /** RunPod's own explanation, verbatim. */
  readonly detail: string | null;
  /** Whether the same request may succeed later (the caller decides where and when). */
  readonly retryable: boolean;

  constructor(code: RunPodErrorCode, message: string, retryable: boolean, facts: ErrorFacts = {}) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = facts.status ?? null;
    this.detail = facts.detail ?? null;
    this.retryable = retryable;
  }
}

/** No GPU of the requested kind where asked; try another data center or cloud type, or later. */
export class RunPodNoCapacityError extends RunPodError {
  constructor(facts: ErrorFacts = {}) {
    super(
      'NO_CAPACITY',
      'RunPod has no capacity for the requested GPU right now' +
        (facts.detail ? ` ("${facts.detail}")` : '') +
        '. Try another data center or cloud type, or retry later.',
      true,
      facts,
    );
  }
}

export class RunPodInsufficientBalanceError extends RunPodError {
  constructor(facts: ErrorFacts = {}) {
    super(
      'INSUFFICIENT_BALANCE',
      'The RunPod account balance is too low to start this pod; add funds in the RunPod console.',
      false,
      facts,
    );
  }
}

export class RunPodRateLimitedError extends RunPodError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, facts: ErrorFacts = {}) {
    super('RATE_LIMITED', `RunPod is rate-limiting requests; retry in ${retryAfterSeconds} s.`, true, facts);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The request broke RunPod's published contract: a bug on our side, never retried. */
export class RunPodContractError extends RunPodError {
  readonly violations: string[];
  constructor(facts: ErrorFacts & { violations?: string[] } = {}) {
    const violations = facts.violations ?? [];
    super(
      'CONTRACT',
      'RunPod rejected the request as malformed (a bug in BrightRun, not in your settings): ' +
        [facts.detail ?? 'no detail given', ...violations].join('; '),
      false,
      facts,
    );
    this.violations = violations;
  }
}

/** The spot (interruptible) mutation is gone or was refused; never silently fall back to on-demand. */
export class RunPodSpotUnavailableError extends RunPodError {
  constructor(facts: ErrorFacts = {}) {
    super(
      'SPOT_UNAVAILABLE',
      'RunPod refused the spot (interruptible) pod request' +
        (facts.detail ? ` ("${facts.detail}")` : '') +
        '. Choose On-Demand, or allow falling back to On-Demand.',
      false,
      facts,
    );
  }
}

export class RunPodAuthError extends RunPodError {
  constructor(facts: ErrorFacts = {}) {
    super('AUTH', 'The RunPod API key was refused; set a valid key in Settings.', false, facts);
  }
}

export class RunPodNotFoundError extends RunPodError {
  constructor(facts: ErrorFacts = {}) {
    super('NOT_FOUND', `RunPod has no such resource${facts.detail ? ` ("${facts.detail}")` : ''}.`, false, facts);
  }
}

/** 5xx, "Something went wrong", a dropped connection or a timeout. */
export class RunPodTransientError extends RunPodError {
  constructor(facts: ErrorFacts = {}) {
    super(
      'TRANSIENT',
      `RunPod had a temporary problem${facts.detail ? ` ("${facts.detail}")` : ''}; try again shortly.`,
      true,
      facts,
    );
  }
}

/** Refused for a reason the request itself carries (a cross-field rule, a state conflict). */
export class RunPodRejectedError extends RunPodError {
  constructor(facts: ErrorFacts = {}) {
    super('REJECTED', `RunPod rejected the request: ${facts.detail ?? 'no detail given'}.`, false, facts);
  }
}

const NO_CAPACITY = /no longer any instances available|not enough free GPUs/i;
const TRANSIENT = /something went wrong/i;
const BALANCE = /insufficient (balance|funds)|not enough (funds|balance|credit)/i;
/** A GraphQL document the server's schema rejects: the API changed under us, or we sent bad input. */
const SCHEMA_MISMATCH = /cannot query field|unknown argument|unknown type|got invalid value|of required type/i;
/** The operation itself is gone from the schema. */
const FIELD_GONE = /cannot query field|unknown type/i;

/** Seconds from a `Retry-After` header (integer seconds on RunPod, or an HTTP date). */
export function parseRetryAfter(header: string | null, nowMs = Date.now()): number {
  if (!header) return 5;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 5 : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Maps a failed REST response (problem+json body) to a typed error. */
export function restError(status: number, body: unknown, headers: Headers): RunPodError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as { detail?: unknown; errors?: unknown };
  const detail = typeof problem.detail === 'string' ? problem.detail : typeof body === 'string' && body ? body : null;
  const facts = { status, detail };
  if (status === 401 || status === 403) return new RunPodAuthError(facts);
  if (status === 402) return new RunPodInsufficientBalanceError(facts);
  if (status === 404) return new RunPodNotFoundError(facts);
  if (status === 429) return new RunPodRateLimitedError(parseRetryAfter(headers.get('retry-after')), facts);
  if (status === 422) {
    const violations = Array.isArray(problem.errors) ? problem.errors.map(String) : [];
    return new RunPodContractError({ ...facts, violations });
  }
  if (detail && NO_CAPACITY.test(detail)) return new RunPodNoCapacityError(facts);
  if (status >= 500 || (detail && TRANSIENT.test(detail))) return new RunPodTransientError(facts);
  return new RunPodRejectedError(facts);
}

export interface GraphqlErrorEntry {
  message: string;
  extensions?: { code?: string };
}

/**
 * Maps GraphQL errors (RunPod answers most of them with HTTP 200, validation errors with 400) to a
 * typed error. `spot` marks the interruptible mutations: any refusal of theirs that is not about
 * capacity, balance, keys or load means spot is not on offer.
 */
export function graphqlError(
  status: number,
  errors: GraphqlErrorEntry[],
  headers: Headers,
  options: { spot?: boolean } = {},
): RunPodError {
  const detail = errors.map((e) => e.message).join('; ') || null;
  const codes = errors.map((e) => e.extensions?.code ?? '');
  const facts = { status, detail };
  const text = detail ?? '';
  if (status === 401 || status === 403 || codes.some((c) => c === 'UNAUTHENTICATED' || c === 'FORBIDDEN')) {
    return new RunPodAuthError(facts);
  }
  if (status === 429) return new RunPodRateLimitedError(parseRetryAfter(headers.get('retry-after')), facts);
  if (NO_CAPACITY.test(text)) return new RunPodNoCapacityError(facts);
  if (BALANCE.test(text) || status === 402) return new RunPodInsufficientBalanceError(facts);
  if (status >= 500 || TRANSIENT.test(text)) return new RunPodTransientError(facts);
  if (options.spot && FIELD_GONE.test(text)) return new RunPodSpotUnavailableError(facts);
  if (SCHEMA_MISMATCH.test(text)) return new RunPodContractError(facts);
  if (options.spot) return new RunPodSpotUnavailableError(facts);
  return new RunPodRejectedError(facts);
}
