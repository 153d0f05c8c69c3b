"""The Reporter against a fake server that fails, stalls and recovers; and its bounded buffer."""

from __future__ import annotations

import threading
import time

import pytest

from brightrun_trainer.api.graphql import BadRequestError, GraphQLClient, JobTerminalError, TransientError
from brightrun_trainer.api.reporter import Reporter
from brightrun_trainer.api.server import TrainerApi
from fake_server import FakeBrightRun

FAST = dict(flush_interval=0.05, backoff_base=0.02, backoff_cap=0.2)


def reporter_for(fake: FakeBrightRun, timeout: float = 0.5, **options) -> Reporter:
    api = TrainerApi(GraphQLClient(fake.graphql_url, fake.token, timeout=timeout), fake.job_id)
    return Reporter(api.report_once, log=lambda line: None, **{**FAST, **options})


def point(step: int, split: str = "TRAIN") -> dict:
    return {"split": split, "step": step, "loss": 10.0 / step, "learningRate": 1e-4, "epoch": step / 100}


def test_retries_through_errors_and_timeouts_without_losing_or_duplicating_points():
    with FakeBrightRun() as fake:
        fake.report_script = ["500", "500", "slow", "500", "ok", "slow", "ok"]
        fake.slow_seconds = 1.0  # the client gives up after 0.5 s; the server has stored the batch anyway
        reporter = reporter_for(fake).start()
        reporter.stage("TRAINING", "Training")
        for step in range(1, 2501):
            reporter.metric(point(step))
            if step % 500 == 0:
                reporter.metric(point(step, "EVAL"))
        assert reporter.close(timeout=30)
        assert not fake.report_script  # every scripted failure was met
        expected = {("TRAIN", s) for s in range(1, 2501)} | {("EVAL", s) for s in range(500, 2501, 500)}
        assert set(fake.metrics) == expected  # nothing lost
        assert fake.metrics[("TRAIN", 7)]["loss"] == pytest.approx(10 / 7)
        # Timed-out batches were resent, so the server saw some points twice; its upsert keeps one.
        assert len(fake.metric_receipts) > len(expected)
        assert all(len(report.get("metrics") or []) <= 1000 for report in fake.reports)
        assert set(fake.stages) == {"TRAINING"}  # a stage report whose answer was lost is sent again
        assert reporter.dropped_metrics_total == 0


def test_bounded_buffer_drops_the_oldest_and_says_so():
    with FakeBrightRun() as fake:
        fake.report_script = ["500"] * 1000  # unreachable until the script is cleared
        reporter = reporter_for(fake, max_buffer=100).start()
        for step in range(1, 251):
            reporter.metric(point(step))
        deadline = time.monotonic() + 5
        while reporter.dropped_metrics_total < 150 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
        assert reporter.dropped_metrics_total == 150  # 250 points into a buffer of 100
        with fake.lock:
            fake.report_script = []
        assert reporter.close(timeout=10)
        assert set(fake.metrics) == {("TRAIN", s) for s in range(151, 251)}  # the newest survive
        warnings = [e for e in fake.events if e["kind"] == "metrics_dropped"]
        assert len(warnings) == 1 and warnings[0]["level"] == "WARNING" and "150" in warnings[0]["message"]


def test_stages_arrive_in_order_each_in_its_own_report():
    with FakeBrightRun() as fake:
        reporter = reporter_for(fake, flush_interval=5.0).start()
        reporter.stage("PREPROCESSING", "Downloading dataset")
        reporter.substatus("Tokenizing")
        reporter.stage("MODEL_LOADING", "Loading")
        reporter.stage("TRAINING", "Training")
        reporter.progress(3, 10, 0.3, 1)
        assert reporter.flush(timeout=10)
        staged = [r for r in fake.reports if r.get("stage")]
        assert [(r["stage"], r.get("substatus")) for r in staged] == [
            ("PREPROCESSING", "Tokenizing"), ("MODEL_LOADING", "Loading"), ("TRAINING", "Training")]
        assert fake.reports[-1]["progress"] == {"step": 3, "totalSteps": 10, "epoch": 0.3, "totalEpochs": 1}
        reporter.close(timeout=5)


def test_cancel_and_heartbeat_and_non_finite_values():
    with FakeBrightRun() as fake:
        fake.cancel_after_train_step = 2
        reporter = reporter_for(fake, heartbeat_interval=0.2).start()
        reporter.metric({**point(1), "gradNorm": float("nan"), "tokensPerSecond": float("inf")})
        assert reporter.flush(timeout=5)
        assert "gradNorm" not in fake.metrics[("TRAIN", 1)] and "tokensPerSecond" not in fake.metrics[("TRAIN", 1)]
        assert not reporter.cancel_requested.is_set()
        time.sleep(0.5)
        assert {} in fake.reports  # an empty report is a heartbeat
        reporter.metric(point(2))
        assert reporter.flush(timeout=5)
        assert reporter.cancel_requested.is_set()
        reporter.close(timeout=5)


def test_job_terminal_stops_reporting_and_bad_input_is_not_retried():
    calls = []
    lock = threading.Lock()

    def send(report):
        with lock:
            calls.append(report)
            if len(calls) == 1:
                raise BadRequestError("metrics[0].step: expected Int", code="BAD_USER_INPUT")
            if len(calls) == 2:
                raise TransientError("HTTP 503")
            raise JobTerminalError("job finished", code="JOB_TERMINAL")

    reporter = Reporter(send, log=lambda line: None, **FAST).start()
    reporter.metric(point(1))
    assert reporter.flush(timeout=5)  # dropped after one BAD_USER_INPUT, not retried
    assert len(calls) == 1
    reporter.metric(point(2))
    deadline = time.monotonic() + 5
    while not reporter.job_terminal.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert reporter.job_terminal.is_set() and reporter.cancel_requested.is_set()
    assert len(calls) == 3 and calls[1] == calls[2]  # the 503'd batch was resent as it was
    reporter.metric(point(3))
    assert reporter.close(timeout=1) is True  # nothing is sent for a terminal job
    assert len(calls) == 3
