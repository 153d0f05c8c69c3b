"""HF Trainer callbacks: metrics out, checkpoints made durable, stopping when asked."""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

from transformers import TrainerCallback

MAX_WORK_AT_RISK_SECONDS = 600.0


class MetricsCallback(TrainerCallback):
    """Sends one TRAIN point per optimizer step and one EVAL point per evaluation (main process only)."""

    def __init__(self, reporter, gpu, total_epochs: int):
        self.reporter = reporter
        self.gpu = gpu
        self.total_epochs = total_epochs
        self.last_sent = {"TRAIN": 0, "EVAL": 0}
        self._step_started = 0.0
        self._tokens_at_step_start = 0
        self._tokens_per_second: float | None = None

    def on_train_begin(self, args, state, control, **kwargs):
        if not state.is_world_process_zero:
            return
        # A resumed run starts past steps the previous attempt already sent.
        for split in self.last_sent:
            self.last_sent[split] = max(self.last_sent[split], state.global_step)
        self.reporter.progress(state.global_step, state.max_steps, state.epoch or 0.0, self.total_epochs)

    def on_step_begin(self, args, state, control, **kwargs):
        self._step_started = time.perf_counter()
        self._tokens_at_step_start = state.num_input_tokens_seen

    def on_step_end(self, args, state, control, **kwargs):
        elapsed = time.perf_counter() - self._step_started
        tokens = state.num_input_tokens_seen - self._tokens_at_step_start
        self._tokens_per_second = tokens / elapsed if elapsed > 0 and tokens > 0 else None

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or not logs:
            return
        step = state.global_step
        if "loss" in logs and step > self.last_sent["TRAIN"]:
            self.reporter.metric({
                "split": "TRAIN", "step": step, "loss": logs.get("loss"), "learningRate": logs.get("learning_rate"),
                "gradNorm": logs.get("grad_norm"), "epoch": state.epoch, "tokensPerSecond": self._tokens_per_second,
                **self.gpu.sample(),
            })
            self.last_sent["TRAIN"] = step
            self.reporter.progress(step, state.max_steps, state.epoch or 0.0, self.total_epochs)
        if "eval_loss" in logs and step > self.last_sent["EVAL"]:
            loss = logs["eval_loss"]
            self.reporter.metric({"split": "EVAL", "step": step, "loss": loss, "epoch": state.epoch,
                                  "perplexity": math.exp(loss) if loss < 700 else None})
            self.last_sent["EVAL"] = step


class CheckpointCallback(TrainerCallback):
    """Asks the Trainer to save every `every_steps` steps, then commits each saved folder in the
    background (the store's `commit_async`); the next save waits for the previous upload.

    With no interval given, it picks one from the measured step time so that at most
    ~10 minutes of work is at risk. No checkpoint is taken at the last step: the adapter follows.
    """

    def __init__(self, store, every_steps: int | None, reporter, max_risk_seconds: float = MAX_WORK_AT_RISK_SECONDS):
        self.store = store
        self.every_steps = every_steps or None
        self.reporter = reporter
        self.max_risk_seconds = max_risk_seconds
        self.last_saved_step = 0
        self.auto_interval: int | None = None
        self._durations: list[float] = []
        self._last_step_end = 0.0

    def on_train_begin(self, args, state, control, **kwargs):
        self.last_saved_step = state.global_step
        self._last_step_end = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        now = time.perf_counter()
        self._durations.append(now - self._last_step_end)
        self._last_step_end = now
        step = state.global_step
        if step >= state.max_steps:
            return
        if self.every_steps:
            save = step % self.every_steps == 0
        else:
            interval = self._measured_interval()
            save = interval is not None and step - self.last_saved_step >= interval
        if save:
            # The previous upload must be done before HF writes (and rotates) checkpoint folders.
            waited = time.perf_counter()
            self.store.wait()
            self._last_step_end += time.perf_counter() - waited  # waiting is not a step's time
            control.should_save = True

    def _measured_interval(self) -> int | None:
        if len(self._durations) < 3:
            return None
        step_seconds = statistics.median(self._durations[-50:])
        interval = max(1, int(self.max_risk_seconds // max(step_seconds, 1e-6)))
        if self.auto_interval is None:
            self.reporter.event("INFO", "checkpoint_interval",
                                f"Checkpoint every {interval} steps (measured {step_seconds:.2f} s per step).")
        self.auto_interval = interval
        return interval

    def on_save(self, args, state, control, **kwargs):
        if not state.is_world_process_zero:
            return
        folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        self.store.commit_async(state.global_step, folder)  # training goes on during the upload
        self.last_saved_step = state.global_step
        # Time spent writing the checkpoint is not a training step.
        self._last_step_end = time.perf_counter()

    def on_train_end(self, args, state, control, **kwargs):
        self.store.wait()  # the last checkpoint is durable (or given up) before the adapter follows


class StopCallback(TrainerCallback):
    """Stops training at the end of the current step when `should_stop()` says so."""

    def __init__(self, should_stop):
        self.should_stop = should_stop
        self.stopped_at: int | None = None

    def on_step_end(self, args, state, control, **kwargs):
        if self.should_stop():
            control.should_training_stop = True
            control.should_save = False
            control.should_evaluate = False
            self.stopped_at = state.global_step
