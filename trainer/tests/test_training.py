"""Real optimizer steps on the sample with tiny-llama: loss falls, the adapter reloads, resume is exact."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from transformers import TrainerCallback

from brightrun_trainer.console import ConsoleReporter
from brightrun_trainer.local_mode import LocalOptions, run_local

STEPS = 32
CHECKPOINT_EVERY = 10
INTERRUPT_AFTER = 20
OVERRIDES = {"max_sequence_length": 256, "validation_share": 0.1, "seed": 11}


def options(sample: Path, output: Path, resume: bool = False) -> LocalOptions:
    return LocalOptions(dataset=sample, output=output, preset="aggressive", max_steps=STEPS,
                        checkpoint_every=CHECKPOINT_EVERY, resume=resume, overrides=dict(OVERRIDES))


class Recorder(ConsoleReporter):
    def __init__(self):
        super().__init__(quiet_metrics=True)
        self.points: list[dict] = []
        self.events: list[tuple[str, str, str]] = []

    def metric(self, point):
        self.points.append(point)

    def event(self, level, kind, message):
        self.events.append((level, kind, message))


class SimulatedCrash(Exception):
    pass


class CrashAfterCheckpoint(TrainerCallback):
    """Dies right after checkpoint N is committed, as a preempted pod would."""

    def __init__(self, step: int):
        self.step = step

    def on_save(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            raise SimulatedCrash()


@pytest.fixture(scope="module")
def uninterrupted(sample_json, tmp_path_factory, performance_log):
    output = tmp_path_factory.mktemp("uninterrupted")
    recorder = Recorder()
    started = time.perf_counter()
    result = run_local(options(sample_json, output), reporter=recorder)
    elapsed = time.perf_counter() - started
    performance_log(f"tiny-llama, {STEPS} steps at batch 4 × seq 256: {result.steps_per_second:.2f} steps/s "
                    f"({result.summary['tokensPerSecond']:.0f} tokens/s) in training, {elapsed:.1f} s in all")
    return result, recorder, output


def test_loss_falls_over_real_steps(uninterrupted):
    result, recorder, _ = uninterrupted
    train = [p for p in recorder.points if p["split"] == "TRAIN"]
    assert [p["step"] for p in train] == list(range(1, STEPS + 1))
    losses = [p["loss"] for p in train]
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    assert last < first - 0.1, (first, last)
    assert all(p["learningRate"] is not None and p["gradNorm"] > 0 and p["tokensPerSecond"] > 0 for p in train)
    evals = [p for p in recorder.points if p["split"] == "EVAL"]
    assert evals and evals[-1]["step"] == STEPS and evals[-1]["perplexity"] == pytest.approx(
        2.718281828 ** evals[-1]["loss"], rel=1e-6)
    assert result.summary["totalSteps"] == STEPS and result.summary["finalLoss"] == losses[-1]


def test_schedule_is_cosine_with_ceil_warmup(uninterrupted):
    _, recorder, _ = uninterrupted
    rates = [p["learningRate"] for p in recorder.points if p["split"] == "TRAIN"]
    warmup = 1  # ceil(0.03 × 32)
    peak = 5e-4
    assert rates[0] == 0.0 and rates[warmup] == pytest.approx(peak)
    assert all(a >= b for a, b in zip(rates[warmup:], rates[warmup + 1:]))
    assert rates[-1] < peak * 0.01


def test_outputs_are_peft_files_and_logs(uninterrupted):
    result, _, output = uninterrupted
    names = sorted(path.name for path in result.files)
    assert names == ["adapter_config.json", "adapter_model.safetensors", "metrics_summary.json",
                     "training_log.jsonl"]
    config = json.loads((output / "adapter_config.json").read_text())
    assert config["r"] == 32 and config["lora_alpha"] == 64 and config["peft_type"] == "LORA"
    assert set(config["target_modules"]) == {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                             "down_proj"}
    log = [json.loads(line) for line in (output / "training_log.jsonl").read_text().splitlines()]
    assert sum(entry["split"] == "TRAIN" for entry in log) == STEPS
    summary = json.loads((output / "metrics_summary.json").read_text())
    assert summary["trainExamples"] + summary["evalExamples"] == 44 and summary["truncatedExamples"] == 44
    assert summary["initialLoss"] > summary["finalLoss"]


def test_adapter_reloads_onto_the_same_base_and_reproduces_logits(uninterrupted, tokenizer):
    import torch
    from peft import PeftModel

    from brightrun_trainer.tiny_llama import build_model

    result, _, output = uninterrupted
    trained = result.model.eval()
    reloaded = PeftModel.from_pretrained(build_model(tokenizer), str(output)).eval()
    input_ids = torch.tensor([result.data.train[0]["input_ids"][:128]])
    with torch.no_grad():
        expected = trained(input_ids=input_ids).logits
        actual = reloaded(input_ids=input_ids).logits
        bare = reloaded.get_base_model()
        with reloaded.disable_adapter():
            base_only = bare(input_ids=input_ids).logits
    torch.testing.assert_close(actual, expected, rtol=1e-5, atol=1e-5)
    assert (actual - base_only).abs().max() > 1e-3  # the adapter really changes the model


def test_resume_after_interruption_matches_an_uninterrupted_run(uninterrupted, sample_json, tmp_path):
    import torch
    from safetensors.torch import load_file

    result, _, reference_dir = uninterrupted
    with pytest.raises(SimulatedCrash):
        run_local(options(sample_json, tmp_path), reporter=Recorder(),
                  extra_callbacks=[CrashAfterCheckpoint(INTERRUPT_AFTER)])
    latest = json.loads((tmp_path / "checkpoints" / "latest.json").read_text())
    assert latest["step"] == INTERRUPT_AFTER

    recorder = Recorder()
    resumed = run_local(options(sample_json, tmp_path, resume=True), reporter=recorder)
    sent_steps = [p["step"] for p in recorder.points if p["split"] == "TRAIN"]
    assert sent_steps == list(range(INTERRUPT_AFTER + 1, STEPS + 1))  # same global step, same schedule
    assert resumed.global_step == STEPS
    assert resumed.summary["finalLoss"] == pytest.approx(result.summary["finalLoss"], rel=1e-5)
    assert resumed.summary["evalLoss"] == pytest.approx(result.summary["evalLoss"], rel=1e-5)
    assert resumed.summary["initialLoss"] == result.summary["initialLoss"]  # carried in the checkpoint
    reference = load_file(str(reference_dir / "adapter_model.safetensors"))
    weights = load_file(str(tmp_path / "adapter_model.safetensors"))
    assert reference.keys() == weights.keys()
    for name in reference:
        torch.testing.assert_close(weights[name], reference[name], rtol=1e-5, atol=1e-7)


def test_accumulation_checkpointing_and_the_step_plan_agree_with_the_trainer(sample_jsonl, tmp_path):
    from brightrun_trainer.config import preset
    from brightrun_trainer.training import plan_steps

    overrides = {"gradient_accumulation_steps": 3, "epochs": 1, "max_sequence_length": 64,
                 "gradient_checkpointing": True, "validation_share": 0.0}
    recorder = Recorder()
    result = run_local(LocalOptions(dataset=sample_jsonl, output=tmp_path, preset="conservative",
                                    overrides=overrides), reporter=recorder)
    total, per_epoch, epochs = plan_steps(preset("conservative", **overrides), len(result.data.train))
    # At 64 tokens every reply is its own sequence: 44 → 11 batches of 4 → 4 steps of 3.
    assert len(result.data.train) == 44 and (total, per_epoch, epochs) == (4, 4, 1)
    assert result.global_step == total and result.summary["evalExamples"] == 0
    assert [p["step"] for p in recorder.points] == [1, 2, 3, 4]  # no eval split, no EVAL points
    assert ("INFO", "gradient_checkpointing", "gradient checkpointing on as the job asks") in recorder.events
    assert result.model.base_model.model.is_activation_checkpointing


def test_a_local_model_path_loads_through_the_hugging_face_classes(sample_jsonl, tmp_path, tokenizer):
    from brightrun_trainer.tiny_llama import build_model

    model_dir = tmp_path / "base"
    build_model(tokenizer).save_pretrained(str(model_dir))
    tokenizer.save_pretrained(str(model_dir))
    recorder = Recorder()
    result = run_local(LocalOptions(dataset=sample_jsonl, output=tmp_path / "out", base_model=str(model_dir),
                                    max_steps=3, overrides={"max_sequence_length": 64, "quantization": "NF4"}),
                       reporter=recorder)
    assert result.global_step == 3 and (tmp_path / "out" / "adapter_model.safetensors").exists()
    assert any(kind == "quantization_skipped" for _, kind, _ in recorder.events)  # no CUDA here


def losses_of(dataset: Path, output: Path, **overrides) -> tuple[list[float], Recorder]:
    recorder = Recorder()
    run_local(LocalOptions(dataset=dataset, output=output, preset="aggressive", max_steps=6,
                           overrides={"max_sequence_length": 512, "validation_share": 0.0, "seed": 5,
                                      "lora_dropout": 0.0, **overrides}), reporter=recorder)
    return [p["loss"] for p in recorder.points if p["split"] == "TRAIN"], recorder


def test_padding_free_training_has_the_loss_of_padded_training(tmp_path, tokenizer, monkeypatch):
    from conftest import write_short_conversations

    from brightrun_trainer import kernels

    from brightrun_trainer.data.dataset_file import load_pairs
    from brightrun_trainer.data.examples import prepare

    dataset = write_short_conversations(tmp_path / "short.jsonl")
    data = prepare(load_pairs(dataset), tokenizer, max_length=512, validation_share=0.0, seed=5)
    assert len({len(f["input_ids"]) for f in data.train}) > 4  # batches of these really pad
    # Same examples in the same order; no LoRA dropout, whose random masks depend on the batch's shape.
    padded, recorder = losses_of(dataset, tmp_path / "padded", packing=True)
    kinds = {kind: message for _, kind, message in recorder.events}
    assert "padded batches (padding-free ones need FlashAttention-2" in kinds["kernels"]  # SDPA here
    # Padding-free as with FlashAttention-2 (here through SDPA's block-diagonal mask).
    monkeypatch.setattr(kernels, "padding_free", lambda attention: True)
    packed, recorder = losses_of(dataset, tmp_path / "packed", packing=True)
    assert "padding-free batches (varlen)" in {kind: m for _, kind, m in recorder.events}["kernels"]
    assert len(padded) == len(packed) == 6
    assert packed == pytest.approx(padded, rel=1e-4)


def test_the_run_reports_its_layout_and_the_pairs_layout_is_one_sequence_per_pair(tmp_path):
    from conftest import write_short_conversations

    dataset = write_short_conversations(tmp_path / "short.jsonl")
    _, conversations = losses_of(dataset, tmp_path / "conversations", max_sequence_length=4096)
    _, pairs = losses_of(dataset, tmp_path / "pairs", max_sequence_length=4096, example_layout="pairs")
    events = {kind: message for _, kind, message in conversations.events}
    assert events["example_layout"].startswith("One sequence per conversation: the 8 conversations")
    assert "24 training pairs from 8 conversations in 8 sequences" in events["dataset_prepared"]
    assert "in 24 sequences" in {kind: m for _, kind, m in pairs.events}["dataset_prepared"]


def test_a_run_on_a_file_that_breaks_the_prefix_check_says_it_fell_back(sample_jsonl, tmp_path):
    from test_layout import break_one_history

    broken, conversation_id = break_one_history(sample_jsonl, tmp_path)
    recorder = Recorder()
    result = run_local(LocalOptions(dataset=broken, output=tmp_path / "out", max_steps=1,
                                    overrides={"max_sequence_length": 64, "validation_share": 0.0}), reporter=recorder)
    assert result.global_step == 1
    (message,) = [m for _, kind, m in recorder.events if kind == "example_layout"]
    assert message.startswith("One sequence per conversation for 11 of 12 conversations; per-pair examples for "
                              "the other 1") and conversation_id in message
