// The Service Provider sign-in step (issue 9 seed fidelity): the Hire2Retire application
// (client) ID is a field (prefilled when the build knows one), validated as a GUID by the core,
// used by the sign-in and saved with the connection (not a secret). IPC mocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, calls, waitScreen, settle, clickNext, fill, next } from './harness.mjs';

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

const KNOWN = '00001111-aaaa-2222-bbbb-3333cccc4444';
const TYPED = '6731de76-14a6-49ae-97bc-6eba6914391e';

async function toSignIn(page) {
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="azure-ad"])');
  await clickNext(page, 'app-kind');
  await page.click('label.choice:has(input[value="service-provider"])');
  await settle(page);
  await clickNext(page, 'permissions');
  await clickNext(page, 'sp-signin');
}

test('sign-in: the client ID field is prefilled, validated by the core, used to sign in and saved', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await toSignIn(page);
  const field = '[data-path="application.client_id"]';
  await page.waitForSelector(field);
  assert.equal(await page.inputValue(field), KNOWN, 'prefilled with the ID this build knows');

  await fill(page, 'application.client_id', 'not-a-guid');
  assert.match(await page.locator(`.field:has(${field})`).textContent(), /is not a GUID/);
  assert.equal(await next(page).isDisabled(), true, 'Next waits for a valid client ID');
  await page.click('button:has-text("Sign in with Microsoft")');
  assert.equal((await calls(page)).filter((c) => c.cmd === 'identity_sign_in').length, 0, 'no sign-in with a bad ID');

  await fill(page, 'application.client_id', TYPED.toUpperCase());
  assert.equal(await page.locator('.field.has-error').count(), 0);
  await page.click('button:has-text("Sign in with Microsoft")');
  await page.waitForSelector('text=Signed in to Contoso');
  const signIn = (await calls(page)).find((c) => c.cmd === 'identity_sign_in');
  assert.equal(signIn.args.request.client_id, TYPED.toUpperCase());
  for (const k of ['authority_url', 'graph_url']) assert.ok(!(k in signIn.args.request), `${k} is never sent from the window`);

  await clickNext(page, 'exchange');
  await fill(page, 'exchange_online.service_account', 'svc-exo@contoso.com');
  await clickNext(page, 'summary');
  assert.match(await page.locator('.screen').textContent(), new RegExp(TYPED, 'i'));
  await clickNext(page, 'done');
  const saved = await page.evaluate(() => window.__mockSettings.connections[0]);
  assert.equal(saved.connection.application.client_id, TYPED, 'saved, normalised by the core');
  assert.equal(saved.complete, true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('sign-in: without a known ID the field is empty and required; another application kind keeps its own ID', async () => {
  const { page, context } = await openApp(browser, server.url);
  await page.evaluate(() => { window.__spKnown = null; });
  await toSignIn(page);
  const field = '[data-path="application.client_id"]';
  await page.waitForSelector(field);
  assert.equal(await page.inputValue(field), '');
  await page.click('button:has-text("Sign in with Microsoft")');
  await page.waitForSelector('.banner[data-code="identity.invalid_input"]');
  assert.match(await page.locator('.banner').textContent(), /application \(client\) ID/);
  assert.equal((await calls(page)).filter((c) => c.cmd === 'identity_sign_in').length, 0);
  await fill(page, 'application.client_id', TYPED);
  // Customer Owned: its own app registration's ID, not Hire2Retire's.
  await page.click('[data-step="app-kind"] button');
  await waitScreen(page, 'app-kind');
  await page.click('label.choice:has(input[value="customer-owned"])');
  await settle(page);
  await clickNext(page, 'co-app');
  assert.equal(await page.inputValue(field), '');
  await context.close();
});
