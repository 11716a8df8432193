#!/usr/bin/env bash
# The whole test suite: typecheck (tests included) → lint → build → unit → integration → e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --with-test-tools
export PATH="/usr/sbin:$PATH"
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx tsc -p tsconfig.build.json
npx vitest run "$@"
