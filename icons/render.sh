#!/usr/bin/env bash
# Renders icons/icon.svg into every icon the bundles need, with the Tauri CLI's own generator
# (`tauri icon`, from ui/node_modules: scripts/setup-ui.sh): RGBA PNGs (32, 64, 128, 256, 512),
# icon.ico (Windows: 16–256 px) and icon.icns (macOS). The generated files are committed; run
# this after changing icon.svg. Only the desktop icons are kept (not the mobile/Store ones).
set -euo pipefail
cd "$(dirname "$0")"
TAURI=../ui/node_modules/.bin/tauri
[ -x "$TAURI" ] || { echo "render.sh: run scripts/setup-ui.sh first (needs @tauri-apps/cli)." >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$TAURI" icon icon.svg --output "$out" >"$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; }
for f in 32x32.png 64x64.png 128x128.png 128x128@2x.png icon.png icon.ico icon.icns; do
  cp "$out/$f" "$f"
done
# 256x256.png: the same pixels as 128x128@2x (a plain 256 px name for tools that want one).
cp "$out/128x128@2x.png" 256x256.png
