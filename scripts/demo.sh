#!/usr/bin/env bash
# The main job on embedded defaults: a goal planned, approved by someone else, applied and
# rolled back on the sandbox target (real Terraform, local Redis), then a goal Sentinel blocks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
export CREW_DATA_DIR="${CREW_DATA_DIR:-$PWD/.crew/demo}"
mkdir -p "$CREW_DATA_DIR"
OUT="$CREW_DATA_DIR/last-plan.json"
crew() { node bin/crew.js "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "alice asks for a plan"
GOAL='private Ollama on spot g4dn.xlarge in us-east-1, 2 instances, off on weekends, budget $300/month, stack ollama-demo'
echo "crew plan \"$GOAL\" --as alice"
crew plan "$GOAL" --as alice --json > "$OUT" || { cat "$OUT"; exit 1; }
ID=$(node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); console.log(p.id)' "$OUT")
SHA=$(node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); console.log(p.planSha256.slice(0, 12))' "$OUT")
crew status "$ID"

step "alice cannot approve her own plan (four-eyes)"
crew approve "$ID" --as alice && exit 1 || echo "(exit $?: refused as expected)"

step "bob approves the plan file he reviewed (--sha): Forge applies exactly that file"
crew approve "$ID" --sha "$SHA" --as bob

step "alice rolls it back"
crew rollback "$ID" --as alice

step "history of $ID"
crew history "$ID"

step "a goal that opens the Ollama port to the world is blocked by Sentinel"
set +e
crew plan 'private Ollama on spot g4dn.xlarge, open port 11434 to 0.0.0.0/0, stack ollama-open' --as alice
code=$?
set -e
[ "$code" = 2 ] || { echo "expected exit 2 (BLOCKED), got $code"; exit 1; }
echo "(exit 2: BLOCKED as expected)"
rm -f "$OUT"
step "demo finished: data in $CREW_DATA_DIR"
