#!/usr/bin/env bash
# Benchmark (not part of scripts/test.sh): the release wizard against a bare Tauri app made
# from the official create-tauri-app "vanilla" template, same toolchain, same Tauri version
# (this repo's Cargo.lock, offline: crates from the local registry cache) and the same release
# profile. Prints, in one run: installer (.deb) size, binary size, launch → window mapped →
# first painted frame, idle memory (PSS of the app and its WebKit processes) 5 s after launch,
# medians over RUNS launches under Xvfb (default 10), and each ratio wizard / bare.
#   ./scripts/bench-app.sh [RUNS]          (numbers go to docs/bench-app.md by hand)
# Builds are run with `nice`; the first run compiles both apps in release (long on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
RUNS=${1:-10}
TAURI="node $ROOT/ui/node_modules/@tauri-apps/cli/tauri.js"
W=$ROOT/target/bench-app
BARE=$W/bare-tauri-app
mkdir -p "$W"

for tool in Xvfb xwininfo import dbus-daemon node; do
  command -v "$tool" >/dev/null || { echo "bench-app: $tool is missing: run scripts/install-deps.sh" >&2; exit 2; }
done

# ---- the bare app: the official vanilla template's files -----------------------------------
TAURI_VERSION=$(awk '/^name = "tauri"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
rm -rf "$BARE/src" "$BARE/src-tauri/src"
mkdir -p "$BARE/src" "$BARE/src-tauri/src" "$BARE/src-tauri/capabilities" "$BARE/src-tauri/icons"
cat >"$BARE/src/index.html" <<'EOF'
<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="stylesheet" href="styles.css" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Tauri App</title>
    <script type="module" src="/main.js" defer></script>
  </head>
  <body>
    <main class="container">
      <h1>Welcome to Tauri</h1>
      <p>Click on the Tauri logo to learn more about the framework</p>
      <form class="row" id="greet-form">
        <input id="greet-input" placeholder="Enter a name..." />
        <button type="submit">Greet</button>
      </form>
      <p id="greet-msg"></p>
    </main>
  </body>
</html>
EOF
cat >"$BARE/src/styles.css" <<'EOF'
:root { font-family: Inter, Avenir, Helvetica, Arial, sans-serif; font-size: 16px; line-height: 24px; color: #0f0f0f; background-color: #f6f6f6; }
.container { margin: 0; padding-top: 10vh; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.row { display: flex; justify-content: center; }
h1 { text-align: center; }
input, button { border-radius: 8px; border: 1px solid transparent; padding: 0.6em 1.2em; font-size: 1em; font-weight: 500; color: #0f0f0f; background-color: #ffffff; box-shadow: 0 2px 2px rgba(0, 0, 0, 0.2); }
button { cursor: pointer; }
#greet-input { margin-right: 5px; }
EOF
cat >"$BARE/src/main.js" <<'EOF'
const { invoke } = window.__TAURI__.core;
let greetInputEl;
let greetMsgEl;
async function greet() {
  greetMsgEl.textContent = await invoke("greet", { name: greetInputEl.value });
}
window.addEventListener("DOMContentLoaded", () => {
  greetInputEl = document.querySelector("#greet-input");
  greetMsgEl = document.querySelector("#greet-msg");
  document.querySelector("#greet-form").addEventListener("submit", (e) => {
    e.preventDefault();
    greet();
  });
});
EOF
# The wizard's release profile, so the ratios measure the apps, not the compiler settings.
PROFILE=$(awk '/^\[profile\.release\]/{p=1; print; next} /^\[/{p=0} p' Cargo.toml)
cat >"$BARE/src-tauri/Cargo.toml" <<EOF
[package]
name = "bare-tauri-app"
version = "0.1.0"
description = "A Tauri App"
edition = "2021"

# Not part of the wizard's workspace.
[workspace]

[lib]
name = "bare_tauri_app_lib"
# The template also lists staticlib and cdylib (mobile targets only): left out, they do not
# change the desktop binary and would triple the link time.
crate-type = ["rlib"]

[build-dependencies]
tauri-build = { version = "2", features = [] }

[dependencies]
tauri = { version = "=$TAURI_VERSION", features = [] }
tauri-plugin-opener = "2"
serde = { version = "1", features = ["derive"] }
serde_json = "1"

$PROFILE
EOF
cat >"$BARE/src-tauri/build.rs" <<'EOF'
fn main() {
    tauri_build::build()
}
EOF
cat >"$BARE/src-tauri/src/main.rs" <<'EOF'
// Prevents additional console window on Windows in release, DO NOT REMOVE!!
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    bare_tauri_app_lib::run()
}
EOF
cat >"$BARE/src-tauri/src/lib.rs" <<'EOF'
// Learn more about Tauri commands at https://tauri.app/develop/calling-rust/
#[tauri::command]
fn greet(name: &str) -> String {
    format!("Hello, {}! You've been greeted from Rust!", name)
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![greet])
        .run(tauri::generate_context!())
        .expect("error while running tauri application");
}
EOF
cat >"$BARE/src-tauri/tauri.conf.json" <<'EOF'
{
  "$schema": "https://schema.tauri.app/config/2",
  "productName": "bare-tauri-app",
  "version": "0.1.0",
  "identifier": "com.example.bare-tauri-app",
  "build": { "frontendDist": "../src" },
  "app": {
    "withGlobalTauri": true,
    "windows": [{ "title": "bare-tauri-app", "width": 800, "height": 600 }],
    "security": { "csp": null }
  },
  "bundle": {
    "active": true,
    "targets": "all",
    "icon": ["icons/32x32.png", "icons/128x128.png", "icons/128x128@2x.png", "icons/icon.icns", "icons/icon.ico"]
  }
}
EOF
cat >"$BARE/src-tauri/capabilities/default.json" <<'EOF'
{
  "$schema": "../gen/schemas/desktop-schema.json",
  "identifier": "default",
  "description": "Capability for the main window",
  "windows": ["main"],
  "permissions": ["core:default", "opener:default"]
}
EOF
cp icons/32x32.png icons/128x128.png icons/128x128@2x.png icons/icon.icns icons/icon.ico "$BARE/src-tauri/icons/"
# Same crate versions as the wizard, no network.
cp Cargo.lock "$BARE/src-tauri/Cargo.lock"

echo "bench-app: building the release wizard (.deb) — nice, long on 2 cores"
npm --prefix ui run build >/dev/null
t=$(date +%s)
# The .deb also installs the h2r-setup command (tauri.conf.json maps target/release/h2r-setup):
# build it first, as scripts/package.sh does.
nice -n 10 cargo build --release --locked --bin h2r-setup >"$W/cli-build.log" 2>&1 || { tail -30 "$W/cli-build.log" >&2; exit 1; }
nice -n 10 $TAURI build --ci --bundles deb >"$W/wizard-build.log" 2>&1 || { tail -30 "$W/wizard-build.log" >&2; exit 1; }
echo "bench-app: wizard built in $(( $(date +%s) - t )) s"
echo "bench-app: building the bare template app ($TAURI_VERSION, .deb)"
t=$(date +%s)
(cd "$BARE" && CARGO_NET_OFFLINE=true CARGO_TARGET_DIR=$W/bare-target nice -n 10 $TAURI build --ci --bundles deb) >"$W/bare-build.log" 2>&1 || { tail -30 "$W/bare-build.log" >&2; exit 1; }
echo "bench-app: bare app built in $(( $(date +%s) - t )) s"

WIZ_BIN=$ROOT/target/release/h2r-setup-app
BARE_BIN=$W/bare-target/release/bare-tauri-app
WIZ_DEB=$(ls -t target/release/bundle/deb/*.deb | head -1)
BARE_DEB=$(ls -t "$W"/bare-target/release/bundle/deb/*.deb | head -1)

# ---- launches under Xvfb -------------------------------------------------------------------
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
DISP=""
for n in $(seq 191 240); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then DISP=$n; break; fi
done
Xvfb ":$DISP" -screen 0 1280x800x24 -nolisten tcp >"$W/xvfb.log" 2>&1 &
PIDS+=($!)
export DISPLAY=":$DISP" NO_AT_BRIDGE=1
unset WAYLAND_DISPLAY H2R_SETUP_ALLOW_MULTIPLE
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$DISP" ] && break; sleep 0.05; done
mkdir -p "$W/runtime" && chmod 700 "$W/runtime"
export XDG_RUNTIME_DIR=$W/runtime
dbus-daemon --session --nofork --nopidfile --address="unix:path=$W/runtime/bus" >"$W/dbus.log" 2>&1 &
PIDS+=($!)
export DBUS_SESSION_BUS_ADDRESS="unix:path=$W/runtime/bus"
for _ in $(seq 1 100); do [ -S "$W/runtime/bus" ] && break; sleep 0.05; done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$W/home-wizard" "$W/home-bare"
node scripts/lib/bench-launch.mjs --app "$WIZ_BIN" --title "Hire2Retire Setup" --runs "$RUNS" --home "$W/home-wizard" | tee "$W/wizard-runs.jsonl" | tail -1
node scripts/lib/bench-launch.mjs --app "$BARE_BIN" --title "bare-tauri-app" --runs "$RUNS" --home "$W/home-bare" | tee "$W/bare-runs.jsonl" | tail -1
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

node - "$W" "$WIZ_BIN" "$BARE_BIN" "$WIZ_DEB" "$BARE_DEB" "$RUNS" "$LOAD_BEFORE" "$LOAD_AFTER" "$TAURI_VERSION" <<'EOF'
const fs = require('fs');
const [W, wbin, bbin, wdeb, bdeb, runs, lb, la, tv] = process.argv.slice(2);
const last = (f) => JSON.parse(fs.readFileSync(f, 'utf8').trim().split('\n').pop());
const w = last(`${W}/wizard-runs.jsonl`), b = last(`${W}/bare-runs.jsonl`);
const mib = (f) => fs.statSync(f).size / 1048576;
const rows = [
  ['installer (.deb)', mib(wdeb), mib(bdeb), 'MiB', null],
  ['binary (stripped)', mib(wbin), mib(bbin), 'MiB', 1.5],
  ['launch → window mapped', w.mapped_ms, b.mapped_ms, 'ms', null],
  ['launch → first painted frame', w.painted_ms, b.painted_ms, 'ms', 1.2],
  ['idle memory after 5 s (PSS, app + WebKit)', w.pss_mib, b.pss_mib, 'MiB', 1.2],
];
console.log(`\nbench-app: Tauri ${tv}, ${runs} launches each (medians), load ${lb} → ${la}, ${require('os').cpus().length} cores`);
console.log('| measure | wizard | bare | wizard / bare | goal |');
console.log('|---|---|---|---|---|');
for (const [n, a, c, u, goal] of rows) {
  const r = a / c;
  console.log(`| ${n} | ${a.toFixed(u === 'ms' ? 0 : 1)} ${u} | ${c.toFixed(u === 'ms' ? 0 : 1)} ${u} | ${r.toFixed(2)}× | ${goal ? `≤ ${goal}× ${r <= goal ? 'met' : 'NOT met'}` : ''} |`);
}
EOF
