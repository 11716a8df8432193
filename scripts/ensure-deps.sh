#!/usr/bin/env bash
# Installs what infracrew needs on a fresh Debian machine, or says clearly what is missing.
# Usage: scripts/ensure-deps.sh [--with-test-tools]
set -euo pipefail
cd "$(dirname "$0")/.."

need_node_major=20
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt "$need_node_major" ]; then
  echo "infracrew needs Node.js >= 20.19 (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

apt_install() {
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: $*" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "missing: $* — install with: sudo apt-get install $*" >&2
    exit 1
  fi
}

command -v redis-server >/dev/null 2>&1 || apt_install redis-server
if ! command -v terraform >/dev/null 2>&1; then
  echo "missing: terraform (>= 1.4, for terraform_data) — install it from HashiCorp's Debian repository or a release zip, and put it on PATH" >&2
  exit 1
fi
if [ "${1:-}" = "--with-test-tools" ]; then
  command -v ansible-playbook >/dev/null 2>&1 || apt_install ansible-core
  command -v named >/dev/null 2>&1 || [ -x /usr/sbin/named ] || apt_install bind9
  command -v dig >/dev/null 2>&1 || apt_install bind9-dnsutils
  # The plan page's browser test drives Debian's chromium (playwright-core never downloads one).
  command -v chromium >/dev/null 2>&1 || apt_install chromium
fi

# Reinstall only when the lock file changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.infracrew-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.infracrew-lock-hash
fi
