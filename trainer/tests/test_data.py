"""From v4 files to token ids: the quirks, the labels, the split, truncation and packing."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from brightrun_trainer.config import Hyperparameters
from brightrun_trainer.data.dataset_file import HistoryTurn, TrainingPair, load_pairs
from brightrun_trainer.data.examples import (
    IGNORE_INDEX, Collator, Sequence, conversation_layout, encode_pair, encode_sequences, pair_to_messages, per_pair,
    prepare, split_by_conversation)
from brightrun_trainer.errors import BadDataError, ConfigError


def test_both_encodings_give_the_same_trainable_pairs(sample_json, sample_jsonl, tokenizer):
    full = load_pairs(sample_json, "JSON")
    lines = load_pairs(sample_jsonl, "JSONL")
    assert len(full) == len(lines) == 44  # 89 pairs, 44 with a target
    # Pair ids differ (the full file's lack the uuid suffix, so they are not even unique there):
    # pairs are identified by (conversation uuid, turn) instead.
    assert len({p.pair_id for p in full}) < 44
    assert {p.key: replace(p, pair_id="") for p in full} == {p.key: replace(p, pair_id="") for p in lines}
    by_key = {p.key: p for p in lines}
    for pair in full:
        a = encode_pair(tokenizer, pair, 512)
        b = encode_pair(tokenizer, by_key[pair.key], 512)
        assert (a.input_ids, a.labels) == (b.input_ids, b.labels)
    # The encoding can also be told from the content.
    assert load_pairs(sample_json) == full and load_pairs(sample_jsonl) == lines


def test_a_bom_and_crlf_line_ends_are_accepted(sample_jsonl, tmp_path):
    windows = tmp_path / "windows.jsonl"
    windows.write_bytes(b"\xef\xbb\xbf" + sample_jsonl.read_bytes().replace(b"\n", b"\r\n"))
    assert load_pairs(windows) == load_pairs(sample_jsonl)


def test_full_json_uses_the_conversation_uuid_not_the_template_name(sample_json):
    raw = json.loads(sample_json.read_text())
    template_named = [p["conversation_id"] for c in raw["conversations"] for p in c["training_pairs"]]
    assert "educational" in template_named  # the quirk is really in the sample
    pairs = load_pairs(sample_json)
    uuids = {c["conversation_metadata"]["conversation_id"] for c in raw["conversations"]}
    assert {p.conversation_id for p in pairs} == uuids


def test_the_duplicated_trailing_user_turn_is_dropped(sample_json):
    pair = next(p for p in load_pairs(sample_json) if p.turn_number == 4)
    assert pair.history[-1].role == "user" and pair.history[-1].content == pair.current_user_input
    messages = pair_to_messages(pair)
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "assistant"]
    assert messages[-2]["content"] == pair.current_user_input
    assert messages[-1]["content"] == pair.target_response
    for before, after in zip(messages, messages[1:]):
        assert not (before["role"] == after["role"] == "user")


def test_a_history_not_ending_with_the_current_input_is_kept_whole():
    pair = TrainingPair("c1", 4, "p", "Be kind.", (HistoryTurn("user", "Hi"), HistoryTurn("assistant", "Hello")),
                        "How are you?", "Well, thanks.")
    assert [m["content"] for m in pair_to_messages(pair)] == ["Be kind.", "Hi", "Hello", "How are you?",
                                                               "Well, thanks."]


def test_loss_is_on_the_assistant_reply_only(sample_json, tokenizer):
    pair = load_pairs(sample_json)[5]
    example = encode_pair(tokenizer, pair, 100_000)
    assert not example.truncated
    first = next(i for i, label in enumerate(example.labels) if label != IGNORE_INDEX)
    assert all(label == IGNORE_INDEX for label in example.labels[:first])
    assert example.labels[first:] == example.input_ids[first:]
    assert tokenizer.decode(example.labels[first:]) == pair.target_response + "<|eot_id|>"
    prompt = tokenizer.decode(example.input_ids[:first])
    assert prompt.endswith("<|start_header_id|>assistant<|end_header_id|>\n\n")
    assert prompt.count(pair.current_user_input) == 1  # the duplicate is gone


def test_split_is_by_conversation_seeded_and_counted(sample_json, tokenizer):
    pairs = load_pairs(sample_json)
    train, evaluation = split_by_conversation(pairs, 0.25, seed=7)
    train_ids = {p.conversation_id for p in train}
    eval_ids = {p.conversation_id for p in evaluation}
    assert not train_ids & eval_ids
    assert len(eval_ids) == 3 and len(train_ids) == 9 and len(train) + len(evaluation) == 44
    assert split_by_conversation(pairs, 0.25, seed=7) == (train, evaluation)
    assert any(split_by_conversation(pairs, 0.25, seed=s)[1] != evaluation for s in range(8, 12))
    assert split_by_conversation(pairs, 0.0, seed=7) == (pairs, [])
    data = prepare(pairs, tokenizer, max_length=256, validation_share=0.1, seed=1, packing=False)
    assert (data.train_examples, data.eval_examples) == (40, 4)
    assert data.truncated_examples == data.sequences == 44  # every reply is longer than 256 bytes
    assert not set(data.train_conversations) & set(data.eval_conversations)


def test_bad_files_get_errors_that_name_the_problem(tmp_path):
    wrong_format = tmp_path / "a.json"
    wrong_format.write_text(json.dumps({"training_file_metadata": {"format_spec": "alpaca"}, "conversations": []}))
    with pytest.raises(BadDataError, match="format_spec"):
        load_pairs(wrong_format)
    broken_line = tmp_path / "b.jsonl"
    broken_line.write_text('{"_meta": {}}\n{"id": 1,\n')
    with pytest.raises(BadDataError, match="Line 2"):
        load_pairs(broken_line, "JSONL")
    no_target = tmp_path / "c.jsonl"
    no_target.write_text(json.dumps({"conversation_id": "x", "turn_number": 1, "target_response": None}) + "\n")
    with pytest.raises(BadDataError, match="no trainable pairs"):
        load_pairs(no_target)
    missing_input = tmp_path / "d.jsonl"
    missing_input.write_text(json.dumps({"conversation_id": "x", "turn_number": 2, "system_prompt": "",
                                         "target_response": "Hi"}) + "\n")
    with pytest.raises(BadDataError, match="current_user_input"):
        load_pairs(missing_input)


def test_hyperparameters_are_checked_and_read_from_the_contract():
    with pytest.raises(ConfigError, match="loraRank"):
        Hyperparameters(lora_rank=0)
    with pytest.raises(ConfigError, match="validationShare"):
        Hyperparameters(validation_share=0.9)
    hp = Hyperparameters.from_graphql({"loraRank": 8, "learningRate": 1e-4, "quantization": "nf4",
                                       "gradientCheckpointing": None, "maxSteps": 10})
    assert (hp.lora_rank, hp.learning_rate, hp.quantization, hp.gradient_checkpointing, hp.max_steps) == \
        (8, 1e-4, "NF4", None, 10)
