"""The Reporter's interface for `local` mode: stages, events and metrics go to the terminal."""

from __future__ import annotations

import sys
import threading

from .api.reporter import clean_metric


class ConsoleReporter:
    """The same interface for `local` mode: prints instead of sending."""

    def __init__(self, out=None, quiet_metrics: bool = False):
        self.out = out or sys.stdout
        self.quiet_metrics = quiet_metrics
        self.cancel_requested = threading.Event()
        self.job_terminal = threading.Event()
        self.fatal_error = None
        self.dropped_metrics_total = 0

    def start(self):
        return self

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def stage(self, stage: str, substatus: str | None = None) -> None:
        self._print(f"[{stage}] {substatus or ''}".rstrip())

    def substatus(self, text: str) -> None:
        self._print(f"  {text}")

    def progress(self, step, total_steps, epoch, total_epochs) -> None:
        pass

    def metric(self, point: dict) -> None:
        if self.quiet_metrics:
            return
        p = clean_metric(point)
        parts = [f"{p['split'].lower():5} step {p['step']:>5}"]
        for name, fmt in (("loss", "loss {:.4f}"), ("learningRate", "lr {:.2e}"), ("gradNorm", "grad {:.3f}"),
                          ("perplexity", "ppl {:.2f}"), ("tokensPerSecond", "{:.0f} tok/s")):
            if name in p:
                parts.append(fmt.format(p[name]))
        self._print("  " + " · ".join(parts))

    def event(self, level: str, kind: str, message: str) -> None:
        self._print(f"  {level} {kind}: {message}")

    def flush(self, timeout: float) -> bool:
        return True

    def close(self, timeout: float) -> bool:
        return True
