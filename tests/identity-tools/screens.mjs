// Screenshots of the identity screens (sp-signin, co-cert) in headless Chromium, with the IPC
// mocked by the UI's test harness plus scripted identity commands. Looking aid, not a test:
//   npm --prefix ui run build && node tests/identity-tools/screens.mjs  → target/identity-screens/*.png
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launch, openApp } from '../../ui/tests/harness.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'target', 'identity-screens');
mkdirSync(out, { recursive: true });

const TENANT = { id: 'aaaabbbb-0000-cccc-1111-dddd2222eeee', name: 'Contoso', domains: ['contoso.example', 'contoso.onmicrosoft.com'] };
const CONSENT = 'https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=00001111-aaaa-2222-bbbb-3333cccc4444&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback&state=x';
const REPORTS = {
  ok: { ok: true, tenant: TENANT, granted: ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.AccessAsUser.All', 'offline_access'], missing: [], code: 'identity.ok', message: 'Connected to Contoso (aaaabbbb-0000-cccc-1111-dddd2222eeee); all 4 permissions are granted.', hint: '' },
  consent: { ok: false, tenant: null, granted: [], missing: [], code: 'identity.consent_required', message: 'The application has not been granted the permissions it needs in this tenant (AADSTS65001). Microsoft said: AADSTS65001: The user or administrator has not consented to use the application.', hint: 'Ask an administrator to grant admin consent (open the admin consent link), or request approval, then sign in again.', admin_consent_url: CONSENT, aadsts: 65001 },
  mfa: { ok: false, tenant: null, granted: [], missing: [], code: 'identity.conditional_access', message: 'A Conditional Access policy blocked the sign-in (AADSTS53003).', hint: 'Ask your Entra administrator for a Conditional Access exception or sign in from a compliant device.', aadsts: 53003 },
  coMissing: { ok: false, tenant: TENANT, granted: ['User.ReadWrite.All', 'Directory.ReadWrite.All'], missing: ['Group.ReadWrite.All', 'User.EnableDisableAccount.All'], code: 'identity.missing_permissions', message: 'Connected to Contoso (aaaabbbb-0000-cccc-1111-dddd2222eeee), but 2 application permissions are not granted: Group.ReadWrite.All, User.EnableDisableAccount.All.', hint: 'In the app registration\'s API permissions, add the missing Microsoft Graph application permissions and select "Grant admin consent"; then check again.', admin_consent_url: CONSENT },
};

async function script(page, plan) {
  await page.evaluate(({ plan, REPORTS }) => {
    const inner = window.__TAURI_INTERNALS__.invoke;
    let release = null;
    window.__releaseSignIn = () => release && release();
    window.__TAURI_INTERNALS__.invoke = async (cmd, args, opts) => {
      const emit = (m) => args?.on_event?.onmessage?.(m);
      switch (cmd) {
        case 'identity_info': return { clouds: [], service_provider_configured: true, redirect_uri: 'http://127.0.0.1/callback' };
        case 'identity_sign_in':
        case 'identity_verify_customer_owned':
          emit({ event: 'open-url', url: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=00001111-aaaa-2222-bbbb-3333cccc4444&response_type=code&code_challenge_method=S256&state=…' });
          emit({ event: 'waiting' });
          await new Promise((r) => { release = r; });
          return REPORTS[plan.shift()];
        case 'identity_cancel': release && release(); return null;
        case 'identity_generate_certificate': return { thumbprint_sha1: '3B1EFD3A66EA28B16697394703A72CA340A05BD5', thumbprint_sha256: '9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08', not_after: '2027-11-26T06:30:00Z' };
        case 'identity_save_certificate': return { cer: '/home/admin/hire2retire.cer', pem: '/home/admin/hire2retire.pem', key: '/home/admin/hire2retire.key.pem', info: {} };
        default: return inner(cmd, args, opts);
      }
    };
  }, { plan, REPORTS });
}

const server = await startServer();
const browser = await launch();
const shot = async (page, name) => { await page.waitForTimeout(150); await page.screenshot({ path: join(out, `${name}.png`), fullPage: true }); };
const waitText = (page, t) => page.waitForFunction((t) => document.body.innerText.includes(t), t);
const settle = (page) => page.waitForFunction(() => !document.querySelector('#next.pending'));
try {
  // Service Provider
  let { page } = await openApp(browser, server.url);
  await script(page, ['consent', 'ok', 'ok']);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="azure-ad"])');
  await settle(page); await page.click('#next'); await page.waitForSelector('body[data-screen="app-kind"]');
  await page.click('label.choice:has(input[value="service-provider"])');
  await settle(page); await page.click('#next'); await page.waitForSelector('body[data-screen="sp-signin"]');
  await shot(page, 'sp-1-idle');
  await page.click('button:has-text(\"Sign in with Microsoft\")');
  await waitText(page, 'Waiting for you to sign in');
  await shot(page, 'sp-2-waiting');
  await page.evaluate(() => window.__releaseSignIn());
  await waitText(page, 'An administrator must grant consent');
  await shot(page, 'sp-3-consent');
  await page.click('button:has-text(\"Sign in again\")');
  await waitText(page, 'Waiting for you to sign in');
  await page.click('button:has-text(\"I have sent the request\")');
  await waitText(page, 'Approval requested');
  await shot(page, 'sp-4-request-sent');
  await page.click('button:has-text(\"Check again\")');
  await waitText(page, 'Waiting for you to sign in');
  await page.evaluate(() => window.__releaseSignIn());
  await page.waitForSelector('.notice-success');
  await shot(page, 'sp-5-ok');

  // Customer Owned
  ({ page } = await openApp(browser, server.url));
  await script(page, ['coMissing']);
  await page.click('#new-connection');
  await page.click('label.choice:has(input[value="azure-ad"])');
  await settle(page); await page.click('#next'); await page.waitForSelector('body[data-screen="app-kind"]');
  await page.click('label.choice:has(input[value="customer-owned"])');
  await settle(page); await page.click('#next'); await page.waitForSelector('body[data-screen="co-app"]');
  await page.fill('[data-path="application.client_id"]', '00001111-aaaa-2222-bbbb-3333cccc4444');
  await page.fill('[data-path="application.tenant_id"]', 'contoso.example');
  await settle(page); await page.click('#next'); await page.waitForSelector('body[data-screen="co-cert"]');
  await shot(page, 'co-1-start');
  await page.click('button:has-text(\"Create certificate\")');
  await waitText(page, 'Thumbprint (SHA-1');
  await shot(page, 'co-2-created');
  await page.click('button:has-text(\"Save certificate files\")');
  await waitText(page, 'Certificate saved');
  await page.click('button:has-text(\"Check sign-in and permissions\")');
  await page.evaluate(() => window.__releaseSignIn());
  await page.waitForSelector('.notice-warning');
  await page.evaluate(() => { for (const el of document.querySelectorAll('*')) if (el.scrollHeight > el.clientHeight + 10) el.scrollTop = el.scrollHeight; });
  await shot(page, 'co-3-missing');
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.close();
}
