"""The memory plan that decides gradient checkpointing, checked against the measured H200 figures.

The cases live in memory_cases.json, which the server's estimate test reads too, so the two
models cannot drift apart.
"""

from __future__ import annotations

import json

import pytest

from brightrun_trainer import memory
from conftest import TRAINER_DIR

CASES = json.loads((TRAINER_DIR / "tests" / "memory_cases.json").read_text())["cases"]


def shape(case: dict) -> dict:
    a = case["model"]
    d, i, kv = a["hiddenSize"], a["intermediateSize"], a["kvDim"]
    # LoRA on q, k, v, o, gate, up, down: rank × (inputs + outputs) each.
    adapter = a["layers"] * case["loraRank"] * (9 * d + 2 * kv + 3 * i)
    return dict(parameters=a["parameters"], hidden_size=d, intermediate_size=i, layers=a["layers"],
                vocab_size=a["vocabSize"], batch_size=case["batchSize"], sequence_length=case["sequenceLength"],
                quantized=case["quantization"] == "NF4", adapter_parameters=adapter)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_plan_matches_the_shared_cases(case):
    plan = memory.plan(**shape(case))
    planned = {"withoutCheckpointing": plan.peak(False) / memory.GB, "withCheckpointing": plan.peak(True) / memory.GB}
    for key, value in case["plannedGb"].items():
        assert planned[key] == pytest.approx(value, abs=0.05), key
    for key, measured in case.get("measuredGb", {}).items():
        assert abs(planned[key] - measured) / measured < 0.1, (key, planned[key], measured)
    for gpu_gb, expected in case["checkpointsOnGpuGb"].items():
        use, why = memory.decide_checkpointing(None, device_memory=int(gpu_gb) * 10**9, **shape(case))
        assert use is expected, why


def test_an_80_gb_gpu_checkpoints_the_measured_8b_case_and_says_why():
    case = CASES[0]
    use, why = memory.decide_checkpointing(None, device_memory=80 * 10**9, **shape(case))
    # Measured: 90 GB without checkpointing does not fit 80 GB; 29 GB with it does.
    assert use is True
    assert "88.9 GB > 72.0 GB" in why and "with it 30.7 GB" in why
    use, why = memory.decide_checkpointing(None, device_memory=141 * 10**9, **shape(case))
    assert use is False and "≤ 126.9 GB" in why
    assert memory.decide_checkpointing(True, device_memory=141 * 10**9, **shape(case)) == \
        (True, "gradient checkpointing on as the job asks")
    assert memory.decide_checkpointing(None, device_memory=None, **shape(case))[0] is False


def test_a_fused_loss_drops_the_logits_from_the_plan():
    plain = memory.plan(**shape(CASES[0]))
    fused = memory.plan(**shape(CASES[0]), fused_loss=True)
    assert plain.logits == 4 * 2048 * 128_256 * 8 and fused.logits == 0
    assert plain.peak(False) - fused.peak(False) == plain.logits


def test_lora_parameters_are_counted_from_the_model(tokenizer):
    from brightrun_trainer.tiny_llama import TINY_CONFIG, build_model

    model = build_model(tokenizer)
    d, i, layers = TINY_CONFIG["hidden_size"], TINY_CONFIG["intermediate_size"], TINY_CONFIG["num_hidden_layers"]
    seven = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    assert memory.lora_parameter_count(model, seven, 8) == layers * 8 * (9 * d + 2 * d + 3 * i)  # kv = d here
    assert memory.lora_parameter_count(model, ["q_proj"], 4) == layers * 4 * 2 * d
