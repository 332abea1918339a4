#!/usr/bin/env bash
# Looking aid: the identity screens in the real app under Xvfb (see real-app.mjs). Needs the app
# built (npm --prefix ui run build && cargo build -p h2r-setup-app) and scripts/setup-ui.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$ROOT/target/identity-real-app/work
rm -rf "$WORK"; mkdir -p "$WORK/data" "$WORK/config" "$WORK/cache" "$WORK/runtime"; chmod 700 "$WORK/runtime"
export XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config XDG_CACHE_HOME=$WORK/cache XDG_RUNTIME_DIR=$WORK/runtime
export TAURI_WEBVIEW_AUTOMATION=true H2R_SETUP_ALLOW_MULTIPLE=1 NO_AT_BRIDGE=1
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
DISP=""
for n in $(seq 141 180); do [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ] && { DISP=$n; break; }; done
Xvfb ":$DISP" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 & PIDS+=($!)
export DISPLAY=":$DISP"
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$DISP" ] && break; sleep 0.05; done
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
WebKitWebDriver --port="$PORT" --host=127.0.0.1 >"$WORK/webdriver.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 100); do node -e "fetch('http://127.0.0.1:$PORT/status').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break; sleep 0.1; done
node tests/identity-tools/real-app.mjs "http://127.0.0.1:$PORT" "$ROOT/target/debug/h2r-setup-app" "$ROOT/target/identity-real-app"
