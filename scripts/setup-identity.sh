#!/usr/bin/env bash
# Test tools of the Microsoft identity area (issue 5). Idempotent; run as root on Debian 12 or
# as a developer. Installs:
#  - Node.js + npm (Debian) if missing, and the npm package oauth2-mock-server (an independent
#    OAuth 2.0 server used by the conformance test) into tests/identity-tools/ from its lock file;
#  - openssl (Debian) used by the certificate test to cross-check thumbprints and the key.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/apt.sh
. scripts/lib/apt.sh

ensure_tools openssl=openssl node=nodejs npm=npm

tools=tests/identity-tools
if [ ! -f "$tools/node_modules/oauth2-mock-server/package.json" ] \
   || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  npm --prefix "$tools" ci --no-audit --no-fund --loglevel=error
fi
echo "setup-identity: ok (node $(node --version), oauth2-mock-server $(node -p "require('./$tools/node_modules/oauth2-mock-server/package.json').version"))"
