"""Optional fast kernels: Liger (fused linear cross-entropy, RMSNorm, RoPE, SwiGLU) on CUDA.

Liger is Triton code for CUDA; it is not a requirement (not in the CPU venv, nor pinned in the
image until measured there), so everything here is guarded: when the package is missing, the
device is not CUDA, or the model family has no Liger patch, training runs on the stock kernels
and the job's events say which was used and why.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from dataclasses import dataclass

# model_type (config.model_type) → Liger's patch function for that family.
LIGER_PATCHES = {
    "llama": "apply_liger_kernel_to_llama",
    "mistral": "apply_liger_kernel_to_mistral",
    "mixtral": "apply_liger_kernel_to_mixtral",
    "qwen2": "apply_liger_kernel_to_qwen2",
    "qwen3": "apply_liger_kernel_to_qwen3",
    "gemma": "apply_liger_kernel_to_gemma",
    "gemma2": "apply_liger_kernel_to_gemma2",
    "phi3": "apply_liger_kernel_to_phi3",
}


@dataclass
class KernelChoice:
    liger: str | None  # the patch function's name, when Liger is used
    reason: str

    @property
    def fused_loss(self) -> bool:
        return self.liger is not None


def _liger_module():
    try:
        return importlib.import_module("liger_kernel.transformers")
    except Exception:  # ImportError, or a Triton that cannot initialise
        return None


def choose(model_type: str | None, *, cuda: bool, liger_module=None,
           find_module=_liger_module) -> KernelChoice:
    """Which kernels to use for this model on this device, and a sentence saying why."""
    if not cuda:
        return KernelChoice(None, "stock kernels: Liger kernels need CUDA")
    patch = LIGER_PATCHES.get(model_type or "")
    if patch is None:
        return KernelChoice(None, f"stock kernels: Liger has no patch for the {model_type!r} family")
    module = liger_module if liger_module is not None else find_module()
    if module is None:
        return KernelChoice(None, "stock kernels: liger-kernel is not installed in this image")
    if not hasattr(module, patch):
        return KernelChoice(None, f"stock kernels: this liger-kernel has no {patch}")
    return KernelChoice(patch, f"Liger kernels for {model_type}: fused linear cross-entropy, RMSNorm, RoPE, SwiGLU")


def apply(choice: KernelChoice, model, liger_module=None) -> None:
    """Patch `model` (an instance, before PEFT wraps it) with the chosen Liger kernels."""
    if choice.liger is None:
        return
    module = liger_module if liger_module is not None else _liger_module()
    patch = getattr(module, choice.liger)
    kwargs = dict(rope=True, rms_norm=True, swiglu=True, cross_entropy=False, fused_linear_cross_entropy=True)
    accepted = inspect.signature(patch).parameters
    if "model" in accepted:
        kwargs["model"] = model
    patch(**{key: value for key, value in kwargs.items() if key in accepted})


def attention_implementation(*, cuda: bool, find_spec=importlib.util.find_spec) -> tuple[str, str]:
    """FlashAttention-2 (varlen: padding-free batches at full speed) where installed, else SDPA."""
    if cuda and find_spec("flash_attn") is not None:
        return "flash_attention_2", "FlashAttention-2 attention"
    why = "flash-attn is not installed" if cuda else "no CUDA"
    return "sdpa", f"PyTorch SDPA attention ({why})"


def padding_free(attention: str) -> bool:
    """Whether padding-free batches pay off with this attention.

    FlashAttention-2's varlen kernel attends within each sequence of the row, so a padding-free
    batch costs what its tokens cost. SDPA has no varlen form: transformers gives it a
    block-diagonal mask over the whole row, which drops the fused causal kernel and attends over
    the row's full length — measured 2.7× slower per step than padded batches on the CPU here
    (tiny-llama, batch 4 × 512, sample data). The loss is the same either way.
    """
    return attention == "flash_attention_2"
