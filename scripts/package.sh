#!/usr/bin/env bash
# Builds the release installers of the machine it runs on (issue 10):
#   Linux   .deb and .rpm      -> target/release/bundle/deb/, target/release/bundle/rpm/
#   Windows .msi (WiX) and NSIS -setup.exe -> target/release/bundle/msi/, target/release/bundle/nsis/
#   macOS   .app and .dmg      -> target/release/bundle/macos/, target/release/bundle/dmg/
# The third-party licence notice is regenerated first (it ships inside every package). On Linux
# the .deb is then checked: lintian (no error), desktop-file-validate, WebKitGTK 4.1 dependency.
# Extra arguments go to `tauri build` (e.g. --target, --config). Signing: see docs/packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

case "$(uname -s)" in
  Linux) BUNDLES=deb,rpm; OS=linux ;;
  Darwin) BUNDLES=app,dmg; OS=macos ;;
  MINGW* | MSYS* | CYGWIN*) BUNDLES=msi,nsis; OS=windows ;;
  *) echo "package: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac

if [ "$OS" = linux ]; then
  ./scripts/install.sh
  ./scripts/setup-ui.sh
else
  npm --prefix ui ci --no-audit --no-fund
fi

npm --prefix ui run build
node scripts/licenses.mjs

# A release build takes long on a small machine: be nice to everything else running.
NICE=()
command -v nice >/dev/null && [ "$OS" = linux ] && NICE=(nice -n 10)
# The Linux packages also install the h2r-setup command (the agent-host preflight and unattended
# use): tauri.conf.json maps target/release/h2r-setup to /usr/bin/h2r-setup, so build it first.
if [ "$OS" = linux ]; then
  "${NICE[@]}" cargo build --release --locked --bin h2r-setup
fi
"${NICE[@]}" node ui/node_modules/@tauri-apps/cli/tauri.js build --ci --bundles "$BUNDLES" "$@"

OUT=$ROOT/target/release/bundle
if [ "$OS" = linux ]; then
  deb=$(ls -t "$OUT"/deb/*.deb | head -1)
  ./scripts/lib/check-deb.sh "$deb"
  rpm=$(ls -t "$OUT"/rpm/*.rpm | head -1)
  ./scripts/lib/check-rpm.sh "$rpm"
fi

echo
echo "package: installers built on $OS:"
find "$OUT" -maxdepth 2 \( -name '*.deb' -o -name '*.rpm' -o -name '*.msi' -o -name '*-setup.exe' -o -name '*.dmg' -o -name '*.app' \) -print 2>/dev/null |
  while read -r f; do printf '  %s (%s)\n' "$f" "$(du -sh "$f" | cut -f1)"; done
