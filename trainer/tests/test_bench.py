"""`python -m brightrun_trainer bench`: both runs, one JSON line, the ratios named for what they measure."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import TRAINER_DIR


def test_bench_runs_both_sides_and_prints_one_json_line(sample_jsonl, tmp_path):
    from conftest import write_short_conversations

    dataset = write_short_conversations(tmp_path / "short.jsonl", conversations=10)
    env = {**os.environ, "PYTHONPATH": str(TRAINER_DIR)}
    completed = subprocess.run(
        [sys.executable, "-m", "brightrun_trainer", "bench", "--dataset", str(dataset), "--base-model", "tiny-llama",
         "--max-sequence-length", "512", "--json"],
        cwd=TRAINER_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    lines = completed.stdout.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    baseline, ours = report["baseline"], report["ours"]
    # The same examples and the same per-pair token count for both: tokens/s compares times.
    assert baseline["examples_seen"] == ours["examples_seen"] == 27
    assert baseline["per_pair_tokens"] == ours["per_pair_tokens"] > 0
    assert baseline["gradient_checkpointing"] is True and ours["gradient_checkpointing"] is False
    # On a CPU (SDPA, no FlashAttention-2) ours pads too: padding-free would cost more; not counted.
    assert baseline["padding_tokens"] > 0 and ours["padding_tokens"] is None
    assert ours["sequences"] < baseline["sequences"] == 27  # one sequence per conversation
    assert ours["tokens_processed"] < baseline["tokens_processed"]  # the history is read once
    assert baseline["mfu"] is None and "RSS" in baseline["peak_memory_kind"]  # no peak FLOPS for a CPU
    for key in ("tokens_per_second_ratio", "eval_loss_ratio", "peak_memory_ratio", "mfu_ratio"):
        assert key in report
    assert report["tokens_per_second_ratio"] == round(ours["tokens_per_second"] / baseline["tokens_per_second"], 4)
    assert report["eval_loss_ratio"] == round(ours["eval_loss"] / baseline["eval_loss"], 4)
    assert 0.5 < report["eval_loss_ratio"] < 2
    assert (report["max_sequence_length"], report["max_sequence_length_rule"]) == (512, "--max-sequence-length")


def test_the_default_window_holds_the_text_of_2048_real_tokens():
    from argparse import Namespace

    from brightrun_trainer.bench import default_sequence_length

    def window(**kw):
        return default_sequence_length(Namespace(**{"max_sequence_length": None, "model_config": None, "base_model": None, **kw}))

    # Byte-level tokenizers (tiny-llama, random-initialised configs): 2048 tokens × the assumed 4 bytes per token.
    assert window()[0] == window(base_model="tiny-llama")[0] == window(model_config="llama-3-8b")[0] == 8192
    assert "assumption" in window()[1]
    # A real tokenizer counts real tokens; an explicit value always wins.
    assert window(base_model="/models/llama-3-8b")[0] == 2048
    assert window(max_sequence_length=2048)[0] == 2048


def test_a_missing_dataset_is_a_usage_error(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(TRAINER_DIR)}
    completed = subprocess.run([sys.executable, "-m", "brightrun_trainer", "bench", "--dataset",
                                str(tmp_path / "nope.json")], cwd=TRAINER_DIR, env=env, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 2 and "is not a file" in completed.stderr
