"""The GraphQL client's error classes, checkpoint uploads, and the trainer's own decisions."""

from __future__ import annotations

import socket

import pytest

from brightrun_trainer import memory
from brightrun_trainer.api.graphql import (
    AuthError, BadRequestError, GraphQLClient, JobTerminalError, TransientError)
from brightrun_trainer.api.server import TrainerApi
from brightrun_trainer.callbacks import CheckpointCallback
from brightrun_trainer.checkpoints import RemoteCheckpointStore
from fake_server import FakeBrightRun


class Events:
    def __init__(self):
        self.events = []

    def event(self, level, kind, message):
        self.events.append((level, kind, message))


def test_client_classifies_errors_and_retries_only_transient_ones():
    with FakeBrightRun() as fake:
        fake.job = {"jobId": fake.job_id}
        fake.report_script = ["500", "500"]
        api = TrainerApi(GraphQLClient(fake.graphql_url, fake.token, timeout=2), fake.job_id)
        answer = api.client.call(
            "mutation TrainerReport($jobId: ID!, $input: TrainerReportInput!) { trainerReport(jobId: $jobId, "
            "input: $input) { cancelRequested } }", {"jobId": fake.job_id, "input": {}}, base_delay=0.01)
        assert answer["trainerReport"]["cancelRequested"] is False and fake.requests.count("trainerReport") == 3

        with pytest.raises(BadRequestError) as bad:
            TrainerApi(api.client, "another-job").job()
        assert bad.value.code == "BAD_USER_INPUT"
        fake.forced_errors = {"trainerJob": "FORBIDDEN"}
        with pytest.raises(AuthError):
            api.job()
        fake.forced_errors = {"trainerJob": "NOT_FOUND"}
        calls = fake.requests.count("trainerJob")
        with pytest.raises(BadRequestError):
            api.job()
        assert fake.requests.count("trainerJob") == calls + 1  # not retried
        fake.forced_errors = {}
        fake.terminal = True
        with pytest.raises(JobTerminalError):
            api.report_once({})
        with pytest.raises(AuthError):
            TrainerApi(GraphQLClient(fake.graphql_url, "wrong"), fake.job_id).job()

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(TransientError):
        GraphQLClient(f"http://127.0.0.1:{port}/graphql", "t", timeout=1).call("{ x }", deadline_s=0.2,
                                                                               base_delay=0.05)


def test_a_failed_put_leaves_the_checkpoint_uncommitted_and_training_goes_on(tmp_path):
    folder = tmp_path / "checkpoint-3"
    folder.mkdir()
    for name in ("adapter_model.safetensors", "optimizer.pt", "trainer_state.json"):
        (folder / name).write_bytes(name.encode() * 100)
    with FakeBrightRun() as fake:
        api = TrainerApi(GraphQLClient(fake.graphql_url, fake.token), fake.job_id)
        events = Events()
        store = RemoteCheckpointStore(api, events, log=lambda line: None)
        fake.fail_put_names = {"optimizer.pt"}
        assert store.commit(3, folder) is False
        assert fake.committed_checkpoints() == [] and len(fake.checkpoints) == 1
        assert events.events[0][:2] == ("WARNING", "checkpoint_upload_failed")
        fake.fail_put_names = set()
        assert store.commit(3, folder) is True
        (committed,) = fake.committed_checkpoints()
        assert committed["step"] == 3 and set(committed["files"]) == {
            "adapter_model.safetensors", "optimizer.pt", "trainer_state.json"}
        assert fake.blobs[committed["files"]["optimizer.pt"]] == (folder / "optimizer.pt").read_bytes()
        # A redone step whose checkpoint is already durable: nothing to upload, not a failure.
        fake.forced_errors = {"trainerRequestCheckpointUpload": "CHECKPOINT_EXISTS"}
        puts = len(fake.puts_started)
        assert store.commit(3, folder) is True and len(fake.puts_started) == puts
        assert len(events.events) == 1


def test_uploads_run_in_the_background_one_at_a_time_and_errors_reach_the_training_thread(tmp_path):
    import time

    from brightrun_trainer.api.graphql import JobTerminalError

    folders = []
    for step in (3, 6):
        folder = tmp_path / f"checkpoint-{step}"
        folder.mkdir()
        (folder / "optimizer.pt").write_bytes(b"x" * 1000 * step)
        (folder / "trainer_state.json").write_text("{}")
        folders.append(folder)
    with FakeBrightRun() as fake:
        api = TrainerApi(GraphQLClient(fake.graphql_url, fake.token), fake.job_id)
        store = RemoteCheckpointStore(api, Events(), log=lambda line: None)
        fake.slow_put_names, fake.slow_put_seconds = {"optimizer.pt"}, 1.0
        started = time.monotonic()
        store.commit_async(3, folders[0])
        assert time.monotonic() - started < 0.5 and store.in_flight == 3  # training is not held up
        assert store.wait(0.05) is False and fake.committed_checkpoints() == []
        store.commit_async(6, folders[1])  # waits for checkpoint 3 first
        assert [c["step"] for c in fake.committed_checkpoints()] == [3]
        assert store.wait(10) is True and store.in_flight is None
        assert [c["step"] for c in fake.committed_checkpoints()] == [3, 6]
        # The job ended on the server during an upload: the training thread hears of it once.
        fake.slow_put_names = set()
        fake.forced_errors = {"trainerRequestCheckpointUpload": "JOB_TERMINAL"}
        store.commit_async(9, folders[0])
        with pytest.raises(JobTerminalError):
            store.wait(10)
        assert store.wait(0) is True
        # SIGTERM's drain never raises and is bounded.
        fake.forced_errors = {}
        fake.slow_put_names, fake.slow_put_seconds = {"optimizer.pt"}, 3.0
        store.commit_async(12, folders[1])
        started = time.monotonic()
        assert store.drain(0.2) is False and time.monotonic() - started < 1.0


class Control:
    should_save = False


class NoUploads:
    def wait(self, timeout=None):
        return True


class State:
    def __init__(self, step, max_steps=1000):
        self.global_step, self.max_steps = step, max_steps


def test_checkpoint_interval_is_fixed_or_chosen_from_step_time():
    fixed = CheckpointCallback(store=NoUploads(), every_steps=5, reporter=Events())
    fixed.on_train_begin(None, State(0), Control())
    saves = []
    for step in range(1, 16):
        control = Control()
        fixed.on_step_end(None, State(step, max_steps=15), control)
        saves += [step] if control.should_save else []
    assert saves == [5, 10]  # never at the last step: the adapter follows

    events = Events()
    auto = CheckpointCallback(store=NoUploads(), every_steps=None, reporter=events)
    auto.on_train_begin(None, State(0), Control())
    auto._durations = [2.0] * 10  # two seconds a step → 300 steps is ten minutes of work
    control = Control()
    auto.on_step_end(None, State(300), control)
    assert auto.auto_interval == 300 and control.should_save
    assert events.events and events.events[0][1] == "checkpoint_interval"


def test_trainer_endpoint_maps_every_documented_form_to_the_trainer_endpoint():
    from brightrun_trainer.api.graphql import trainer_endpoint

    assert trainer_endpoint("https://b.example/trainer/graphql") == "https://b.example/trainer/graphql"
    assert trainer_endpoint("https://b.example/trainer/graphql/") == "https://b.example/trainer/graphql/"
    # Pods launched before API v1 were given the public endpoint or the bare server URL.
    assert trainer_endpoint("https://b.example/graphql") == "https://b.example/trainer/graphql"
    assert trainer_endpoint("https://b.example/") == "https://b.example/trainer/graphql"
    assert trainer_endpoint("http://127.0.0.1:4000") == "http://127.0.0.1:4000/trainer/graphql"
    # A prefix path and a query string survive.
    assert trainer_endpoint("https://b.example/api/graphql?x=1") == "https://b.example/api/trainer/graphql?x=1"
