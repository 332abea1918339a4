#!/usr/bin/env bash
# Installs everything Hire2Retire Setup needs to build, run and test on Debian 12 / Ubuntu 22.04+:
# system packages, the Rust toolchain (if missing), Node packages and each area's test tools.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] || curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  export PATH="$HOME/.cargo/bin:$PATH"
fi

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || true
  if [ "$(node_major)" -lt 20 ]; then
    echo "install: Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none)); see https://nodejs.org/en/download/package-manager" >&2
    exit 2
  fi
fi

# Each area's own setup (UI packages, interop and test tools), in a fixed order.
for s in setup-ui setup-keys setup-ldap setup-identity setup-deny; do
  if [ -x "scripts/$s.sh" ]; then
    "./scripts/$s.sh"
  fi
done
