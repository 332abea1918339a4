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
      hint: 'An Exchange administrator runs the fix lines shown, then check again.', script: '', fix_script: "New-RoleGroup -Name 'Hire2Retire'", warnings: [],
    };
  });
  await page.click('button:has-text("Check again")');
  await page.waitForSelector('text=lacks 1 role');
  const result = await page.locator('table.exchange-result').textContent();
  assert.match(result, /Missing/);
  assert.match(result, /New-RoleGroup -Name 'Hire2Retire'/);
  assert.match(result, /Could not read the directory roles/);
  assert.equal(await page.locator('button[aria-label="Copy Fix (Exchange Online PowerShell)"]').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});
