// End to end on the real app: WebKitWebDriver drives target/debug/h2r-setup-app under Xvfb.
// Every screen of both kinds is visited and screenshotted; the first form gets a validation
// error from the real (Rust) validation and its correction; settings survive a restart.
// Started by scripts/e2e.sh (which provides Xvfb, the driver and an isolated data dir).
import { mkdir, writeFile, readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { Key, Session } from './webdriver.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const DRIVER = arg('driver');
const APP = arg('app');
const OUT = arg('out');
const SETTINGS = arg('settings');
const PASSWORD = 'E2e-Secret-Pa55';
/** The certificate's passphrase: a sentinel that scripts/test.sh's scan looks for. */
const CERT_PASSPHRASE = 'E2e-Cert-Passphrase-Sentinel-53';
// The Microsoft stand-ins (examples/ms-standin.rs): addresses, the application (client) ID and
// the service account they know; and the file where the stand-in xdg-open records every address
// the app asks the system browser to open (scripts/e2e.sh).
const STANDIN = arg('standin') ? JSON.parse(await readFile(arg('standin'), 'utf8')) : null;
const OPENED = arg('opened');
const WORK = arg('work');

let n = 0;
let passed = 0;
let failed = 0;
const shots = [];

async function shot(s, name) {
  n += 1;
  const file = join(OUT, `${String(n).padStart(2, '0')}-${name}.png`);
  // Let WebKit paint: two animation frames, then retry while the capture is still a blank page
  // (a blank 1120x760 PNG is a few KB; any rendered screen is far larger).
  let png;
  for (let i = 0; i < 20; i++) {
    await s.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));').catch(() => undefined);
    png = await s.screenshot();
    if (png.length > 20000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await writeFile(file, png);
  shots.push(file);
}

const onScreen = (s, id) => s.waitFor(`return document.body.dataset.screen === arguments[0] && !document.querySelector('#next.pending')`, `screen ${id}`, 15000, id);
const settle = (s) => s.waitFor(`return !document.querySelector('#next.pending')`, 'validation to settle');
const nextDisabled = (s) => s.exec(`return document.querySelector('#next').disabled`);

async function next(s, id) {
  await settle(s);
  await s.waitFor(`return !document.querySelector('#next').disabled`, `Next enabled before ${id}`);
  await s.clickCss('#next');
  await onScreen(s, id);
}

/** A step another area owns: a heading, and a placeholder says it is not available. */
async function figure(s) {
  await s.waitFor(`return document.querySelector('.screen h1')`, 'heading');
  const text = await s.exec(`const u = document.querySelector('[data-unavailable]'); return u ? u.textContent : null`);
  if (text !== null) assert.match(text, /not available in this build/);
}

/** Type into the plain input (outside the draft) of the field labelled `label`. */
async function typeLabelled(s, label, value) {
  const id = await s.exec(`return [...document.querySelectorAll('.screen label')].find((l) => l.textContent.trim() === arguments[0])?.htmlFor ?? null`, label);
  assert.ok(id, `a field labelled ${label}`);
  const el = await s.find(`#${id}`);
  await s.clear(el);
  await s.type(el, value);
}

async function clickButton(s, text) {
  const ok = await s.exec(`const b = [...document.querySelectorAll('.screen button')].find((x) => x.textContent.trim() === arguments[0] && !x.disabled); if (b) b.click(); return !!b`, text);
  assert.ok(ok, `a button ${text}`);
}

async function fill(s, path, value) {
  const el = await s.find(`[data-path="${path}"]`);
  await s.clear(el);
  await s.type(el, value);
  await s.exec('document.activeElement && document.activeElement.blur()');
  await settle(s);
}

async function start(label) {
  const t0 = Date.now();
  const s = await Session.create(DRIVER, APP);
  await s.waitFor(`return document.body.dataset.ready === 'true'`, `${label}: app ready`, 30000);
  await onScreen(s, 'start');
  // Reported, never asserted (no timing assertions in tests).
  console.log(`# ${label}: launch to start screen ${Date.now() - t0} ms`);
  return s;
}

async function step(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(e.stack ?? e).split('\n').join('\n  ')}`);
    e.reported = true;
    throw e;
  }
}

async function hybrid(s) {
  await step('start screen, new connection, kind choice', async () => {
    await shot(s, 'start-empty');
    await s.clickCss('#new-connection');
    await onScreen(s, 'kind');
    assert.equal(await nextDisabled(s), true);
    await shot(s, 'kind');
    await s.clickCss('label.choice:has(input[value="hybrid-onprem"])');
    await settle(s);
    await next(s, 'onprem');
  });
  await step('first form: a field error from the Rust validation, then its correction', async () => {
    await fill(s, 'domain_controllers[0].hosts', 'dc1.example-domain.com, dc1 backup');
    const hostErr = await s.waitFor(`const e = document.querySelector('.field:has([data-path="domain_controllers[0].hosts"]) .issue-error'); return e && e.textContent`, 'hosts error');
    assert.match(hostErr, /dc1 backup/);
    await s.exec(`document.querySelector('#main').scrollTop = 0`);
    await shot(s, 'onprem-host-error');
    await fill(s, 'domain_controllers[0].hosts', 'dc1.example-domain.com, 192.0.2.10');
    await s.waitFor(`return !document.querySelector('.field:has([data-path="domain_controllers[0].hosts"]) .issue-error')`, 'hosts error gone');
    await fill(s, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
    await fill(s, 'service_account', 'svc-h2r@example-domain.com');
    await fill(s, 'domain_controllers[0].port', '389');
    const err = await s.waitFor(`const e = document.querySelector('.field:has([data-path="domain_controllers[0].port"]) .issue-error'); return e && e.textContent`, 'port error');
    assert.match(err, /LDAP/i);
    assert.equal(await nextDisabled(s), true, 'Next is disabled while the port is refused');
    assert.equal(await s.exec(`return document.querySelector('[data-path="domain_controllers[0].port"]').getAttribute('aria-invalid')`), 'true');
    await shot(s, 'onprem-error');
    await fill(s, 'domain_controllers[0].port', '636');
    await s.waitFor(`return !document.querySelector('.field:has([data-path="domain_controllers[0].port"]) .issue-error')`, 'port error gone');
    assert.equal(await nextDisabled(s), false, 'Next is enabled once corrected');
    await shot(s, 'onprem-valid');
  });
  await step('hybrid: test connection, key pair, Exchange Online, summary, save draft', async () => {
    await next(s, 'ldap-test');
    const pw = (await s.findAll('input[type=password]'))[0];
    if (pw) {
      await s.type(pw, PASSWORD);
      await s.exec('document.activeElement.blur()');
    }
    await figure(s);
    await shot(s, 'ldap-test');
    await next(s, 'keypair');
    await figure(s);
    await shot(s, 'keypair');
    await next(s, 'exchange');
    await fill(s, 'exchange_online.service_account', 'svc-exo@example-domain.com');
    await s.waitFor(`return document.querySelector('pre.kv-value')?.textContent.includes('svc-exo@example-domain.com')`, 'role group command');
    await shot(s, 'exchange-hybrid');
    await next(s, 'summary');
    await shot(s, 'summary-hybrid');
    await s.clickCss('#save-draft');
    await s.waitFor(`return document.querySelector('.toast.show')?.textContent.startsWith('Saved')`, 'saved toast');
    await next(s, 'create');
    await figure(s);
    await shot(s, 'create');
    await next(s, 'handoff');
    await figure(s);
    await shot(s, 'handoff');
    await next(s, 'agent-setup');
    await figure(s);
    await shot(s, 'agent-setup');
    await next(s, 'done');
    await shot(s, 'done-hybrid');
    await reveal(s, '#finish'); // below the status list: scrolled to, as the admin does
    await s.clickCss('#finish');
    await onScreen(s, 'start');
    await s.waitFor(`return document.querySelectorAll('.saved').length === 1`, 'one saved connection');
    await shot(s, 'start-saved');
    await s.clickCss('[aria-label^="Rotate keys of"]');
    await onScreen(s, 'rotate');
    await figure(s);
    await shot(s, 'rotate');
    await s.clickCss('#back');
    await onScreen(s, 'start');
  });
}

/** The admin in the system browser: the next address the app opened (it went to xdg-open). */
let opened = 0;
async function nextOpened(what) {
  for (let i = 0; i < 300; i++) {
    const urls = (await readFile(OPENED, 'utf8')).split('\n').filter(Boolean);
    if (urls.length > opened) return urls[opened++];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app never opened the browser for ${what}`);
}

/** Open it as a browser does: follow the redirects, back to the app's loopback address. */
async function browse(url) {
  const r = await fetch(url, { redirect: 'follow' });
  return { status: r.status, url: r.url, text: await r.text() };
}

async function standin(path, method = 'GET') {
  const r = await fetch(`${STANDIN.authority}${path}`, { method });
  assert.equal(r.status, 200, `${method} ${path}`);
  return r.json();
}

const text = (s) => s.exec(`return document.querySelector('.screen').innerText`);
/** Scroll the screen (not the window) so that the element is at the top, for a screenshot. */
const reveal = (s, sel) => s.exec(`const m = document.querySelector('#main'); const e = document.querySelector(arguments[0]);
  m.scrollTop += e.getBoundingClientRect().top - m.getBoundingClientRect().top - 16; window.scrollTo(0, 0);`, sel);

/** The Azure Service Provider happy path against the local Microsoft stand-ins (issues 9, 11). */
async function serviceProvider(s) {
  await step('azure SP: the Hire2Retire client ID field, then sign in: consent required', async () => {
    await s.waitFor(`return document.querySelector('[data-path="application.client_id"]')`, 'client ID field');
    assert.equal(await s.exec(`return document.querySelector('[data-path="application.client_id"]').value`), '', 'this build knows no ID: the field is empty');
    await fill(s, 'application.client_id', 'not-a-guid');
    await s.waitFor(`return document.querySelector('.field:has([data-path="application.client_id"]) .issue-error')`, 'client ID error');
    assert.equal(await nextDisabled(s), true);
    await fill(s, 'application.client_id', STANDIN.client_id);
    await s.waitFor(`return !document.querySelector('.field.has-error')`, 'client ID valid');
    await shot(s, 'sp-signin');
    await s.clickCss('button.btn-large');
    const url = await nextOpened('sign-in');
    assert.ok(url.startsWith(`${STANDIN.authority}/organizations/oauth2/v2.0/authorize?`), url);
    assert.match(url, new RegExp(`client_id=${STANDIN.client_id}`));
    assert.match(url, /code_challenge_method=S256/);
    await s.waitFor(`return document.body.innerText.includes('Waiting for you to sign in')`, 'waiting state');
    await shot(s, 'sp-signin-waiting');
    const page = await browse(url);
    assert.ok(page.url.startsWith('http://127.0.0.1:'), `back at the app's loopback address: ${page.url}`);
    await s.waitFor(`return document.body.innerText.includes('An administrator must grant consent')`, 'consent needed', 30000);
    await reveal(s, '.notice');
    await shot(s, 'sp-signin-consent-needed');
  });
  await step('azure SP: an administrator grants consent; signed in with every permission granted', async () => {
    await s.exec(`[...document.querySelectorAll('button')].find((b) => b.textContent === 'Grant admin consent now').click()`);
    const consent = await nextOpened('admin consent');
    assert.match(consent, /\/v2\.0\/adminconsent\?/);
    await browse(consent);
    // The screen signs in again by itself to check.
    const again = await nextOpened('sign-in after consent');
    await browse(again);
    await s.waitFor(`return document.body.innerText.includes('Tenant ID')`, 'signed in', 30000);
    await reveal(s, '.notice');
    const t = await text(s);
    assert.match(t, /Contoso/);
    assert.equal(await s.exec(`return document.querySelectorAll('table.perms .badge-ok').length`), 4, 'four permissions granted');
    await shot(s, 'sp-signed-in');
  });
  await step('azure SP: Exchange Online checked live — every role granted', async () => {
    await next(s, 'exchange');
    await fill(s, 'exchange_online.service_account', STANDIN.account);
    await s.exec(`[...document.querySelectorAll('button')].find((b) => b.textContent === 'Sign in and check').click()`);
    const url = await nextOpened('Exchange sign-in');
    assert.match(decodeURIComponent(url), /https:\/\/outlook\.office365\.com\/\.default/, 'the Exchange Online resource is asked for');
    await browse(url);
    await s.waitFor(`return document.querySelector('table.exchange-result')`, 'result', 30000);
    const t = await text(s);
    assert.match(t, /holds all \d+ roles the chosen features need/);
    assert.doesNotMatch(t, /Missing/);
    await reveal(s, 'table.exchange-result');
    await shot(s, 'exchange-passed');
    const log = await standin('/__standin/log');
    assert.ok(log.exchange.some((l) => l.startsWith('invoke:Get-ManagementRoleAssignment:')), JSON.stringify(log.exchange));
    assert.ok(!log.exchange.some((l) => l.startsWith('VIOLATION')), 'read-only cmdlets only');
    assert.ok(log.exchange.includes(`graph:me/memberOf:${STANDIN.account}`), 'directory roles read through Graph');
    await next(s, 'summary');
    await s.waitFor(`return document.querySelector('[data-exchange-check="passed"]')`, 'summary says the check passed');
    assert.match(await text(s), /Exchange check passed/);
    assert.match(await text(s), /Signed in, admin consent granted/);
    await reveal(s, '[data-exchange-check]');
    await shot(s, 'summary-sp-exchange-passed');
    // Saved: the record is in the settings file, without any token.
    await s.clickCss('#save-draft');
    await s.waitFor(`return document.querySelector('.toast.show')?.textContent.startsWith('Saved')`, 'saved toast');
    const saved = JSON.parse(await readFile(SETTINGS, 'utf8')).settings.connections.find((c) => c.connection.kind === 'azure-ad');
    assert.equal(saved.exchange_check?.passed, true, JSON.stringify(saved));
    assert.equal(saved.exchange_check.account, STANDIN.account);
    assert.deepEqual(saved.exchange_check.features, ['distribution-lists', 'mail-enabled-security-groups', 'shared-mailboxes']);
    assert.equal(saved.connection.application.client_id, STANDIN.client_id);
    assert.doesNotMatch(await readFile(SETTINGS, 'utf8'), /eyJ|refresh_token|access_token/, 'no token on disk');
  });
  await step('azure SP: a role missing — the check names it and shows the fix and the script', async () => {
    await standin('/__standin/scenario/role-missing', 'POST');
    await s.clickCss('[data-step="exchange"] button');
    await onScreen(s, 'exchange');
    await s.exec(`[...document.querySelectorAll('button')].find((b) => b.textContent === 'Sign in and check').click()`);
    await browse(await nextOpened('Exchange sign-in (role missing)'));
    await s.waitFor(`return document.querySelector('table.exchange-result')?.innerText.includes('Missing')`, 'missing role', 30000);
    const t = await text(s);
    assert.match(t, /Distribution Groups/);
    assert.match(t, /New-ManagementRoleAssignment|Add-RoleGroupMember|New-RoleGroup/);
    assert.ok(await s.exec(`return !!document.querySelector('[aria-label="Copy Fix (Exchange Online PowerShell)"]')`), 'the fix script with Copy');
    assert.ok(await s.exec(`return !!document.querySelector('[aria-label="Copy Role-group script"]')`), 'the role-group script with Copy');
    await reveal(s, 'table.exchange-result');
    await shot(s, 'exchange-role-missing');
    await next(s, 'summary');
    await s.waitFor(`return document.querySelector('[data-exchange-check="not-passed"]')`, 'summary says it did not pass');
    assert.match(await text(s), /missing Distribution Groups/);
    await reveal(s, '[data-exchange-check]');
    await shot(s, 'summary-sp-exchange-missing');
    await standin('/__standin/scenario/all-granted', 'POST');
  });
  await exchangeOutcomes(s);
}

/** Issue 9: every other outcome of the Exchange check, as the window shows it. */
async function exchangeOutcomes(s) {
  const ADMIN = 'exo-admin@contoso.example';
  /** Run one check (the stand-ins in `scenario`) and wait until the result says `want`. */
  const check = async (scenario, button, want, what) => {
    await standin(`/__standin/scenario/${scenario}`, 'POST');
    await s.waitFor(`return [...document.querySelectorAll('.screen button')].some((b) => b.textContent.trim() === arguments[0] && !b.disabled)`, `button ${button}`, 15000, button);
    await clickButton(s, button);
    const url = await nextOpened(`Exchange sign-in (${what})`);
    await s.waitFor(`return /Waiting for you to sign in/.test(document.querySelector('.screen').innerText)`, `${what}: waiting`, 15000);
    await browse(url);
    await s.waitFor(`return new RegExp(arguments[0]).test(document.querySelector('.screen').innerText) && !/Waiting for you to sign in/.test(document.querySelector('.screen').innerText)`, what, 30000, want.source);
    return text(s);
  };
  await step('azure SP: the service account may not read role assignments — unknown, with the way out', async () => {
    await s.clickCss('[data-step="exchange"] button');
    await onScreen(s, 'exchange');
    const t = await check('not-reader', 'Sign in and check', /may not read role assignments/, 'not a reader');
    assert.match(t, /Unknown/);
    assert.match(t, /Exchange administrator/);
    assert.ok(await s.exec(`return [...document.querySelectorAll('.screen button.btn-primary')].some((b) => b.textContent.trim() === 'Sign in as an Exchange administrator')`), 'the way out is the primary action');
    await reveal(s, 'table.exchange-result');
    await shot(s, 'exchange-not-reader');
  });
  await step('azure SP: the browser signed in as another account — refused, naming both; an Exchange administrator checks for the service account', async () => {
    let t = await check('as-admin', 'Sign in and check', new RegExp(ADMIN.replace(/[.]/g, '\\.')), 'another account');
    assert.ok(t.split('\n').some((l) => l.includes(ADMIN) && l.includes(STANDIN.account)), `one sentence names both accounts:\n${t}`);
    // The result section (its heading) at the top of the screenshot.
    await s.exec(`const m = document.querySelector('#main'); const e = [...document.querySelectorAll('.screen h2')].find((x) => x.textContent.includes('Result of the check'));
      if (e) m.scrollTop += e.getBoundingClientRect().top - m.getBoundingClientRect().top - 16;`);
    await shot(s, 'exchange-wrong-account');
    t = await check('as-admin', 'Sign in as an Exchange administrator', /checked as exo-admin/, 'as administrator');
    assert.doesNotMatch(t, /Missing|Unknown/);
    assert.match(t, /Granted/);
    await reveal(s, 'table.exchange-result');
    await shot(s, 'exchange-as-admin');
  });
  await step('azure SP: throttled (429, Retry-After) — waited for, then checked', async () => {
    const t = await check('throttled', 'Sign in and check', /Granted/, 'throttled');
    assert.doesNotMatch(t, /checked as exo-admin/);
    const log = await standin('/__standin/log');
    assert.ok(JSON.stringify(log).includes('throttled'), 'the stand-in throttled the check');
  });
  await step('azure SP: Exchange answers an error with details — shown, the roles unknown', async () => {
    const t = await check('error-body', 'Sign in and check', /ADTransientException/, 'error body');
    assert.match(t, /Active Directory operation failed/);
    assert.equal((t.match(/Active Directory operation failed/g) ?? []).length <= 2, true, 'the cause is not repeated in every row');
    assert.ok(!(await s.exec(`return [...document.querySelectorAll('.screen button.btn-primary')].some((b) => b.textContent.trim() === 'Sign in as an Exchange administrator')`)),
      'an Exchange error is not answered with "sign in as an administrator"');
    await reveal(s, 'table.exchange-result');
    await shot(s, 'exchange-error-body');
    await standin('/__standin/scenario/all-granted', 'POST');
  });
}

async function azure(s) {
  await step('azure by keyboard only (WebKit focus order): start → kind → application → permissions → sign-in', async () => {
    const active = () => s.exec(`const a = document.activeElement; if (!a) return ''; if (a.type === 'radio') return 'radio:' + a.value; return a.dataset.path || a.id || a.tagName`);
    const tabTo = async (want) => {
      for (let i = 0; i < 30; i++) {
        if ((await active()) === want) return;
        await s.press(Key.Tab);
      }
      throw new Error(`Tab never reached ${want} (at ${await active()})`);
    };
    await s.exec('document.activeElement && document.activeElement.blur()');
    await tabTo('new-connection');
    await s.press(Key.Enter);
    await onScreen(s, 'kind');
    assert.equal(await active(), 'radio:hybrid-onprem', 'the first choice has the focus');
    await s.press(Key.ArrowRight); // the second card: Azure AD
    await s.waitFor(`return document.querySelector('input[value="azure-ad"]').checked`, 'Azure AD chosen by arrow key');
    await s.press(Key.Enter);
    await onScreen(s, 'app-kind');
    assert.equal(await active(), 'name', 'focus starts at the first field');
    await s.press(Key.Tab);
    assert.equal(await active(), 'radio:service-provider');
    await s.press(Key.Space);
    await s.waitFor(`return document.querySelector('input[value="service-provider"]').checked`, 'Service Provider chosen by Space');
    await settle(s);
    await shot(s, 'app-kind');
    await s.press(Key.Enter);
    // The permissions are shown before the sign-in that asks for them (issue 9).
    await onScreen(s, 'permissions');
    await s.waitFor(`return document.querySelector('table.perms')?.textContent.includes('Required to reset their password')`, 'vendor wording');
    await shot(s, 'permissions-sp');
    await next(s, 'sp-signin');
    await figure(s);
  });
  if (STANDIN) await serviceProvider(s);
  else await shot(s, 'sp-signin');
  await step('azure: Customer Owned path with a client ID error and its correction', async () => {
    await s.clickCss('[data-step="app-kind"] button');
    await onScreen(s, 'app-kind');
    await s.clickCss('label.choice:has(input[value="customer-owned"])');
    await settle(s);
    await next(s, 'co-app');
    await fill(s, 'application.client_id', 'not-a-guid');
    await s.waitFor(`return document.querySelector('.field:has([data-path="application.client_id"]) .issue-error')`, 'client id error');
    assert.equal(await nextDisabled(s), true);
    await shot(s, 'co-app-error');
    await fill(s, 'application.client_id', '3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    await fill(s, 'application.tenant_id', 'contoso.onmicrosoft.com');
    await s.waitFor(`return !document.querySelector('.field.has-error')`, 'co-app valid');
    await shot(s, 'co-app-valid');
    await next(s, 'permissions');
    await shot(s, 'permissions-co');
    await next(s, 'co-cert');
    await figure(s);
    await shot(s, 'co-cert');
    if (WORK) {
      // Issue 11: the certificate is created and saved with a sentinel passphrase; the scans of
      // scripts/test.sh look for it in every file the app wrote (the .key.pem holds it only as
      // the key of the encryption, never in plain text).
      await clickButton(s, 'Create certificate');
      await s.waitFor(`return /Thumbprint/.test(document.querySelector('.screen').textContent)`, 'certificate created', 60000);
      const certDir = join(WORK, 'tmp', 'certificate');
      await mkdir(certDir, { recursive: true });
      await typeLabelled(s, 'Folder', certDir);
      await typeLabelled(s, 'Passphrase for the private key', CERT_PASSPHRASE);
      await typeLabelled(s, 'Passphrase again', CERT_PASSPHRASE);
      await clickButton(s, 'Save certificate files');
      await s.waitFor(`return /Certificate saved/.test(document.querySelector('.screen').textContent)`, 'certificate saved', 60000);
      const files = (await readdir(certDir)).sort();
      assert.equal(files.length, 3, `the .cer, the .pem and the .key.pem: ${files}`);
      const bundle = await readFile(join(certDir, files.find((f) => f.endsWith('.key.pem'))), 'utf8');
      assert.match(bundle, /BEGIN ENCRYPTED PRIVATE KEY/);
      assert.ok(!bundle.includes(CERT_PASSPHRASE));
      await shot(s, 'co-cert-saved');
    }
    await next(s, 'exchange');
    await fill(s, 'exchange_online.service_account', 'svc-exo@contoso.com');
    await shot(s, 'exchange-azure');
    await next(s, 'summary');
    await shot(s, 'summary-azure');
    await next(s, 'done');
    await shot(s, 'done-azure');
  });
}

async function main() {
  await mkdir(OUT, { recursive: true });
  let s = await start('first launch');
  try {
    await hybrid(s);
    await azure(s);
  } catch (e) {
    await shot(s, 'failure').catch(() => undefined);
    throw e;
  } finally {
    await s.close().catch(() => undefined);
  }

  await step('settings on disk hold both connections and no password', async () => {
    assert.ok(existsSync(SETTINGS), `settings file ${SETTINGS} exists`);
    const text = await readFile(SETTINGS, 'utf8');
    assert.ok(!text.includes(PASSWORD), 'the AD password is never written to the settings');
    const json = JSON.parse(text);
    assert.equal(json.settings.connections.length, 2);
  });

  s = await start('second launch');
  try {
    await step('restart: the start screen lists the saved connections and reopens one', async () => {
      await s.waitFor(`return document.querySelectorAll('.saved').length === 2`, 'two saved connections after restart');
      const names = await s.exec(`return [...document.querySelectorAll('.saved-name')].map(e => e.firstChild.textContent)`);
      assert.deepEqual(names.sort(), ['Connection-Azure AD', 'Connection-OnPremise Service']);
      await shot(s, 'start-after-restart');
      await s.clickCss('[aria-label="Open Connection-OnPremise Service"]');
      await onScreen(s, 'summary');
      const text = await s.exec(`return document.querySelector('.screen').textContent`);
      assert.match(text, /dc1\.example-domain\.com,192\.0\.2\.10/);
      await shot(s, 'reopened-summary');
    });
  } finally {
    await s.close().catch(() => undefined);
  }
}

async function walk(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Issue 11: no token of the sign-in or the Exchange check in any file the app wrote. */
async function tokenScan() {
  if (!STANDIN || !WORK) return;
  await step('token scan: no token issued by the stand-ins in any file the app wrote (settings, logs, WebKit data, temporary files)', async () => {
    const { tokens } = await standin('/__standin/log');
    assert.ok(tokens.length >= 4, `the run got tokens (${tokens.length})`);
    const needles = tokens.flatMap((t) => [Buffer.from(t), Buffer.from(t, 'utf16le')]);
    const hits = [];
    let scanned = 0;
    for (const root of ['data', 'config', 'cache', 'runtime', 'tmp'].map((d) => join(WORK, d))) {
      for (const f of await walk(root)) {
        const buf = await readFile(f).catch(() => null);
        if (!buf) continue;
        scanned += 1;
        if (needles.some((n) => buf.includes(n))) hits.push(f);
      }
    }
    console.log(`# token scan: ${tokens.length} tokens, ${scanned} files`);
    assert.deepEqual(hits, []);
  });
}

async function corrupted() {
  // Settings the app cannot read are reported on the start screen and left untouched on disk.
  const bad = '{"settings": {"version": "one", "connections": 7}}';
  await writeFile(SETTINGS, bad);
  const s = await start('launch with unreadable settings');
  try {
    await step('unreadable settings: a clear problem on the start screen, the file left untouched', async () => {
      const code = await s.waitFor(`const n = document.querySelector('[data-code^="settings."]'); return n && n.dataset.code`, 'settings problem');
      assert.equal(code, 'settings.unreadable');
      await shot(s, 'start-unreadable-settings');
    });
  } finally {
    await s.close().catch(() => undefined);
  }
  await step('unreadable settings file is unchanged after the app closed', async () => {
    assert.equal(await readFile(SETTINGS, 'utf8'), bad);
  });
}

main()
  .then(() => tokenScan())
  .then(() => corrupted())
  .catch((e) => {
    if (!e?.reported) {
      failed += 1;
      console.log(`not ok - e2e run\n  ${String(e?.stack ?? e)}`);
    }
  })
  .finally(() => {
    console.log(`screenshots: ${shots.length} in ${OUT}`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  });
