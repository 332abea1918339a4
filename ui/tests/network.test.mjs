// The "Network" disclosure (issue 9): the proxy for Microsoft sign-in, Graph and Exchange
// Online, on the Exchange Online step. Saved at once through `network_set_proxy`; an address with
// a password is refused at the field and nothing is saved; the sign-in request never carries it
// (the command reads the saved value). IPC mocked (tests/mocks/network.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, calls, waitScreen, settle, clickNext, fill } from './harness.mjs';

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

test('network: the proxy field saves a valid address, refuses a password, and is never sent with the check', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await waitScreen(page, 'kind');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await settle(page);
  await clickNext(page, 'onprem');
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com');
  await fill(page, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
  await clickNext(page, 'keypair');
  await clickNext(page, 'exchange');

  const summary = page.locator('details.network > summary');
  assert.match(await summary.textContent(), /this computer's proxy settings/);
  await summary.click();
  const input = page.locator('[data-path="network.proxy"]');
  assert.ok(await input.isVisible());

  // A password: a field-level error, nothing saved, the password never echoed.
  await fill(page, 'network.proxy', 'http://admin:Pr0xy-S3cret@proxy.example.com:3128');
  await page.waitForSelector('details.network .field.has-error');
  const msg = await page.locator('details.network .field-msg').textContent();
  assert.match(msg, /user name or password/);
  assert.ok(!msg.includes('Pr0xy-S3cret'));
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.equal((await page.evaluate(() => window.__network)).proxy, undefined);

  // A valid one: saved, normalised, shown in the summary.
  await fill(page, 'network.proxy', 'proxy.example.com:3128');
  await page.waitForFunction(() => document.querySelector('details.network summary').textContent.includes('through http://proxy.example.com:3128'));
  assert.equal(await input.inputValue(), 'http://proxy.example.com:3128');
  assert.equal(await page.locator('details.network .field.has-error').count(), 0);
  const saves = (await calls(page)).filter((c) => c.cmd === 'network_set_proxy');
  assert.deepEqual(saves.map((c) => c.args.proxy), ['http://admin:Pr0xy-S3cret@proxy.example.com:3128', 'proxy.example.com:3128']);

  // The check's request has no proxy (the command reads the saved one).
  await fill(page, 'exchange_online.service_account', 'svc-exo@example-domain.com');
  await page.click('button:has-text("Sign in and check")');
  await page.waitForSelector('table.exchange-result');
  const check = (await calls(page)).find((c) => c.cmd === 'exchange_check');
  assert.ok(!('proxy' in check.args.input));

  // Emptying it returns to the system settings.
  if (!(await page.locator('[data-path="network.proxy"]').isVisible())) await page.locator('details.network > summary').click();
  await fill(page, 'network.proxy', '');
  await page.waitForFunction(() => document.querySelector('details.network summary').textContent.includes("this computer's proxy settings"));
  assert.deepEqual(errors, []);
  await context.close();
});
