#!/usr/bin/env bash
# Writes a CycloneDX SBOM of the runtime dependencies to dist/sbom.cdx.json and checks it.
# Usage: scripts/sbom.sh [output-file]
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-dist/sbom.cdx.json}
mkdir -p "$(dirname "$out")"
tmp=$(mktemp "${out}.XXXXXX")
trap 'rm -f "$tmp"' EXIT

# npm reads the installed tree: run `npm ci` first so it matches package-lock.json.
npm sbom --sbom-format cyclonedx --omit dev >"$tmp"

node --input-type=module - "$tmp" <<'JS'
import { readFileSync } from 'node:fs';
const file = process.argv[2];
let bom;
try {
  bom = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`sbom: npm sbom did not write JSON (${err.message})`);
  process.exit(1);
}
const components = Array.isArray(bom.components) ? bom.components : [];
if (bom.bomFormat !== 'CycloneDX' || components.length === 0) {
  console.error(`sbom: expected a CycloneDX document with components, got bomFormat=${bom.bomFormat} and ${components.length} components`);
  process.exit(1);
}
console.error(`sbom: CycloneDX ${bom.specVersion}, ${components.length} components`);
JS

chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "$out"
