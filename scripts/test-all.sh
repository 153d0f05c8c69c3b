#!/usr/bin/env bash
# The README's test command. The set-up steps (prisma client, trainer environment, web build,
# typecheck) stop at the first failure; then every suite runs even when an earlier one failed, so one
# run reports all failures, and the script exits non-zero if any suite failed.
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
failed=()
suite() { # suite <name> <command…>
  local name=$1; shift
  local started=$SECONDS
  if "$@"; then echo "== $name: passed in $((SECONDS - started)) s"
  else echo "== $name: FAILED (exit $?) after $((SECONDS - started)) s"; failed+=("$name"); fi
}
echo "== web (vitest: units and components; then the browser suite in Chromium against a real server)"
suite web npm run test -w web --silent
echo "== server (vitest)"
suite server npm run test -w server --silent
echo "== sdk (build; unit suites and integration suites against a real server on port 0)"
suite sdk npm run test -w sdk --silent
echo "== trainer (pytest)"
suite trainer bash trainer/run-tests.sh

if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED suites: ${failed[*]}" >&2
  exit 1
fi
echo "== all suites passed"
