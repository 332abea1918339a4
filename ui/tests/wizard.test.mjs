// UI tests in headless Debian chromium, IPC mocked at the boundary (tests/ipc-mock.ts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, calls, screenId, next, waitScreen, settle, clickNext, fill } from './harness.mjs';

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

/**
 * A step another area owns: it has a heading, and every capability is in this build (no
 * "not available" placeholder is left).
 */
async function figureStep(page, id) {
  await waitScreen(page, id);
  assert.equal(await page.locator('.screen h1').count(), 1);
  assert.equal(await page.locator('[data-unavailable]').count(), 0);
}

const sidebarSteps = (page) => page.$$eval('.steps li[data-step]', (lis) => lis.map((li) => li.dataset.step));

async function fillHybrid(page) {
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com, dc1b.example-domain.com');
  await fill(page, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');
}

test('start screen offers a new connection when nothing is saved', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  assert.equal(await screenId(page), 'start');
  assert.match(await page.locator('h1').textContent(), /Connect your directory/);
  assert.equal(await page.locator('#new-connection').isVisible(), true);
  assert.equal(await page.locator('.footer').isHidden(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('hybrid: every screen in the core order, Back and Next, no step left as a placeholder', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await waitScreen(page, 'kind');
  assert.equal(await next(page).isDisabled(), true, 'Next is disabled until a kind is chosen');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await settle(page);
  assert.deepEqual(await sidebarSteps(page), ['kind', 'onprem', 'ldap-test', 'keypair', 'exchange', 'summary', 'create', 'handoff', 'agent-setup', 'done']);
  await clickNext(page, 'onprem');
  assert.match(await page.locator('.eyebrow').textContent(), /Step 2 of 10/);
  assert.equal(await page.inputValue('[data-path="name"]'), 'Connection-OnPremise Service');
  assert.equal(await page.inputValue('[data-path="domain_controllers[0].port"]'), '636');
  assert.equal(await next(page).isDisabled(), true, 'Next is disabled while the form is invalid');
  await fillHybrid(page);
  assert.equal(await next(page).isDisabled(), false);

  await clickNext(page, 'ldap-test');
  await figureStep(page, 'ldap-test');
  // Back returns to the form with the values kept.
  await page.click('#back');
  await waitScreen(page, 'onprem');
  assert.equal(await page.inputValue('[data-path="service_account"]'), 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
  await page.fill('input[type=password]', 'S3cret-pass');
  await page.locator('input[type=password]').blur();
  await clickNext(page, 'keypair');
  await figureStep(page, 'keypair');
  await clickNext(page, 'exchange');
  const roles = await page.locator('table.roles').textContent();
  assert.match(roles, /Microsoft 365 groups/);
  assert.match(roles, /User Administrator/);
  assert.equal(await next(page).isDisabled(), true);
  await fill(page, 'exchange_online.service_account', 'svc-exo@example-domain.com');
  // The role-group command follows the account typed.
  await page.waitForFunction(() => document.querySelector('pre.kv-value')?.textContent.includes('svc-exo@example-domain.com'));
  await clickNext(page, 'summary');
  const summary = await page.locator('.screen').textContent();
  assert.match(summary, /dc1.example-domain.com,dc1b.example-domain.com/);
  assert.match(summary, /DC=example-domain,DC=com/);
  assert.match(summary, /Domain controllers (not )?tested/);
  assert.match(summary, /No key pair yet/, 'no key was made in this test, and the summary says so');
  await page.click('#save-draft');
  await page.waitForFunction(() => window.__mockSettings.connections.length === 1);
  const saveCall = (await calls(page)).find((c) => c.cmd === 'settings_save');
  assert.equal(saveCall.args.complete, false);
  assert.ok(!JSON.stringify(saveCall.args).includes('S3cret-pass'), 'the password is never part of a save');
  assert.equal(await page.evaluate(() => window.__adPassword), 'S3cret-pass', 'the password went to the app memory');
  await clickNext(page, 'create');
  await figureStep(page, 'create');
  await clickNext(page, 'handoff');
  await clickNext(page, 'agent-setup');
  assert.match(await page.locator('.screen').textContent(), /\/config/);
  await clickNext(page, 'done');
  assert.match(await page.locator('.screen').textContent(), /saved as a draft|saved as a complete/);
  assert.equal(await next(page).isHidden(), true);
  await page.click('#finish');
  await waitScreen(page, 'start');
  assert.equal(await page.locator('.saved').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('azure: both application kinds follow the core steps; Customer Owned form is validated', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="azure-ad"])');
  await clickNext(page, 'app-kind');
  assert.equal(await next(page).isDisabled(), true, 'Next waits for an application kind');
  await page.click('label.choice:has(input[value="service-provider"])');
  await settle(page);
  // The permissions come before the step that needs them (issue 9).
  assert.deepEqual(await sidebarSteps(page), ['kind', 'app-kind', 'permissions', 'sp-signin', 'exchange', 'summary', 'done']);
  await clickNext(page, 'permissions');
  assert.match(await page.locator('table.perms').textContent(), /Directory\.AccessAsUser\.All/);
  assert.match(await page.locator('table.perms').textContent(), /Delegated/);
  assert.match(await page.locator('table.perms').textContent(), /Required to reset their password/);
  assert.match(await page.locator('.screen').textContent(), /justification/);
  assert.match(await page.locator('.screen').textContent(), /Review permissions and consent/);
  await clickNext(page, 'sp-signin');
  await figureStep(page, 'sp-signin');
  // Switch to Customer Owned: the steps change.
  await page.click('[data-step="app-kind"] button');
  await waitScreen(page, 'app-kind');
  await page.click('label.choice:has(input[value="customer-owned"])');
  await settle(page);
  assert.deepEqual(await sidebarSteps(page), ['kind', 'app-kind', 'co-app', 'permissions', 'co-cert', 'exchange', 'summary', 'done']);
  await clickNext(page, 'co-app');
  assert.equal(await next(page).isDisabled(), true);
  await fill(page, 'application.client_id', 'not-a-guid');
  assert.match(await page.locator('.field.has-error').first().textContent(), /is not a GUID/);
  await fill(page, 'application.client_id', '3f2504e0-4f89-11d3-9a0c-0305e82c3301');
  await fill(page, 'application.tenant_id', 'contoso.onmicrosoft.com');
  assert.equal(await page.locator('.field.has-error').count(), 0);
  await page.selectOption('[data-path="application.cloud"]', 'usgov-high');
  await clickNext(page, 'permissions');
  assert.match(await page.locator('table.perms').textContent(), /User\.EnableDisableAccount\.All/);
  assert.match(await page.locator('table.perms').textContent(), /Required to reset their password/);
  await clickNext(page, 'co-cert');
  await figureStep(page, 'co-cert');
  await clickNext(page, 'exchange');
  assert.doesNotMatch(await page.locator('table.roles').textContent(), /Microsoft 365 groups/);
  await fill(page, 'exchange_online.service_account', 'svc-exo@contoso.com');
  await clickNext(page, 'summary');
  assert.match(await page.locator('.screen').textContent(), /GCC High/);
  assert.match(await next(page).textContent(), /Save connection/);
  await clickNext(page, 'done');
  const saved = await page.evaluate(() => window.__mockSettings.connections[0].connection);
  assert.equal(saved.kind, 'azure-ad');
  assert.equal(saved.application.kind, 'customer-owned');
  assert.equal(saved.application.cloud, 'usgov-high');
  assert.deepEqual(errors, []);
  await context.close();
});

test('customer owned certificate: progress and Cancel while it is created and saved; a cancel keeps and writes nothing', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="azure-ad"])');
  await clickNext(page, 'app-kind');
  await page.click('label.choice:has(input[value="customer-owned"])');
  await settle(page);
  await clickNext(page, 'co-app');
  await fill(page, 'application.client_id', '3f2504e0-4f89-11d3-9a0c-0305e82c3301');
  await fill(page, 'application.tenant_id', 'contoso.onmicrosoft.com');
  await clickNext(page, 'permissions');
  await clickNext(page, 'co-cert');
  const screen = () => page.locator('.screen').textContent();

  await page.evaluate(() => { window.__certDelayMs = 10000; });
  await page.click('button:has-text("Create certificate")');
  await page.waitForSelector('#cert-cancel');
  assert.match(await page.locator('.keygen-progress').textContent(), /Creating the certificate/);
  await page.click('#cert-cancel');
  await page.waitForSelector('text=no certificate was created');
  assert.equal(await page.locator('button:has-text("Create certificate")').count(), 1, 'back to the form');
  assert.doesNotMatch(await screen(), /Thumbprint/);

  await page.evaluate(() => { window.__certDelayMs = 0; });
  await page.click('button:has-text("Create certificate")');
  await page.waitForSelector('text=Thumbprint');

  const fillSave = async () => {
    await page.getByLabel('Folder', { exact: true }).fill('/home/admin/certs');
    await page.getByLabel('Passphrase for the private key').fill('long enough passphrase');
    await page.getByLabel('Passphrase again').fill('long enough passphrase');
  };
  await fillSave();
  await page.evaluate(() => { window.__certDelayMs = 10000; });
  await page.click('button:has-text("Save certificate files")');
  await page.waitForSelector('#cert-cancel');
  assert.match(await page.locator('.keygen-progress').textContent(), /PBKDF2/);
  await page.click('#cert-cancel');
  await page.waitForSelector('text=no file was written');
  assert.doesNotMatch(await screen(), /Certificate saved/);

  await page.evaluate(() => { window.__certDelayMs = 0; });
  await fillSave();
  await page.click('button:has-text("Save certificate files")');
  await page.waitForSelector('text=Certificate saved');
  assert.match(await screen(), /\/home\/admin\/certs\/hire2retire\.key\.pem/);
  const cancels = (await calls(page)).filter((c) => c.cmd === 'identity_cancel_certificate');
  assert.equal(cancels.length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('field errors appear at the field once touched, block Next, and go away when corrected', async () => {
  const { page, context } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  // Nothing shown before a field is touched.
  assert.equal(await page.locator('.issue').count(), 0);
  await fillHybrid(page);
  await fill(page, 'domain_controllers[0].port', '389');
  const portField = page.locator('.field:has([data-path="domain_controllers[0].port"])');
  assert.match(await portField.locator('.issue-error').textContent(), /LDAPS only, plain LDAP is not used/);
  assert.match(await portField.locator('.issue-error').textContent(), /636/);
  assert.equal(await page.getAttribute('[data-path="domain_controllers[0].port"]', 'aria-invalid'), 'true');
  assert.equal(await next(page).isDisabled(), true);
  assert.match(await page.locator('#next-status').textContent(), /1 field/);
  // Correction while typing (the field is touched, so the error follows the value).
  await page.fill('[data-path="domain_controllers[0].port"]', '636');
  await settle(page);
  assert.equal(await portField.locator('.issue').count(), 0);
  assert.equal(await page.getAttribute('[data-path="domain_controllers[0].port"]', 'aria-invalid'), null);
  assert.equal(await next(page).isDisabled(), false);
  // A warning is shown in its own style and does not block.
  await fill(page, 'domain_controllers[0].port', '3269');
  assert.match(await portField.locator('.issue-warning').textContent(), /read-only partial replica/);
  assert.equal(await next(page).isDisabled(), false);
  // A bad second host is reported at the hosts field.
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com, bad host!');
  assert.match(await page.locator('.field:has([data-path="domain_controllers[0].hosts"]) .issue-error').textContent(), /bad host!/);
  assert.equal(await next(page).isDisabled(), true);
  await context.close();
});

test('untouched fields stay quiet until Next is attempted; then all are shown and the first is focused', async () => {
  const { page, context } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com');
  assert.equal(await page.locator('.issue-error').count(), 0);
  await page.focus('[data-path="domain_controllers[0].hosts"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.issue-error');
  assert.equal(await screenId(page), 'onprem');
  const shownFor = await page.$$eval('.field.has-error input', (els) => els.map((e) => e.dataset.path));
  assert.deepEqual(shownFor, ['domain_controllers[0].base_dn', 'service_account']);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'domain_controllers[0].base_dn');
  await context.close();
});

test('adding and removing domain controllers', async () => {
  const { page, context } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await fillHybrid(page);
  await page.click('#add-dc');
  await page.waitForSelector('[data-dc="1"]');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'domain_controllers[1].hosts');
  await settle(page);
  assert.equal(await next(page).isDisabled(), true, 'the empty second DC blocks Next');
  await fill(page, 'domain_controllers[1].hosts', 'dc2.example-domain.com');
  await fill(page, 'domain_controllers[1].base_dn', 'DC=example-domain,DC=com');
  assert.equal(await next(page).isDisabled(), false);
  await page.click('[aria-label="Remove domain controller 2"]');
  await page.waitForSelector('[data-dc="1"]', { state: 'detached' });
  assert.equal(await page.locator('fieldset.dc').count(), 1);
  await context.close();
});

test('keyboard only: a hybrid connection from start to done', async () => {
  const { page, context } = await openApp(browser, server.url);
  const kb = page.keyboard;
  const tabTo = async (selector, max = 40) => {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
      await kb.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  };
  await tabTo('#new-connection');
  await kb.press('Enter');
  await waitScreen(page, 'kind');
  // The first radio is focused; Space selects it, Enter continues.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'radio');
  await kb.press('Space');
  await settle(page);
  await kb.press('Enter');
  await waitScreen(page, 'onprem');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'name', 'focus starts at the first field');
  // Focus order follows the form: name → hosts → port → base DN → service account.
  const order = [];
  for (let i = 0; i < 8 && order.length < 5; i++) {
    const p = await page.evaluate(() => document.activeElement?.dataset.path);
    if (p && !order.includes(p)) order.push(p);
    await kb.press('Tab');
  }
  assert.deepEqual(order, ['name', 'domain_controllers[0].hosts', 'domain_controllers[0].port', 'domain_controllers[0].base_dn', 'service_account']);
  await page.focus('[data-path="domain_controllers[0].hosts"]');
  await kb.type('dc1.example-domain.com');
  await tabTo('[data-path="domain_controllers[0].base_dn"]');
  await kb.type('DC=example-domain,DC=com');
  await tabTo('[data-path="service_account"]');
  await kb.type('svc-h2r@example-domain.com');
  await settle(page);
  await kb.press('Enter');
  await waitScreen(page, 'ldap-test');
  await tabTo('#next');
  await kb.press('Enter');
  await waitScreen(page, 'keypair');
  await tabTo('#next');
  await kb.press('Enter');
  await waitScreen(page, 'exchange');
  await tabTo('[data-path="exchange_online.service_account"]');
  await kb.type('svc-exo@example-domain.com');
  await settle(page);
  await kb.press('Enter');
  await waitScreen(page, 'summary');
  await tabTo('#save-draft');
  await kb.press('Enter');
  await page.waitForFunction(() => window.__mockSettings.connections.length === 1);
  await tabTo('#next');
  await kb.press('Enter');
  await waitScreen(page, 'create');
  await tabTo('#next');
  await kb.press('Enter');
  await waitScreen(page, 'handoff');
  await tabTo('#next');
  await kb.press('Enter');
  await waitScreen(page, 'agent-setup');
  await tabTo('#next');
  await kb.press('Enter');
  await waitScreen(page, 'done');
  await tabTo('#finish');
  await kb.press('Enter');
  await waitScreen(page, 'start');
  assert.equal(await page.locator('.saved').count(), 1);
  await context.close();
});

test('keyboard: arrow keys choose the connection kind and application, Enter continues at once', async () => {
  const { page, context } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await waitScreen(page, 'kind');
  await page.keyboard.press('ArrowRight'); // moves to (and selects) the second card: Azure AD
  await page.keyboard.press('Enter');
  await waitScreen(page, 'app-kind');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'name');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await waitScreen(page, 'co-app');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), 'application.cloud');
  await context.close();
});

const SEED = {
  version: 1,
  connections: [
    { id: 'aaaa-1111', saved_at: '2026-11-25T10:00:00Z', complete: false,
      connection: { kind: 'hybrid-onprem', name: 'HQ forest', domain_controllers: [{ hosts: ['dc1.corp.example', 'dc1b.corp.example'], port: 636, base_dn: 'DC=corp,DC=example' }], service_account: 'svc@corp.example', exchange_online: { name: 'Connection-Exchange Online', service_account: 'svc-exo@corp.example' } } },
    { id: 'bbbb-2222', saved_at: '2026-11-24T10:00:00Z', complete: false,
      connection: { kind: 'azure-ad', name: 'Cloud tenant', application: { kind: 'service-provider', cloud: 'global' }, exchange_online: { name: 'Connection-Exchange Online', service_account: 'svc-exo@corp.example' } } },
  ],
};

test('saved connections are listed, reopen at the summary, and offer Rotate keys for hybrid only', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { seed: SEED });
  assert.equal(await page.locator('.saved').count(), 2);
  assert.equal(await page.locator('[aria-label="Rotate keys of HQ forest"]').count(), 1);
  assert.equal(await page.locator('[aria-label="Rotate keys of Cloud tenant"]').count(), 0);
  await page.click('[aria-label="Open HQ forest"]');
  await waitScreen(page, 'summary');
  assert.match(await page.locator('.screen').textContent(), /dc1.corp.example,dc1b.corp.example/);
  await page.click('[data-step="onprem"] button');
  await waitScreen(page, 'onprem');
  assert.equal(await page.inputValue('[data-path="domain_controllers[0].hosts"]'), 'dc1.corp.example, dc1b.corp.example');
  await clickNext(page, 'ldap-test');
  await page.click('#back');
  await page.click('#back');
  await page.click('#back');
  await waitScreen(page, 'start');
  await page.click('[aria-label="Rotate keys of HQ forest"]');
  await figureStep(page, 'rotate');
  await page.click('#back');
  await waitScreen(page, 'start');
  await page.click('[aria-label="Remove Cloud tenant"]');
  await page.click('text=Remove from this list');
  await page.waitForFunction(() => document.querySelectorAll('.saved').length === 1);
  assert.equal(await page.evaluate(() => window.__mockSettings.connections.length), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an IPC error is shown with its message and hint, and nothing moves on', async () => {
  const fail = { settings_save: { code: 'settings.write', message: 'The settings could not be written: disk full.', hint: 'Free some space and save again.' } };
  const { page, context } = await openApp(browser, server.url, { fail });
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="azure-ad"])');
  await clickNext(page, 'app-kind');
  await page.click('label.choice:has(input[value="service-provider"])');
  await clickNext(page, 'permissions');
  await clickNext(page, 'sp-signin');
  await clickNext(page, 'exchange');
  await fill(page, 'exchange_online.service_account', 'svc-exo@contoso.com');
  await clickNext(page, 'summary');
  await clickNext(page);
  await page.waitForSelector('.banner[data-code="settings.write"]');
  assert.match(await page.locator('.banner').textContent(), /disk full/);
  assert.match(await page.locator('.banner').textContent(), /Free some space/);
  assert.equal(await screenId(page), 'summary');
  await context.close();
});
