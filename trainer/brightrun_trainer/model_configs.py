"""Random-initialised base models built from a known architecture, for benchmarks without hub access.

`random:<name>` as a base model builds the architecture below with random weights (fixed seed, so
every process builds the same model) in the compute dtype, directly on the GPU when there is
one. Its tokenizer is tiny-llama's byte-level one: benchmarks measure speed and memory, which do not
depend on what the weights know. Shapes are those published in each model's config.json.
"""

from __future__ import annotations

RANDOM_PREFIX = "random:"
SEED = 20240602

MODEL_CONFIGS: dict[str, dict] = {
    "llama-3-8b": dict(hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32,
                       num_key_value_heads=8, vocab_size=128256, max_position_embeddings=8192, rms_norm_eps=1e-5,
                       rope_theta=500000.0, tie_word_embeddings=False),
    "llama-3.2-1b": dict(hidden_size=2048, intermediate_size=8192, num_hidden_layers=16, num_attention_heads=32,
                         num_key_value_heads=8, vocab_size=128256, max_position_embeddings=8192, rms_norm_eps=1e-5,
                         rope_theta=500000.0, tie_word_embeddings=True),
    "mistral-7b": dict(hidden_size=4096, intermediate_size=14336, num_hidden_layers=32, num_attention_heads=32,
                       num_key_value_heads=8, vocab_size=32768, max_position_embeddings=32768, rms_norm_eps=1e-5,
                       rope_theta=1000000.0, tie_word_embeddings=False),
}


def is_random(base_model: str) -> bool:
    return base_model.startswith(RANDOM_PREFIX)


def config_name(base_model: str) -> str:
    from .errors import ConfigError

    name = base_model[len(RANDOM_PREFIX):]
    if name not in MODEL_CONFIGS:
        raise ConfigError(f"unknown model config {name!r}; choose one of {', '.join(sorted(MODEL_CONFIGS))}")
    return name


def build_random_model(base_model: str, tokenizer, *, dtype, device: str, attn_implementation: str):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id, **MODEL_CONFIGS[config_name(base_model)])
    config._attn_implementation = attn_implementation
    previous = torch.get_default_dtype()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        torch.set_default_dtype(dtype)
        try:
            with torch.device(device):
                model = LlamaForCausalLM(config)
        finally:
            torch.set_default_dtype(previous)
    return model
