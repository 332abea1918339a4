// UI tests of the ldap area (issue 4): the Test connection step. IPC mocked at the boundary
// (tests/mocks/ldap.ts); the real check is tested against a Samba AD DC in Rust (tests/it/ldap.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, calls, next, waitScreen, clickNext, fill } from './harness.mjs';

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

async function toTest(page, hosts, baseDn) {
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await fill(page, 'domain_controllers[0].hosts', hosts);
  await fill(page, 'domain_controllers[0].base_dn', baseDn);
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
}
const lastCheck = async (page) => (await calls(page)).filter((c) => c.cmd === 'ldap_check').pop();

test('test connection: one row per host, a failing alternative warns, trust the certificate after comparing it', async () => {
  const { page, errors } = await openApp(browser, server.url);
  await toTest(page, 'dc1.example-domain.com, untrusted.example-domain.com', 'DC=example-domain,DC=com');
  assert.match(await next(page).textContent(), /Continue without a passing test/);
  assert.equal(await page.locator('tr[data-row]').count(), 2);
  // Without a password the app says so.
  await page.click('#ldap-run');
  await page.waitForSelector('text=Enter the service account\'s password first');
  await page.fill('input[type=password]', 'S3cret-pass');
  await page.locator('input[type=password]').blur();
  await page.click('#ldap-run');
  await page.waitForSelector('text=Every domain controller passed');
  const rows = page.locator('tr[data-row]');
  assert.match(await rows.nth(0).textContent(), /Passed/);
  assert.match(await rows.nth(1).textContent(), /Failed/);
  assert.match(await rows.nth(1).textContent(), /Failed at: TLS handshake/);
  assert.match(await page.locator('.ldap-warnings').textContent(), /alternative address untrusted/);
  assert.match(await next(page).textContent(), /^\s*Next\s*$/);
  // Trust this certificate: shown with issuer, names, expiry, fingerprint; only after confirming.
  await page.click('[data-trust="0-1"]');
  const card = await page.locator('.screen').textContent();
  assert.match(card, /Example Enterprise CA/);
  assert.match(card, /DNS:dc1.example-domain.com/);
  assert.match(card, /2028/); // in the admin's locale (truth.test.mjs checks the format)
  assert.match(card, /DA:8B:37:8D/);
  assert.equal(await page.locator('#ldap-pin').isDisabled(), true);
  await page.check('#ldap-confirm');
  await page.click('#ldap-pin');
  await page.waitForFunction(() => document.querySelectorAll('tr[data-row] .badge-ok').length === 2);
  const call = await lastCheck(page);
  assert.match(call.args.draft.domain_controllers[0].tls.pin_sha256, /^DA:8B:37:8D/);
  assert.equal(JSON.stringify(call.args).includes('S3cret-pass'), false, 'the password never travels with the check');
  assert.deepEqual(errors, []);
});

test('test connection: a wrong Base DN gets "Use this Base DN", which fixes the draft', async () => {
  const { page, errors } = await openApp(browser, server.url);
  await toTest(page, 'dc1.example-domain.com', 'OU=Nope,DC=wrong,DC=com');
  await page.fill('input[type=password]', 'S3cret-pass');
  await page.locator('input[type=password]').blur();
  await page.click('#ldap-run');
  await page.waitForSelector('text=At least one domain controller has no working host');
  assert.match(await page.locator('tr[data-row]').first().textContent(), /does not exist/);
  await page.click('text=Use this Base DN: DC=example-domain,DC=com');
  await page.waitForSelector('text=Every domain controller passed');
  assert.equal((await lastCheck(page)).args.draft.domain_controllers[0].base_dn, 'DC=example-domain,DC=com');
  await page.click('#back');
  await waitScreen(page, 'onprem');
  assert.equal(await page.inputValue('[data-path="domain_controllers[0].base_dn"]'), 'DC=example-domain,DC=com');
  assert.deepEqual(errors, []);
});
