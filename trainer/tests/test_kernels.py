"""Kernel selection: Liger where the family has a patch and CUDA and the package are there; FA2 or SDPA."""

from __future__ import annotations

import types

from brightrun_trainer import kernels


def fake_liger(**patches):
    return types.SimpleNamespace(**patches)


def test_liger_needs_cuda_a_known_family_and_the_package():
    calls = []
    module = fake_liger(apply_liger_kernel_to_llama=lambda **kw: calls.append(kw))
    assert kernels.choose("llama", cuda=False, liger_module=module).liger is None
    choice = kernels.choose("llama", cuda=False, liger_module=module)
    assert choice.reason == "stock kernels: Liger kernels need CUDA" and not choice.fused_loss
    unknown = kernels.choose("gpt2", cuda=True, liger_module=module)
    assert unknown.liger is None and "no patch for the 'gpt2' family" in unknown.reason
    missing = kernels.choose("llama", cuda=True, find_module=lambda: None)
    assert missing.liger is None and "not installed" in missing.reason
    old = kernels.choose("qwen3", cuda=True, liger_module=fake_liger(apply_liger_kernel_to_llama=print))
    assert old.liger is None and "no apply_liger_kernel_to_qwen3" in old.reason
    chosen = kernels.choose("llama", cuda=True, liger_module=module)
    assert chosen.liger == "apply_liger_kernel_to_llama" and chosen.fused_loss
    assert "fused linear cross-entropy, RMSNorm, RoPE, SwiGLU" in chosen.reason


def test_every_family_maps_to_its_own_patch():
    for family, patch in kernels.LIGER_PATCHES.items():
        module = fake_liger(**{patch: lambda **kw: None})
        assert kernels.choose(family, cuda=True, liger_module=module).liger == patch


def test_the_patch_is_applied_to_the_instance_with_the_options_it_accepts():
    received = {}

    def new_style(rope=True, rms_norm=True, swiglu=True, cross_entropy=False, fused_linear_cross_entropy=True,
                  model=None):
        received.update(rope=rope, rms_norm=rms_norm, swiglu=swiglu, cross_entropy=cross_entropy,
                        fused_linear_cross_entropy=fused_linear_cross_entropy, model=model)

    module = fake_liger(apply_liger_kernel_to_llama=new_style)
    model = object()
    kernels.apply(kernels.choose("llama", cuda=True, liger_module=module), model, liger_module=module)
    assert received == dict(rope=True, rms_norm=True, swiglu=True, cross_entropy=False,
                            fused_linear_cross_entropy=True, model=model)

    older = {}
    module = fake_liger(apply_liger_kernel_to_llama=lambda rope=True, fused_linear_cross_entropy=True:
                        older.update(rope=rope, flce=fused_linear_cross_entropy))
    kernels.apply(kernels.choose("llama", cuda=True, liger_module=module), object(), liger_module=module)
    assert older == {"rope": True, "flce": True}  # no `model` parameter: patched at class level
    kernels.apply(kernels.KernelChoice(None, "stock"), object())  # nothing to do, nothing imported


def test_flash_attention_where_installed_else_sdpa_and_padding_free_only_with_varlen():
    found = lambda name: object() if name == "flash_attn" else None  # noqa: E731
    assert kernels.attention_implementation(cuda=True, find_spec=found)[0] == "flash_attention_2"
    assert kernels.attention_implementation(cuda=True, find_spec=lambda name: None) == (
        "sdpa", "PyTorch SDPA attention (flash-attn is not installed)")
    assert kernels.attention_implementation(cuda=False, find_spec=found)[0] == "sdpa"
    assert kernels.padding_free("flash_attention_2") and not kernels.padding_free("sdpa")


def test_on_this_machine_the_stock_kernels_are_chosen_and_said(tokenizer):
    from brightrun_trainer.config import Hyperparameters
    from brightrun_trainer.model import Device, load_model

    loaded = load_model("tiny-llama", Hyperparameters(), tokenizer, Device(cuda=False, bf16=False, total_memory=None))
    notes = {kind: message for _, kind, message in loaded.notes}
    assert loaded.kernels is None and loaded.attention == "sdpa"
    assert notes["kernels"].startswith("stock kernels: Liger kernels need CUDA; PyTorch SDPA attention (no CUDA)")
