// Validation is debounced and asynchronous: a change made while the core is still answering
// for the text before must keep its own validation. Here the core's answer is held back by a
// gate, so the order of events is fixed: no timing decides the outcome. IPC mocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, waitScreen, settle, clickNext, fill } from './harness.mjs';

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

test('a change while the core answers for the text before: Next reads the answer for the new text', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#new-connection');
  await waitScreen(page, 'kind');
  await page.click('label.choice:has(input[value="hybrid-onprem"])');
  await settle(page);
  await clickNext(page, 'onprem');
  await fill(page, 'domain_controllers[0].base_dn', 'DC=example-domain,DC=com');
  await fill(page, 'service_account', 'svc-h2r@example-domain.com');

  const screen = await page.evaluate(async () => {
    const core = window.__coreValidate;
    const held = [];
    let open = false;
    window.__coreValidate = (d) => {
      const answer = core(d);
      return open ? answer : new Promise((resolve) => held.push(() => answer.then(resolve)));
    };
    const host = document.querySelector('[data-path="domain_controllers[0].hosts"]');
    const type = (v) => {
      host.value = v;
      host.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const until = async (f) => {
      for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    type('dc1.example-domain.com'); // valid: its validation starts after the debounce, held
    await until(() => held.length === 1);
    type('dc1.example-domain.com:636'); // invalid (a port in the host), while the first is held
    open = true;
    held.shift()(); // the answer for the valid text arrives now, before the new debounce ends
    await new Promise((r) => setTimeout(r, 0));
    await window.__wizard.next(); // Enter / Next at once
    return document.body.dataset.screen;
  });
  assert.equal(screen, 'onprem', 'Next must not move on with the answer for the text before');
  await page.waitForSelector('[data-path="domain_controllers[0].hosts"][aria-invalid="true"], .field.has-error [data-path="domain_controllers[0].hosts"]');
  assert.deepEqual(errors, []);
  await context.close();
});
