"""`local` mode: train from a dataset file with no server; checkpoints live under OUTPUT/checkpoints."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TrainerFailure


@dataclass
class LocalOptions:
    dataset: Path
    output: Path
    preset: str = "balanced"
    base_model: str = "tiny-llama"
    max_steps: int | None = None
    checkpoint_every: int | None = None
    resume: bool = False
    overrides: dict = field(default_factory=dict)  # any Hyperparameters field


def run_local(options: LocalOptions, *, reporter=None, extra_callbacks=()):
    from .console import ConsoleReporter
    from .checkpoints import LocalCheckpointStore
    from .config import preset
    from .training import PipelineInputs, run_pipeline

    hp = preset(options.preset, max_steps=options.max_steps, checkpoint_every_steps=options.checkpoint_every,
                **options.overrides)
    reporter = reporter or ConsoleReporter()
    output = options.output
    checkpoint_dir = output / "checkpoints"
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    store = LocalCheckpointStore(checkpoint_dir)
    resume_dir = store.latest() if options.resume else None
    if options.resume and resume_dir is None:
        reporter.event("INFO", "resume", f"No committed checkpoint in {checkpoint_dir}; starting from scratch.")

    reporter.stage("PREPROCESSING", f"Reading {options.dataset}")
    return run_pipeline(PipelineInputs(
        base_model=options.base_model, hyperparameters=hp, dataset_path=options.dataset, output_dir=output,
        checkpoint_dir=checkpoint_dir, store=store, reporter=reporter, resume=lambda: resume_dir,
        save_total_limit=hp.keep_checkpoints, extra_callbacks=list(extra_callbacks)))


def main_local(args) -> int:
    overrides = {}
    if args.max_sequence_length is not None:
        overrides["max_sequence_length"] = args.max_sequence_length
    if args.seed is not None:
        overrides["seed"] = args.seed
    options = LocalOptions(dataset=args.dataset, output=args.output, preset=args.preset, base_model=args.base_model,
                           max_steps=args.max_steps, checkpoint_every=args.checkpoint_every, resume=args.resume,
                           overrides=overrides)
    if not options.dataset.is_file():
        print(f"error: --dataset {options.dataset} is not a file", file=sys.stderr)
        return 2

    def on_sigterm(signum, frame):
        print("SIGTERM: stopping; the latest committed checkpoint is intact.", file=sys.stderr, flush=True)
        os._exit(143)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        result = run_local(options)
    except TrainerFailure as exc:
        print(f"error ({exc.code}): {exc.message}", file=sys.stderr)
        return 1
    summary = result.summary
    print(f"done: {result.global_step} steps, {result.steps_per_second:.2f} steps/s, "
          f"loss {summary['initialLoss']:.4f} → {summary['finalLoss']:.4f}, "
          f"{summary['truncatedExamples']} examples truncated")
    for path in result.files:
        print(f"  {path}")
    return 0

