"""One sequence per conversation, its fallback, truncation that keeps the system prompt, padding-free batches."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from brightrun_trainer.data.dataset_file import HistoryTurn, TrainingPair, load_pairs
from brightrun_trainer.data.examples import (
    IGNORE_INDEX, Collator, Sequence, conversation_layout, encode_pair, encode_sequences, pair_to_messages, per_pair,
    prepare)

UNLIMITED = 10**9


def by_conversation(pairs):
    grouped: dict[str, list[TrainingPair]] = {}
    for pair in pairs:
        grouped.setdefault(pair.conversation_id, []).append(pair)
    return grouped


def test_the_sample_is_one_sequence_per_conversation_with_every_reply_labelled(sample_json, tokenizer):
    pairs = load_pairs(sample_json)
    layout = conversation_layout(pairs)
    assert layout.fallback == [] and layout.conversations == len(layout.sequences) == 12
    assert sum(len(s.trainable) for s in layout.sequences) == 44
    conversations = encode_sequences(tokenizer, layout.sequences, UNLIMITED)
    alone = encode_sequences(tokenizer, per_pair(pairs), UNLIMITED)
    # The labelled tokens are exactly the per-pair replies, in turn order.
    replies = {example.key: [t for t in example.labels if t != IGNORE_INDEX] for example in alone}
    for example in conversations:
        assert [t for t in example.labels if t != IGNORE_INDEX] == sum((replies[k] for k in example.keys), [])
        assert not example.truncated
    # What the history costs: the per-pair layout re-reads it once per pair.
    pair_tokens = sum(len(e.input_ids) for e in alone)
    conversation_tokens = sum(len(e.input_ids) for e in conversations)
    assert 2.3 < pair_tokens / conversation_tokens < 2.5


def token_losses(model, example):
    """Sum and count of the per-token cross-entropy over the labelled tokens of one example."""
    import torch

    ids = torch.tensor([example.input_ids])
    labels = torch.tensor([example.labels])
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0, :-1].double()
    targets = labels[0, 1:]
    mask = targets != IGNORE_INDEX
    loss = torch.nn.functional.cross_entropy(logits[mask], targets[mask], reduction="sum")
    return float(loss), int(mask.sum())


def test_a_conversation_sequence_has_the_loss_of_its_pairs(sample_json, tokenizer):
    from brightrun_trainer.tiny_llama import build_model

    model = build_model(tokenizer).eval()
    pairs = load_pairs(sample_json)
    layout = conversation_layout(pairs)
    for sequence in layout.sequences[:3]:
        members = [p for p in pairs if p.key in sequence.keys]
        assert len(members) >= 3
        conversation = encode_sequences(tokenizer, [sequence], UNLIMITED)[0]
        total, count = token_losses(model, conversation)
        separate = [token_losses(model, encode_pair(tokenizer, pair, UNLIMITED)) for pair in members]
        assert count == sum(n for _, n in separate)
        assert total == pytest.approx(sum(loss for loss, _ in separate), rel=1e-5)


def test_assistant_turns_that_are_not_trainable_stay_in_context_without_loss(tokenizer):
    system = "Be kind."
    turns = (HistoryTurn("user", "Hi"), HistoryTurn("assistant", "REJECTED reply"), HistoryTurn("user", "Again?"))
    # Turn 2's pair is not trainable (null target or rejected): only turns 4 and 6 are pairs.
    four = TrainingPair("c", 4, "p4", system, turns, "Again?", "Yes, again.")
    six = TrainingPair("c", 6, "p6", system, turns + (HistoryTurn("assistant", "Yes, again."),
                                                      HistoryTurn("user", "Bye")), "Bye", "Goodbye.")
    layout = conversation_layout([six, four])
    assert layout.fallback == [] and len(layout.sequences) == 1
    example = encode_sequences(tokenizer, layout.sequences, UNLIMITED)[0]
    text = tokenizer.decode(example.input_ids)
    labelled = tokenizer.decode([t for t in example.labels if t != IGNORE_INDEX])
    assert "REJECTED reply" in text and "REJECTED" not in labelled
    assert labelled == "Yes, again.<|eot_id|>Goodbye.<|eot_id|>"
    assert example.keys == [("c", 4), ("c", 6)]


def break_one_history(sample_jsonl, tmp_path):
    """A copy of the sample where one pair's history misquotes an earlier reply."""
    lines = sample_jsonl.read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    target = next(i for i, row in enumerate(rows) if "_meta" not in row and row["turn_number"] == 6)
    history = rows[target]["conversation_history"]
    assistant = next(turn for turn in history if turn["role"] == "assistant")
    assistant["content"] = "Something the assistant never said."
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return broken, rows[target]["conversation_id"]


def test_a_conversation_that_breaks_the_prefix_check_falls_back_to_pairs(sample_jsonl, tmp_path, tokenizer):
    broken, conversation_id = break_one_history(sample_jsonl, tmp_path)
    pairs = load_pairs(broken)
    layout = conversation_layout(pairs)
    assert [c for c, _ in layout.fallback] == [conversation_id]
    assert layout.conversations == 11
    members = [p for p in pairs if p.conversation_id == conversation_id]
    fallback = [s for s in layout.sequences if s.keys[0][0] == conversation_id]
    assert len(fallback) == len(members) and all(len(s.trainable) == 1 for s in fallback)
    message = layout.describe(12)
    assert "11 of 12" in message and conversation_id in message and "turn 6" in message
    data = prepare(pairs, tokenizer, max_length=UNLIMITED, validation_share=0.0, seed=1)
    assert data.layout_message == message and len(data.train) == 11 + len(members)
    assert data.train_examples == 44


def test_the_pairs_layout_is_one_example_per_pair(sample_json, tokenizer):
    pairs = load_pairs(sample_json)
    data = prepare(pairs, tokenizer, max_length=UNLIMITED, validation_share=0.0, seed=1, layout="pairs")
    assert len(data.train) == 44 and "Per-pair" in data.layout_message


def render(tokenizer, messages):
    return tokenizer.apply_chat_template(messages, tokenize=False)


def test_truncation_keeps_the_system_prompt_and_drops_the_oldest_messages_whole(sample_json, tokenizer):
    pair = max(load_pairs(sample_json), key=lambda p: p.turn_number)
    messages = pair_to_messages(pair)
    assert [m["role"] for m in messages][:3] == ["system", "user", "assistant"] and len(messages) == 9
    full = encode_pair(tokenizer, pair, UNLIMITED)
    # Room for the system prompt and the last four messages, not for the fifth-last.
    fits = len(tokenizer(render(tokenizer, [messages[0]] + messages[-4:]), add_special_tokens=False)["input_ids"])
    cut = encode_pair(tokenizer, pair, fits + 100)
    assert cut.truncated and len(cut.input_ids) == fits < len(full.input_ids)
    text = tokenizer.decode(cut.input_ids)
    assert text == render(tokenizer, [messages[0]] + messages[-4:])  # whole messages only
    assert text.startswith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" + pair.system_prompt)
    assert [t for t in cut.labels if t != IGNORE_INDEX] == [t for t in full.labels if t != IGNORE_INDEX]


def test_a_long_conversation_becomes_windows_that_each_keep_the_system_prompt(sample_json, tokenizer):
    pairs = load_pairs(sample_json)
    sequence = max(conversation_layout(pairs).sequences, key=lambda s: len(s.messages))
    whole = encode_sequences(tokenizer, [sequence], UNLIMITED)[0]
    windows = encode_sequences(tokenizer, [sequence], len(whole.input_ids) // 2)
    assert len(windows) >= 2 and all(len(w.input_ids) <= len(whole.input_ids) // 2 for w in windows)
    system = render(tokenizer, sequence.messages[:1])
    for window in windows:
        assert tokenizer.decode(window.input_ids).startswith(system)
    # Every reply is trained exactly once across the windows, in order.
    assert sum((w.keys for w in windows), []) == sequence.keys
    assert sum(([t for t in w.labels if t != IGNORE_INDEX] for w in windows), []) == \
        [t for t in whole.labels if t != IGNORE_INDEX]
    assert not windows[0].truncated and all(w.truncated for w in windows[1:])


def test_only_a_turn_too_long_for_the_window_is_cut_inside(sample_json, tokenizer):
    pair = max(load_pairs(sample_json), key=lambda p: p.turn_number)
    full = encode_pair(tokenizer, pair, UNLIMITED)
    reply = [t for t in full.labels if t != IGNORE_INDEX]
    # Shorter than system + last user message + reply: the context loses its start, the system stays.
    messages = pair_to_messages(pair)
    head = len(tokenizer(render(tokenizer, messages[:1]), add_special_tokens=False)["input_ids"])
    window = encode_pair(tokenizer, replace(pair, history=()), UNLIMITED)  # system, last user, reply
    keep = len(window.input_ids) - len(reply) - 50
    assert head <= keep * 3 // 4
    max_length = keep + len(reply)
    cut = encode_pair(tokenizer, pair, max_length)
    assert cut.truncated and len(cut.input_ids) == max_length
    assert [t for t in cut.labels if t != IGNORE_INDEX] == reply
    assert tokenizer.decode(cut.input_ids).startswith(render(tokenizer, pair_to_messages(pair)[:1]))
    # A reply longer than the window keeps its beginning and a quarter of the window of context.
    short = encode_pair(tokenizer, pair, 128)
    assert len(short.input_ids) == 128 and sum(t != IGNORE_INDEX for t in short.labels) == 128 - 32


def test_padding_free_batches_give_the_padded_batches_logits_and_loss(sample_json, tokenizer):
    import torch

    from brightrun_trainer.tiny_llama import build_model

    examples = encode_sequences(tokenizer, per_pair(load_pairs(sample_json)[:4]), 300)
    for example in examples[::2]:  # mixed lengths, so the padded batch really pads
        del example.input_ids[200:], example.labels[200:]
    features = [e.as_features() for e in examples]
    model = build_model(tokenizer).eval()
    model.config.use_cache = False  # as in training: packed sequences are only detected without a cache
    flat = Collator(tokenizer.pad_token_id, packing=True)(features)
    padded = Collator(tokenizer.pad_token_id, packing=False)(features)
    assert flat["input_ids"].shape == (1, sum(len(e.input_ids) for e in examples))
    assert int((padded["attention_mask"] == 0).sum()) > 0
    with torch.no_grad():
        flat_out = model(**flat)
        padded_out = model(**padded)
    offset = 0
    for row, example in enumerate(examples):
        n = len(example.input_ids)
        torch.testing.assert_close(flat_out.logits[0, offset:offset + n], padded_out.logits[row, :n],
                                   rtol=1e-4, atol=1e-4)
        offset += n
    assert float(flat_out.loss) == pytest.approx(float(padded_out.loss), rel=1e-5)
