#!/usr/bin/env bash
# Sets up trainer/.venv if needed, then runs the trainer's pytest suite (CPU, no downloads).
# Runs from the repository root; extra arguments go to pytest. The exit code is pytest's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/setup.sh"
cd "$here/.."
exec "$here/.venv/bin/python" -m pytest -q trainer/tests "$@"
