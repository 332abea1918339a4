#!/usr/bin/env node
// Writes packaging/THIRD-PARTY-NOTICES.txt: every third-party component compiled into the
// desktop app (Rust crates of h2r-setup-app for this machine's platform, npm packages bundled
// into ui/dist) with its licence and the licence texts it publishes, identical texts printed once.
//
// Why not cargo-about: it is a long compile on this 2-core machine (and in CI on every OS) for
// what `cargo metadata` (the resolved graph, licence expressions, the crates' unpacked sources
// with their licence files) and `npm ls` already give. This script only reads those.
//
// Usage: node scripts/licenses.mjs [--out FILE] [--check]
//   --check: exit 1 (and say so) when FILE differs from what would be written.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const OUT = outArg >= 0 ? resolve(args[outArg + 1]) : join(ROOT, 'packaging', 'THIRD-PARTY-NOTICES.txt');
const CHECK = args.includes('--check');

const LICENCE_FILE = /^(licen[cs]e|copying|notice|copyright|unlicense|authors)([-_.].*)?$/i;

function licenceFiles(dir) {
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files = [];
  for (const n of names.sort()) {
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isFile() && LICENCE_FILE.test(n) && st.size < 200_000) files.push(p);
    // LICENSES/ folders (REUSE layout)
    if (st.isDirectory() && /^licen[cs]es$/i.test(n)) {
      for (const m of readdirSync(p).sort()) if (statSync(join(p, m)).isFile()) files.push(join(p, m));
    }
  }
  return files;
}

const norm = (t) => t.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim();

// ---- Rust crates ------------------------------------------------------------------------
function rustHost() {
  const vv = execFileSync('rustc', ['-vV'], { encoding: 'utf8' });
  return /^host: (.+)$/m.exec(vv)[1].trim();
}

function rustPackages() {
  const host = process.env.H2R_LICENSES_TARGET || rustHost();
  const meta = JSON.parse(
    execFileSync(
      'cargo',
      ['metadata', '--locked', '--format-version', '1', '--filter-platform', host, '--manifest-path', join(ROOT, 'Cargo.toml')],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    ),
  );
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const members = new Set(meta.workspace_members);
  const app = meta.packages.find((p) => p.name === 'h2r-setup-app');
  if (!app) throw new Error('h2r-setup-app is not in the workspace');
  // Normal (not dev, not build) dependencies reachable from the app: what is linked in.
  const seen = new Set([app.id]);
  const queue = [app.id];
  while (queue.length) {
    const id = queue.shift();
    for (const d of nodes.get(id)?.deps ?? []) {
      if (!d.dep_kinds.some((k) => k.kind === null)) continue;
      if (!seen.has(d.pkg)) {
        seen.add(d.pkg);
        queue.push(d.pkg);
      }
    }
  }
  return {
    host,
    packages: [...seen]
      .filter((id) => !members.has(id))
      .map((id) => byId.get(id))
      .map((p) => ({
        kind: 'Rust crate',
        name: p.name,
        version: p.version,
        licence: p.license || (p.license_file ? `see ${p.license_file}` : 'not stated'),
        source: p.repository || p.homepage || `https://crates.io/crates/${p.name}`,
        files: [
          ...(p.license_file ? [resolve(dirname(p.manifest_path), p.license_file)] : []),
          ...licenceFiles(dirname(p.manifest_path)),
        ].filter((f, i, a) => existsSync(f) && a.indexOf(f) === i),
      })),
  };
}

// ---- npm packages in ui/dist --------------------------------------------------------------
function npmPackages() {
  const ui = join(ROOT, 'ui');
  let tree;
  try {
    tree = JSON.parse(
      execFileSync('npm', ['ls', '--omit=dev', '--all', '--json', '--long'], { cwd: ui, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
    );
  } catch (e) {
    throw new Error(`npm ls failed in ui/ (run scripts/setup-ui.sh): ${e.message}`);
  }
  const out = new Map();
  const walk = (deps) => {
    for (const [name, d] of Object.entries(deps || {})) {
      const key = `${name}@${d.version}`;
      if (out.has(key) || !d.path) continue;
      const pj = JSON.parse(readFileSync(join(d.path, 'package.json'), 'utf8'));
      const lic = typeof pj.license === 'string' ? pj.license : pj.license?.type || 'not stated';
      const repo = typeof pj.repository === 'string' ? pj.repository : pj.repository?.url;
      out.set(key, {
        kind: 'npm package',
        name,
        version: d.version,
        licence: lic,
        source: repo || pj.homepage || `https://www.npmjs.com/package/${name}`,
        files: licenceFiles(d.path),
      });
      walk(d.dependencies);
    }
  };
  walk(tree.dependencies);
  return [...out.values()];
}

// ---- standard texts for components that publish none ------------------------------------
const MIT = `MIT License

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

function standardTexts() {
  const t = { MIT };
  for (const id of ['Apache-2.0', 'BSD-3-Clause', 'MPL-2.0']) {
    const p = `/usr/share/common-licenses/${id}`;
    if (existsSync(p)) t[id] = readFileSync(p, 'utf8');
  }
  return t;
}

// ---- output ---------------------------------------------------------------------------------
function main() {
  const version = JSON.parse(readFileSync(join(ROOT, 'src-tauri', 'tauri.conf.json'), 'utf8')).version;
  const { host, packages: rust } = rustPackages();
  const npm = npmPackages();
  const all = [...rust, ...npm].sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name) || a.version.localeCompare(b.version) : a.kind.localeCompare(b.kind),
  );

  const texts = new Map(); // hash -> { text, users: [] }
  const noText = [];
  for (const p of all) {
    const label = `${p.name} ${p.version}`;
    if (!p.files.length) {
      noText.push(p);
      continue;
    }
    for (const f of p.files) {
      const text = norm(readFileSync(f, 'utf8'));
      if (!text) continue;
      const h = createHash('sha256').update(text).digest('hex');
      if (!texts.has(h)) texts.set(h, { text, users: [] });
      const users = texts.get(h).users;
      if (!users.includes(label)) users.push(label);
    }
  }

  const L = [];
  const rule = '='.repeat(78);
  L.push(`THIRD-PARTY SOFTWARE NOTICES — Hire2Retire Setup ${version}`, rule, '');
  L.push(
    'Hire2Retire Setup includes the third-party components listed below, each under its own',
    'licence. Part 1 lists every component with its licence expression and source; part 2',
    'gives each licence text published with the components (identical texts printed once,',
    'followed by the components that publish them); part 3 gives the standard texts of the',
    'licences named by components that publish no text of their own.',
    '',
    `Generated by scripts/licenses.mjs from Cargo.lock (platform ${host}) and ui/package-lock.json.`,
    '',
    `PART 1 — COMPONENTS (${rust.length} Rust crates, ${npm.length} npm packages)`,
    rule,
  );
  for (const p of all) L.push(`${p.name} ${p.version} (${p.kind}) — ${p.licence} — ${p.source}`);
  L.push('', 'PART 2 — LICENCE TEXTS PUBLISHED WITH THE COMPONENTS', rule);
  const sorted = [...texts.values()].sort((a, b) => b.users.length - a.users.length || a.users[0].localeCompare(b.users[0]));
  for (const t of sorted) {
    L.push('', '-'.repeat(78), `Used by: ${t.users.join(', ')}`, '-'.repeat(78), t.text);
  }
  L.push('', 'PART 3 — STANDARD LICENCE TEXTS', rule);
  if (noText.length) {
    L.push('These components publish no licence file; their licence is the one named:');
    for (const p of noText) L.push(`  ${p.name} ${p.version}: ${p.licence}`);
  }
  const std = standardTexts();
  const named = new Set(noText.flatMap((p) => p.licence.split(/[\s()/]+/).filter((w) => std[w])));
  for (const id of [...named].sort()) L.push('', '-'.repeat(78), id, '-'.repeat(78), norm(std[id]));
  const body = L.join('\n') + '\n';

  if (CHECK) {
    const cur = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (cur !== body) {
      console.error(`licenses: ${OUT} is out of date: run node scripts/licenses.mjs`);
      process.exit(1);
    }
    console.log(`licenses: ${OUT} is up to date (${all.length} components)`);
    return;
  }
  writeFileSync(OUT, body);
  console.log(`licenses: wrote ${OUT}: ${rust.length} Rust crates, ${npm.length} npm packages, ${texts.size} distinct texts, ${Math.round(body.length / 1024)} KiB`);
}

main();
