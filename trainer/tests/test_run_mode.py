"""`python -m brightrun_trainer run` end to end, as a subprocess, against the fake API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TRAINER_DIR
from fake_server import FakeBrightRun

TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def job_spec(fake: FakeBrightRun, dataset: bytes, encoding: str = "JSONL", **hyperparameters) -> dict:
    url, sha256 = fake.put_blob(dataset)
    return {
        "jobId": fake.job_id, "attempt": 1, "baseModel": "tiny-llama",
        "hyperparameters": {
            "loraRank": 8, "loraAlpha": 16, "loraDropout": 0.05, "targetModules": TARGETS, "epochs": 1,
            "batchSize": 4, "gradientAccumulationSteps": 1, "learningRate": 5e-4, "warmupRatio": 0.03,
            "maxSequenceLength": 128, "lrScheduler": "cosine", "quantization": "NONE", "validationShare": 0.1,
            "seed": 3, "packing": False, "gradientCheckpointing": None, "maxSteps": 12, "evalEverySteps": 4,
            "checkpointEverySteps": 5, "keepCheckpoints": 2, **hyperparameters},
        "dataset": {"url": url, "sha256": sha256, "sizeBytes": float(len(dataset)), "encoding": encoding},
        "resumeFrom": None,
    }


def start_trainer(fake: FakeBrightRun, work_dir: Path, **env_overrides) -> subprocess.Popen:
    env = {**os.environ, **fake.env(), "BRIGHTRUN_WORK_DIR": str(work_dir),
           "PYTHONPATH": str(TRAINER_DIR), **env_overrides}
    return subprocess.Popen([sys.executable, "-m", "brightrun_trainer", "run"], cwd=TRAINER_DIR, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen, timeout: float = 120) -> tuple[int, str]:
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def train_steps(fake: FakeBrightRun) -> list[int]:
    return sorted(step for split, step in fake.metrics if split == "TRAIN")


def test_a_run_reports_checkpoints_uploads_and_completes(sample_jsonl, tmp_path):
    with FakeBrightRun() as fake:
        fake.job = job_spec(fake, sample_jsonl.read_bytes(), quantization="NF4")
        code, output = finish(start_trainer(fake, tmp_path))
        assert code == 0, output
        assert fake.stages == ["PREPROCESSING", "MODEL_LOADING", "TRAINING", "FINALIZING"]
        assert fake.requests[0] == "trainerJob" and fake.requests[-1] == "trainerComplete"
        assert train_steps(fake) == list(range(1, 13))
        evals = sorted(step for split, step in fake.metrics if split == "EVAL")
        assert evals == [4, 8, 12] and fake.metrics[("EVAL", 12)]["perplexity"] > 1
        point = fake.metrics[("TRAIN", 3)]
        assert {"loss", "learningRate", "gradNorm", "epoch", "tokensPerSecond"} <= point.keys()
        assert "gpuUtilization" not in point  # no GPU here: absent, not null
        kinds = {event["kind"] for event in fake.events}
        assert {"quantization_skipped", "examples_truncated", "dataset_prepared"} <= kinds

        committed = fake.committed_checkpoints()
        assert [c["step"] for c in committed] == [5, 10]
        assert {"adapter_model.safetensors", "adapter_config.json", "optimizer.pt", "scheduler.pt",
                "rng_state.pth", "trainer_state.json"} <= set(committed[0]["files"])

        summary = fake.completion
        assert sorted(f["name"] for f in summary["files"]) == [
            "adapter_config.json", "adapter_model.safetensors", "metrics_summary.json", "training_log.jsonl"]
        assert summary["totalSteps"] == 12 and summary["trainExamples"] + summary["evalExamples"] == 44
        assert summary["truncatedExamples"] == 44 and summary["finalLoss"] < summary["initialLoss"]
        log_lines = fake.blobs["artifacts/training_log.jsonl"].decode().splitlines()
        assert sum(json.loads(line)["split"] == "TRAIN" for line in log_lines) == 12
        assert fake.failure is None


def test_sigterm_during_a_checkpoint_upload_never_commits_it_and_the_job_resumes(sample_json, tmp_path):
    with FakeBrightRun() as fake:
        fake.job = job_spec(fake, sample_json.read_bytes(), encoding="JSON", maxSteps=16,
                            checkpointEverySteps=4, packing=True)
        fake.hang_put_names = {"optimizer.pt"}
        fake.hang_put_after_step = 4  # checkpoint 4 goes through; checkpoint 8's upload hangs
        process = start_trainer(fake, tmp_path / "attempt1")
        deadline = time.monotonic() + 240
        # The upload runs in the background: training goes on past step 8 while it hangs.
        while not (any(k.endswith("/optimizer.pt") and fake.checkpoints[k.split("/")[1]]["step"] == 8
                       for k in list(fake.puts_started)) and ("TRAIN", 10) in fake.metrics):
            assert process.poll() is None and time.monotonic() < deadline, finish(process, 5)[1]
            time.sleep(0.05)
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code, output = finish(process, timeout=10)
        assert code == 143, output
        assert time.monotonic() - signalled < 5  # inside a spot pod's grace period
        assert [c["step"] for c in fake.committed_checkpoints()] == [4]  # the torn upload is not latest
        assert any(c["step"] == 8 and not c["committed"] for c in fake.checkpoints.values())
        assert "did not finish; it is not committed" in output
        sent = train_steps(fake)
        assert sent == list(range(1, len(sent) + 1)) and 10 <= len(sent) <= 12  # flushed; 12 waits for 8
        assert any(event["kind"] == "sigterm" for event in fake.events)
        assert fake.failure is None and fake.completion is None

        # The server hands the next attempt its latest committed checkpoint.
        fake.hang_put_names = set()
        fake.job = {**fake.job, "attempt": 2, "resumeFrom": fake.resume_spec(fake.committed_checkpoints()[-1])}
        receipts_before = len(fake.metric_receipts)
        code, output = finish(start_trainer(fake, tmp_path / "attempt2"))
        assert code == 0, output
        resent = sorted(step for split, step in fake.metric_receipts[receipts_before:] if split == "TRAIN")
        assert resent == list(range(5, 17))  # resumed at the checkpoint's global step
        assert train_steps(fake) == list(range(1, 17))
        assert fake.completion["totalSteps"] == 16
        assert [c["step"] for c in fake.committed_checkpoints()] == [4, 8, 12]


def test_sigterm_lets_an_upload_in_flight_finish_and_commit(sample_jsonl, tmp_path):
    with FakeBrightRun() as fake:
        fake.job = job_spec(fake, sample_jsonl.read_bytes(), maxSteps=40, checkpointEverySteps=4)
        fake.slow_put_names, fake.slow_put_seconds = {"optimizer.pt"}, 0.8
        process = start_trainer(fake, tmp_path)
        deadline = time.monotonic() + 240
        while not any(k.endswith("/optimizer.pt") and fake.checkpoints[k.split("/")[1]]["step"] == 8
                      for k in list(fake.puts_started)):
            assert process.poll() is None and time.monotonic() < deadline, finish(process, 5)[1]
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)  # checkpoint 8's optimizer.pt is on its way
        code, output = finish(process, timeout=10)
        assert code == 143, output
        # The upload finished within the grace period: checkpoint 8 is the latest, and whole.
        committed = fake.committed_checkpoints()
        assert [c["step"] for c in committed] == [4, 8]
        assert set(committed[-1]["files"]) >= {"adapter_model.safetensors", "optimizer.pt", "trainer_state.json"}
        assert fake.failure is None and fake.completion is None


def test_bad_data_is_reported_with_trainer_fail(tmp_path):
    with FakeBrightRun() as fake:
        bad = json.dumps({"training_file_metadata": {"format_spec": "sharegpt"}, "conversations": []}).encode()
        fake.job = job_spec(fake, bad, encoding="JSON")
        code, output = finish(start_trainer(fake, tmp_path))
        assert code == 1, output
        assert fake.failure["code"] == "BAD_DATA" and "format_spec" in fake.failure["message"]
        assert fake.completion is None
        assert any(event["level"] == "ERROR" and event["kind"] == "bad_data" for event in fake.events)


def test_a_corrupt_download_fails_with_download_failed(sample_jsonl, tmp_path):
    with FakeBrightRun() as fake:
        fake.job = job_spec(fake, sample_jsonl.read_bytes())
        fake.job["dataset"]["sha256"] = "0" * 64
        code, output = finish(start_trainer(fake, tmp_path))
        assert code == 1, output
        assert fake.failure["code"] == "DOWNLOAD_FAILED" and "sha256" in fake.failure["message"]


def test_cancel_requested_stops_quietly(sample_jsonl, tmp_path):
    with FakeBrightRun() as fake:
        fake.job = job_spec(fake, sample_jsonl.read_bytes(), maxSteps=400, checkpointEverySteps=1000)
        fake.cancel_after_train_step = 2
        code, output = finish(start_trainer(fake, tmp_path))
        assert code == 0, output
        assert fake.failure is None and fake.completion is None
        assert 2 <= max(train_steps(fake)) < 400
        assert any(event["kind"] == "cancelled" for event in fake.events)


def test_missing_environment_and_refused_token(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("BRIGHTRUN_")}
    env["PYTHONPATH"] = str(TRAINER_DIR)
    missing = subprocess.run([sys.executable, "-m", "brightrun_trainer", "run"], cwd=TRAINER_DIR, text=True,
                             env={**env, "BRIGHTRUN_API_URL": "http://127.0.0.1:9/graphql",
                                  "BRIGHTRUN_JOB_ID": "j"}, capture_output=True, timeout=30)
    assert missing.returncode == 2 and "BRIGHTRUN_JOB_TOKEN is not set" in missing.stderr
    with FakeBrightRun() as fake:
        code, output = finish(start_trainer(fake, tmp_path, BRIGHTRUN_JOB_TOKEN="wrong"), timeout=30)
        assert code == 3 and "invalid job token" in output
        assert fake.requests == []  # a refused token reaches no resolver


@pytest.mark.parametrize("argv", [["--help"], ["local", "--help"], ["run", "--help"]])
def test_help_is_instant_and_imports_nothing_heavy(argv):
    probe = ("import sys, runpy; sys.argv = ['brightrun_trainer', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('brightrun_trainer', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "heavy = [m for m in ('torch', 'transformers', 'peft') if m in sys.modules]\n"
             "print('HEAVY', heavy)")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", probe, *argv], cwd=TRAINER_DIR, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(TRAINER_DIR)}, timeout=30)
    assert "usage:" in result.stdout and "HEAVY []" in result.stdout, result.stdout + result.stderr
    assert time.perf_counter() - started < 5  # generous: the CI cores are shared
