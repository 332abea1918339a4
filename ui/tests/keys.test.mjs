// UI tests of the keys area (issue 3): key pair step, Create agent folder, Rotate keys.
// IPC mocked at the boundary (tests/mocks/keys.ts); the real commands are tested in Rust.
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

test('key pair: generate in the app, then create the agent folder with the password asked there', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com');
  await fill(page, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
  await clickNext(page, 'keypair');
  assert.match(await next(page).textContent(), /Continue without a key pair/);
  await page.selectOption('select', '2048');
  await page.click('#keygen');
  await page.waitForSelector('text=Key pair ready');
  const text = await page.locator('.screen').textContent();
  assert.match(text, /Fingerprint \(key ID\)/);
  assert.match(text, /2048 bits/);
  assert.match(text, /BEGIN PUBLIC KEY/);
  assert.match(await next(page).textContent(), /^\s*Next\s*$/);
  const gen = (await calls(page)).find((c) => c.cmd === 'keys_generate');
  assert.equal(gen.args.bits, 2048);
  await clickNext(page, 'exchange');
  await fill(page, 'exchange_online.service_account', 'svc-exo@example-domain.com');
  await clickNext(page, 'summary');
  await clickNext(page, 'create');
  assert.match(await next(page).textContent(), /Continue without creating/);
  // Folder and password are asked here; a relative folder is refused with the app's message.
  await page.fill('input.mono >> nth=0', 'relative/folder');
  await page.fill('input[type=password] >> nth=0', 'S3cret-pass');
  await page.click('#create-agent');
  await page.waitForSelector('text=Choose the folder for the agent');
  // A slow write (the passphrase's key derivation) can be cancelled: the folder is not changed.
  await page.fill('input.mono >> nth=0', '/srv/h2r-agent');
  await page.fill('input[type=password] >> nth=0', 'S3cret-pass');
  await page.evaluate(() => { window.__createDelayMs = 10000; });
  await page.click('#create-agent');
  await page.waitForSelector('#create-cancel');
  await page.click('#create-cancel');
  await page.waitForSelector('text=the folder was not changed');
  assert.doesNotMatch(await page.locator('.screen').textContent(), /Agent folder written/);
  assert.equal(await page.evaluate(() => Object.keys(window.__keys.folders).length), 0);
  await page.evaluate(() => { window.__createDelayMs = 0; });
  await page.fill('input.mono >> nth=0', '/srv/h2r-agent');
  await page.fill('input[type=password] >> nth=0', 'S3cret-pass');
  await page.click('#create-agent');
  await page.waitForSelector('text=Agent folder written');
  const shown = await page.locator('.screen').textContent();
  assert.match(shown, /\/srv\/h2r-agent\/privateKey\.pem/);
  assert.match(shown, /\/srv\/h2r-agent\/config\.jwe/);
  const all = await calls(page);
  const create = all.find((c) => c.cmd === 'agent_create' && c.args.folder === '/srv/h2r-agent');
  assert.ok(create, 'agent_create called');
  assert.ok(!JSON.stringify(create.args).includes('S3cret-pass'), 'the password is not sent with the folder request');
  assert.equal(await page.evaluate(() => window.__adPassword), 'S3cret-pass', 'the password went to the app memory');
  const save = all.filter((c) => c.cmd === 'settings_save').pop();
  assert.equal(save.args.complete, true, 'the connection is saved as complete');
  assert.equal(save.args.draft.agent_folder, '/srv/h2r-agent');
  assert.ok(save.args.draft.agent_key.fingerprint);
  assert.ok(!JSON.stringify(save.args).includes('S3cret-pass'), 'the password is never part of a save');
  await clickNext(page, 'handoff');
  await page.check('#link-account');
  await clickNext(page, 'agent-setup');
  assert.match(await page.locator('.screen').textContent(), /\/srv\/h2r-agent/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('key pair: a pasted private key is refused; a public key is used and no private key is written', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await clickNext(page, 'onprem');
  await fill(page, 'domain_controllers[0].hosts', 'dc1.example-domain.com');
  await fill(page, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');
  await clickNext(page, 'ldap-test');
  await clickNext(page, 'keypair');
  await page.click('summary:has-text("Use a public key you already have")');
  await page.fill('textarea', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----');
  await page.click('text=Use this public key');
  await page.waitForSelector('text=a public key is needed here');
  await page.click('summary:has-text("Use a public key you already have")');
  await page.fill('textarea', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----');
  await page.click('text=Use this public key');
  await page.waitForSelector('text=Key pair ready');
  assert.match(await page.locator('.screen').textContent(), /no private key is written/);
  assert.deepEqual(errors, []);
  await context.close();
});

const SEED = {
  version: 1,
  connections: [
    { id: 'aaaa-1111', saved_at: '2026-11-25T10:00:00Z', complete: true,
      connection: { kind: 'hybrid-onprem', name: 'HQ forest', domain_controllers: [{ hosts: ['dc1.corp.example'], port: 636, base_dn: 'DC=corp,DC=example' }], service_account: 'svc@corp.example',
        agent_key: { fingerprint: 'OLD-fingerprint-000000000000000000000000000', bits: 3072, origin: 'generated' }, agent_folder: '/srv/agent' } },
  ],
  keys_folders: { '/srv/agent': { fingerprint: 'OLD-fingerprint-000000000000000000000000000', bits: 3072, origin: 'generated', public_key_pem: 'x', passphrase_protected: false, archived: [] } },
};

test('rotate keys shows old and new fingerprints, the new public key with Copy, and the portal reminder', async () => {
  const { page, context, errors } = await openApp(browser, server.url, { seed: SEED });
  await page.click('[aria-label="Rotate keys of HQ forest"]');
  await waitScreen(page, 'rotate');
  await page.waitForSelector('#rotate-keys');
  assert.match(await page.locator('.screen').textContent(), /OLD-fingerprint/);
  await page.click('#rotate-keys');
  await page.waitForSelector('text=Keys rotated');
  const text = await page.locator('.screen').textContent();
  assert.match(text, /Old fingerprint.*OLD-fingerprint/s);
  assert.match(text, /New fingerprint/);
  assert.match(text, /BEGIN PUBLIC KEY/);
  assert.match(text, /Paste the new public key into the Hire2Retire portal/);
  await page.click('[aria-label="Copy New public key"]');
  assert.match(await page.evaluate(() => window.__clipboard.at(-1)), /BEGIN PUBLIC KEY/);
  const rot = (await calls(page)).find((c) => c.cmd === 'keys_rotate');
  assert.equal(rot.args.connection_id, 'aaaa-1111');
  assert.deepEqual(errors, []);
  await context.close();
});
