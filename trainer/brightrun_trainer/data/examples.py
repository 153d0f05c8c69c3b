"""From training pairs to token ids and labels: chat messages, the split, truncation, packing.

The loss is computed on the assistant's reply only: every token the chat template renders
before the reply is labelled -100.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..errors import BadDataError
from .dataset_file import TrainingPair

IGNORE_INDEX = -100


def pair_to_messages(pair: TrainingPair) -> list[dict]:
    """System prompt, history, current input, then the target as the assistant's reply.

    In real files the history already ends with the user message that `current_user_input`
    repeats; that trailing copy is dropped so the user does not speak twice.
    """
    history = list(pair.history)
    if history and history[-1].role == "user" and history[-1].content.strip() == pair.current_user_input.strip():
        history.pop()
    messages = []
    if pair.system_prompt.strip():
        messages.append({"role": "system", "content": pair.system_prompt})
    messages.extend({"role": turn.role, "content": turn.content} for turn in history)
    messages.append({"role": "user", "content": pair.current_user_input})
    messages.append({"role": "assistant", "content": pair.target_response})
    return messages


def split_by_conversation(pairs: list[TrainingPair], share: float, seed: int):
    """Hold out whole conversations: pairs of one conversation share context, so never split them."""
    conversation_ids = sorted({pair.conversation_id for pair in pairs})
    random.Random(seed).shuffle(conversation_ids)
    n_eval = 0
    if share > 0 and len(conversation_ids) >= 2:
        n_eval = min(len(conversation_ids) - 1, max(1, round(share * len(conversation_ids))))
    held_out = set(conversation_ids[:n_eval])
    train = [pair for pair in pairs if pair.conversation_id not in held_out]
    evaluation = [pair for pair in pairs if pair.conversation_id in held_out]
    return train, evaluation


@dataclass
class EncodedExample:
    input_ids: list[int]
    labels: list[int]
    truncated: bool = False
    key: tuple = ()

    def as_features(self) -> dict:
        return {"input_ids": self.input_ids, "labels": self.labels}


def encode_pair(tokenizer, pair: TrainingPair, max_length: int) -> EncodedExample:
    messages = pair_to_messages(pair)
    prompt_text = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True)
    full_text = tokenizer.apply_chat_template(messages, tokenize=False)
    if full_text.startswith(prompt_text):
        boundary = len(prompt_text)
    else:  # templates that rewrite earlier turns: find the reply itself
        boundary = full_text.rfind(pair.target_response)
        if boundary < 0:
            raise BadDataError(
                f"The base model's chat template does not render the reply of pair {pair.pair_id!r}; "
                "choose a model whose chat template keeps assistant messages."
            )
    if getattr(tokenizer, "is_fast", False):
        # One pass over the whole text, split where the reply starts: no merge across the seam.
        encoded = tokenizer(full_text, add_special_tokens=False, return_offsets_mapping=True)
        ids = list(encoded["input_ids"])
        prompt_len = next((i for i, (start, _) in enumerate(encoded["offset_mapping"]) if start >= boundary),
                          len(ids))
        prompt, completion = ids[:prompt_len], ids[prompt_len:]
    else:  # slow tokenizers have no offsets
        prompt = tokenizer(full_text[:boundary], add_special_tokens=False)["input_ids"]
        completion = tokenizer(full_text[boundary:], add_special_tokens=False)["input_ids"]
    if not completion:
        raise BadDataError(f"Pair {pair.pair_id!r} has an empty target_response after tokenization.")
    truncated = len(prompt) + len(completion) > max_length
    if truncated:
        prompt, completion = _truncate(prompt, completion, max_length, tokenizer.bos_token_id)
    return EncodedExample(prompt + completion, [IGNORE_INDEX] * len(prompt) + completion, truncated, pair.key)


def _truncate(prompt: list[int], completion: list[int], max_length: int, bos_id):
    """Cut the context from the left so the reply survives; cut the reply only when it alone is too long.

    A quarter of the window stays reserved for the end of the context, and a leading BOS is kept.
    """
    reserve = min(len(prompt), max_length // 4)
    completion = completion[: max_length - reserve]
    keep = max_length - len(completion)
    if keep <= 0:
        return [], completion
    if bos_id is not None and prompt and prompt[0] == bos_id and keep >= 2:
        return [bos_id] + prompt[len(prompt) - (keep - 1):], completion
    return prompt[len(prompt) - keep:], completion


def pack(examples: list[EncodedExample], max_length: int) -> list[dict]:
    """First-fit-decreasing bins of whole examples; position ids restart per example.

    With no attention mask, transformers reads the restarting position ids as separate
    sequences and masks attention across them, so packed examples do not see each other.
    """
    order = sorted(range(len(examples)), key=lambda i: (-len(examples[i].input_ids), i))
    bins: list[tuple[int, list[int]]] = []
    for index in order:
        length = len(examples[index].input_ids)
        for slot, (used, members) in enumerate(bins):
            if used + length <= max_length:
                bins[slot] = (used + length, members + [index])
                break
        else:
            bins.append((length, [index]))
    packed = []
    for _, members in bins:
        input_ids, labels, position_ids = [], [], []
        for index in sorted(members):
            example = examples[index]
            input_ids += example.input_ids
            labels += [IGNORE_INDEX] + example.labels[1:]
            position_ids += list(range(len(example.input_ids)))
        packed.append({"input_ids": input_ids, "labels": labels, "position_ids": position_ids})
    return packed


@dataclass
class PreparedData:
    train: list[dict]
    eval: list[dict]
    train_examples: int
    eval_examples: int
    truncated_examples: int
    train_conversations: list[str] = field(default_factory=list)
    eval_conversations: list[str] = field(default_factory=list)
    train_tokens: int = 0


def prepare(pairs: list[TrainingPair], tokenizer, *, max_length: int, validation_share: float, seed: int,
            packing: bool) -> PreparedData:
    train_pairs, eval_pairs = split_by_conversation(pairs, validation_share, seed)
    train = [encode_pair(tokenizer, pair, max_length) for pair in train_pairs]
    evaluation = [encode_pair(tokenizer, pair, max_length) for pair in eval_pairs]
    train_features = pack(train, max_length) if packing else [example.as_features() for example in train]
    return PreparedData(
        train=train_features,
        eval=[example.as_features() for example in evaluation],
        train_examples=len(train),
        eval_examples=len(evaluation),
        truncated_examples=sum(example.truncated for example in train + evaluation),
        train_conversations=sorted({pair.conversation_id for pair in train_pairs}),
        eval_conversations=sorted({pair.conversation_id for pair in eval_pairs}),
        train_tokens=sum(len(example.input_ids) for example in train),
    )


class Collator:
    """Right-pads a batch; a packed batch is flattened into one row with its position ids."""

    def __init__(self, pad_token_id: int):
        self.pad_token_id = pad_token_id

    def __call__(self, features: list[dict]) -> dict:
        import torch

        if "position_ids" in features[0]:
            return {
                key: torch.tensor([sum((f[key] for f in features), [])], dtype=torch.long)
                for key in ("input_ids", "labels", "position_ids")
            }
        width = max(len(f["input_ids"]) for f in features)
        input_ids, labels, attention = [], [], []
        for f in features:
            gap = width - len(f["input_ids"])
            input_ids.append(f["input_ids"] + [self.pad_token_id] * gap)
            labels.append(f["labels"] + [IGNORE_INDEX] * gap)
            attention.append([1] * len(f["input_ids"]) + [0] * gap)
        return {
            "input_ids": torch.tensor(input_ids, dtype=torch.long),
            "labels": torch.tensor(labels, dtype=torch.long),
            "attention_mask": torch.tensor(attention, dtype=torch.long),
        }
