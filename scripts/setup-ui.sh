#!/usr/bin/env bash
# Installs what the desktop shell's UI and its tests need: Node packages of ui/ (locked), and
# the Debian packages used only for the icon and the end-to-end run (idempotent).
set -euo pipefail
# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"
cd "$(dirname "$0")/.."

PKGS=(librsvg2-bin webkit2gtk-driver xvfb xauth imagemagick chromium fonts-dejavu-core dbus-x11)
ensure_debs "${PKGS[@]}"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup-ui: node and npm are needed (Node 20 or newer)." >&2
  exit 2
fi

# npm ci only when the lock file changed since the last install (fast re-runs).
stamp=ui/node_modules/.h2r-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
  npm --prefix ui ci --no-audit --no-fund
  cp ui/package-lock.json "$stamp"
fi
