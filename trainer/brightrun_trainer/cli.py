"""Command line: `run` (inside the pod, driven by the server) and `local` (offline).

Only the standard library is imported here, so `--help` answers at once; the heavy modules
(torch, transformers) load inside the command that needs them.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .config import PRESETS

RUN_HELP = """Train the job named by the environment and report to the BrightRun API.

environment:
  BRIGHTRUN_API_URL     the trainer endpoint, e.g. https://brightrun.example/trainer/graphql
  BRIGHTRUN_JOB_ID      the job to train
  BRIGHTRUN_JOB_TOKEN   the job's secret token (sent as a Bearer token)
  BRIGHTRUN_WORK_DIR    optional: where the dataset, checkpoints and outputs go (default: a temp folder)

exit status: 0 done (or cancelled), 1 failed (reported with trainerFail), 2 bad usage,
3 token refused, 143 stopped by SIGTERM."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m brightrun_trainer",
                                     description="BrightRun LoRA trainer: fine-tunes a LoRA adapter.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{run,local,bench}")
    commands.add_parser("run", help="train the job given by BRIGHTRUN_* variables, reporting to the server",
                        description=RUN_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)

    local = commands.add_parser("local", help="train offline from a dataset file (no server)",
                                description="Train offline; checkpoints go under OUTPUT/checkpoints.")
    local.add_argument("--dataset", required=True, type=Path, help="a brightrun-lora-v4 file (.json or .jsonl)")
    local.add_argument("--output", required=True, type=Path, help="folder for the adapter, logs and checkpoints")
    local.add_argument("--preset", choices=sorted(PRESETS), default="balanced", help="hyperparameter preset")
    local.add_argument("--max-steps", type=int, help="stop after N optimizer steps (default: the preset's epochs)")
    local.add_argument("--base-model", default="tiny-llama",
                       help="Hugging Face id, local path, or tiny-llama (built locally, for CPU runs)")
    local.add_argument("--checkpoint-every", type=int,
                       help="checkpoint every N steps (default: so that at most ~10 minutes of work is at risk)")
    local.add_argument("--resume", action="store_true", help="resume from the latest committed checkpoint in OUTPUT")
    local.add_argument("--max-sequence-length", type=int, help="override the preset's maximum sequence length")
    local.add_argument("--seed", type=int, help="override the seed (split, adapter initialisation, data order)")
    from .bench import add_arguments

    bench = commands.add_parser(
        "bench", help="plain HF Trainer + PEFT against this trainer on the same data: tokens/s, MFU, memory, loss",
        description="Runs the same data and LoRA configuration twice, each in its own process: plain HF Trainer "
                    "+ PEFT, then this trainer; prints tokens/s on the original per-pair tokens, MFU, peak "
                    "memory and held-out loss for each, and the ratios (ours / baseline).")
    add_arguments(bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        from .run_mode import main_run

        return main_run(os.environ)
    if args.command == "bench":
        from .bench import main_bench

        return main_bench(args)
    from .local_mode import main_local

    return main_local(args)
