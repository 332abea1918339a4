#!/usr/bin/env bash
# End-to-end test of the real desktop app: Xvfb + Debian's WebKitWebDriver (W3C WebDriver)
# drive target/debug/h2r-setup-app through every screen of both connection kinds, check a
# validation error and its correction, save, relaunch and check the settings survived. The Azure
# Service Provider path signs in, gets admin consent and checks Exchange Online against the local
# Microsoft stand-ins (examples/ms-standin.rs).
# Screenshots of every screen: target/screenshots/. App data is isolated under target/e2e/.
# Needs: cargo build -p h2r-setup-app (and ui built before it), scripts/setup-ui.sh; the
# agent-folder run also opens the sealed config with the CLI (cargo build --bin h2r-setup).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

APP=${H2R_APP:-$ROOT/target/debug/h2r-setup-app}
if [ ! -x "$APP" ]; then
  echo "e2e: $APP is missing: run 'npm --prefix ui run build && cargo build -p h2r-setup-app' first." >&2
  exit 2
fi
for tool in Xvfb WebKitWebDriver node; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is missing: run scripts/setup-ui.sh." >&2; exit 2; }
done

WORK=$ROOT/target/e2e
SHOTS=$ROOT/target/screenshots
rm -rf "$WORK" "$SHOTS"
mkdir -p "$WORK/data" "$WORK/config" "$WORK/cache" "$WORK/runtime" "$WORK/tmp" "$SHOTS"
chmod 700 "$WORK/runtime"
# Temporary files of the app land here too, so the sentinel scan (agent-folder.mjs) sees them.
export TMPDIR=$WORK/tmp

# Isolated app data: settings, logs and WebKit caches never touch the user's.
export XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config XDG_CACHE_HOME=$WORK/cache XDG_RUNTIME_DIR=$WORK/runtime
export TAURI_WEBVIEW_AUTOMATION=true
# Tests run isolated instances: no single-instance handoff to a wizard the user may have open.
export H2R_SETUP_ALLOW_MULTIPLE=1
export NO_AT_BRIDGE=1
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# The Microsoft stand-ins for the Azure Service Provider happy path (issues 9 and 11): the test
# suite's identity platform, Graph and Exchange Online admin API stand-ins as one dev-only
# process (examples/ms-standin.rs, loopback only). A debug build of the app reads their
# addresses from H2R_TEST_*_URL (a release build ignores them). Before the driver starts: the
# app inherits the driver's environment.
STANDIN=${H2R_STANDIN:-$ROOT/target/debug/examples/ms-standin}
[ -x "$STANDIN" ] || cargo build --example ms-standin >&2
"$STANDIN" >"$WORK/standin.json" 2>"$WORK/standin.log" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/standin.json" ] && break; sleep 0.05; done
[ -s "$WORK/standin.json" ] || { echo "e2e: the Microsoft stand-in did not start: $(cat "$WORK/standin.log")" >&2; exit 1; }
standin() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]])' "$WORK/standin.json" "$1"; }
export H2R_TEST_AUTHORITY_URL; H2R_TEST_AUTHORITY_URL=$(standin authority)
export H2R_TEST_GRAPH_URL; H2R_TEST_GRAPH_URL=$(standin graph)
export H2R_TEST_EXCHANGE_URL; H2R_TEST_EXCHANGE_URL=$(standin exchange)
# The Exchange check signs in with the client application the stand-in knows (the product's
# H2R_EXO_CLIENT_ID setting: the Hire2Retire app instead of the Exchange PowerShell client).
export H2R_EXO_CLIENT_ID; H2R_EXO_CLIENT_ID=$(standin client_id)
unset H2R_SP_CLIENT_ID
# The system browser: an xdg-open first on PATH that only records the address the app asks to
# open; run.mjs plays the admin in the browser with those addresses.
mkdir -p "$WORK/bin"
export H2R_E2E_OPENED=$WORK/opened-urls.txt
# "Save a support report" writes here instead of asking (debug builds only): under $TMPDIR, so
# the sentinel scans read the report too.
export H2R_TEST_SAVE_DIR=$WORK/tmp/saved
mkdir -p "$H2R_TEST_SAVE_DIR"
: >"$H2R_E2E_OPENED"
cat >"$WORK/bin/xdg-open" <<'XDG'
#!/bin/sh
printf '%s\n' "$1" >>"$H2R_E2E_OPENED"
XDG
chmod +x "$WORK/bin/xdg-open"
export PATH="$WORK/bin:$PATH"

# A free X display.
DISP=""
for n in $(seq 91 140); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISP=$n; break; fi
done
[ -n "$DISP" ] || { echo "e2e: no free X display number" >&2; exit 1; }
Xvfb ":$DISP" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISP"
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$DISP" ] && break; sleep 0.05; done

# A free loopback port for the driver.
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
WebKitWebDriver --port="$PORT" --host=127.0.0.1 >"$WORK/webdriver.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  node -e "fetch('http://127.0.0.1:$PORT/status').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
  sleep 0.1
done

SETTINGS="$XDG_DATA_HOME/com.hire2retire.setup/settings.json"
status=0
# H2R_E2E_ONLY=agent: only the agent-folder run (while working on it).
if [ "${H2R_E2E_ONLY:-}" != agent ]; then
  node ui/e2e/run.mjs --driver "http://127.0.0.1:$PORT" --app "$APP" --out "$SHOTS" --settings "$SETTINGS" \
    --standin "$WORK/standin.json" --opened "$H2R_E2E_OPENED" --work "$WORK" || status=$?
fi
# The agent-folder stream (issues 11, 13, 14): hybrid happy path against the Samba DC, the
# re-run path and the sentinel scan, on fresh settings. Skipped (and said so) without the DC.
FIXTURES=$ROOT/target/samba-test/dc1/fixtures.env
if [ "$status" -eq 0 ] && [ "${H2R_E2E_AGENT:-1}" = 1 ]; then
  if [ ! -f "$FIXTURES" ] || ! scripts/samba-ad.sh status "$ROOT/target/samba-test/dc1" >/dev/null 2>&1; then
    scripts/samba-ad.sh start "$ROOT/target/samba-test/dc1" >&2 || true
  fi
  CLI=${H2R_CLI:-$ROOT/target/debug/h2r-setup}
  [ -x "$CLI" ] || cargo build --bin h2r-setup >&2
  if [ -f "$FIXTURES" ]; then
    rm -f "$SETTINGS"
    node ui/e2e/agent-folder.mjs --driver "http://127.0.0.1:$PORT" --app "$APP" --out "$SHOTS" --work "$WORK" \
      --settings "$SETTINGS" --fixtures "$FIXTURES" --cli "$CLI" || status=$?
  else
    echo "e2e: agent-folder run skipped: no Samba DC fixtures at $FIXTURES" >&2
  fi
fi
if [ "$status" -ne 0 ]; then
  echo "e2e: failed; driver log: $WORK/webdriver.log, screenshots: $SHOTS" >&2
  tail -20 "$WORK/webdriver.log" >&2 || true
fi
exit "$status"
