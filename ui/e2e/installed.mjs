// The INSTALLED app (from the .deb) over WebDriver: the first screen (window title, the two
// connection kinds, one field error from the Rust validation), the About view (version, build
// commit, the third-party notice shipped in the package), and one instance: a second launch of
// the installed binary hands over to the running window and exits, no second window appears.
// Started by scripts/package-test.sh (which provides Xvfb, a D-Bus session, the driver and an
// isolated data dir).
import { spawn, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { Session } from './webdriver.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const DRIVER = arg('driver');
const APP = arg('app');
const OUT = arg('out');
const LOGDIR = arg('logdir');
const TITLE = 'Hire2Retire Setup';

let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split('\n').join('\n  ')}`);
  }
}

const onScreen = (s, id) => s.waitFor(`return document.body.dataset.screen === arguments[0] && !document.querySelector('#next.pending')`, `screen ${id}`, 60000, id);
const settle = (s) => s.waitFor(`return !document.querySelector('#next.pending')`, 'validation to settle', 60000);

/** Top-level X windows whose name is the app's title (xwininfo from x11-utils). */
function windowsTitled(title) {
  const tree = execFileSync('xwininfo', ['-root', '-tree'], { encoding: 'utf8' });
  return tree.split('\n').filter((l) => l.includes(`"${title}"`)).length;
}

function logText() {
  if (!LOGDIR || !existsSync(LOGDIR)) return '';
  return readdirSync(LOGDIR)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(LOGDIR, f), 'utf8'))
    .join('\n');
}

const s = await Session.create(DRIVER, APP);
try {
  await s.waitFor(`return document.body.dataset.ready === 'true'`, 'app ready', 30000);
  await onScreen(s, 'start');

  await step('the installed app opens its window: title and start screen', async () => {
    assert.equal(await s.exec('return document.title'), TITLE);
    assert.equal(await s.cmd('GET', '/title'), TITLE);
    assert.ok(windowsTitled(TITLE) >= 1, 'an X window titled "Hire2Retire Setup" is mapped');
  });

  await step('the two connection kinds', async () => {
    await s.clickCss('#new-connection');
    await onScreen(s, 'kind');
    const kinds = await s.exec(`return [...document.querySelectorAll('label.choice input[type=radio]')].map(i => [i.value, i.closest('label').textContent.replace(/\\s+/g, ' ').trim()])`);
    const values = kinds.map(([v]) => v).sort();
    assert.deepEqual(values, ['azure-ad', 'hybrid-onprem']);
    assert.match(kinds.find(([v]) => v === 'hybrid-onprem')[1], /Hybrid On-Premise/i);
    assert.match(kinds.find(([v]) => v === 'azure-ad')[1], /Azure AD/i);
  });

  await step('one field error from the Rust validation', async () => {
    await s.clickCss('label.choice:has(input[value="hybrid-onprem"])');
    await settle(s);
    await s.waitFor(`return !document.querySelector('#next').disabled`, 'Next enabled', 60000);
    await s.clickCss('#next');
    await onScreen(s, 'onprem');
    const el = await s.find('[data-path="domain_controllers[0].port"]');
    await s.clear(el);
    await s.type(el, '389');
    await s.exec('document.activeElement && document.activeElement.blur()');
    await settle(s);
    const err = await s.waitFor(`const e = document.querySelector('.field:has([data-path="domain_controllers[0].port"]) .issue-error'); return e && e.textContent`, 'port error', 60000);
    assert.match(err, /LDAP/i);
    assert.equal(await s.exec(`return document.querySelector('#next').disabled`), true);
    if (OUT) await writeFile(join(OUT, 'installed-field-error.png'), await s.screenshot());
  });

  await step('About: version, build commit, the shipped third-party notice', async () => {
    await s.clickCss('#about-open');
    const about = await s.waitFor(
      `const d = document.querySelector('#about'); return d && d.open && d.querySelector('[data-about=notice]')?.textContent.length > 1000 && d.textContent`,
      'About view with the notice',
      60000,
    );
    const version = JSON.parse(readFileSync(new URL('../../src-tauri/tauri.conf.json', import.meta.url), 'utf8')).version;
    assert.ok(about.includes(version), `About names version ${version}`);
    const commit = await s.exec(`return document.querySelector('[data-about=commit]').textContent.trim()`);
    assert.match(commit, /^[0-9a-f]{7,40}(\+dirty)?$|^unknown$/);
    const notice = await s.exec(`return document.querySelector('[data-about=notice]').textContent`);
    assert.match(notice, /THIRD-PARTY SOFTWARE NOTICES/);
    assert.match(notice, /\btauri 2\.\d+\.\d+ \(Rust crate\)/);
    assert.match(notice, /@tauri-apps\/api 2\.\d+\.\d+ \(npm package\)/);
    const source = await s.exec(`return document.querySelector('[data-about=notice-path]').textContent`);
    assert.match(source, /^\/usr\/lib\/Hire2Retire Setup\/THIRD-PARTY-NOTICES\.txt$/, 'read from the installed package');
    const logs = await s.exec(`return !!document.querySelector('#about-open-logs')`);
    assert.ok(logs, 'an "Open log folder" action');
    if (OUT) await writeFile(join(OUT, 'installed-about.png'), await s.screenshot());
    await s.clickCss('#about-close');
  });

  await step('one instance: a second launch focuses the running window and exits', async () => {
    const before = windowsTitled(TITLE);
    const child = spawn(APP, [], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the second launch did not exit: it opened its own wizard\n${out}`));
      }, 30000);
      child.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    assert.equal(code, 0, `second launch exit code (output: ${out})`);
    assert.equal(windowsTitled(TITLE), before, 'no second window');
    await s.waitFor(`return document.body.dataset.ready === 'true'`, 'the first window still answers');
    const log = await new Promise((resolve) => {
      const end = Date.now() + 10000;
      const poll = () => {
        const t = logText();
        if (/second launch/i.test(t) || Date.now() > end) resolve(t);
        else setTimeout(poll, 100);
      };
      poll();
    });
    assert.match(log, /second launch: focused the running window/i, 'the running wizard logged the hand-over');
  });
} finally {
  await s.close().catch(() => undefined);
}
console.log(`# installed app: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
