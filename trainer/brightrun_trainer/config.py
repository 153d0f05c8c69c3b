"""Typed configuration: hyperparameters, presets and the job spec the server hands out.

Field names are the snake_case twins of the contract's camelCase names (see CONTRACT.md).
Every check names the field and the fix, because these values come from a user's form.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

from .errors import ConfigError

DEFAULT_TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
QUANTIZATIONS = ("NONE", "NF4")
SCHEDULERS = ("cosine",)


def _help(text: str) -> dict:
    return {"help": text}


@dataclass
class Hyperparameters:
    lora_rank: int = field(default=16, metadata=_help("LoRA rank r: width of the low-rank update."))
    lora_alpha: float = field(default=32, metadata=_help("LoRA alpha; the update is scaled by alpha / r."))
    lora_dropout: float = field(default=0.05, metadata=_help("Dropout on the LoRA input, in [0, 1)."))
    target_modules: list[str] = field(
        default_factory=lambda: list(DEFAULT_TARGET_MODULES),
        metadata=_help("Names of the linear layers that get a LoRA adapter."),
    )
    epochs: int = field(default=3, metadata=_help("Passes over the training split (unless max_steps is set)."))
    batch_size: int = field(default=4, metadata=_help("Examples per device per micro-batch."))
    gradient_accumulation_steps: int = field(default=1, metadata=_help("Micro-batches per optimizer step."))
    learning_rate: float = field(default=2e-4, metadata=_help("Peak learning rate after warmup."))
    warmup_ratio: float = field(
        default=0.03, metadata=_help("Share of total steps spent warming up: ceil(ratio × steps) steps.")
    )
    max_sequence_length: int = field(default=2048, metadata=_help("Tokens per example; longer context is cut."))
    lr_scheduler: str = field(default="cosine", metadata=_help("Learning-rate schedule after warmup."))
    quantization: str = field(
        default="NONE", metadata=_help("NONE, or NF4 for 4-bit QLoRA (needs CUDA; ignored with a warning without).")
    )
    validation_share: float = field(
        default=0.1, metadata=_help("Share of conversations held out for evaluation, in [0, 0.5].")
    )
    seed: int = field(default=42, metadata=_help("Seed for the split, the adapter's initialisation and data order."))
    packing: bool = field(default=True, metadata=_help(
        "Padding-free batches: a batch's examples end to end in one row, no padding, no cross-attention."))
    gradient_checkpointing: bool | None = field(
        default=None, metadata=_help("Recompute activations to save memory; None lets the trainer decide.")
    )
    max_steps: int | None = field(default=None, metadata=_help("Stop after this many optimizer steps; None = epochs."))
    eval_every_steps: int | None = field(default=None, metadata=_help("Steps between evaluations; None = about 10 per run."))
    checkpoint_every_steps: int | None = field(
        default=None, metadata=_help("Steps between checkpoints; None or 0 = at most ~10 minutes of work at risk.")
    )
    keep_checkpoints: int = field(default=3, metadata=_help("How many recent checkpoints to keep."))
    example_layout: str = field(default="auto", metadata=_help(
        "auto: one sequence per conversation where its pairs pass the prefix check, else per pair; "
        "pairs: always one example per pair (the plain baseline). Not part of the contract."))

    def __post_init__(self) -> None:
        self.target_modules = list(self.target_modules)
        self.quantization = str(self.quantization).upper()
        _require(self.lora_rank >= 1, "lora_rank", f"must be ≥ 1, got {self.lora_rank}")
        _require(_finite(self.lora_alpha) and self.lora_alpha > 0, "lora_alpha", f"must be > 0, got {self.lora_alpha}")
        _require(0 <= self.lora_dropout < 1, "lora_dropout", f"must be in [0, 1), got {self.lora_dropout}")
        _require(bool(self.target_modules) and all(isinstance(m, str) and m for m in self.target_modules),
                 "target_modules", "must list at least one module name, e.g. q_proj")
        _require(self.epochs >= 1, "epochs", f"must be ≥ 1, got {self.epochs}")
        _require(self.batch_size >= 1, "batch_size", f"must be ≥ 1, got {self.batch_size}")
        _require(self.gradient_accumulation_steps >= 1, "gradient_accumulation_steps",
                 f"must be ≥ 1, got {self.gradient_accumulation_steps}")
        _require(_finite(self.learning_rate) and 0 < self.learning_rate < 1, "learning_rate",
                 f"must be in (0, 1), got {self.learning_rate}")
        _require(0 <= self.warmup_ratio < 1, "warmup_ratio", f"must be in [0, 1), got {self.warmup_ratio}")
        _require(self.max_sequence_length >= 32, "max_sequence_length", f"must be ≥ 32, got {self.max_sequence_length}")
        _require(self.lr_scheduler in SCHEDULERS, "lr_scheduler", f"must be one of {SCHEDULERS}, got {self.lr_scheduler!r}")
        _require(self.quantization in QUANTIZATIONS, "quantization",
                 f"must be one of {QUANTIZATIONS}, got {self.quantization!r}")
        _require(0 <= self.validation_share <= 0.5, "validation_share",
                 f"must be in [0, 0.5], got {self.validation_share}")
        _require(self.max_steps is None or self.max_steps >= 1, "max_steps", f"must be ≥ 1 or null, got {self.max_steps}")
        _require(self.eval_every_steps is None or self.eval_every_steps >= 1, "eval_every_steps",
                 f"must be ≥ 1 or null, got {self.eval_every_steps}")
        _require(self.checkpoint_every_steps is None or self.checkpoint_every_steps >= 0, "checkpoint_every_steps",
                 f"must be ≥ 0 or null, got {self.checkpoint_every_steps}")
        _require(self.example_layout in ("auto", "pairs"), "example_layout",
                 f"must be auto or pairs, got {self.example_layout!r}")
        _require(self.keep_checkpoints >= 1, "keep_checkpoints", f"must be ≥ 1, got {self.keep_checkpoints}")

    @classmethod
    def from_graphql(cls, data: dict) -> "Hyperparameters":
        """Build from the contract's camelCase object; null means "use the default"."""
        values = {}
        for f in fields(cls):
            camel = _camel(f.name)
            if data.get(camel) is not None:
                values[f.name] = data[camel]
        return cls(**values)

    def to_dict(self) -> dict:
        return asdict(self)


PRESETS: dict[str, dict] = {
    "conservative": dict(lora_rank=8, lora_alpha=16, learning_rate=1e-4, epochs=2),
    "balanced": dict(lora_rank=16, lora_alpha=32, learning_rate=2e-4, epochs=3),
    "aggressive": dict(lora_rank=32, lora_alpha=64, learning_rate=5e-4, epochs=5),
}
_PRESET_COMMON = dict(lora_dropout=0.05, batch_size=4, warmup_ratio=0.03, max_sequence_length=2048, lr_scheduler="cosine")


def preset(name: str, **overrides) -> Hyperparameters:
    if name not in PRESETS:
        raise ConfigError(f"preset must be one of {', '.join(PRESETS)}, got {name!r}")
    return Hyperparameters(**{**_PRESET_COMMON, **PRESETS[name], **overrides})


@dataclass
class RemoteFile:
    name: str = field(metadata=_help("Relative file name inside the checkpoint."))
    url: str = field(metadata=_help("Signed GET URL."))
    size_bytes: int | None = None
    sha256: str | None = None


@dataclass
class DatasetRef:
    url: str
    sha256: str | None
    size_bytes: int | None
    encoding: str | None = None  # JSON or JSONL; None (or anything else): told from the content

    def __post_init__(self) -> None:
        encoding = str(self.encoding or "").upper()
        self.encoding = encoding if encoding in ("JSON", "JSONL") else None


@dataclass
class ResumeRef:
    checkpoint_id: str
    step: int
    files: list[RemoteFile]


@dataclass
class JobSpec:
    job_id: str
    attempt: int
    base_model: str
    hyperparameters: Hyperparameters
    dataset: DatasetRef
    resume_from: ResumeRef | None = None

    @classmethod
    def from_graphql(cls, data: dict) -> "JobSpec":
        try:
            ds = data["dataset"]
            resume = data.get("resumeFrom")
            return cls(
                job_id=str(data["jobId"]),
                attempt=int(data.get("attempt") or 1),
                base_model=str(data["baseModel"]),
                hyperparameters=Hyperparameters.from_graphql(data.get("hyperparameters") or {}),
                dataset=DatasetRef(url=ds["url"], sha256=ds.get("sha256"), size_bytes=_int(ds.get("sizeBytes")),
                                   encoding=ds.get("encoding")),
                resume_from=None if not resume else ResumeRef(
                    checkpoint_id=str(resume["checkpointId"]),
                    step=int(resume["step"]),
                    files=[RemoteFile(name=f["name"], url=f["url"], size_bytes=_int(f.get("sizeBytes")),
                                      sha256=f.get("sha256")) for f in resume["files"]],
                ),
            )
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"The job spec from the server is missing a field: {exc}") from exc


def _int(value) -> int | None:
    return None if value is None else int(value)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _require(ok: bool, name: str, problem: str) -> None:
    if not ok:
        raise ConfigError(f"hyperparameter {name} ({_camel(name)}) {problem}")
