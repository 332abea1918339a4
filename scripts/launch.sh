#!/usr/bin/env bash
# Installs everything, builds the wizard and launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

./scripts/install.sh
npm --prefix ui run build
cargo build --locked -p h2r-setup-app
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "launch: no display found (DISPLAY/WAYLAND_DISPLAY unset). Built target/debug/h2r-setup-app; run it from a desktop session." >&2
  exit 2
fi
exec ./target/debug/h2r-setup-app "$@"
