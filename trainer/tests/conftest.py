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


def write_short_conversations(path: Path, conversations: int = 8, turns: int = 3, seed: int = 0) -> Path:
    """A small v4 JSONL file of short conversations with varied lengths (whole conversations fit
    a few hundred tokens, so batches really pad and layouts really differ)."""
    import json
    import random

    rng = random.Random(seed)
    words = "plan budget save invest debt goal rent fund tax rate home loan card cash spend".split()

    def text(low: int, high: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize() + "."

    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps({"_meta": {"file_name": path.stem, "total_pairs": conversations * turns}}) + "\n")
        for c in range(conversations):
            conversation_id = f"00000000-0000-4000-8000-{c:012d}"
            system = "You are a careful financial planner."
            history: list[dict] = []
            for t in range(turns):
                user, reply = text(3, 30), text(5, 60)
                history.append({"role": "user", "content": user})
                out.write(json.dumps({
                    "id": f"{conversation_id}_turn{2 * t + 2}", "conversation_id": conversation_id,
                    "turn_number": 2 * t + 2, "system_prompt": system, "conversation_history": list(history),
                    "current_user_input": user, "target_response": reply}) + "\n")
                history.append({"role": "assistant", "content": reply})
    return path
