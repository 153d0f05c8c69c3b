"""A small GraphQL-over-HTTP client (stdlib only) with the contract's error classes.

401 or `UNAUTHENTICATED`/`FORBIDDEN` → AuthError; `JOB_TERMINAL` → JobTerminalError (stop
quietly); `BAD_USER_INPUT` and the other codes in NOT_RETRIED_CODES → BadRequestError (never
retried); anything else, 5xx and network failures → TransientError (retried with exponential
backoff and full jitter).
"""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request

USER_AGENT = "brightrun-trainer/0.1"
# The server's endpoint for training pods (job tokens only); the public API at /graphql refuses them.
TRAINER_PATH = "/trainer/graphql"
# Besides the contract's BAD_USER_INPUT: request-shape errors, a missing job or checkpoint, and a
# checkpoint step that is already committed. None of them gets better by retrying.
NOT_RETRIED_CODES = {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_REQUEST", "NOT_FOUND",
                     "CHECKPOINT_EXISTS"}
AUTH_CODES = {"UNAUTHENTICATED", "FORBIDDEN"}  # FORBIDDEN: the token belongs to another job


class ApiError(Exception):
    def __init__(self, message: str, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


class TransientError(ApiError):
    def __init__(self, message: str, code: str | None = None, status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message, code, status)
        self.retry_after = retry_after


class AuthError(ApiError):
    """The job token was refused: nothing this trainer sends will be accepted."""


class JobTerminalError(ApiError):
    """The job is finished or cancelled on the server: stop quietly."""


class BadRequestError(ApiError):
    """The server rejected the request's shape: retrying cannot help."""


def trainer_endpoint(url: str) -> str:
    """The trainer endpoint for BRIGHTRUN_API_URL: kept as given when it already names it; a server's
    base URL or its public `/graphql` (what pods launched before API v1 were given) maps to
    `/trainer/graphql` on the same server."""
    base, sep, query = url.partition("?")
    base = base.rstrip("/")
    if base.endswith(TRAINER_PATH):
        return url
    if base.endswith("/graphql"):
        base = base[: -len("/graphql")]
    return base + TRAINER_PATH + (sep + query if sep else "")


def backoff_delay(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Full jitter: a uniform draw below the exponential ceiling (attempt counts from 1)."""
    return random.uniform(0, min(cap, base * 2 ** (attempt - 1)))


class GraphQLClient:
    def __init__(self, url: str, token: str, *, timeout: float = 30.0):
        self.url = trainer_endpoint(url)
        self.token = token
        self.timeout = timeout

    def execute(self, query: str, variables: dict | None = None, *, timeout: float | None = None) -> dict:
        """One attempt; returns `data` or raises one of the ApiError classes."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "Accept": "application/graphql-response+json, application/json",
            "Authorization": f"Bearer {self.token}",
            "User-Agent": USER_AGENT,
        })
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                payload = _json(response.read())
                status = response.status
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, _json(exc.read())
            if status == 401:
                raise AuthError(_first_message(payload) or "the job token was refused (HTTP 401)", status=401) from None
            if not (payload and payload.get("errors")):
                retry_after = _retry_after(exc.headers.get("Retry-After"))
                if status >= 500 or status in (408, 425, 429):
                    raise TransientError(f"HTTP {status} from the server", status=status,
                                         retry_after=retry_after) from None
                raise BadRequestError(f"HTTP {status} from the server", status=status) from None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise TransientError(f"cannot reach the server: {exc}") from None
        if payload is None:
            raise TransientError(f"the server's answer is not JSON (HTTP {status})", status=status)
        errors = payload.get("errors") or []
        if errors:
            _raise_for(errors, status)
        return payload.get("data") or {}

    def call(self, query: str, variables: dict | None = None, *, deadline_s: float = 300.0,
             base_delay: float = 0.5, max_delay: float = 30.0) -> dict:
        """`execute`, retrying transient failures with backoff until `deadline_s` has passed."""
        give_up_at = time.monotonic() + deadline_s
        attempt = 0
        while True:
            attempt += 1
            try:
                return self.execute(query, variables)
            except TransientError as exc:
                delay = exc.retry_after if exc.retry_after is not None else backoff_delay(attempt, base_delay,
                                                                                           max_delay)
                if time.monotonic() + delay > give_up_at:
                    raise
                time.sleep(delay)


def _raise_for(errors: list, status: int) -> None:
    codes = [((error.get("extensions") or {}).get("code")) for error in errors if isinstance(error, dict)]
    message = "; ".join(str(error.get("message")) for error in errors if isinstance(error, dict)) or "GraphQL error"
    if "JOB_TERMINAL" in codes:
        raise JobTerminalError(message, code="JOB_TERMINAL", status=status)
    auth_code = next((code for code in codes if code in AUTH_CODES), None)
    if auth_code or status == 401:
        raise AuthError(message, code=auth_code or "UNAUTHENTICATED", status=status)
    for code in codes:
        if code in NOT_RETRIED_CODES:
            raise BadRequestError(message, code=code, status=status)
    raise TransientError(message, code=next((c for c in codes if c), None), status=status)


def _json(raw: bytes):
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _first_message(payload) -> str | None:
    if not payload:
        return None
    errors = payload.get("errors") or []
    if errors and isinstance(errors[0], dict):
        return str(errors[0].get("message"))
    return payload.get("message") or payload.get("error")


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
