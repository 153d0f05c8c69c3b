"""Shared paths and fixtures. Everything runs on the CPU with tiny-llama; nothing is downloaded."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TRAINER_DIR = Path(__file__).resolve().parents[1]
REPO_DIR = TRAINER_DIR.parent
SAMPLE_DIR = REPO_DIR.parent / "shared" / "data" / "brightrun-v4"
SAMPLE_JSON = SAMPLE_DIR / "EQ-12-conversations-demo.json"
SAMPLE_JSONL = SAMPLE_DIR / "EQ-12-conversations-demo.jsonl"

sys.path.insert(0, str(TRAINER_DIR))  # the package, even without the editable install
sys.path.insert(0, str(Path(__file__).parent))  # fake_server
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a test must never reach a model hub
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# One thread per process: the CI cores are shared, and two OpenMP threads contending with other
# work ran ~10× slower than one in measurements here. Subprocesses inherit this.
os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def sample_json() -> Path:
    if not SAMPLE_JSON.exists():
        pytest.fail(f"the v4 sample is missing at {SAMPLE_JSON} (expected ../shared beside the repo)")
    return SAMPLE_JSON


@pytest.fixture(scope="session")
def sample_jsonl() -> Path:
    return SAMPLE_JSONL


@pytest.fixture(scope="session")
def tokenizer():
    from brightrun_trainer.tiny_llama import build_tokenizer

    return build_tokenizer()


_PERFORMANCE: list[str] = []


@pytest.fixture(scope="session")
def performance_log():
    """Lines printed at the end of every run (not only with -s), e.g. CPU steps/s."""
    return _PERFORMANCE.append


def pytest_terminal_summary(terminalreporter):
    if _PERFORMANCE:
        terminalreporter.section("trainer performance (CPU)")
        for line in _PERFORMANCE:
            terminalreporter.write_line(line)
