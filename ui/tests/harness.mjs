// Test harness: serve the built ui/dist on 127.0.0.1, inject the IPC mock before the app loads,
// drive Debian's chromium with playwright-core (no browser download).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon' };

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function startServer() {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('ui/dist is missing: run `npm --prefix ui run build` first.');
  }
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let path = normalize(join(dist, decodeURIComponent(url.pathname)));
      if (!path.startsWith(dist)) { res.writeHead(403).end(); return; }
      if (!existsSync(path) || (await stat(path)).isDirectory()) path = join(dist, 'index.html');
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(await readFile(path));
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

// The IPC mock's validation answers come from the core itself: `h2r-setup validate --format
// json` (the same code as the window's validate_draft), never from a validator written in JS.
const CLI = process.env.H2R_CLI ?? join(here, '..', '..', 'target', 'debug', 'h2r-setup');
export function coreValidate(draft) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`cargo build --bin h2r-setup\` first (the UI tests validate with the core).`);
  const r = spawnSync(CLI, ['validate', '--connection', '-', '--format', 'json'], { input: JSON.stringify(draft), encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`h2r-setup validate failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

let mockBundle;
export async function ipcMockScript() {
  if (!mockBundle) {
    const out = await build({ entryPoints: [join(here, 'ipc-mock.ts')], bundle: true, format: 'iife', write: false, target: 'es2020', logLevel: 'silent' });
    mockBundle = out.outputFiles[0].text;
  }
  return mockBundle;
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A fresh page with the IPC mocked; `seed` pre-fills the saved settings. */
export async function openApp(browser, url, { seed, fail } = {}) {
  const context = await browser.newContext({ viewport: { width: 1120, height: 760 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.exposeFunction('__coreValidate', coreValidate);
  if (seed || fail) await page.addInitScript(({ seed, fail }) => { window.__seed = seed; window.__mockFail = fail ?? {}; }, { seed, fail });
  await page.addInitScript({ content: await ipcMockScript() });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  // Closing the page checks that the IPC mock only emitted registered error codes.
  const close = context.close.bind(context);
  context.close = async () => {
    const bad = await page.evaluate(() => window.__unregistered ?? []).catch(() => []);
    await close();
    if (bad.length) throw new Error(`the IPC mock emitted codes that are not in the registry: ${bad.join(', ')}`);
  };
  return { page, context, errors };
}

/** Names of the IPC commands called so far, with their arguments. */
export const calls = (page) => page.evaluate(() => window.__ipcCalls);
export const screenId = (page) => page.evaluate(() => document.body.dataset.screen);

// Driving the wizard as a person would (shared by every UI test file).
export const next = (page) => page.locator('#next');
export async function waitScreen(page, id) {
  await page.waitForSelector(`body[data-screen="${id}"]`);
}
export async function settle(page) {
  // Validation is debounced; wait until no validation is pending (Next not in "pending" state).
  await page.waitForFunction(() => !document.querySelector('#next.pending'));
}
export async function clickNext(page, expected) {
  await settle(page);
  // As a person would: Next once the step list shows where it leads (after a kind change the
  // core's step list arrives asynchronously).
  if (expected) await page.waitForSelector(`.steps [data-step="${expected}"]`, { timeout: 10000 }).catch(() => {});
  if (expected) await page.waitForFunction(() => !document.querySelector('#next').disabled);
  await next(page).click();
  if (expected) await waitScreen(page, expected);
}
export async function fill(page, path, value) {
  const input = page.locator(`[data-path="${path}"]`);
  await input.fill(value);
  await input.blur();
  await settle(page);
}
