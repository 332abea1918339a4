// Screenshots of the identity screens in the real desktop app (WebKitWebDriver, Xvfb), local
// steps only (no sign-in: that would open a browser towards Microsoft). Looking aid, run by
//   bash tests/identity-tools/real-app.sh   → target/identity-real-app/*.png
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from '../../ui/e2e/webdriver.mjs';

const [driver, app, out] = process.argv.slice(2);
await mkdir(out, { recursive: true });
const s = await Session.create(driver, app);
const shot = async (name) => {
  let png;
  for (let i = 0; i < 20; i++) {
    await s.execAsync('const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));').catch(() => undefined);
    png = await s.screenshot();
    if (png.length > 20000) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  await writeFile(join(out, `${name}.png`), png);
};
const onScreen = (id) => s.waitFor(`return document.body.dataset.screen === arguments[0] && !document.querySelector('#next.pending')`, `screen ${id}`, 15000, id);
const clickText = (text) => s.exec(`const b = [...document.querySelectorAll('button')].find((b) => b.textContent.includes(arguments[0])); b.click(); return !!b;`, text);
try {
  await s.waitFor(`return document.body.dataset.ready === 'true'`, 'app ready', 30000);
  await s.clickCss('#new-connection');
  await onScreen('kind');
  await s.clickCss('label.choice:has(input[value="azure-ad"])');
  await s.clickCss('#next');
  await onScreen('app-kind');
  await s.clickCss('label.choice:has(input[value="service-provider"])');
  await onScreen('app-kind');
  await s.clickCss('#next');
  await onScreen('sp-signin');
  await s.waitFor(`return document.body.innerText.includes('Sign in with Microsoft')`, 'sign-in button');
  await shot('sp-signin');
  await s.clickCss('#back');
  await onScreen('app-kind');
  await s.clickCss('label.choice:has(input[value="customer-owned"])');
  await onScreen('app-kind');
  await s.clickCss('#next');
  await onScreen('co-app');
  await s.exec(`for (const [p, v] of [['application.client_id', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'], ['application.tenant_id', 'contoso.onmicrosoft.com']]) { const i = document.querySelector('[data-path="' + p + '"]'); i.value = v; i.dispatchEvent(new Event('input')); i.dispatchEvent(new Event('blur')); }`);
  await onScreen('co-app');
  await s.clickCss('#next');
  await onScreen('co-cert');
  await shot('co-cert-start');
  await clickText('Create certificate');
  await s.waitFor(`return document.body.innerText.includes('Thumbprint (SHA-1')`, 'certificate created', 30000);
  await shot('co-cert-created');
  console.log(`screenshots in ${out}`);
} finally {
  await s.close().catch(() => undefined);
}
