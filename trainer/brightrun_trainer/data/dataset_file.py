"""Reading a `brightrun-lora-v4` file, in either encoding, into trainable pairs.

Full JSON: one object whose conversations each hold training pairs; the conversation's uuid
lives in `conversation_metadata` (a pair's own `conversation_id` may be a template name).
JSONL: an optional `{"_meta": …}` first line, then one trainable pair per line.
Only pairs with a non-null `target_response` are trainable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadDataError

FORMAT_SPEC = "brightrun-lora-v4"


@dataclass(frozen=True)
class HistoryTurn:
    role: str
    content: str


@dataclass(frozen=True)
class TrainingPair:
    conversation_id: str  # the conversation's uuid: the unit of the train/validation split
    turn_number: int
    pair_id: str
    system_prompt: str
    history: tuple[HistoryTurn, ...]
    current_user_input: str
    target_response: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.conversation_id, self.turn_number)


def load_pairs(path: str | Path, encoding: str | None = None) -> list[TrainingPair]:
    """Parse the file; `encoding` is JSON or JSONL, or None to tell from the content."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate a BOM, as the importer does
    except UnicodeDecodeError as exc:
        raise BadDataError(f"The dataset is not UTF-8 text: {exc}") from exc
    if encoding is None:
        encoding = _sniff(text)
    encoding = encoding.upper()
    pairs = _load_jsonl(text) if encoding == "JSONL" else _load_full(text)
    if not pairs:
        raise BadDataError("The dataset has no trainable pairs (no pair with a non-null target_response).")
    return pairs


def _sniff(text: str) -> str:
    first = text.lstrip()[:1]
    if first != "{":
        raise BadDataError("The dataset is neither a JSON object nor JSON lines (it does not start with '{').")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return "JSONL"
    # A one-line JSONL file (a lone pair, or only `_meta`) is also a valid JSON object.
    return "JSON" if "conversations" in doc or "training_file_metadata" in doc else "JSONL"


def _load_full(text: str) -> list[TrainingPair]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadDataError(f"The dataset is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise BadDataError("The dataset must be a JSON object with training_file_metadata and conversations.")
    meta = doc.get("training_file_metadata")
    if not isinstance(meta, dict):
        raise BadDataError("training_file_metadata is missing: this is not a brightrun-lora-v4 full file.")
    if meta.get("format_spec") != FORMAT_SPEC:
        raise BadDataError(
            f"training_file_metadata.format_spec must be {FORMAT_SPEC!r}, got {meta.get('format_spec')!r}."
        )
    conversations = doc.get("conversations")
    if not isinstance(conversations, list):
        raise BadDataError("conversations must be a list of {conversation_metadata, training_pairs}.")
    pairs: list[TrainingPair] = []
    for c_index, conversation in enumerate(conversations):
        where = f"conversations[{c_index}]"
        if not isinstance(conversation, dict):
            raise BadDataError(f"{where} must be an object.")
        conversation_id = (conversation.get("conversation_metadata") or {}).get("conversation_id")
        if not isinstance(conversation_id, str) or not conversation_id:
            raise BadDataError(f"{where}.conversation_metadata.conversation_id is missing.")
        raw_pairs = conversation.get("training_pairs")
        if not isinstance(raw_pairs, list):
            raise BadDataError(f"{where}.training_pairs must be a list.")
        for p_index, raw in enumerate(raw_pairs):
            pair = _parse_pair(raw, f"{where}.training_pairs[{p_index}]", conversation_id)
            if pair is not None:
                pairs.append(pair)
    return pairs


def _load_jsonl(text: str) -> list[TrainingPair]:
    pairs: list[TrainingPair] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadDataError(f"Line {line_no} is not valid JSON: {exc}") from exc
        if isinstance(raw, dict) and "_meta" in raw and line_no == 1:
            continue
        pair = _parse_pair(raw, f"line {line_no}", None)
        if pair is not None:
            pairs.append(pair)
    return pairs


def _parse_pair(raw, where: str, conversation_id: str | None) -> TrainingPair | None:
    if not isinstance(raw, dict):
        raise BadDataError(f"{where} must be a training pair object.")
    target = raw.get("target_response")
    if target is None:
        return None
    conversation_id = conversation_id or raw.get("conversation_id")
    fields = {
        "target_response": target,
        "current_user_input": raw.get("current_user_input"),
        "system_prompt": raw.get("system_prompt"),
        "conversation_id": conversation_id,
    }
    for name, value in fields.items():
        if not isinstance(value, str) or (name != "system_prompt" and not value.strip()):
            raise BadDataError(f"{where}.{name} must be a non-empty string.")
    turn_number = raw.get("turn_number")
    if not isinstance(turn_number, int):
        raise BadDataError(f"{where}.turn_number must be an integer.")
    history = raw.get("conversation_history") or []
    if not isinstance(history, list):
        raise BadDataError(f"{where}.conversation_history must be a list.")
    turns = []
    for h_index, turn in enumerate(history):
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant") \
                or not isinstance(turn.get("content"), str):
            raise BadDataError(
                f"{where}.conversation_history[{h_index}] needs role 'user' or 'assistant' and string content."
            )
        turns.append(HistoryTurn(turn["role"], turn["content"]))
    return TrainingPair(
        conversation_id=conversation_id,
        turn_number=turn_number,
        pair_id=str(raw.get("id", "")),
        system_prompt=fields["system_prompt"],
        history=tuple(turns),
        current_user_input=fields["current_user_input"],
        target_response=target,
    )
