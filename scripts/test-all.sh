#!/usr/bin/env bash
# The README's test command: every suite, in order; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== prisma client"
node scripts/prisma-generate.mjs
echo "== trainer environment (trainer/.venv; the server's end-to-end suites run the real trainer)"
bash trainer/setup.sh
echo "== web build (codegen + vite; npm start serves it)"
npm run build -w web --silent
echo "== typecheck (tsc; svelte-check for web)"
npm run typecheck --silent
echo "== web (vitest: units and components; then the browser suite in Chromium against a real server)"
npm run test -w web --silent
echo "== server (vitest)"
npm run test -w server --silent
echo "== sdk (build; unit suites and integration suites against a real server on port 0)"
npm run test -w sdk --silent
echo "== trainer (pytest)"
bash trainer/run-tests.sh
