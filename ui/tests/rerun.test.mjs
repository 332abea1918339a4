// Issue 14 in the window (IPC mocked): re-running the wizard on a saved, complete hybrid
// connection. Each bug of the issue has a test here that failed before its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, calls, next, waitScreen, clickNext } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const FP = 'fpA-current-key-xxxxxxxxxxxxxxxxxxxxxxxxxxx';
const PEM = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAcurrent\n-----END PUBLIC KEY-----\n';
const DIR = '/srv/h2r-agent';

function seed({ folder = true, diskFp = FP, check = { status: 'passed', checked_at: '2026-11-20T09:58:00Z', warnings: [] } } = {}) {
  const connection = {
    kind: 'hybrid-onprem', name: 'Connection-OnPremise Service',
    domain_controllers: [{ hosts: ['dc1.example-domain.com'], port: 636, base_dn: 'DC=example-domain,DC=com' }],
    service_account: 'svc-h2r@example-domain.com',
    exchange_online: { name: 'Connection-Exchange Online', service_account: 'svc-exo@example-domain.com' },
    agent_key: { fingerprint: FP, bits: 3072, origin: 'generated' }, agent_folder: DIR,
  };
  return {
    version: 1,
    connections: [{ id: 'c1', saved_at: '2026-11-20T10:00:00Z', complete: true, connection, ...(check ? { ldap_check: check } : {}),
      exchange_check: { passed: true, checked_at: '2026-11-20T09:59:00Z', account: 'svc-exo@example-domain.com', features: ['distribution-lists', 'm365-groups', 'mail-enabled-security-groups', 'shared-mailboxes'], missing: [], code: 'exchange.ok', as_admin: false } }],
    keys_folders: folder ? { [DIR]: { fingerprint: diskFp, bits: 3072, origin: 'generated', public_key_pem: PEM, passphrase_protected: false, archived: [] } } : {},
  };
}

const rotateButton = (page) => page.locator('li.saved button:has-text("Rotate keys")');
const text = (page) => page.locator('.screen').textContent();

test('bug 1 and 7: two rotations in one session without restarting; a cancelled rotation says nothing changed', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { seed: seed() });
  await rotateButton(page).click();
  await waitScreen(page, 'rotate');
  await page.waitForSelector('#rotate-keys');
  assert.match(await text(page), new RegExp(FP));
  await page.click('#rotate-keys');
  await page.waitForSelector('text=Keys rotated');
  const first = (await text(page)).match(/New fingerprint(fp\d-x+)/)[1];
  // What changed comes first: the new public key to paste.
  const order = await text(page);
  assert.ok(order.indexOf('Paste the new public key') < order.indexOf('Keys rotated'));
  await page.click('#back');
  await waitScreen(page, 'start');
  await rotateButton(page).click();
  await waitScreen(page, 'rotate');
  await page.waitForSelector('#rotate-keys');
  assert.match(await text(page), new RegExp(`Current fingerprint${first}`), 'the form shows the key now in the folder');
  // A cancelled rotation: said plainly, the folder untouched.
  await page.evaluate(() => { window.__mockFail.keys_rotate = { code: 'keys.cancelled', message: 'Key generation was cancelled.', hint: 'Start key generation again when you are ready.' }; });
  await page.click('#rotate-keys');
  await page.waitForSelector('#rotate-cancelled');
  assert.match(await text(page), /Rotation cancelled: nothing changed/);
  await page.evaluate(() => { delete window.__mockFail.keys_rotate; });
  await page.click('#rotate-keys');
  await page.waitForSelector('text=Keys rotated');
  const rotations = (await calls(page)).filter((c) => c.cmd === 'keys_rotate');
  assert.equal(rotations.length, 3, 'second (and third) rotation possible in one session');
  // Rotate again from the result, without leaving the screen.
  await page.click('#rotate-again');
  await page.waitForSelector('#rotate-keys');
  assert.deepEqual(errors, []);
  await context.close();
});

test('bug 2: "Save" on a reopened complete connection keeps it complete (and its check)', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { seed: seed() });
  await page.click('li.saved button:has-text("Open")');
  await waitScreen(page, 'summary');
  await page.click('#save-draft');
  await page.waitForFunction(() => window.__ipcCalls.some((c) => c.cmd === 'settings_save'));
  const save = (await calls(page)).filter((c) => c.cmd === 'settings_save').pop();
  assert.equal(save.args.complete, true);
  assert.equal(save.args.ldap_check.status, 'passed', 'the last check stays with unchanged values');
  assert.deepEqual(errors, []);
  await context.close();
});

test('bug 4: a reopened connection shows its current key, folder and last check on every step, without contradictions', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { seed: seed() });
  const row = await page.locator('li.saved').textContent();
  assert.match(row, new RegExp(FP), 'the start screen shows the fingerprint');
  assert.match(row, /checked/);
  await page.waitForFunction(() => /key written/.test(document.querySelector('li.saved').textContent));
  await page.click('li.saved button:has-text("Open")');
  await waitScreen(page, 'summary');
  for (const id of ['ldap-test', 'keypair']) {
    assert.match(await page.locator(`.steps [data-step="${id}"]`).getAttribute('class'), /step-done/, `${id} is done`);
  }
  const summary = await text(page);
  assert.match(summary, /Key pair ready/);
  assert.match(summary, /read from the agent folder/);
  assert.match(summary, /Domain controllers tested/);
  await page.click('.steps [data-step="keypair"] button');
  await waitScreen(page, 'keypair');
  await page.waitForSelector('text=Current key (read from the agent folder)');
  const kp = await text(page);
  assert.match(kp, new RegExp(FP));
  assert.match(kp, /BEGIN PUBLIC KEY/);
  assert.equal(await page.locator('#keygen').count(), 0, 'no "Generate key pair" as if none existed');
  assert.match(await next(page).textContent(), /^\s*Next\s*$/);
  await page.click('.steps [data-step="ldap-test"] button');
  await waitScreen(page, 'ldap-test');
  assert.match(await text(page), /Last checked .*: passed/);
  await page.click('.steps [data-step="summary"] button');
  await waitScreen(page, 'summary');
  await clickNext(page, 'create');
  await page.waitForSelector('text=The agent folder is written');
  assert.doesNotMatch(await text(page), /No key pair/);
  await clickNext(page, 'handoff');
  await page.check('#link-account');
  await clickNext(page, 'agent-setup');
  await clickNext(page, 'done');
  const done = await text(page);
  assert.match(done, /Connection ready/);
  assert.match(done, /Key pair ready/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('bug 3: a folder holding another key than recorded is shown as a problem with the way out, never as written', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { seed: seed({ diskFp: 'fpZ-someone-else-xxxxxxxxxxxxxxxxxxxxxxxxxx' }) });
  await page.waitForSelector('li.saved [data-folder="mismatch"]');
  await page.click('li.saved button:has-text("Open")');
  await waitScreen(page, 'summary');
  await page.waitForSelector('[data-folder="mismatch"]');
  const s = await text(page);
  assert.match(s, /holds another key than this connection records/);
  assert.doesNotMatch(s, /Agent folder written/);
  assert.doesNotMatch(s, new RegExp(`fingerprint ${FP}\\)`), 'no claim that the recorded key is in the folder');
  await clickNext(page, 'create');
  await clickNext(page, 'handoff');
  await page.check('#link-account');
  await clickNext(page, 'agent-setup');
  await clickNext(page, 'done');
  assert.doesNotMatch(await text(page), /Everything is in place/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('bug 5: a missing folder says what is missing (no OS error as the message) and offers to locate it or write a new one', async () => {
  const s = seed({ folder: false });
  s.keys_folders['/mnt/moved/h2r-agent'] = { fingerprint: FP, bits: 3072, origin: 'generated', public_key_pem: PEM, passphrase_protected: false, archived: [] };
  const { page, context, errors } = await openApp(browser, server.url, { seed: s });
  await page.waitForSelector('li.saved [data-folder="missing"]');
  assert.match(await page.locator('li.saved').textContent(), /Agent folder missing/);
  await rotateButton(page).click();
  await waitScreen(page, 'rotate');
  await page.waitForSelector('[data-folder="missing"]');
  const t = await text(page);
  assert.match(t, /The agent folder is missing or was moved: \/srv\/h2r-agent/);
  assert.doesNotMatch(await page.locator('.notice-title').first().textContent(), /os error/);
  assert.equal(await page.locator('.banner').count(), 0, 'no raw error banner');
  assert.ok(await page.locator('#new-folder').count(), 'offers to write a new folder');
  await page.fill('#locate-folder', '/mnt/moved/h2r-agent');
  await page.click('#locate-use');
  await page.waitForSelector('#rotate-keys');
  const save = (await calls(page)).filter((c) => c.cmd === 'settings_save').pop();
  assert.equal(save.args.draft.agent_folder, '/mnt/moved/h2r-agent');
  assert.equal(save.args.complete, true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('bug 6: hints written for the command line never reach the window', async () => {
  const s = seed();
  s.connections = [];
  const { page, context, errors } = await openApp(browser, server.url, { seed: s });
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  for (const [path, v] of [['domain_controllers[0].hosts', 'dc1.example-domain.com'], ['domain_controllers[0].base_dn', 'DC=example-domain,DC=com'], ['service_account', 'svc-h2r@example-domain.com']]) {
    await page.fill(`[data-path="${path}"]`, v);
  }
  await clickNext(page, 'ldap-test');
  await clickNext(page, 'keypair');
  await page.click('#keygen');
  await page.waitForSelector('text=Key pair ready');
  await clickNext(page, 'exchange');
  await page.fill('[data-path="exchange_online.service_account"]', 'svc-exo@example-domain.com');
  await clickNext(page, 'summary');
  await clickNext(page, 'create');
  await page.fill('#create-agent >> xpath=ancestor::section//input[contains(@class,"mono")]', DIR);
  await page.fill('input[type=password] >> nth=0', 'S3cret-pass');
  await page.click('#create-agent');
  await page.waitForSelector('.banner[data-code="keys.exists"]');
  const banner = await page.locator('.banner').textContent();
  assert.doesNotMatch(banner, /--force|`keys rotate`|keys rotate/);
  assert.match(banner, /Replace the existing set/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('bug 7: key generation progress shows no "usually about" estimate', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.evaluate(() => { window.__keysDelayMs = 1500; });
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await page.fill('[data-path="domain_controllers[0].hosts"]', 'dc1.example-domain.com');
  await page.fill('[data-path="domain_controllers[0].base_dn"]', 'DC=example-domain,DC=com');
  await page.fill('[data-path="service_account"]', 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
  await clickNext(page, 'keypair');
  await page.selectOption('select', '4096');
  await page.click('#keygen');
  await page.waitForSelector('.keygen-progress');
  await page.waitForFunction(() => /so far/.test(document.querySelector('.keygen-progress')?.textContent ?? ''));
  const p = await page.locator('.keygen-progress').textContent();
  assert.doesNotMatch(p, /usually/);
  assert.ok(await page.locator('#keygen-cancel').isVisible(), 'Cancel is offered');
  await page.waitForSelector('text=Key pair ready');
  assert.deepEqual(errors, []);
  await context.close();
});

test('change the AD password: a wrong password changes nothing; a right one is sealed and the restart is the only step left', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { seed: seed() });
  await page.click('li.saved button:has-text("Change AD password")');
  await waitScreen(page, 'change-password');
  await page.waitForSelector('#new-password');
  await page.fill('#new-password', 'wrong-pass');
  await page.fill('#new-password-again', 'wrong-pass');
  await page.click('#change-password');
  await page.waitForSelector('#password-failed');
  assert.match(await text(page), /did not work: nothing was changed/);
  assert.equal((await calls(page)).filter((c) => c.cmd === 'agent_set_password').length, 0, 'nothing sealed after a failed bind');
  // Mismatched confirmation: refused before anything is sent.
  await page.fill('#new-password', 'N3w-pass');
  await page.fill('#new-password-again', 'N3w-pasz');
  await page.click('#change-password');
  await page.waitForSelector('text=The two passwords differ.');
  await page.fill('#new-password', 'N3w-pass');
  await page.fill('#new-password-again', 'N3w-pass');
  await page.click('#change-password');
  await page.waitForSelector('text=One step left: restart the agent');
  const all = await calls(page);
  const set = all.filter((c) => c.cmd === 'agent_set_password');
  assert.equal(set.length, 1);
  assert.ok(!JSON.stringify(set[0].args).includes('N3w-pass'), 'the password goes to the app memory, not with the request');
  assert.equal(await page.evaluate(() => window.__keys.folders['/srv/h2r-agent'].sealed_password), 'N3w-pass');
  assert.match(await text(page), /docker restart connection-onpremise-service/, 'the container name the agent commands use');
  assert.match(await text(page), /Nothing changes in the Hire2Retire portal/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an interrupted key change is said plainly with the way out; the start row says so', async () => {
  const s = seed();
  s.keys_folders[DIR].state = 'interrupted_during_switch';
  const { page, context, errors } = await openApp(browser, server.url, { seed: s });
  await page.waitForSelector('li.saved [data-folder="interrupted"]');
  await rotateButton(page).click();
  await waitScreen(page, 'rotate');
  await page.waitForSelector('[data-folder="interrupted"]');
  assert.match(await text(page), /A key change in the agent folder was interrupted/);
  assert.ok(await page.locator('#rotate-keys').count(), 'rotating again is offered');
  assert.deepEqual(errors, []);
  await context.close();
});
