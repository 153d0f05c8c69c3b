#!/usr/bin/env bash
# The README's test command: every suite, in order; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== prisma client"
node scripts/prisma-generate.mjs
echo "== trainer environment (trainer/.venv; the server's end-to-end suites run the real trainer)"
bash trainer/setup.sh
echo "== typecheck"
npm run typecheck --silent
echo "== server (vitest)"
npm run test -w server --silent
echo "== trainer (pytest)"
bash trainer/run-tests.sh
