"""The files a finished run leaves beside the adapter, and the summary the server receives."""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from pathlib import Path

TRAINING_LOG = "training_log.jsonl"
METRICS_SUMMARY = "metrics_summary.json"


def _finite(value):
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def log_entries(log_history: list[dict]) -> list[dict]:
    """One line per optimizer step (TRAIN) and per evaluation (EVAL), from the Trainer's history.

    The history travels inside checkpoints, so a resumed run's log covers every attempt.
    """
    entries = []
    for record in log_history:
        if "loss" in record:
            entries.append({"split": "TRAIN", "step": record["step"], "epoch": record.get("epoch"),
                            "loss": _finite(record["loss"]), "learning_rate": record.get("learning_rate"),
                            "grad_norm": _finite(record.get("grad_norm"))})
        elif "eval_loss" in record:
            loss = _finite(record["eval_loss"])
            entries.append({"split": "EVAL", "step": record["step"], "epoch": record.get("epoch"), "loss": loss,
                            "perplexity": _finite(math.exp(loss)) if loss is not None and loss < 700 else None})
    return entries


def write_outputs(output_dir: Path, state, data, *, runtime: float, tokens: int, base_model: str,
                  hyperparameters, steps_per_second: float) -> tuple[dict, list[Path]]:
    """Write training_log.jsonl and metrics_summary.json; return (summary for trainerComplete, files)."""
    entries = log_entries(state.log_history)
    train = [entry for entry in entries if entry["split"] == "TRAIN" and entry["loss"] is not None]
    evals = [entry for entry in entries if entry["split"] == "EVAL" and entry["loss"] is not None]
    summary = {
        "initialLoss": train[0]["loss"] if train else None,
        "finalLoss": train[-1]["loss"] if train else None,
        "evalLoss": evals[-1]["loss"] if evals else None,
        "perplexity": evals[-1]["perplexity"] if evals else None,
        "totalSteps": int(state.global_step),
        "epochs": float(state.epoch or 0.0),
        "trainRuntimeSeconds": float(runtime),
        "tokensPerSecond": _finite(tokens / runtime) if runtime > 0 else None,
        "trainExamples": data.train_examples,
        "evalExamples": data.eval_examples,
        "truncatedExamples": data.truncated_examples,
    }
    log_path = output_dir / TRAINING_LOG
    with open(log_path, "w", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry) + "\n")
    summary_path = output_dir / METRICS_SUMMARY
    summary_path.write_text(json.dumps({
        **summary,
        "stepsPerSecond": steps_per_second,
        "baseModel": base_model,
        "hyperparameters": asdict(hyperparameters),
        "trainConversations": data.train_conversations,
        "evalConversations": data.eval_conversations,
    }, indent=2) + "\n", encoding="utf-8")
    return summary, [log_path, summary_path]
