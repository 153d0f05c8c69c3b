#!/usr/bin/env bash
# Creates trainer/.venv with the CPU build of torch, the pinned requirements, pytest and the
# trainer itself (editable). Idempotent: a stamp holds the hash of every input, so a second run
# with nothing changed returns at once. Called by `npm run trainer:setup` from the repo root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
stamp="$venv/.brightrun-setup.sha256"

inputs_hash="$(cd "$here" && cat setup.sh pyproject.toml requirements-torch.txt requirements.txt requirements-dev.txt \
  | sha256sum | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$inputs_hash" && -x "$venv/bin/python" ]] \
  && "$venv/bin/python" -c "import brightrun_trainer" 2>/dev/null; then
  echo "trainer: .venv is up to date"
  exit 0
fi

python_bin="${PYTHON:-}"
if [[ -z "$python_bin" ]]; then
  for candidate in python3.11 python3.12 python3.10 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
if [[ -z "$python_bin" ]] || ! "$python_bin" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "trainer: needs Python ≥ 3.10 (set PYTHON=/path/to/python)" >&2
  exit 1
fi

echo "trainer: setting up $venv with $("$python_bin" --version)"
[[ -x "$venv/bin/python" ]] || "$python_bin" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" install --quiet --upgrade pip
# torch first and on its own: with it in place, no other requirement can pull a CUDA build.
"${pip[@]}" install --quiet -r "$here/requirements-torch.txt"
"${pip[@]}" install --quiet -r "$here/requirements.txt" -r "$here/requirements-dev.txt" -c "$here/requirements-torch.txt"
"${pip[@]}" install --quiet --no-deps --no-build-isolation -e "$here"
"$venv/bin/python" -c "import torch, transformers, peft; print(f'trainer: torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}')"
echo "$inputs_hash" > "$stamp"
