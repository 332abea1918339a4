#!/usr/bin/env bash
# The Linux package, proved (issue 10): bundles the .deb from the debug build the suite already
# made (`tauri bundle --debug`: no second compilation), checks it (scripts/lib/check-deb.sh),
# bundles the .rpm the same way and checks it (scripts/lib/check-rpm.sh: header, payload, an
# install into a scratch root, rpm -V, erase; the Fedora libraries are not on this machine),
# installs it with `apt-get install ./….deb`, starts the INSTALLED binary under Xvfb and drives
# it over WebDriver (ui/e2e/installed.mjs: title, the two connection kinds, a field error, the
# About view with the shipped notice, one instance), checks the desktop entry, the icons and
# that core dumps are off, then purges the package and checks nothing of it remains under /usr
# and the user's saved settings are untouched.
# Needs root (or sudo) for apt-get; runs after scripts/e2e.sh in scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

PKG=hire2-retire-setup
BIN=/usr/bin/h2r-setup-app
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
APP_DEBUG=$TARGET/debug/h2r-setup-app
[ -x "$APP_DEBUG" ] || { echo "package-test: $APP_DEBUG is missing: run 'npm --prefix ui run build && cargo build -p h2r-setup-app' first." >&2; exit 2; }
for tool in Xvfb WebKitWebDriver node lintian desktop-file-validate dbus-daemon xwininfo rpm; do
  command -v "$tool" >/dev/null || { echo "package-test: $tool is missing: run scripts/install-deps.sh." >&2; exit 2; }
done

WORK=$ROOT/target/package-test
rm -rf "$WORK"
mkdir -p "$WORK/home/data" "$WORK/home/config" "$WORK/home/cache" "$WORK/runtime" "$WORK/shots"
chmod 700 "$WORK/runtime"

PIDS=()
installed=0
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$installed" = 1 ]; then $SUDO apt-get purge -y -qq "$PKG" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

echo "package-test: the licence notice"
node scripts/licenses.mjs --out "$WORK/notice.txt" >/dev/null
if ! cmp -s "$WORK/notice.txt" packaging/THIRD-PARTY-NOTICES.txt; then
  # The package ships the committed notice: one that lags the lock files names the wrong crates.
  diff -u packaging/THIRD-PARTY-NOTICES.txt "$WORK/notice.txt" | head -20 >&2 || true
  echo "package-test: packaging/THIRD-PARTY-NOTICES.txt is out of date: run node scripts/licenses.mjs and commit it" >&2
  exit 1
fi
echo "ok - the shipped third-party notice matches Cargo.lock and ui/package-lock.json"

echo "package-test: bundle the .deb from target/debug"
# The h2r-setup command the package installs is the debug one `cargo test` built (the release
# bundle maps target/release/h2r-setup; see tauri.conf.json).
[ -x "$TARGET/debug/h2r-setup" ] || cargo build --locked --bin h2r-setup
# bundle FORMAT: the deb or rpm of the debug build, with that h2r-setup; prints its path.
bundle() {
  local files="{\"bundle\":{\"linux\":{\"$1\":{\"files\":{\"/usr/bin/h2r-setup\":\"$TARGET/debug/h2r-setup\"}}}}}"
  rm -rf "$TARGET/debug/bundle/$1"
  node ui/node_modules/@tauri-apps/cli/tauri.js bundle --ci --debug --bundles "$1" --config "$files" >"$WORK/bundle-$1.log" 2>&1 || {
    cat "$WORK/bundle-$1.log" >&2
    return 1
  }
  ls "$TARGET"/debug/bundle/"$1"/*."$1"
}
DEB=$(bundle deb)
echo "package-test: $DEB ($(du -h "$DEB" | cut -f1))"
[ "$(dpkg-deb -f "$DEB" Package)" = "$PKG" ] || { echo "package-test: package name is not $PKG" >&2; exit 1; }
./scripts/lib/check-deb.sh "$DEB" --debug

echo "package-test: bundle the .rpm from target/debug"
RPM=$(bundle rpm)
echo "package-test: $RPM ($(du -h "$RPM" | cut -f1))"
./scripts/lib/check-rpm.sh "$RPM"

if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q "install ok installed"; then
  echo "package-test: $PKG was installed before the test: purging it first" >&2
  $SUDO apt-get purge -y -qq "$PKG" >/dev/null
fi

# The user's saved settings (isolated XDG dirs stand in for the user's home).
export XDG_DATA_HOME=$WORK/home/data XDG_CONFIG_HOME=$WORK/home/config XDG_CACHE_HOME=$WORK/home/cache XDG_RUNTIME_DIR=$WORK/runtime
APPDATA=$XDG_DATA_HOME/com.hire2retire.setup
mkdir -p "$APPDATA"
printf '%s\n' '{"settings":{"version":1,"connections":[]}}' >"$APPDATA/settings.json"

# Everything under /usr before the install, to compare after the purge.
snapshot() { find /usr -xdev \( -path /usr/share/applications/mimeinfo.cache -o -path '/usr/share/icons/*/icon-theme.cache' \) -prune -o -print 2>/dev/null | LC_ALL=C sort; }
snapshot >"$WORK/usr-before.txt"

echo "package-test: apt-get install ./$(basename "$DEB")"
cp "$DEB" "$WORK/"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$WORK/$(basename "$DEB")" >"$WORK/apt-install.log" 2>&1 || {
  cat "$WORK/apt-install.log" >&2
  exit 1
}
installed=1
dpkg -L "$PKG" | LC_ALL=C sort >"$WORK/files.txt"

fail() { echo "package-test: $*" >&2; exit 1; }
[ -x "$BIN" ] || fail "$BIN is not installed"
# The command line tool comes with it (the agent-host preflight the wizard generates runs it).
grep -qx /usr/bin/h2r-setup "$WORK/files.txt" || fail "/usr/bin/h2r-setup is not in the package"
/usr/bin/h2r-setup --version >"$WORK/cli-version.txt" || fail "the installed h2r-setup does not run"
grep -q "^h2r-setup " "$WORK/cli-version.txt" || fail "h2r-setup --version said: $(cat "$WORK/cli-version.txt")"
desktop=$(grep -E '^/usr/share/applications/[^/]+\.desktop$' "$WORK/files.txt" || true)
[ -n "$desktop" ] && [ -f "$desktop" ] || fail "no desktop entry installed under /usr/share/applications"
desktop-file-validate "$desktop" || fail "the installed desktop entry is invalid"
grep -qx "Exec=h2r-setup-app" "$desktop" || fail "the desktop entry does not start $BIN"
icon=$(sed -n 's/^Icon=//p' "$desktop")
for size in 32x32 128x128 512x512; do
  [ -f "/usr/share/icons/hicolor/$size/apps/$icon.png" ] || fail "icon $size/apps/$icon.png is not installed"
done
notice="/usr/lib/Hire2Retire Setup/THIRD-PARTY-NOTICES.txt"
[ -s "$notice" ] || fail "the licence notice is not installed at $notice"
echo "package-test: installed $(wc -l <"$WORK/files.txt") paths: $BIN, $desktop, Icon=$icon (hicolor), $notice"

# The installed binary under Xvfb, over WebDriver, with a D-Bus session (one instance).
DISP=""
for n in $(seq 141 190); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISP=$n; break; fi
done
[ -n "$DISP" ] || fail "no free X display number"
Xvfb ":$DISP" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISP"
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$DISP" ] && break; sleep 0.05; done
unset WAYLAND_DISPLAY H2R_SETUP_ALLOW_MULTIPLE
export NO_AT_BRIDGE=1 TAURI_WEBVIEW_AUTOMATION=true
dbus-daemon --session --nofork --nopidfile --address="unix:path=$XDG_RUNTIME_DIR/bus" >"$WORK/dbus.log" 2>&1 &
PIDS+=($!)
export DBUS_SESSION_BUS_ADDRESS="unix:path=$XDG_RUNTIME_DIR/bus"
for _ in $(seq 1 100); do [ -S "$XDG_RUNTIME_DIR/bus" ] && break; sleep 0.05; done

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
WebKitWebDriver --port="$PORT" --host=127.0.0.1 >"$WORK/webdriver.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  node -e "fetch('http://127.0.0.1:$PORT/status').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && break
  sleep 0.1
done

# Core dumps are off in the running installed app (read while installed.mjs drives it; the limit
# is set at the start of main, so wait until the process shows it or the run ends).
(
  for _ in $(seq 1 600); do
    pid=$(pgrep -f "^$BIN( |$)" | head -1 || true)
    if [ -n "$pid" ] && [ -r "/proc/$pid/limits" ]; then
      grep -E '^Max core file size' "/proc/$pid/limits" >"$WORK/core-limit.txt" || true
      read -r -a l <"$WORK/core-limit.txt" || true
      [ "${l[4]:-}" = 0 ] && [ "${l[5]:-}" = 0 ] && exit 0
    fi
    sleep 0.1
  done
) &
watcher=$!

status=0
node ui/e2e/installed.mjs --driver "http://127.0.0.1:$PORT" --app "$BIN" --out "$WORK/shots" --logdir "$APPDATA/logs" || status=$?
wait "$watcher" || true
if [ "$status" -ne 0 ]; then
  tail -20 "$WORK/webdriver.log" >&2 || true
  fail "the installed app failed its checks (screenshots: $WORK/shots)"
fi
[ -s "$WORK/core-limit.txt" ] || fail "could not read the running app's limits"
read -r -a lim <"$WORK/core-limit.txt"
[ "${lim[4]}" = 0 ] && [ "${lim[5]}" = 0 ] || fail "core dumps are not off in the installed app: $(cat "$WORK/core-limit.txt")"
echo "ok - core dumps off in the installed app ($(tr -s ' ' <"$WORK/core-limit.txt"))"
ls "$APPDATA/logs/"*.log >/dev/null 2>&1 || fail "no log file in the OS log folder $APPDATA/logs"
echo "ok - the app logs to $APPDATA/logs"

# Stop the display side before uninstalling.
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
PIDS=()

settings_before=$(sha256sum "$APPDATA/settings.json" | cut -d' ' -f1)
echo "package-test: apt-get purge $PKG"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$PKG" >"$WORK/apt-purge.log" 2>&1 || {
  cat "$WORK/apt-purge.log" >&2
  exit 1
}
installed=0
left=()
while read -r f; do
  [ "$f" = /. ] && continue
  # Shared directories (/usr, /usr/share/icons/…) may stay; anything of the package's own may not.
  if [ -e "$f" ] && ! grep -qxF "$f" "$WORK/usr-before.txt"; then left+=("$f"); fi
done <"$WORK/files.txt"
snapshot >"$WORK/usr-after.txt"
new=$(comm -13 "$WORK/usr-before.txt" "$WORK/usr-after.txt")
[ "${#left[@]}" -eq 0 ] || fail "left under /usr after purge: ${left[*]}"
[ -z "$new" ] || fail "new paths under /usr after install + purge: $new"
echo "ok - nothing of the package remains under /usr ($(wc -l <"$WORK/files.txt") paths removed)"
[ -f "$APPDATA/settings.json" ] || fail "the user's settings.json was removed"
[ "$(sha256sum "$APPDATA/settings.json" | cut -d' ' -f1)" = "$settings_before" ] || fail "the user's settings.json changed"
echo "ok - the user's saved settings are untouched"
echo "package-test: passed"
