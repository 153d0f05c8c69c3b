"""Batched, retried, bounded reporting of stages, progress, metrics and events.

A background thread sends `trainerReport` calls: every `flush_interval` seconds while anything
is pending, at once when `max_batch` metric points or a stage change are waiting, and a
heartbeat when nothing was sent for `heartbeat_interval`. Failures are retried with exponential
backoff and full jitter while points keep accumulating in a bounded buffer; when it is full the
oldest points are dropped, counted, and a WARNING event says so. Points are keyed by
(split, step): the server upserts, so resending a batch whose answer was lost is harmless.
"""

from __future__ import annotations

import collections
import math
import sys
import threading
import time
from typing import Callable

from .graphql import AuthError, BadRequestError, JobTerminalError, backoff_delay

METRIC_FIELDS = ("loss", "learningRate", "gradNorm", "epoch", "tokensPerSecond", "gpuUtilization", "gpuMemoryGb",
                 "perplexity")


def clean_metric(point: dict) -> dict:
    """Keep only finite numbers: the contract refuses NaN and infinities."""
    cleaned = {"split": point["split"], "step": int(point["step"])}
    for name in METRIC_FIELDS:
        value = point.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            cleaned[name] = float(value)
    return cleaned


class Reporter:
    def __init__(self, send: Callable[[dict], dict], *, flush_interval: float = 2.0, max_batch: int = 1000,
                 max_buffer: int = 20_000, max_events: int = 1000, events_per_report: int = 100,
                 heartbeat_interval: float = 30.0, backoff_base: float = 0.5, backoff_cap: float = 30.0,
                 log: Callable[[str], None] | None = None):
        self._send = send
        self.flush_interval = flush_interval
        self.max_batch = max_batch
        self.max_buffer = max_buffer
        self.events_per_report = events_per_report
        self.heartbeat_interval = heartbeat_interval
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))

        # An RLock: a signal handler on the main thread may report while that thread holds it.
        self._cond = threading.Condition(threading.RLock())
        self._metrics: collections.OrderedDict[tuple[str, int], dict] = collections.OrderedDict()
        self._events: collections.deque[dict] = collections.deque(maxlen=max_events)
        self._stages: collections.deque[dict] = collections.deque()
        self._substatus: str | None = None
        self._progress: dict | None = None
        self._pending_since: float | None = None
        self._dropped_metrics = 0
        self._dropped_events = 0
        self._in_flight = False
        self._closing = False
        self._close_deadline = math.inf
        self._thread: threading.Thread | None = None

        self.cancel_requested = threading.Event()  # the server asked to stop (cancel or JOB_TERMINAL)
        self.job_terminal = threading.Event()
        self.fatal_error: Exception | None = None  # the token was refused: nothing will be accepted
        self.dropped_metrics_total = 0

    # ---- producer side (training thread) ----

    def start(self) -> "Reporter":
        self._thread = threading.Thread(target=self._run, name="brightrun-reporter", daemon=True)
        self._thread.start()
        return self

    def stage(self, stage: str, substatus: str | None = None) -> None:
        if self._gone():
            return
        with self._cond:
            self._stages.append({"stage": stage, "substatus": substatus})
            self._touch(urgent=True)

    def substatus(self, text: str) -> None:
        if self._gone():
            return
        with self._cond:
            if self._stages:
                self._stages[-1]["substatus"] = text
            else:
                self._substatus = text
            self._touch()

    def progress(self, step: int, total_steps: int, epoch: float, total_epochs: int) -> None:
        if self._gone():
            return
        with self._cond:
            self._progress = {"step": int(step), "totalSteps": int(total_steps), "epoch": float(epoch),
                              "totalEpochs": int(total_epochs)}
            self._touch()

    def metric(self, point: dict) -> None:
        point = clean_metric(point)
        if self._gone():
            return
        with self._cond:
            key = (point["split"], point["step"])
            if key not in self._metrics and len(self._metrics) >= self.max_buffer:
                self._metrics.popitem(last=False)
                self._dropped_metrics += 1
                self.dropped_metrics_total += 1
            self._metrics[key] = point
            self._touch(urgent=len(self._metrics) >= self.max_batch)

    def event(self, level: str, kind: str, message: str) -> None:
        if self._gone():
            return
        with self._cond:
            if len(self._events) == self._events.maxlen:
                self._dropped_events += 1
            self._events.append({"level": level, "kind": kind, "message": message[:4000]})
            self._touch()

    def flush(self, timeout: float) -> bool:
        """Wait until everything queued so far has been accepted (True) or `timeout` passed."""
        give_up_at = time.monotonic() + timeout
        with self._cond:
            self._touch(urgent=True)
            while self._has_pending() or self._in_flight:
                remaining = give_up_at - time.monotonic()
                if remaining <= 0 or self._stopped():
                    return not (self._has_pending() or self._in_flight)
                self._cond.wait(min(remaining, 0.1))
            return True

    def close(self, timeout: float) -> bool:
        """Send what is pending within `timeout`, then stop the thread. True when nothing was left."""
        with self._cond:
            self._closing = True
            self._close_deadline = time.monotonic() + timeout
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout + 1.0)
        with self._cond:
            return not (self._has_pending() or self._in_flight)

    # ---- sender side (background thread) ----

    def _gone(self) -> bool:
        """The server will accept nothing more for this job (terminal, or the token refused)."""
        return self.job_terminal.is_set() or self.fatal_error is not None

    def _touch(self, urgent: bool = False) -> None:
        if self._pending_since is None:
            self._pending_since = time.monotonic()
        if urgent:
            self._pending_since = -math.inf
        self._cond.notify_all()

    def _has_pending(self) -> bool:
        return bool(self._metrics or self._events or self._stages or self._substatus is not None
                    or self._progress is not None or self._dropped_metrics or self._dropped_events)

    def _stopped(self) -> bool:
        return self._thread is None or not self._thread.is_alive()

    def _run(self) -> None:
        failures = 0
        next_try = 0.0
        last_contact = time.monotonic()
        while True:
            with self._cond:
                while True:
                    now = time.monotonic()
                    if self._closing and (not self._has_pending() or now >= self._close_deadline):
                        return
                    pending = self._has_pending()
                    if pending and self._pending_since is None:
                        self._pending_since = now
                    due = pending and (self._closing or now - self._pending_since >= self.flush_interval)
                    heartbeat = not pending and not self._closing and now - last_contact >= self.heartbeat_interval
                    if (due or heartbeat) and now >= next_try:
                        break
                    if pending:
                        wake_at = [max(next_try, self._pending_since + self.flush_interval)]
                    else:
                        wake_at = [max(next_try, last_contact + self.heartbeat_interval)]
                    if self._closing:
                        wake_at.append(self._close_deadline)
                    self._cond.wait(max(0.01, min(wake_at) - now))
                report, taken = self._build_report()
            try:
                answer = self._send(report) or {}
            except JobTerminalError:
                self._log("reporter: the job is terminal on the server; stopping reports")
                self.job_terminal.set()
                self.cancel_requested.set()
                self._discard_all()
                return
            except AuthError as exc:
                self._log(f"reporter: the server refused the job token: {exc}")
                self.fatal_error = exc
                self.cancel_requested.set()
                self._discard_all()
                return
            except BadRequestError as exc:
                # A trainer bug: resending the same batch would fail the same way.
                self._log(f"reporter: the server rejected a report ({exc}); dropping that batch")
                self._acknowledge(taken)
                continue
            except Exception as exc:  # network, 5xx, unknown codes: retry with backoff
                failures += 1
                delay = backoff_delay(failures, self.backoff_base, self.backoff_cap)
                next_try = time.monotonic() + delay
                if failures in (1, 5) or failures % 20 == 0:
                    self._log(f"reporter: report failed ({exc}); attempt {failures}, retrying in {delay:.1f}s")
                self._restore(taken)
                continue
            failures = 0
            next_try = 0.0
            last_contact = time.monotonic()
            self._acknowledge(taken)
            if answer.get("cancelRequested"):
                self.cancel_requested.set()

    def _build_report(self) -> tuple[dict, dict]:
        """Take a report's worth of pending items; `taken` lets them be acknowledged or restored."""
        report: dict = {}
        taken: dict = {"stage": None, "metrics": [], "events": [], "substatus": None, "progress": None,
                       "dropped": (self._dropped_metrics, self._dropped_events)}
        if self._dropped_metrics or self._dropped_events:
            self._events.append({"level": "WARNING", "kind": "metrics_dropped", "message": (
                f"The server was unreachable too long: dropped the oldest {self._dropped_metrics} metric points "
                f"and {self._dropped_events} events (buffer of {self.max_buffer} points).")})
            self._dropped_metrics = self._dropped_events = 0
        if self._stages:
            stage = self._stages.popleft()
            taken["stage"] = stage
            report["stage"] = stage["stage"]
            if stage["substatus"] is not None:
                report["substatus"] = stage["substatus"]
        elif self._substatus is not None:
            taken["substatus"] = report["substatus"] = self._substatus
            self._substatus = None
        if taken["stage"] is not None:
            # A stage change travels alone: what was reported after it (progress, metrics,
            # events) follows in the next report, and a rejected transition takes no points with it.
            self._pending_since = -math.inf
            self._in_flight = True
            return report, taken
        if self._progress is not None:
            taken["progress"] = report["progress"] = self._progress
            self._progress = None
        while self._metrics and len(taken["metrics"]) < self.max_batch:
            taken["metrics"].append(self._metrics.popitem(last=False))
        if taken["metrics"]:
            report["metrics"] = [point for _, point in taken["metrics"]]
        while self._events and len(taken["events"]) < self.events_per_report:
            taken["events"].append(self._events.popleft())
        if taken["events"]:
            report["events"] = list(taken["events"])
        self._pending_since = None if not self._has_pending() else -math.inf
        self._in_flight = True
        return report, taken

    def _acknowledge(self, taken: dict) -> None:
        with self._cond:
            self._in_flight = False
            if not self._has_pending():
                self._pending_since = None
            self._cond.notify_all()

    def _restore(self, taken: dict) -> None:
        """Put a failed batch back in front, without overwriting newer values or overflowing."""
        with self._cond:
            self._in_flight = False
            if taken["stage"] is not None:
                self._stages.appendleft(taken["stage"])
            if taken["substatus"] is not None and self._substatus is None and not self._stages:
                self._substatus = taken["substatus"]
            if taken["progress"] is not None and self._progress is None:
                self._progress = taken["progress"]
            for event in reversed(taken["events"]):
                if len(self._events) == self._events.maxlen:
                    self._dropped_events += 1
                    continue
                self._events.appendleft(event)
            for key, point in reversed(taken["metrics"]):
                if key in self._metrics:
                    continue  # a newer value for the same (split, step) arrived meanwhile
                if len(self._metrics) >= self.max_buffer:
                    self._dropped_metrics += 1  # the restored point is the oldest: it goes
                    self.dropped_metrics_total += 1
                    continue
                self._metrics[key] = point
                self._metrics.move_to_end(key, last=False)
            if self._has_pending() and self._pending_since is None:
                self._pending_since = time.monotonic()
            self._cond.notify_all()

    def _discard_all(self) -> None:
        with self._cond:
            self._in_flight = False
            self._metrics.clear()
            self._events.clear()
            self._stages.clear()
            self._substatus = self._progress = None
            self._dropped_metrics = self._dropped_events = 0
            self._cond.notify_all()

