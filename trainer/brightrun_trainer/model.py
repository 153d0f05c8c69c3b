"""Loading the base model and tokenizer, and attaching the LoRA adapter."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import kernels, memory, model_configs, tiny_llama, weights_cache
from .config import DEFAULT_TARGET_MODULES, Hyperparameters
from .errors import ConfigError


@dataclass
class Device:
    cuda: bool
    bf16: bool
    total_memory: int | None

    @classmethod
    def detect(cls) -> "Device":
        import torch

        if not torch.cuda.is_available():
            return cls(cuda=False, bf16=False, total_memory=None)
        return cls(cuda=True, bf16=torch.cuda.is_bf16_supported(),
                   total_memory=torch.cuda.get_device_properties(0).total_memory)


@dataclass
class LoadedModel:
    model: object
    gradient_checkpointing: bool
    quantized: bool
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (level, kind, message) events
    kernels: str | None = None  # the Liger patch applied, if any
    attention: str = "sdpa"


def load_tokenizer(base_model: str):
    if base_model == tiny_llama.TINY_LLAMA or model_configs.is_random(base_model):
        return tiny_llama.build_tokenizer()
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_model, cache_dir=weights_cache.hub_cache_dir()[0])
    if tokenizer.chat_template is None:
        tokenizer.chat_template = tiny_llama.LLAMA3_STYLE_TEMPLATE
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(base_model: str, hp: Hyperparameters, tokenizer, device: Device) -> LoadedModel:
    import torch
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    notes: list[tuple[str, str, str]] = []
    quantize = hp.quantization == "NF4" and device.cuda
    if hp.quantization == "NF4" and not device.cuda:
        notes.append(("WARNING", "quantization_skipped", "NF4 needs CUDA; training the base model unquantized."))

    attention, attention_note = kernels.attention_implementation(cuda=device.cuda)
    if base_model == tiny_llama.TINY_LLAMA:
        model = tiny_llama.build_model(tokenizer)
        if device.cuda:
            model = model.to("cuda")
    elif model_configs.is_random(base_model):
        model = model_configs.build_random_model(base_model, tokenizer, dtype=compute_dtype(device),
                                                 device="cuda" if device.cuda else "cpu",
                                                 attn_implementation=attention)
    else:
        from transformers import AutoModelForCausalLM

        kwargs: dict = {"dtype": compute_dtype(device), "attn_implementation": attention}
        if quantize:
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=compute_dtype(device),
            )
        if device.cuda:
            kwargs["device_map"] = {"": torch.cuda.current_device()}
        cache_dir, cache_warning = weights_cache.hub_cache_dir()
        if cache_warning:
            notes.append(("WARNING", "weights_cache", cache_warning))
        model = AutoModelForCausalLM.from_pretrained(base_model, cache_dir=cache_dir, **kwargs)

    choice = kernels.choose(getattr(model.config, "model_type", None), cuda=device.cuda)
    kernels.apply(choice, model)
    batches = ("padding-free batches (varlen)" if kernels.padding_free(attention) else
               "padded batches (padding-free ones need FlashAttention-2: with SDPA their block-diagonal mask "
               "costs more than the padding)") if hp.packing else "padded batches (packing off)"
    notes.append(("INFO", "kernels", f"{choice.reason}; {attention_note}; {batches}"))
    fused_loss = choice.fused_loss

    use_checkpointing, why = memory.decide_checkpointing(
        hp.gradient_checkpointing,
        device_memory=device.total_memory,
        parameters=sum(p.numel() for p in model.parameters()),
        hidden_size=model.config.hidden_size,
        intermediate_size=getattr(model.config, "intermediate_size", 4 * model.config.hidden_size),
        layers=model.config.num_hidden_layers,
        vocab_size=model.config.vocab_size,
        batch_size=hp.batch_size,
        sequence_length=hp.max_sequence_length,
        quantized=quantize,
        adapter_parameters=memory.lora_parameter_count(model, hp.target_modules, hp.lora_rank),
        fused_loss=fused_loss,
    )
    notes.append(("INFO", "gradient_checkpointing", why))

    if quantize:
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=use_checkpointing,
            gradient_checkpointing_kwargs={"use_reentrant": False},
        )
    model.config.use_cache = False

    present = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    missing = [name for name in hp.target_modules if name not in present]
    if missing:
        raise ConfigError(
            f"hyperparameter targetModules names {missing} that {base_model} does not have; "
            f"choose among its linear layers, e.g. {sorted(present & set(DEFAULT_TARGET_MODULES))}"
        )
    lora = LoraConfig(r=hp.lora_rank, lora_alpha=hp.lora_alpha, lora_dropout=hp.lora_dropout,
                      target_modules=list(hp.target_modules), task_type="CAUSAL_LM", bias="none")
    # The adapter's initialisation draws from the global generator: seed it so it is reproducible.
    torch.manual_seed(hp.seed)
    model = get_peft_model(model, lora)
    if use_checkpointing:
        model.enable_input_require_grads()
    return LoadedModel(model=model, gradient_checkpointing=use_checkpointing, quantized=quantize, notes=notes,
                       kernels=choice.liger, attention=attention)


def compute_dtype(device: Device):
    import torch

    if not device.cuda:
        return torch.float32
    return torch.bfloat16 if device.bf16 else torch.float16

