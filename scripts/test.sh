#!/usr/bin/env bash
# The whole test suite, fastest first so a failure reports early:
# typecheck (tests included) with the build, lint and format check side by side → every vitest file (unit,
# integration, e2e, bad input and security) in one run, so the two workers stay busy until the
# last file → multi-host chaos on a short budget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --with-test-tools
export PATH="/usr/sbin:$PATH"
# The four static steps are independent: run them side by side, each one's output shown when
# it fails (a step's log is kept whole, not interleaved with the others).
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
static_step() {
  local name=$1
  shift
  (if "$@" >"$logs/$name.log" 2>&1; then echo 0; else echo 1; fi >"$logs/$name.rc") &
}
started=$(date +%s)
# One TypeScript program checks everything (tests included) and emits what `npm run build` emits:
# a separate build would check the sources a second time. What only the tests need is removed
# from dist, so dist holds what the build makes.
# (Joined with &&: `set -e` does not stop a function called as an `if` condition.)
typecheck_and_build() {
  npx tsc -p tsconfig.json --outDir dist &&
    rm -rf dist/test dist/vitest.config.js* dist/vitest.provider.config.js* dist/vitest.chaos.config.js* &&
    node scripts/bundle-cli.mjs
}
static_step typecheck-and-build typecheck_and_build
static_step lint npx eslint .
static_step format npx prettier --check --log-level warn "**/*.{ts,js,mjs}"
wait
failed=0
for name in typecheck-and-build lint format; do
  if [ "$(cat "$logs/$name.rc")" != "0" ]; then
    echo "$name failed:" >&2
    cat "$logs/$name.log" >&2
    failed=1
  fi
done
[ "$failed" = "0" ] || exit 1
echo "typecheck, lint, format and build passed in $(($(date +%s) - started)) s"
if [ "$#" -gt 0 ]; then
  # Arguments (a file, a folder, -t "name") go straight to vitest.
  npx vitest run "$@"
  exit 0
fi
npx vitest run test/unit test/integration test/e2e test/bad-input test/security
# Needs root: three network-namespace hosts (the full run is `npm run test:chaos`).
npx vitest run --config vitest.chaos.config.ts test/chaos/quick
