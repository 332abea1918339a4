// The About view (issue 10): version, build commit, the shipped notice, "Open log folder".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, calls } from './harness.mjs';

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

test('About shows version, commit and the notice; Open log folder calls the shell', async () => {
  const { page, context, errors } = await openApp(browser, server.url);
  await page.click('#about-open');
  await page.waitForSelector('dialog#about[open] [data-about="notice"]');
  assert.equal(await page.locator('[data-about="version"]').textContent(), '0.1.0-test');
  assert.equal(await page.locator('[data-about="commit"]').textContent(), '0123456789ab');
  assert.match(await page.locator('[data-about="notice"]').textContent(), /THIRD-PARTY SOFTWARE NOTICES/);
  assert.equal(await page.locator('[data-about="notice-path"]').textContent(), '/tmp/test/THIRD-PARTY-NOTICES.txt');
  await page.click('#about-open-logs');
  await page.waitForFunction(() => /Opened \/tmp\/test\/logs/.test(document.querySelector('.about-status').textContent));
  assert.ok((await calls(page)).some((c) => c.cmd === 'open_log_folder'));
  await page.click('#about-close');
  await page.waitForFunction(() => !document.querySelector('dialog#about'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('About says plainly when the notice is missing', async () => {
  const { page, context } = await openApp(browser, server.url);
  await page.evaluate(() => {
    window.__mockFail = {};
  });
  // Re-mock about_info with no notice (the file was removed from the installation).
  await page.evaluate(() => {
    const orig = window.__TAURI_INTERNALS__.invoke;
    window.__TAURI_INTERNALS__.invoke = async (cmd, args, opts) => {
      const v = await orig(cmd, args, opts);
      return cmd === 'about_info' ? { ...v, notice: null } : v;
    };
  });
  await page.click('#about-open');
  const text = await page.locator('[data-about="notice-missing"]').textContent();
  assert.match(text, /not found at \/tmp\/test\/THIRD-PARTY-NOTICES\.txt/);
  assert.match(text, /Reinstall/);
  await context.close();
});
