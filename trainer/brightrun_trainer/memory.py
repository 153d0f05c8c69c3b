"""Whether to recompute activations (gradient checkpointing), from a memory plan.

Checkpointing costs about a third more compute, so it is only switched on when the planned peak
without it does not fit. The model is the same as the server's estimate
(`server/src/training/estimate/memory.ts`); both are checked against the same cases
(`trainer/tests/memory_cases.json`). Figures are decimal GB (10⁹ bytes), as the server's.

Measured on one H200 (random-init Llama-3-8B, LoRA r=16 on the 7 projections, sequence 2,048,
batch 4, bf16, plain HF Trainer + PEFT, SDPA): peak 90 GB without checkpointing, 29 GB with it.
The model gives 88.9 GB and 30.7 GB: an 80 GB GPU must checkpoint that case, an H200 need not.

Peak = weights + activations + logits + adapter + CUDA context, where
- weights: bf16 (2 bytes/parameter), or NF4 with double quantization (0.515 bytes) for all but
  the embeddings and LM head, which stay bf16;
- one layer's working activations for a step: tokens × (4·hidden + 3·intermediate) bf16 values,
  twice (the outputs kept for backward and their gradients' transients) — without checkpointing
  every layer keeps them, with checkpointing only the layer being recomputed does, plus one
  bf16 hidden state per layer;
- logits: bf16, their fp32 upcast in the loss, and their bf16 gradient (2 + 4 + 2 bytes each);
- the adapter in fp32 with its gradient and two Adam moments (16 bytes/parameter).
"""

from __future__ import annotations

from dataclasses import dataclass

GB = 1e9
HEADROOM = 0.9  # of the device's memory, for the allocator's fragmentation (the server's too)
CUDA_CONTEXT = 1.5 * GB
NF4_BYTES_PER_PARAMETER = 0.5 * 1.03
LOGIT_BYTES_PER_ENTRY = 2 + 4 + 2
ADAPTER_BYTES_PER_PARAMETER = 16


@dataclass
class MemoryPlan:
    weights: float
    layer_activations: float  # one layer's working activations for a step
    hidden_checkpoints: float  # one bf16 hidden state per layer (kept when checkpointing)
    layers: int
    logits: float
    adapter: float

    def peak(self, checkpointing: bool) -> float:
        """Planned peak in bytes."""
        activations = (self.hidden_checkpoints + self.layer_activations if checkpointing
                       else self.layers * self.layer_activations)
        return self.weights + activations + self.logits + self.adapter + CUDA_CONTEXT


def plan(*, parameters: int, hidden_size: int, intermediate_size: int, layers: int, vocab_size: int,
         batch_size: int, sequence_length: int, quantized: bool, adapter_parameters: int,
         fused_loss: bool = False) -> MemoryPlan:
    """The memory of one training step at batch × sequence tokens (the padding-free worst case).

    `fused_loss`: the logits are never materialised whole (Liger's fused linear cross-entropy).
    """
    tokens = batch_size * sequence_length
    embeddings = 2 * vocab_size * hidden_size
    weights = ((parameters - embeddings) * NF4_BYTES_PER_PARAMETER + embeddings * 2 if quantized
               else parameters * 2)
    return MemoryPlan(
        weights=weights,
        layer_activations=tokens * (4 * hidden_size + 3 * intermediate_size) * 2 * 2,
        hidden_checkpoints=layers * tokens * hidden_size * 2,
        layers=layers,
        logits=0.0 if fused_loss else tokens * vocab_size * LOGIT_BYTES_PER_ENTRY,
        adapter=adapter_parameters * ADAPTER_BYTES_PER_PARAMETER,
    )


def decide_checkpointing(requested: bool | None, *, device_memory: int | None, **shape) -> tuple[bool, str]:
    """(use checkpointing?, a sentence saying why)."""
    if requested is not None:
        return requested, f"gradient checkpointing {'on' if requested else 'off'} as the job asks"
    if device_memory is None:
        return False, "gradient checkpointing off: no GPU, memory is not the constraint"
    memory = plan(**shape)
    without, with_ = memory.peak(False), memory.peak(True)
    budget = device_memory * HEADROOM
    use = without > budget
    return use, (
        f"gradient checkpointing {'on' if use else 'off'}: planned peak without it {without / GB:.1f} GB "
        f"{'>' if use else '≤'} {budget / GB:.1f} GB available ({HEADROOM:.0%} of the GPU); "
        f"with it {with_ / GB:.1f} GB"
    )


def lora_parameter_count(model, target_modules, rank: int) -> int:
    """rank × (inputs + outputs) for every linear layer LoRA will adapt."""
    targets = set(target_modules)
    total = 0
    for name, module in model.named_modules():
        if name.rsplit(".", 1)[-1] in targets and hasattr(module, "in_features") and hasattr(module, "out_features"):
            total += rank * (module.in_features + module.out_features)
    return total
