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


def test_gradient_checkpointing_follows_the_memory_estimate():
    llama_8b = dict(parameters=8_030_000_000, hidden_size=4096, layers=32, vocab_size=128_256,
                    sequence_length=2048, quantized=False)
    h100 = 80 * 10**9
    use, why = memory.decide_checkpointing(None, device_memory=h100, batch_size=4, **llama_8b)
    assert use is False and "GiB" in why  # measured: fits, and 1.43× faster without
    assert memory.decide_checkpointing(None, device_memory=h100, batch_size=16, **llama_8b)[0] is True
    assert memory.decide_checkpointing(None, device_memory=24 * 10**9, batch_size=4,
                                       **{**llama_8b, "quantized": True})[0] is True
    assert memory.decide_checkpointing(True, device_memory=h100, batch_size=1, **llama_8b)[0] is True
    assert memory.decide_checkpointing(None, device_memory=None, batch_size=64, **llama_8b)[0] is False


class Control:
    should_save = False


class State:
    def __init__(self, step, max_steps=1000):
        self.global_step, self.max_steps = step, max_steps


def test_checkpoint_interval_is_fixed_or_chosen_from_step_time():
    fixed = CheckpointCallback(store=None, every_steps=5, reporter=Events())
    fixed.on_train_begin(None, State(0), Control())
    saves = []
    for step in range(1, 16):
        control = Control()
        fixed.on_step_end(None, State(step, max_steps=15), control)
        saves += [step] if control.should_save else []
    assert saves == [5, 10]  # never at the last step: the adapter follows

    events = Events()
    auto = CheckpointCallback(store=None, every_steps=None, reporter=events)
    auto.on_train_begin(None, State(0), Control())
    auto._durations = [2.0] * 10  # two seconds a step → 300 steps is ten minutes of work
    control = Control()
    auto.on_step_end(None, State(300), control)
    assert auto.auto_interval == 300 and control.should_save
    assert events.events and events.events[0][1] == "checkpoint_interval"
