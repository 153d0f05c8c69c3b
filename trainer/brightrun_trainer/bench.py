"""`python -m brightrun_trainer bench`: plain HF Trainer + PEFT against this trainer, side by side.

Both runs see the same training conversations (the held-out ones are split off first, by
conversation), the same LoRA configuration and hyperparameters, for the same number of epochs, and
each runs in its own child process (so peak memory is each run's own). Then:

- tokens/s: the real (non-padding) tokens of the *original per-pair data* — every training pair
  encoded on its own with its whole history, cut from the left at the maximum length, as a plain
  pipeline does — divided by the run's training time. Both runs get the same numerator, so the
  ratio is the ratio of training times on the same examples.
- MFU: the model FLOPs of the sequences each run really computed (4·N per token for the frozen
  base: forward and input gradients; plus causal attention, 6·layers·hidden·length² per sequence;
  recomputation not counted) over its training time and the device's dense bf16 peak. On a CPU
  there is no peak figure unless --peak-tflops gives one.
- peak memory: CUDA's max allocated in the run's process, or the process's max RSS on a CPU.
- held-out loss: the mean token loss of the trained adapter on the held-out pairs, encoded per
  pair the same way for both runs, after the same examples were seen.

The baseline: per-pair examples, right-padded batches, AdamW (not fused), SDPA attention, stock
kernels, gradient checkpointing on (the usual recipe; --baseline-checkpointing off to compare
without). Ours: `run_pipeline` exactly as a job runs it (conversation layout, padding-free batches,
fused AdamW, Liger/FlashAttention-2 where available, checkpointing from the memory plan unless
--ours-checkpointing says otherwise).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = ("baseline", "ours")
# The product's default maximum sequence length, in tokens of the base model's tokenizer.
DEFAULT_TOKENS = 2048
# tiny-llama and the random-initialised configs use a byte-level tokenizer (a byte is a token). So
# that the default window holds the same text as a job's 2048 real tokens, it is scaled by this
# ratio. An assumption, not measured here (no Llama-3 tokenizer offline): English text runs about
# 4 bytes per token with Llama-3's 128k-vocabulary BPE.
ASSUMED_BYTES_PER_TOKEN = 4


def default_sequence_length(args) -> tuple[int, str]:
    """The window both runs use, and a sentence saying where it came from."""
    if args.max_sequence_length is not None:
        return args.max_sequence_length, "--max-sequence-length"
    byte_level = args.model_config is not None or (args.base_model or "tiny-llama") == "tiny-llama"
    if byte_level:
        return (DEFAULT_TOKENS * ASSUMED_BYTES_PER_TOKEN,
                f"default: {DEFAULT_TOKENS} tokens × {ASSUMED_BYTES_PER_TOKEN} bytes per token (byte-level tokenizer; "
                "the bytes-per-token ratio is an assumption for Llama-3's tokenizer on English)")
    return DEFAULT_TOKENS, f"default: {DEFAULT_TOKENS} tokens"
# Dense bf16 peak per GPU (NVIDIA datasheets), for MFU. Matched on the device name.
PEAK_TFLOPS = (("H200", 989.0), ("H100 NVL", 835.0), ("H100 PCIe", 756.0), ("H100", 989.0), ("A100", 312.0),
               ("L40S", 362.0), ("A10", 125.0), ("4090", 165.0))


def add_arguments(parser) -> None:
    parser.add_argument("--dataset", required=True, type=Path, help="a brightrun-lora-v4 file (.json or .jsonl)")
    model = parser.add_mutually_exclusive_group()
    model.add_argument("--base-model", default=None, help="tiny-llama (default), a local path or hub id")
    model.add_argument("--model-config", default=None,
                       help="a random-initialised architecture, no hub access: llama-3-8b, llama-3.2-1b, mistral-7b")
    parser.add_argument("--max-sequence-length", type=int, default=None,
                        help="tokens per sequence (default: the product's 2048 tokens; with a byte-level tokenizer "
                             f"{DEFAULT_TOKENS * ASSUMED_BYTES_PER_TOKEN}, the bytes that 2048 Llama-3 tokens hold)")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=1, help="passes over the training pairs (both runs)")
    parser.add_argument("--lora-rank", type=int, default=16)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--validation-share", type=float, default=0.1, help="conversations held out for the loss")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--baseline-checkpointing", choices=("on", "off"), default="on")
    parser.add_argument("--ours-checkpointing", choices=("auto", "on", "off"), default="auto",
                        help="auto: the memory plan decides, as in a job")
    parser.add_argument("--peak-tflops", type=float, help="the device's dense bf16 peak, for MFU (default: known GPUs)")
    parser.add_argument("--only", choices=RUNS, help="run one side only")
    parser.add_argument("--json", action="store_true", help="print one JSON line: both runs and the ratios")
    parser.add_argument("--run", choices=RUNS, help=argparse_suppress())
    parser.add_argument("--result", type=Path, help=argparse_suppress())


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS


def base_model_of(args) -> str:
    if args.model_config:
        return f"random:{args.model_config}"
    return args.base_model or "tiny-llama"


def main_bench(args) -> int:
    if not args.dataset.is_file():
        print(f"error: --dataset {args.dataset} is not a file", file=sys.stderr)
        return 2
    args.max_sequence_length, window_rule = default_sequence_length(args)
    if args.run:
        result = run_one(args)
        args.result.write_text(json.dumps(result))
        return 0
    results = {}
    for run in ([args.only] if args.only else RUNS):
        with tempfile.TemporaryDirectory(prefix=f"brightrun-bench-{run}-") as work:
            out = Path(work) / "result.json"
            command = [sys.executable, "-m", "brightrun_trainer", "bench", *_forwarded(args), "--run", run,
                       "--result", str(out)]
            if not args.json:
                print(f"[{run}] running…", file=sys.stderr, flush=True)
            child = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "BRIGHTRUN_BENCH_WORK": work})
            if child.returncode != 0 or not out.exists():
                print(child.stdout[-4000:], file=sys.stderr)
                print(f"error: the {run} run failed (exit {child.returncode})", file=sys.stderr)
                return 1
            results[run] = json.loads(out.read_text())
    report = {"dataset": str(args.dataset), "base_model": base_model_of(args),
              "max_sequence_length": args.max_sequence_length, "max_sequence_length_rule": window_rule, **results}
    if len(results) == 2:
        report.update(ratios(results["baseline"], results["ours"]))
    if args.json:
        print(json.dumps(report))
    else:
        print(format_report(report))
    return 0


def _forwarded(args) -> list[str]:
    out = ["--dataset", str(args.dataset)]
    if args.model_config:
        out += ["--model-config", args.model_config]
    elif args.base_model:
        out += ["--base-model", args.base_model]
    out += ["--max-sequence-length", str(args.max_sequence_length), "--batch-size", str(args.batch_size),
            "--epochs", str(args.epochs), "--lora-rank", str(args.lora_rank), "--learning-rate", str(args.learning_rate),
            "--validation-share", str(args.validation_share), "--seed", str(args.seed),
            "--baseline-checkpointing", args.baseline_checkpointing, "--ours-checkpointing", args.ours_checkpointing]
    if args.peak_tflops:
        out += ["--peak-tflops", str(args.peak_tflops)]
    return out


def ratios(baseline: dict, ours: dict) -> dict:
    def ratio(key):
        a, b = baseline.get(key), ours.get(key)
        return round(b / a, 4) if a and b is not None else None

    return {
        "tokens_per_second_ratio": ratio("tokens_per_second"),  # ours / baseline, per-pair tokens
        "mfu_ratio": ratio("mfu"),
        "peak_memory_ratio": ratio("peak_memory_gb"),  # ours / baseline: ≤ 1 is at most the baseline's
        "eval_loss_ratio": ratio("eval_loss"),  # ours / baseline: ≤ 1 is no worse
        "train_seconds_ratio": ratio("train_seconds"),
    }


def format_report(report: dict) -> str:
    rows = [("tokens/s (per-pair tokens)", "tokens_per_second", "{:,.0f}"),
            ("tokens/s computed", "processed_tokens_per_second", "{:,.0f}"),
            ("training time (s)", "train_seconds", "{:.1f}"), ("optimizer steps", "steps", "{}"),
            ("sequences", "sequences", "{}"), ("padding tokens", "padding_tokens", "{:,}"),
            ("MFU", "mfu", "{:.1%}"), ("peak memory (GB)", "peak_memory_gb", "{:.2f}"),
            ("held-out loss", "eval_loss", "{:.4f}"), ("gradient checkpointing", "gradient_checkpointing", "{}")]
    runs = [run for run in RUNS if run in report]
    lines = [f"bench: {report['base_model']} on {report['dataset']}",
             f"max sequence length {report['max_sequence_length']} ({report['max_sequence_length_rule']})",
             f"{'':28}" + "".join(f"{run:>16}" for run in runs)]
    for label, key, fmt in rows:
        cells = []
        for run in runs:
            value = report[run].get(key)
            cells.append(f"{(fmt.format(value) if value is not None else '—'):>16}")
        lines.append(f"{label:28}" + "".join(cells))
    for run in runs:
        lines.append(f"{run}: {report[run]['setup']}")
    for key in ("tokens_per_second_ratio", "mfu_ratio", "peak_memory_ratio", "eval_loss_ratio"):
        if key in report:
            lines.append(f"{key}: {report[key]}")
    return "\n".join(lines)


# --- one run, in its own process -----------------------------------------------------------------


def run_one(args) -> dict:
    import torch

    from .config import preset
    from .data.dataset_file import load_pairs
    from .data.examples import split_by_conversation
    from .model import Device, load_tokenizer

    base_model = base_model_of(args)
    pairs = load_pairs(args.dataset)
    train_pairs, eval_pairs = split_by_conversation(pairs, args.validation_share, args.seed)
    if not eval_pairs:
        raise SystemExit("bench needs held-out conversations: raise --validation-share")
    tokenizer = load_tokenizer(base_model)
    original = [plain_encode(tokenizer, pair, args.max_sequence_length) for pair in train_pairs]
    held_out = [plain_encode(tokenizer, pair, args.max_sequence_length) for pair in eval_pairs]
    per_pair_tokens = sum(len(ids) for ids, _ in original) * args.epochs
    device = Device.detect()
    if device.cuda:
        torch.cuda.reset_peak_memory_stats()
    hp = preset("balanced", epochs=args.epochs, batch_size=args.batch_size, max_sequence_length=args.max_sequence_length,
                lora_rank=args.lora_rank, lora_alpha=2 * args.lora_rank, learning_rate=args.learning_rate,
                validation_share=0.0, seed=args.seed)
    work = Path(os.environ.get("BRIGHTRUN_BENCH_WORK") or tempfile.mkdtemp(prefix="brightrun-bench-"))
    if args.run == "baseline":
        outcome = _run_baseline(args, base_model, hp, tokenizer, original, device, work)
    else:
        outcome = _run_ours(args, base_model, hp, train_pairs, device, work)
    model = outcome.pop("model")
    eval_loss = evaluate(model, held_out, tokenizer.pad_token_id, args.batch_size)
    peak, kind = _peak_memory(device)
    flops = _flops(model, outcome.pop("lengths"), args.epochs)
    peak_tflops = args.peak_tflops or _known_peak_tflops(device)
    peak_flops = peak_tflops * 1e12 if peak_tflops else None
    seconds = outcome["train_seconds"]
    return {
        "run": args.run,
        "examples_seen": len(train_pairs) * args.epochs,
        "per_pair_tokens": per_pair_tokens,
        "tokens_per_second": per_pair_tokens / seconds,
        "processed_tokens_per_second": outcome["tokens_processed"] / seconds,
        "mfu": flops / seconds / peak_flops if peak_flops else None,
        "peak_memory_gb": peak,
        "peak_memory_kind": kind,
        "eval_loss": eval_loss,
        "eval_pairs": len(eval_pairs),
        "device": _device_name(device),
        **outcome,
    }


def plain_encode(tokenizer, pair, max_length: int) -> tuple[list[int], list[int]]:
    """The original per-pair data: the pair with its whole history, context cut from the left."""
    from .data.examples import IGNORE_INDEX, pair_to_messages

    messages = pair_to_messages(pair)
    prompt = tokenizer.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True)
    full = tokenizer.apply_chat_template(messages, tokenize=False)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    ids = tokenizer(full, add_special_tokens=False)["input_ids"]
    labels = [IGNORE_INDEX] * len(prompt_ids) + ids[len(prompt_ids):]
    if len(ids) > max_length:
        ids, labels = ids[-max_length:], labels[-max_length:]
    return ids, labels


class _CountingCollator:
    def __init__(self, inner):
        self.inner = inner
        self.padding = 0

    def __call__(self, features):
        batch = self.inner(features)
        if "attention_mask" in batch:
            self.padding += int((batch["attention_mask"] == 0).sum())
        return batch


def _run_baseline(args, base_model, hp, tokenizer, original, device, work: Path) -> dict:
    import math as _math

    from peft import LoraConfig, get_peft_model
    from transformers import Trainer, TrainingArguments

    from .data.examples import Collator
    from .model import compute_dtype

    model = _plain_model(base_model, tokenizer, device)
    checkpointing = args.baseline_checkpointing == "on"
    import torch

    torch.manual_seed(hp.seed)
    model = get_peft_model(model, LoraConfig(r=hp.lora_rank, lora_alpha=hp.lora_alpha, lora_dropout=hp.lora_dropout,
                                             target_modules=list(hp.target_modules), task_type="CAUSAL_LM"))
    if checkpointing:
        model.enable_input_require_grads()
    steps = _math.ceil(len(original) / hp.batch_size) * hp.epochs
    training_args = TrainingArguments(
        output_dir=str(work / "baseline"), per_device_train_batch_size=hp.batch_size, num_train_epochs=hp.epochs,
        learning_rate=hp.learning_rate, lr_scheduler_type="cosine", warmup_steps=_math.ceil(hp.warmup_ratio * steps),
        weight_decay=0.0, max_grad_norm=1.0, logging_steps=1, save_strategy="no", eval_strategy="no", seed=hp.seed,
        data_seed=hp.seed, bf16=device.cuda and device.bf16, fp16=device.cuda and not device.bf16,
        use_cpu=not device.cuda, gradient_checkpointing=checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False} if checkpointing else None,
        optim="adamw_torch", remove_unused_columns=False, report_to="none", disable_tqdm=True, log_level="error")
    collator = _CountingCollator(Collator(tokenizer.pad_token_id, packing=False))
    features = [{"input_ids": ids, "labels": labels} for ids, labels in original]
    trainer = Trainer(model=model, args=training_args, train_dataset=features, data_collator=collator)
    started = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - started
    lengths = [len(ids) for ids, _ in original]
    return {"model": trainer.model, "train_seconds": seconds, "steps": trainer.state.global_step,
            "sequences": len(features), "tokens_processed": sum(lengths) * hp.epochs,
            "padding_tokens": collator.padding, "lengths": lengths, "gradient_checkpointing": checkpointing,
            "setup": ("plain HF Trainer + PEFT: per-pair examples, right-padded batches, AdamW, SDPA, stock kernels, "
                      f"gradient checkpointing {'on' if checkpointing else 'off'}, dtype {compute_dtype(device)}")}


def _plain_model(base_model, tokenizer, device):
    from . import model_configs, tiny_llama
    from .model import compute_dtype

    if base_model == tiny_llama.TINY_LLAMA:
        model = tiny_llama.build_model(tokenizer)
        return model.to("cuda") if device.cuda else model
    if model_configs.is_random(base_model):
        return model_configs.build_random_model(base_model, tokenizer, dtype=compute_dtype(device),
                                                device="cuda" if device.cuda else "cpu", attn_implementation="sdpa")
    from transformers import AutoModelForCausalLM

    kwargs = {"dtype": compute_dtype(device), "attn_implementation": "sdpa"}
    if device.cuda:
        import torch

        kwargs["device_map"] = {"": torch.cuda.current_device()}
    return AutoModelForCausalLM.from_pretrained(base_model, **kwargs)


def _run_ours(args, base_model, hp, train_pairs, device, work: Path) -> dict:
    from .checkpoints import LocalCheckpointStore
    from .console import ConsoleReporter
    from .training import PipelineInputs, run_pipeline

    if args.ours_checkpointing != "auto":
        hp.gradient_checkpointing = args.ours_checkpointing == "on"
    dataset = work / "train.jsonl"
    write_jsonl(train_pairs, dataset)
    reporter = _Quiet()
    (work / "ours" / "checkpoints").mkdir(parents=True, exist_ok=True)
    result = run_pipeline(PipelineInputs(
        base_model=base_model, hyperparameters=hp, dataset_path=dataset, output_dir=work / "ours",
        checkpoint_dir=work / "ours" / "checkpoints", store=LocalCheckpointStore(work / "ours" / "checkpoints"),
        reporter=reporter, dataset_encoding="JSONL"))
    lengths = [len(f["input_ids"]) for f in result.data.train]
    notes = {kind: message for _, kind, message in reporter.events}
    return {"model": result.model, "train_seconds": result.summary["trainRuntimeSeconds"],
            "steps": result.global_step, "sequences": len(lengths), "tokens_processed": sum(lengths) * hp.epochs,
            "padding_tokens": 0 if result.padding_free else None, "lengths": lengths,
            "gradient_checkpointing": "gradient checkpointing on" in notes.get("gradient_checkpointing", ""),
            "setup": "; ".join(notes.get(k, "") for k in ("example_layout", "kernels", "gradient_checkpointing"))
            + "; fused AdamW"}


class _Quiet:
    """A reporter that keeps the events (the bench prints its own summary)."""

    def __init__(self):
        import threading

        self.events: list[tuple[str, str, str]] = []
        self.cancel_requested = threading.Event()

    def stage(self, *args, **kwargs):
        pass

    def substatus(self, *args, **kwargs):
        pass

    def progress(self, *args, **kwargs):
        pass

    def metric(self, point):
        pass

    def event(self, level, kind, message):
        self.events.append((level, kind, message))


def write_jsonl(pairs, path: Path) -> None:
    """A v4 JSONL file holding exactly these pairs (the training conversations)."""
    with open(path, "w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps({
                "id": pair.pair_id, "conversation_id": pair.conversation_id, "turn_number": pair.turn_number,
                "system_prompt": pair.system_prompt,
                "conversation_history": [{"role": t.role, "content": t.content} for t in pair.history],
                "current_user_input": pair.current_user_input, "target_response": pair.target_response,
            }) + "\n")


def evaluate(model, examples, pad_token_id: int, batch_size: int) -> float:
    """Mean token loss over the labelled tokens of `examples` (padded batches, the same for both runs)."""
    import torch

    from .data.examples import IGNORE_INDEX, Collator

    collate = Collator(pad_token_id, packing=False)
    device = next(model.parameters()).device
    total, count = 0.0, 0
    model.eval()
    with torch.no_grad():
        for start in range(0, len(examples), batch_size):
            batch = collate([{"input_ids": ids, "labels": labels} for ids, labels in examples[start:start + batch_size]])
            batch = {key: value.to(device) for key, value in batch.items()}
            logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
            targets = batch["labels"][:, 1:]
            mask = targets != IGNORE_INDEX
            loss = torch.nn.functional.cross_entropy(logits[:, :-1][mask].float(), targets[mask], reduction="sum")
            total += float(loss)
            count += int(mask.sum())
    return total / count


def _flops(model, lengths: list[int], epochs: int) -> float:
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    config = base.config
    embeddings = base.get_input_embeddings().weight.numel()
    parameters = sum(p.numel() for name, p in base.named_parameters() if "lora_" not in name) - embeddings
    layers, hidden = config.num_hidden_layers, config.hidden_size
    per_epoch = sum(4 * parameters * n + 6 * layers * hidden * n * n for n in lengths)
    return per_epoch * epochs


def _known_peak_tflops(device) -> float | None:
    if not device.cuda:
        return None
    name = _device_name(device)
    return next((tflops for key, tflops in PEAK_TFLOPS if key in name), None)


def _device_name(device) -> str:
    import torch

    if device.cuda:
        return torch.cuda.get_device_name(0)
    import platform

    return f"CPU ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, {torch.get_num_threads()} threads)"


def _peak_memory(device) -> tuple[float, str]:
    if device.cuda:
        import torch

        return torch.cuda.max_memory_allocated() / 1e9, "cuda max_memory_allocated (GB)"
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9, "process max RSS (GB)"
