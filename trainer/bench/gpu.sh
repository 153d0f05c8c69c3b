#!/usr/bin/env bash
# The GPU benchmark, as one prepared script (see README.md here). Run from the repository root on a
# machine with one NVIDIA GPU and the trainer installed (the RunPod image, or trainer/.venv with a
# CUDA torch). No hub access is needed: the models are random-initialised from their configs.
#
#   bash trainer/bench/gpu.sh [DATASET]        # writes bench-out/*.json and prints a summary
#
# What it runs (each line is one `bench`: two child processes, baseline then ours):
#   1. llama-3-8b, r=16 on 7 modules, seq 2048, batch 4, bf16, 3 epochs:
#      baseline = plain HF Trainer + PEFT with gradient checkpointing; ours = as a job runs it.
#   2. the same with ours forced to checkpoint (ours at ≤ the baseline's memory).
#   3. the same with the baseline without checkpointing (the memory plan's other measured figure).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dataset="${1:-$repo/../shared/data/brightrun-v4/EQ-12-conversations-demo.json}"
python="${PYTHON:-$repo/trainer/.venv/bin/python}"
[[ -x "$python" ]] || python="$(command -v python3)"
out="${OUT:-bench-out}"
mkdir -p "$out"
export PYTHONPATH="$repo/trainer${PYTHONPATH:+:$PYTHONPATH}" HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=true

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
"$python" -c "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)" | tee -a "$out/gpu.txt"
"$python" -c "import importlib.util as u; print('flash_attn', bool(u.find_spec('flash_attn')), 'liger_kernel', bool(u.find_spec('liger_kernel')))" | tee -a "$out/gpu.txt"

common=(--dataset "$dataset" --model-config llama-3-8b --max-sequence-length 2048 --batch-size 4 --lora-rank 16 --epochs 3 --json)
"$python" -m brightrun_trainer bench "${common[@]}" > "$out/1-auto.json"
"$python" -m brightrun_trainer bench "${common[@]}" --ours-checkpointing on > "$out/2-ours-checkpointing.json"
"$python" -m brightrun_trainer bench "${common[@]}" --baseline-checkpointing off --ours-checkpointing off > "$out/3-no-checkpointing.json"

"$python" - "$out" <<'PY'
import json, pathlib, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    r = json.loads(path.read_text())
    b, o = r["baseline"], r["ours"]
    print(f"{path.name}: baseline {b['tokens_per_second']:,.0f} tok/s, MFU {b['mfu'] or 0:.1%}, {b['peak_memory_gb']:.1f} GB,"
          f" loss {b['eval_loss']:.4f} (ckpt {b['gradient_checkpointing']}) | ours {o['tokens_per_second']:,.0f} tok/s,"
          f" MFU {o['mfu'] or 0:.1%}, {o['peak_memory_gb']:.1f} GB, loss {o['eval_loss']:.4f} (ckpt {o['gradient_checkpointing']})"
          f" | ratios: tokens/s {r['tokens_per_second_ratio']}, memory {r['peak_memory_ratio']}, loss {r['eval_loss_ratio']}")
PY
