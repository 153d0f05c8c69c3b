"""From training pairs to token ids and labels: layout, the split, truncation and padding-free batches.

Layout. A pair carries its whole history, so training every pair on its own recomputes that
history once per pair (on the sample, 2.4× the tokens of the conversations themselves). When a
conversation's pairs pass the prefix check (each pair's messages — system prompt, history, input,
reply — are the start of the last pair's messages), the conversation is trained as one sequence
with the loss on every trainable assistant turn; assistant turns that are not trainable pairs and
all user turns stay in the context with no loss. Where the check fails, that conversation falls
back to one example per pair. The per-token losses are the same either way (causal attention: a
turn sees exactly the context it would see alone).

Labels. The loss is on the assistant's reply (and the template's end-of-turn token) only: every
other token is labelled -100.

Truncation. A sequence longer than the maximum keeps its system prompt and drops the oldest
history messages whole (never half a message). A conversation too long for one sequence becomes
several, each ending at a trainable turn. Only when the system prompt, the last user message and
the reply alone do not fit is a message cut: the context then loses its start (the system prompt
stays if it fits in half the window), and the reply is cut at the end only if it alone exceeds the
window.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass, field

from ..errors import BadDataError
from .dataset_file import TrainingPair

IGNORE_INDEX = -100
LAYOUTS = ("auto", "pairs")


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


# --- layout -------------------------------------------------------------------------------------


@dataclass
class Sequence:
    """Messages to train as one sequence, with the loss on the messages at `trainable` (indices)."""
    messages: list[dict]
    trainable: list[int]
    keys: list[tuple]  # the pairs (conversation uuid, turn) whose replies carry the loss, in order


@dataclass
class Layout:
    sequences: list[Sequence]
    conversations: int  # laid out as one sequence each
    fallback: list[tuple[str, str]] = field(default_factory=list)  # (conversation id, why) trained per pair

    def describe(self, total_conversations: int) -> str:
        if not self.fallback:
            return (f"One sequence per conversation: the {total_conversations} conversations' pairs pass the "
                    "prefix check, so each conversation is trained once with the loss on every trainable "
                    "assistant turn.")
        if not self.conversations:
            head = "Per-pair examples for every conversation"
        else:
            head = (f"One sequence per conversation for {self.conversations} of {total_conversations} "
                    f"conversations; per-pair examples for the other {len(self.fallback)}")
        conversation_id, why = self.fallback[0]
        return f"{head} (the prefix check failed, e.g. conversation {conversation_id}: {why})."


def per_pair(pairs: list[TrainingPair]) -> list[Sequence]:
    sequences = []
    for pair in pairs:
        messages = pair_to_messages(pair)
        sequences.append(Sequence(messages, [len(messages) - 1], [pair.key]))
    return sequences


def conversation_layout(pairs: list[TrainingPair]) -> Layout:
    """One sequence per conversation whose pairs pass the prefix check; per-pair for the others."""
    by_conversation: OrderedDict[str, list[TrainingPair]] = OrderedDict()
    for pair in pairs:
        by_conversation.setdefault(pair.conversation_id, []).append(pair)
    sequences: list[Sequence] = []
    fallback: list[tuple[str, str]] = []
    conversations = 0
    for conversation_id, members in by_conversation.items():
        members = sorted(members, key=lambda p: p.turn_number)
        sequence, why = _conversation_sequence(members)
        if sequence is None:
            fallback.append((conversation_id, why))
            sequences.extend(per_pair(members))
        else:
            conversations += 1
            sequences.append(sequence)
    return Layout(sequences, conversations, fallback)


def _conversation_sequence(members: list[TrainingPair]) -> tuple[Sequence | None, str]:
    turns = [pair.turn_number for pair in members]
    if len(set(turns)) != len(turns):
        return None, f"turn_number {_first_duplicate(turns)} appears twice"
    messages = pair_to_messages(members[-1])
    trainable: list[int] = []
    for pair in members:
        own = pair_to_messages(pair)
        if own != messages[:len(own)]:
            where = next((i for i, (a, b) in enumerate(zip(own, messages)) if a != b), len(messages))
            return None, (f"turn {pair.turn_number}'s messages differ from turn {members[-1].turn_number}'s "
                          f"history at message {where + 1}")
        index = len(own) - 1
        if trainable and index <= trainable[-1]:
            return None, f"turn {pair.turn_number}'s reply is not after the previous trainable turn"
        trainable.append(index)
    return Sequence(messages, trainable, [pair.key for pair in members]), ""


def _first_duplicate(values):
    seen = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


# --- encoding -----------------------------------------------------------------------------------


@dataclass
class EncodedExample:
    input_ids: list[int]
    labels: list[int]
    truncated: bool = False
    keys: list[tuple] = field(default_factory=list)  # the pairs whose replies carry loss here

    @property
    def key(self) -> tuple:
        return self.keys[0] if self.keys else ()

    def as_features(self) -> dict:
        return {"input_ids": self.input_ids, "labels": self.labels}


class TemplateMismatch(Exception):
    """The chat template renders a shorter conversation as something other than a prefix."""


@dataclass
class _Rendered:
    text: str
    message_starts: list[int]  # where message k's rendering starts (k = 0..n); [n] is the end
    spans: list[tuple[int, int]]  # [start, end) of each trainable reply, template end-of-turn included


def _render(tokenizer, messages: list[dict], trainable: list[int]) -> _Rendered:
    template = tokenizer.apply_chat_template
    text = template(messages, tokenize=False)
    starts = [0]
    for k in range(1, len(messages)):
        prefix = template(messages[:k], tokenize=False)
        if not text.startswith(prefix):
            raise TemplateMismatch(f"message {k + 1}")
        starts.append(len(prefix))
    starts.append(len(text))
    spans = []
    for index in trainable:
        prompt = template(messages[:index], tokenize=False, add_generation_prompt=True)
        upto = template(messages[:index + 1], tokenize=False)
        if text.startswith(upto) and upto.startswith(prompt):
            spans.append((len(prompt), len(upto)))
            continue
        # A template that marks the reply differently: find the reply's own text.
        content = messages[index]["content"]
        found = text.find(content, starts[index])
        if found < 0:
            raise BadDataError("The base model's chat template does not render the assistant replies; "
                               "choose a model whose chat template keeps assistant messages.")
        spans.append((found, starts[index + 1]))
    return _Rendered(text, starts, spans)


def _tokenize(tokenizer, texts: list[str], cuts: list[list[int]]) -> list[tuple[list[int], list[int]]]:
    """Token ids and each token's start offset, for many texts at once (the fast tokenizers encode
    a batch in parallel). Slow tokenizers have no offsets: each text is encoded piecewise between
    its `cuts`, so no token crosses one."""
    if not texts:
        return []
    if getattr(tokenizer, "is_fast", False):
        encoded = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
        return [(list(ids), [start for start, _ in offsets])
                for ids, offsets in zip(encoded["input_ids"], encoded["offset_mapping"])]
    results = []
    for text, text_cuts in zip(texts, cuts):
        bounds = sorted({0, len(text), *text_cuts})
        ids, starts = [], []
        for a, b in zip(bounds, bounds[1:]):
            piece = tokenizer(text[a:b], add_special_tokens=False)["input_ids"]
            ids += piece
            starts += [a] * len(piece)
        results.append((ids, starts))
    return results


@dataclass
class _Tokenized:
    ids: list[int]
    labels: list[int]
    message_tokens: list[int]  # token index where each message starts; [n] = len(ids)
    reply_ranges: list[tuple[int, int]]  # token ranges that carry loss, per trainable message


def _label(rendered: _Rendered, ids: list[int], starts: list[int]) -> _Tokenized:
    # Token offsets only grow: the first token at or after a character is a binary search away.
    labels = [IGNORE_INDEX] * len(ids)
    ranges = []
    for span_start, span_end in rendered.spans:
        first, last = bisect_left(starts, span_start), bisect_left(starts, span_end)
        labels[first:last] = ids[first:last]
        ranges.append((first, last))
    message_tokens = [bisect_left(starts, char) for char in rendered.message_starts]
    return _Tokenized(ids, labels, message_tokens, ranges)


def encode_sequences(tokenizer, sequences: list[Sequence], max_length: int) -> list[EncodedExample]:
    """Render and tokenize every sequence (one batched, parallel tokenizer call), then truncate."""
    rendered = [_render(tokenizer, s.messages, s.trainable) for s in sequences]
    tokenized = [_label(r, ids, starts) for r, (ids, starts) in zip(rendered, _tokenize(
        tokenizer, [r.text for r in rendered], [r.message_starts + [c for span in r.spans for c in span]
                                                for r in rendered]))]
    examples: list[EncodedExample] = []
    for sequence, tokens in zip(sequences, tokenized):
        for index, reply in zip(sequence.trainable, tokens.reply_ranges):
            if reply[0] >= reply[1]:
                key = sequence.keys[sequence.trainable.index(index)]
                raise BadDataError(f"Pair {key} has an empty target_response after tokenization.")
        if len(tokens.ids) <= max_length:
            examples.append(EncodedExample(tokens.ids, tokens.labels, False, list(sequence.keys)))
        else:
            examples.extend(_fit(tokenizer, sequence, tokens, max_length))
    return examples


def _fit(tokenizer, sequence: Sequence, tokens: _Tokenized, max_length: int) -> list[EncodedExample]:
    """Windows of whole messages, each ending at a trainable reply, that fit `max_length`."""
    messages, starts = sequence.messages, tokens.message_tokens
    has_system = messages[0]["role"] == "system"
    first_turn = 1 if has_system else 0
    # Tokens before the first turn: BOS and the system prompt, kept in every window.
    head = starts[first_turn]
    remaining = list(zip(sequence.trainable, sequence.keys))
    windows: list[EncodedExample] = []
    while remaining:
        end = remaining[-1][0]
        # The earliest start (a user message) whose window fits, by the full rendering's token counts.
        start = next((s for s in range(first_turn, end)
                      if messages[s]["role"] == "user" and head + starts[end + 1] - starts[s] <= max_length), None)
        window = None
        while start is not None:
            inside = [(i, k) for i, k in remaining if start <= i <= end]
            window_messages = messages[:first_turn] + messages[start:end + 1]
            offset = start - first_turn
            candidate = encode_sequences(tokenizer, [Sequence(
                window_messages, [i - offset for i, _ in inside], [k for _, k in inside])], 10**9)[0]
            if len(candidate.input_ids) <= max_length:
                candidate.truncated = start > first_turn
                window = candidate
                remaining = [(i, k) for i, k in remaining if i < start]
                break
            # The template rendered the shorter window longer than counted: drop one more message.
            start = next((s for s in range(start + 1, end) if messages[s]["role"] == "user"), None)
        if window is None:
            window = _cut_inside_a_message(tokenizer, sequence, end, remaining[-1][1], max_length, first_turn)
            remaining.pop()
        windows.append(window)
    windows.reverse()  # in conversation order
    return windows


def _cut_inside_a_message(tokenizer, sequence: Sequence, end: int, key, max_length: int,
                          first_turn: int) -> EncodedExample:
    """Last resort: the last user message and the reply do not fit even alone with the system prompt."""
    user = max((s for s in range(first_turn, end) if sequence.messages[s]["role"] == "user"), default=end)
    window_messages = sequence.messages[:first_turn] + sequence.messages[user:end + 1]
    full = encode_sequences(tokenizer, [Sequence(window_messages, [len(window_messages) - 1], [key])], 10**9)[0]
    reply_start = next(i for i, label in enumerate(full.labels) if label != IGNORE_INDEX)
    prompt, completion = full.input_ids[:reply_start], full.input_ids[reply_start:]
    head_length = _render_head_tokens(tokenizer, sequence.messages[:first_turn]) if first_turn else 0
    reserve = min(len(prompt), max_length // 4)
    completion = completion[: max_length - reserve]
    keep = max_length - len(completion)
    if head_length and head_length <= keep * 3 // 4:  # a quarter of the room stays for the latest context
        prompt = prompt[:head_length] + prompt[len(prompt) - (keep - head_length):]
    elif tokenizer.bos_token_id is not None and prompt and prompt[0] == tokenizer.bos_token_id and keep >= 2:
        prompt = [prompt[0]] + prompt[len(prompt) - (keep - 1):]
    else:
        prompt = prompt[len(prompt) - keep:] if keep > 0 else []
    return EncodedExample(prompt + completion, [IGNORE_INDEX] * len(prompt) + completion, True, [key])


def _render_head_tokens(tokenizer, system_messages: list[dict]) -> int:
    text = tokenizer.apply_chat_template(system_messages, tokenize=False)
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def encode_pair(tokenizer, pair: TrainingPair, max_length: int) -> EncodedExample:
    """One pair on its own (its whole history as context), truncated as described above."""
    return encode_sequences(tokenizer, per_pair([pair]), max_length)[0]


# --- prepared data ------------------------------------------------------------------------------


@dataclass
class PreparedData:
    train: list[dict]
    eval: list[dict]
    train_examples: int  # trainable pairs (replies) in the training split
    eval_examples: int
    truncated_examples: int  # sequences whose context was cut
    train_conversations: list[str] = field(default_factory=list)
    eval_conversations: list[str] = field(default_factory=list)
    train_tokens: int = 0  # tokens of one epoch of the training sequences
    layout: Layout | None = None
    layout_message: str = ""
    sequences: int = 0  # training + validation sequences


def prepare(pairs: list[TrainingPair], tokenizer, *, max_length: int, validation_share: float, seed: int,
            packing: bool = True, layout: str = "auto") -> PreparedData:
    """Split by conversation, lay out, tokenize once (batched), truncate.

    `packing` is applied by the Collator (padding-free batches); it does not change the examples.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    train_pairs, eval_pairs = split_by_conversation(pairs, validation_share, seed)
    if layout == "auto":
        train_layout, eval_layout = conversation_layout(train_pairs), conversation_layout(eval_pairs)
        combined = Layout(train_layout.sequences + eval_layout.sequences,
                          train_layout.conversations + eval_layout.conversations,
                          train_layout.fallback + eval_layout.fallback)
    else:
        train_layout = Layout(per_pair(train_pairs), 0)
        eval_layout = Layout(per_pair(eval_pairs), 0)
        combined = Layout(train_layout.sequences + eval_layout.sequences, 0)
    n_conversations = len({pair.conversation_id for pair in pairs})
    message = (combined.describe(n_conversations) if layout == "auto"
               else "Per-pair examples (each pair with its whole history), as configured.")
    train = encode_sequences(tokenizer, train_layout.sequences, max_length)
    evaluation = encode_sequences(tokenizer, eval_layout.sequences, max_length)
    return PreparedData(
        train=[example.as_features() for example in train],
        eval=[example.as_features() for example in evaluation],
        train_examples=len(train_pairs),
        eval_examples=len(eval_pairs),
        truncated_examples=sum(example.truncated for example in train + evaluation),
        train_conversations=sorted({pair.conversation_id for pair in train_pairs}),
        eval_conversations=sorted({pair.conversation_id for pair in eval_pairs}),
        train_tokens=sum(len(example.input_ids) for example in train),
        layout=combined,
        layout_message=message,
        sequences=len(train) + len(evaluation),
    )


class Collator:
    """Batches examples. Padding-free (`packing`): the batch's examples are laid end to end in one
    row, position ids restarting at each, and the first label of each masked so no example
    predicts the next one's first token — the loss is that of the padded batch, without the
    padding. Transformers reads the restarting position ids as separate sequences (FlashAttention-2
    varlen; SDPA with a block-diagonal mask). Otherwise the batch is right-padded."""

    def __init__(self, pad_token_id: int, packing: bool = False):
        self.pad_token_id = pad_token_id
        self.packing = packing

    def __call__(self, features: list[dict]) -> dict:
        import torch

        if self.packing:
            input_ids, labels, position_ids = [], [], []
            for f in features:
                input_ids += f["input_ids"]
                labels += [IGNORE_INDEX] + list(f["labels"][1:])
                position_ids += range(len(f["input_ids"]))
            return {"input_ids": torch.tensor([input_ids], dtype=torch.long),
                    "labels": torch.tensor([labels], dtype=torch.long),
                    "position_ids": torch.tensor([position_ids], dtype=torch.long)}
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
