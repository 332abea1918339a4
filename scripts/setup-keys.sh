#!/usr/bin/env bash
# Test tools of the keys / agent-config area (issue 3). Idempotent; run as root on Debian 12 or
# as a developer. Installs:
#  - shellcheck (Debian): the generated agent setup commands (bash) are checked with it;
#  - openssl (Debian): the interop tests check that OpenSSL reads both PEM files, and the
#    benchmark compares against `openssl genpkey`;
#  - Node.js + npm (Debian) if missing, and the npm package `jose` (an independent JOSE
#    implementation) into tests/keys-tools/ from its lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/apt.sh
. scripts/lib/apt.sh

ensure_tools openssl=openssl node=nodejs npm=npm shellcheck=shellcheck

tools=tests/keys-tools
if [ ! -f "$tools/node_modules/jose/package.json" ] \
   || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  npm --prefix "$tools" ci --no-audit --no-fund --loglevel=error
fi
echo "setup-keys: ok ($(openssl version | cut -d' ' -f1-2), node $(node --version), jose $(node -p "require('./$tools/node_modules/jose/package.json').version"))"
