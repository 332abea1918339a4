// Issue 11 in the window (IPC mocked): the portal hand-off after Create — the values in the
// portal's order with labels, Copy each, Copy all, Save as file, Link account gating the agent
// step; after a rotation the new key first.
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

async function createFolder(page, dir) {
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await page.click('#add-dc');
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com, dc1b.example-domain.com');
  await fill(page, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
  await fill(page, 'domain_controllers[1].hosts', 'dc2.example-domain.com');
  await fill(page, 'domain_controllers[1].base_dn', 'OU=Staff,DC=example-domain,DC=com');
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
  await clickNext(page, 'keypair');
  await page.click('#keygen');
  await page.waitForSelector('text=Key pair ready');
  await clickNext(page, 'exchange');
  await fill(page, 'exchange_online.service_account', 'svc-exo@example-domain.com');
  await clickNext(page, 'summary');
  await clickNext(page, 'create');
  await page.fill('#create-agent >> xpath=ancestor::section//input[contains(@class,"mono")]', dir);
  await page.fill('input[type=password] >> nth=0', 'S3cret-pass');
  await page.click('#create-agent');
  await page.waitForSelector('text=Agent folder written');
}

test('hand-off: portal values in order with labels, Copy each, Copy all, Save as file; Link account gates the agent step', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await createFolder(page, '/srv/h2r-agent');
  await clickNext(page, 'handoff');
  const steps = await page.$$eval('.steps [data-step]', (els) => els.map((e) => e.dataset.step));
  assert.ok(steps.indexOf('create') < steps.indexOf('handoff') && steps.indexOf('handoff') < steps.indexOf('agent-setup'), 'after Create, before the agent');
  const labels = await page.$$eval('.screen .kv .kv-label', (els) => els.map((e) => e.textContent));
  assert.deepEqual(labels, ['Connection name', 'Host', 'Port', 'Base DN', 'Host', 'Port', 'Base DN', 'Public key'], 'the portal\'s order');
  const shown = await page.locator('.screen').textContent();
  assert.match(shown, /dc1\.example-domain\.com,dc1b\.example-domain\.com/, 'hosts comma-separated as the portal takes them');
  assert.match(shown, /OU=Staff,DC=example-domain,DC=com/);
  assert.match(shown, /BEGIN PUBLIC KEY/);
  // Link account gates the agent step.
  assert.equal(await next(page).isDisabled(), true);
  assert.match(await page.locator('#next-status').textContent(), /Link account/);
  // Copy each and Copy all.
  await page.click('button[aria-label="Copy Base DN"] >> nth=1');
  await page.click('#handoff-copy-all');
  await page.waitForFunction(() => window.__clipboard.length >= 2);
  const clip = await page.evaluate(() => window.__clipboard);
  assert.equal(clip[0], 'OU=Staff,DC=example-domain,DC=com');
  assert.match(clip[1], /Connection name: Connection-OnPremise Service/);
  assert.match(clip[1], /BEGIN PUBLIC KEY/);
  assert.ok(!clip.join('').includes('S3cret-pass'));
  // Save as file: a .txt and a .json.
  await page.click('#handoff-save');
  await page.waitForSelector('text=Saved Connection-OnPremise-Service-portal-handoff.txt and Connection-OnPremise-Service-portal-handoff.json');
  const save = (await calls(page)).find((c) => c.cmd === 'handoff_save');
  assert.equal(save.args.folder, '/srv/h2r-agent');
  assert.ok(!JSON.stringify(save.args).includes('S3cret-pass'));
  await page.check('#link-account');
  await page.waitForFunction(() => !document.querySelector('#next').disabled);
  assert.match(await next(page).getAttribute('class'), /btn-primary/);
  await clickNext(page, 'agent-setup');
  assert.deepEqual(errors, []);
  await context.close();
});

test('hand-off without an agent folder: says what is missing and offers Create; the skip is secondary', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com');
  await fill(page, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
  await clickNext(page, 'keypair');
  await clickNext(page, 'exchange');
  await fill(page, 'exchange_online.service_account', 'svc-exo@example-domain.com');
  await clickNext(page, 'summary');
  await clickNext(page, 'create');
  await clickNext(page, 'handoff');
  assert.match(await page.locator('.screen').textContent(), /agent folder has not been written yet/);
  assert.ok(await page.locator('#goto-create').isVisible());
  assert.match(await next(page).getAttribute('class'), /btn-secondary/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('after a rotation the hand-off shows the new public key first', async () => {
  const FP = 'fpA-current-key-xxxxxxxxxxxxxxxxxxxxxxxxxxx';
  const seed = {
    version: 1,
    connections: [{ id: 'c1', saved_at: '2026-11-20T10:00:00Z', complete: true, connection: {
      kind: 'hybrid-onprem', name: 'Connection-OnPremise Service',
      domain_controllers: [{ hosts: ['dc1.example-domain.com'], port: 636, base_dn: 'DC=example-domain,DC=com' }],
      service_account: 'svc-h2r@example-domain.com', exchange_online: { name: 'Connection-Exchange Online', service_account: 'svc-exo@example-domain.com' },
      agent_key: { fingerprint: FP, bits: 3072, origin: 'generated' }, agent_folder: '/srv/h2r-agent' } }],
    keys_folders: { '/srv/h2r-agent': { fingerprint: FP, bits: 3072, origin: 'generated', public_key_pem: '-----BEGIN PUBLIC KEY-----\nOLD\n-----END PUBLIC KEY-----\n', passphrase_protected: false, archived: [] } },
  };
  const { page, context, errors } = await openApp(browser, server.url, { seed });
  await page.click('li.saved button:has-text("Rotate keys")');
  await page.waitForSelector('#rotate-keys');
  await page.click('#rotate-keys');
  await page.waitForSelector('#rotate-handoff');
  await page.click('#rotate-handoff');
  await waitScreen(page, 'handoff');
  await page.waitForSelector('text=The key was rotated');
  const titles = await page.$$eval('.screen .card-title', (els) => els.map((e) => e.textContent));
  assert.match(titles[0], /new public key/, 'the new key first');
  const t = await page.locator('.screen').textContent();
  assert.doesNotMatch(t, /\nOLD\n/);
  assert.match(t, /fp\d-x+/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('agent setup: Docker or ACI, bash or PowerShell, generated commands with marked placeholders, preflight, support report', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await createFolder(page, "/srv/it's agent");
  await clickNext(page, 'handoff');
  await page.check('#link-account');
  await clickNext(page, 'agent-setup');
  await page.waitForSelector('.agent-script');
  let t = await page.locator('.screen').textContent();
  assert.match(t, /Docker on a Linux host/);
  assert.match(t, /__FROM_PORTAL_IMAGE_TAG__ — The agent image tag/);
  assert.match(t, /h2r-setup ldap check --connection/);
  const shell = await page.evaluate(() => document.querySelector('input[name="shell"]:checked').value);
  let req = (await calls(page)).filter((c) => c.cmd === 'agent_instructions').pop();
  assert.equal(req.args.folder, "/srv/it's agent");
  assert.equal(req.args.target, 'docker');
  assert.equal(req.args.shell, shell);
  await page.click('label.choice:has(input[value="aci"])');
  await page.waitForFunction(() => /az container create/.test(document.querySelector('.agent-script')?.textContent ?? ''));
  t = await page.locator('.screen').textContent();
  assert.match(t, /__FROM_AZURE_RESOURCE_GROUP__/);
  await page.check('#shell-powershell');
  await page.waitForFunction(() => window.__ipcCalls.filter((c) => c.cmd === 'agent_instructions').pop().args.shell === 'powershell');
  req = (await calls(page)).filter((c) => c.cmd === 'agent_instructions').pop();
  assert.equal(req.args.target, 'aci');
  // Copy the commands.
  await page.click('button[aria-label="Copy Commands"]');
  await page.waitForFunction(() => window.__clipboard.some((c) => c.includes('az container create')));
  await page.click('#support-report');
  await page.waitForSelector('text=Support report saved: h2r-support-report.zip');
  const rep = (await calls(page)).find((c) => c.cmd === 'support_report_save');
  assert.equal(rep.args.draft.name, 'Connection-OnPremise Service', 'the connection (no secret) goes with it');
  const others = (await calls(page)).filter((c) => c.cmd !== 'set_ad_password');
  assert.ok(!JSON.stringify(others).includes('S3cret-pass'), 'the password goes only to the app memory, in no other request');
  assert.deepEqual(errors, []);
  await context.close();
});
