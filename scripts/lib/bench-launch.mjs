// Launch benchmark of a Tauri app under Xvfb (used by scripts/bench-app.sh).
//   node bench-launch.mjs --app BIN --title TITLE --runs N --home DIR [--settle-ms 5000]
// Per launch: spawn → X window mapped (xwininfo) → first painted frame (the window's pixels
// are no longer one flat colour: ImageMagick `import`, polled) → idle memory 5 s after the
// launch: PSS (smaps_rollup) of the app and every process under it (WebKitWebProcess,
// WebKitNetworkProcess). Prints one JSON line per launch and a JSON summary with medians.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const arg = (n, d) => {
  const i = process.argv.indexOf(`--${n}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const APP = arg('app');
const TITLE = arg('title');
const RUNS = Number(arg('runs', '10'));
const HOME = arg('home');
const SETTLE = Number(arg('settle-ms', '5000'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Number(process.hrtime.bigint() / 1000n) / 1000; // ms

function windowId() {
  const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8' });
  for (const line of tree.split('\n')) {
    const m = /^\s*(0x[0-9a-f]+) "(.*)": .*?(\d+)x(\d+)\+/.exec(line);
    if (m && m[2] === TITLE && Number(m[3]) >= 300) return m[1];
  }
  return null;
}

function colours(wid) {
  try {
    return Number(execFileSync('import', ['-silent', '-window', wid, '-format', '%k', 'info:'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return 0;
  }
}

function children() {
  const map = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  return map;
}

function tree(pid) {
  const kids = children();
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const c of kids.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function pssKiB(pid) {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const comm = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
};

async function launch(i) {
  const env = {
    ...process.env,
    XDG_DATA_HOME: join(HOME, 'data'),
    XDG_CONFIG_HOME: join(HOME, 'config'),
    XDG_CACHE_HOME: join(HOME, 'cache'),
  };
  const t0 = now();
  const child = spawn(APP, [], { env, stdio: 'ignore', detached: true });
  let wid = null;
  let mapped = null;
  let painted = null;
  const deadline = t0 + 30000;
  while (now() < deadline && painted === null) {
    if (!wid) {
      wid = windowId();
      if (wid) mapped = now() - t0;
      else {
        await sleep(5);
        continue;
      }
    }
    if (colours(wid) > 16) painted = now() - t0;
  }
  const wait = t0 + SETTLE - now();
  if (wait > 0) await sleep(wait);
  const pids = tree(child.pid);
  const procs = pids.map((p) => ({ pid: p, comm: comm(p), pss_kib: pssKiB(p) }));
  const pss = procs.reduce((a, p) => a + p.pss_kib, 0);
  // Stop the app and everything it started (its own process group), then stragglers by pid.
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  await sleep(300);
  for (const p of tree(child.pid).concat(pids)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
  const r = { run: i, mapped_ms: mapped && Math.round(mapped), painted_ms: painted && Math.round(painted), pss_mib: +(pss / 1024).toFixed(1), procs };
  console.log(JSON.stringify(r));
  return r;
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

mkdirSync(HOME, { recursive: true });
// One warm-up launch (discarded): WebKit's caches exist afterwards, as on a real desktop.
await launch(0);
const runs = [];
for (let i = 1; i <= RUNS; i++) runs.push(await launch(i));
console.log(
  JSON.stringify({
    summary: true,
    runs: runs.length,
    mapped_ms: median(runs.map((r) => r.mapped_ms)),
    painted_ms: median(runs.map((r) => r.painted_ms)),
    pss_mib: +(median(runs.map((r) => r.pss_mib)) ?? 0).toFixed(1),
    failed_paint: runs.filter((r) => r.painted_ms === null).length,
  }),
);
