// The Exchange Online step (issue 9): the vendor's table with the feature choice, the script
// following the choice, "Sign in and check" and the result per role with the fix. IPC mocked.
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

async function toExchange(page) {
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
}

test('exchange: vendor table, feature choice, sign in and check, result per role with the fix', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await toExchange(page);
  const table = await page.locator('table.roles').textContent();
  assert.match(table, /Shared mailbox/);
  assert.match(table, /Entra directory role/);
  assert.match(table, /Mail Recipient Creation/, 'also needed in practice is shown apart');
  assert.match(await page.locator('.screen').textContent(), /Permissions requested from Microsoft Exchange Online/);
  assert.equal(await page.locator('input[data-feature]').count(), 4);
  await fill(page, 'exchange_online.service_account', 'svc-exo@example-domain.com');

  // Unticking a feature: the script follows.
  await page.uncheck('input[data-feature="m365-groups"]');
  await page.waitForFunction(() => !document.querySelector('pre.kv-value')?.textContent.includes('m365-groups'));
  const last = (await calls(page)).filter((c) => c.cmd === 'exchange_roles').pop();
  assert.deepEqual(last.args.features, ['distribution-lists', 'mail-enabled-security-groups', 'shared-mailboxes']);

  await page.click('button:has-text("Sign in and check")');
  await page.waitForSelector('table.exchange-result');
  const check = (await calls(page)).find((c) => c.cmd === 'exchange_check');
  assert.equal(check.args.input.service_account, 'svc-exo@example-domain.com');
  assert.deepEqual(check.args.input.features, ['distribution-lists', 'mail-enabled-security-groups', 'shared-mailboxes']);
  assert.equal(check.args.input.as_admin, false);
  for (const k of ['authority_url', 'graph_url', 'exchange_url']) assert.ok(!(k in check.args.input), `${k} is never sent from the window`);
  assert.match(await page.locator('table.exchange-result').textContent(), /Granted/);

  // A missing role: its fix is shown, with Copy; an unknown one offers the administrator sign-in.
  await page.evaluate(() => {
    window.__exchangeReport = {
      ok: false, account: 'svc-exo@example-domain.com', signed_in_as: 'svc-exo@example-domain.com', as_admin: false,
      tenant: { id: 'aaaabbbb-0000-cccc-1111-dddd2222eeee', name: 'Contoso' },
      roles: [
        { feature: 'distribution-lists', role: 'Distribution Groups', source: 'exchange', required_by: 'vendor', status: 'missing', via: null, fix: "New-RoleGroup -Name 'Hire2Retire' -Roles 'Distribution Groups' -Members 'svc-exo@example-domain.com'" },
        { feature: 'shared-mailboxes', role: 'User Administrator', source: 'entra', required_by: 'vendor', status: 'unknown', via: null, reason: 'Could not read the directory roles.' },
      ],
      missing: ['Distribution Groups'], code: 'exchange.missing_roles', message: 'svc-exo@example-domain.com lacks 1 role: Distribution Groups.',
      hint: 'An Exchange administrator runs the fix lines shown, then check again.', script: '', fix_script: "Connect-ExchangeOnline\nNew-RoleGroup -Name 'Hire2Retire' -Roles 'Distribution Groups' -Members 'svc-exo@example-domain.com'", warnings: [],
    };
  });
  await page.click('button:has-text("Check again")');
  await page.waitForSelector('text=lacks 1 role');
  const result = await page.locator('table.exchange-result').textContent();
  assert.match(result, /Missing/);
  // The table points to the fix block (a PowerShell line is not broken in a narrow cell).
  assert.match(result, /run the "Fix" below/);
  assert.match(await page.locator('.screen').textContent(), /New-RoleGroup -Name 'Hire2Retire' -Roles 'Distribution Groups'/);
  assert.match(result, /Could not read the directory roles/);
  assert.equal(await page.locator('button[aria-label="Copy Fix (Exchange Online PowerShell)"]').count(), 1);
  assert.equal(check.args.input.client_id, null, 'the default client application');

  // A tenant that blocks the default client: another application ID, checked by the core and
  // sent with the check.
  assert.match(await page.locator('details.client-app > summary').textContent(), /Exchange Online PowerShell \(default\)/);
  await page.click('details.client-app > summary');
  await fill(page, 'exchange_online.client_id', 'not-a-guid');
  await page.waitForSelector('.field:has([data-path="exchange_online.client_id"]) .issue-error');
  await fill(page, 'exchange_online.client_id', '6731de76-14a6-49ae-97bc-6eba6914391e');
  await page.waitForFunction(() => !document.querySelector('.field:has([data-path="exchange_online.client_id"]) .issue-error'));
  const before = (await calls(page)).filter((c) => c.cmd === 'exchange_check').length;
  await page.click('button:has-text("Sign in and check")');
  let checks = [];
  for (let i = 0; i < 50 && checks.length <= before; i += 1) {
    checks = (await calls(page)).filter((c) => c.cmd === 'exchange_check');
    if (checks.length <= before) await page.waitForTimeout(100);
  }
  assert.equal(checks.pop().args.input.client_id, '6731de76-14a6-49ae-97bc-6eba6914391e');
  assert.deepEqual(errors, []);
  await context.close();
});

test('exchange: the check is recorded — the summary and the saved connection say it passed, when, for which features', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="azure-ad"])');
  await clickNext(page, 'app-kind');
  await page.click('label.choice:has(input[value="service-provider"])');
  await settle(page);
  await clickNext(page, 'permissions');
  await clickNext(page, 'sp-signin');
  await clickNext(page, 'exchange');
  await fill(page, 'exchange_online.service_account', 'svc-exo@contoso.com');
  await page.uncheck('input[data-feature="mail-enabled-security-groups"]');
  await clickNext(page, 'summary');
  // Not checked yet: the summary says so.
  assert.equal(await page.locator('[data-exchange-check]').getAttribute('data-exchange-check'), 'not-passed');
  assert.match(await page.locator('[data-exchange-check]').textContent(), /Exchange check not run/);
  await page.click('[data-step="exchange"] button');
  await waitScreen(page, 'exchange');
  await page.click('button:has-text("Sign in and check")');
  await page.waitForSelector('table.exchange-result');
  await clickNext(page, 'summary');
  const line = await page.locator('[data-exchange-check]').textContent();
  assert.equal(await page.locator('[data-exchange-check]').getAttribute('data-exchange-check'), 'passed');
  assert.match(line, /Exchange check passed/);
  assert.match(line, /2026/);
  assert.match(line, /Azure AD distribution lists, Shared mailbox/);
  assert.doesNotMatch(line, /Mail-enabled/);
  await clickNext(page, 'done');
  const saved = await page.evaluate(() => window.__mockSettings.connections[0]);
  assert.equal(saved.exchange_check.passed, true);
  assert.equal(saved.exchange_check.checked_at, '2026-12-02T04:00:00Z');
  assert.deepEqual(saved.exchange_check.features, ['distribution-lists', 'shared-mailboxes']);
  assert.doesNotMatch(JSON.stringify(saved), /token|eyJ/i, 'never a token');
  // The start screen's row says so too.
  await page.click('#finish');
  await waitScreen(page, 'start');
  assert.match(await page.locator('.saved').first().textContent(), /Exchange check passed/);
  // Another account: the record does not apply to it.
  await page.click('.saved button:has-text("Open")');
  await waitScreen(page, 'summary');
  assert.match(await page.locator('[data-exchange-check]').textContent(), /Exchange check passed/);
  await page.click('[data-step="exchange"] button');
  await waitScreen(page, 'exchange');
  await fill(page, 'exchange_online.service_account', 'other@contoso.com');
  await clickNext(page, 'summary');
  assert.match(await page.locator('[data-exchange-check]').textContent(), /Exchange check not run/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('exchange: a click right after typing checks the typed account (the report is awaited, not read stale)', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await toExchange(page);
  // Type and click in one task: the debounced validation of the new text has not run yet, and
  // the last report still says the account is empty.
  await page.evaluate(() => {
    const input = document.querySelector('[data-path="exchange_online.service_account"]');
    input.value = 'svc-exo@example-domain.com';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Sign in and check')).click();
  });
  await page.waitForSelector('table.exchange-result');
  const check = (await calls(page)).find((c) => c.cmd === 'exchange_check');
  assert.equal(check.args.input.service_account, 'svc-exo@example-domain.com');
  assert.deepEqual(errors, []);
  await context.close();
});
