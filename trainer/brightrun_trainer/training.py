"""The training pipeline shared by `run` and `local` mode: data → model → Trainer → adapter.

The caller opens the PREPROCESSING stage (it may first download the dataset); this module
reports the rest, in order: validation and tokenisation, MODEL_LOADING, TRAINING, FINALIZING.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .config import Hyperparameters
from .data.dataset_file import load_pairs
from .data.examples import Collator, PreparedData, prepare
from .outputs import write_outputs

ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")


@dataclass
class PipelineInputs:
    base_model: str
    hyperparameters: Hyperparameters
    dataset_path: Path
    output_dir: Path
    checkpoint_dir: Path
    store: object  # LocalCheckpointStore | RemoteCheckpointStore
    reporter: object  # Reporter | ConsoleReporter
    dataset_encoding: str | None = None
    resume: Callable[[], Path | None] | None = None  # called once the model is loaded
    save_total_limit: int = 1
    extra_callbacks: list = field(default_factory=list)


@dataclass
class PipelineResult:
    summary: dict
    files: list[Path]
    stopped_early: bool
    steps_per_second: float
    data: PreparedData
    global_step: int
    model: object = None  # the trained PeftModel, for callers that evaluate it in-process
    padding_free: bool = False  # batches were laid end to end (FlashAttention-2 varlen), not padded


def plan_steps(hp: Hyperparameters, train_items: int) -> tuple[int, int, int]:
    """(total optimizer steps, steps per epoch, epochs), computed the way HF Trainer does."""
    batches_per_epoch = math.ceil(train_items / hp.batch_size)
    steps_per_epoch = max(1, math.ceil(batches_per_epoch / hp.gradient_accumulation_steps))
    total = hp.max_steps or steps_per_epoch * hp.epochs
    return total, steps_per_epoch, math.ceil(total / steps_per_epoch)


def run_pipeline(inputs: PipelineInputs) -> PipelineResult:
    hp, reporter = inputs.hyperparameters, inputs.reporter
    _quiet_libraries()
    from .model import Device, load_model, load_tokenizer

    reporter.substatus("Validating dataset")
    started = time.perf_counter()
    pairs = load_pairs(inputs.dataset_path, inputs.dataset_encoding)
    tokenizer = load_tokenizer(inputs.base_model)
    reporter.substatus(f"Tokenizing {len(pairs)} trainable pairs")
    data = prepare(pairs, tokenizer, max_length=hp.max_sequence_length, validation_share=hp.validation_share,
                   seed=hp.seed, packing=hp.packing, layout=hp.example_layout)
    reporter.event("INFO", "example_layout", data.layout_message)
    reporter.event("INFO", "dataset_prepared", (
        f"{data.train_examples} training pairs from {len(data.train_conversations)} conversations in "
        f"{len(data.train)} sequences ({data.train_tokens} tokens per epoch), {data.eval_examples} validation "
        f"pairs from {len(data.eval_conversations)} conversations; "
        f"tokenized in {time.perf_counter() - started:.1f} s."))
    if data.truncated_examples:
        reporter.event("WARNING", "examples_truncated", (
            f"{data.truncated_examples} of {data.sequences} sequences exceed maxSequenceLength "
            f"{hp.max_sequence_length}; they keep the system prompt and lose their oldest messages whole."))

    reporter.stage("MODEL_LOADING", f"Loading {inputs.base_model}")
    device = Device.detect()
    loaded = load_model(inputs.base_model, hp, tokenizer, device)
    for level, kind, message in loaded.notes:
        reporter.event(level, kind, message)
    resume_dir = inputs.resume() if inputs.resume else None
    if reporter.cancel_requested.is_set():
        return PipelineResult({}, [], True, 0.0, data, 0)

    total_steps, steps_per_epoch, total_epochs = plan_steps(hp, len(data.train))
    resumed_state = _checkpoint_state(resume_dir) if resume_dir else {}
    start_step = int(resumed_state.get("global_step", 0))
    start_tokens = int(resumed_state.get("num_input_tokens_seen", 0))
    reporter.stage("TRAINING", f"Resuming at step {start_step}" if resume_dir else "Training")
    trainer, stop = _build_trainer(inputs, data, loaded, tokenizer, device, total_steps, total_epochs)
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(resume_dir) if resume_dir else None)
    runtime = time.perf_counter() - started
    state = trainer.state
    steps_per_second = (state.global_step - start_step) / runtime if runtime > 0 else 0.0
    if stop.stopped_at is not None:
        return PipelineResult({}, [], True, steps_per_second, data, state.global_step, trainer.model)

    if data.eval and _last_eval_step(state.log_history) != state.global_step:
        reporter.substatus("Final evaluation")
        trainer.evaluate()

    reporter.stage("FINALIZING", "Saving adapter")
    trainer.model.save_pretrained(str(inputs.output_dir))
    files = [inputs.output_dir / name for name in ADAPTER_FILES]
    summary, extra_files = write_outputs(
        inputs.output_dir, state, data, runtime=runtime, tokens=state.num_input_tokens_seen - start_tokens,
        base_model=inputs.base_model, hyperparameters=hp, steps_per_second=steps_per_second)
    return PipelineResult(summary, files + extra_files, False, steps_per_second, data, state.global_step,
                          trainer.model, trainer.padding_free)


def _build_trainer(inputs, data, loaded, tokenizer, device, total_steps, total_epochs):
    from transformers import PrinterCallback, Trainer, TrainingArguments

    from .callbacks import CheckpointCallback, MetricsCallback, StopCallback
    from .gpu import GpuSampler

    from . import kernels

    hp, reporter = inputs.hyperparameters, inputs.reporter
    has_eval = bool(data.eval)
    padding_free = hp.packing and kernels.padding_free(loaded.attention)
    args = TrainingArguments(
        output_dir=str(inputs.checkpoint_dir),
        per_device_train_batch_size=hp.batch_size,
        per_device_eval_batch_size=hp.batch_size,
        gradient_accumulation_steps=hp.gradient_accumulation_steps,
        num_train_epochs=hp.epochs,
        max_steps=hp.max_steps or -1,
        learning_rate=hp.learning_rate,
        lr_scheduler_type=hp.lr_scheduler,
        # Recent transformers dropped `warmup_ratio`; the contract's rule is ceil(ratio × steps).
        warmup_steps=math.ceil(hp.warmup_ratio * total_steps),
        weight_decay=0.0,
        max_grad_norm=1.0,
        logging_strategy="steps",
        logging_steps=1,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=hp.eval_every_steps or max(1, math.ceil(total_steps / 10)),
        prediction_loss_only=True,
        save_strategy="no",  # CheckpointCallback decides when, and commits what was saved
        save_total_limit=inputs.save_total_limit,
        seed=hp.seed,
        data_seed=hp.seed,
        bf16=device.cuda and device.bf16,
        fp16=device.cuda and not device.bf16,
        use_cpu=not device.cuda,
        activation_checkpointing=loaded.gradient_checkpointing,
        activation_checkpointing_kwargs={"use_reentrant": False} if loaded.gradient_checkpointing else None,
        include_num_input_tokens_seen="non_padding",
        # One fused kernel for the whole AdamW update (CUDA and CPU both have it in torch ≥ 2.4).
        optim="adamw_torch_fused",
        remove_unused_columns=False,
        dataloader_num_workers=0,
        report_to="none",
        disable_tqdm=True,
        log_level="error",
    )
    stop = StopCallback(lambda: reporter.cancel_requested.is_set())
    callbacks = [
        MetricsCallback(reporter, GpuSampler(), total_epochs),
        CheckpointCallback(inputs.store, hp.checkpoint_every_steps, reporter),
        stop,
        *inputs.extra_callbacks,
    ]
    trainer = Trainer(model=loaded.model, args=args, train_dataset=data.train, eval_dataset=data.eval or None,
                      data_collator=Collator(tokenizer.pad_token_id, packing=padding_free), callbacks=callbacks)
    trainer.remove_callback(PrinterCallback)  # metrics leave through MetricsCallback instead
    trainer.padding_free = padding_free
    return trainer, stop


def _checkpoint_state(checkpoint_dir: Path) -> dict:
    return json.loads((Path(checkpoint_dir) / "trainer_state.json").read_text())


def _last_eval_step(log_history: list[dict]) -> int | None:
    steps = [entry["step"] for entry in log_history if "eval_loss" in entry]
    return steps[-1] if steps else None


def _quiet_libraries() -> None:
    """Our reporter is the log; library chatter (deprecations, progress) only hides it."""
    import warnings

    import transformers

    transformers.logging.set_verbosity_error()
    warnings.filterwarnings("ignore", category=FutureWarning)
