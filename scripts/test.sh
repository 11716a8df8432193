#!/usr/bin/env bash
# The whole test suite, fastest first so a failure reports early:
# typecheck (tests included) → lint → format check → build → unit → the rest (integration, e2e,
# bad input and security) in one vitest run, so the two workers stay busy until the last file
# → multi-host chaos on a short budget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --with-test-tools
export PATH="/usr/sbin:$PATH"
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx prettier --check --log-level warn "**/*.{ts,js,mjs}"
npx tsc -p tsconfig.build.json
if [ "$#" -gt 0 ]; then
  # Arguments (a file, a folder, -t "name") go straight to vitest.
  npx vitest run "$@"
  exit 0
fi
npx vitest run test/unit
npx vitest run test/integration test/e2e test/bad-input test/security
# Needs root: three network-namespace hosts (the full run is `npm run test:chaos`).
npx vitest run --config vitest.chaos.config.ts test/chaos/quick
