// Customer Owned Application (issue 5): create the certificate credential, save its public part
// to upload and its private key passphrase-protected, then check sign-in (client credentials
// with a certificate assertion) and the granted application permissions.
import { h, uid } from '../dom';
import { button, copyValue, header, kv, notice, section, table } from '../ui';

import { networkDisclosure } from '../network';
import { toProblem } from '../api/core';
import {
  adminConsent, cancelCertificate, cancelSignIn, generateCertificate, loadCertificate, pickFolder, saveCertificate, verifyCustomerOwned,
  type CertificateInfo, type SavedCertificate, type SignInReport,
} from '../api/identity';
import type { Screen, ScreenContext } from './types';
import { cloudLabel } from '../format';

const ROLES = ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All', 'User.EnableDisableAccount.All'];

interface State {
  cert: CertificateInfo | null;
  saved: SavedCertificate | null;
  checking: boolean;
  consentWaiting: boolean;
  report: SignInReport | null;
  days: number;
  folder: string;
  fileName: string;
  loadPath: string;
  /** A certificate being created or saved (progress and Cancel shown instead of the form). */
  busy: { what: 'create' | 'save'; since: number; cancelling: boolean } | null;
}
const st: State = { cert: null, saved: null, checking: false, consentWaiting: false, report: null, days: 365, folder: '', fileName: 'hire2retire', loadPath: '', busy: null };

/** Progress of a certificate generation or save, with Cancel (nothing is kept or written). */
function busyView(ctx: ScreenContext, busy: NonNullable<State['busy']>): HTMLElement {
  const what = busy.what === 'create'
    ? 'Creating the certificate: a new RSA key pair and a self-signed certificate, on this computer…'
    : 'Protecting the private key with your passphrase (600 000 PBKDF2 iterations), then writing the three files…';
  const elapsed = h('p', { class: 'help' }, 'Starting…');
  const tick = () => {
    if (!elapsed.isConnected && Date.now() - busy.since > 1000) return;
    const s = ((Date.now() - busy.since) / 1000).toFixed(1);
    elapsed.textContent = busy.cancelling
      ? `${s} s. Cancelling: ${busy.what === 'create' ? 'the key being generated is dropped' : 'the key derivation finishes, then nothing is written'}.`
      : `${s} s so far. Cancel changes nothing.`;
    window.setTimeout(tick, 200);
  };
  tick();
  return section(busy.what === 'create' ? '1. Create the certificate' : '1. Certificate',
    h('div', { class: 'keygen-progress', role: 'status', 'aria-live': 'polite' },
      h('p', null, what), h('progress', { 'aria-label': what }), elapsed,
      button(busy.cancelling ? 'Cancelling…' : 'Cancel', 'btn btn-secondary', async () => {
        busy.cancelling = true;
        await cancelCertificate().catch(() => undefined);
        await ctx.rerender('#cert-cancel');
      }, { id: 'cert-cancel', disabled: busy.cancelling })));
}

/** Run a certificate generation or save with its progress view; a cancel is said, not an error. */
async function busyWith(ctx: ScreenContext, what: 'create' | 'save', work: () => Promise<void>): Promise<void> {
  st.busy = { what, since: Date.now(), cancelling: false };
  await ctx.rerender('#cert-cancel');
  try {
    await work();
    ctx.problem(null);
  } catch (e) {
    const p = toProblem(e);
    if (p.code === 'identity.cancelled') {
      ctx.problem(null);
      ctx.toast(what === 'create' ? 'Cancelled: no certificate was created' : 'Cancelled: no file was written');
    } else {
      ctx.problem(p);
    }
  } finally {
    st.busy = null;
  }
  await ctx.rerender('h1');
}

/** A plain input outside the draft (passphrases never go into the draft). */
function input(label: string, opts: { type?: string; value?: string; help?: string; onInput(v: string): void; mono?: boolean; size?: string }): { el: HTMLElement; input: HTMLInputElement } {
  const id = uid('co-cert');
  const i = h('input', { id, type: opts.type ?? 'text', class: `input size-${opts.size ?? 'full'}${opts.mono ? ' mono' : ''}`, autocomplete: opts.type === 'password' ? 'new-password' : 'off', spellcheck: 'false' }) as HTMLInputElement;
  i.value = opts.value ?? '';
  i.addEventListener('input', () => opts.onInput(i.value));
  const el = h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, label), i, opts.help ? h('p', { class: 'help' }, opts.help) : null);
  return { el, input: i };
}

function setCert(ctx: ScreenContext, info: CertificateInfo): void {
  st.cert = info;
  st.report = null;
  ctx.draft.application!.certificate = info;
  ctx.changed();
}

function certificateSection(ctx: ScreenContext): HTMLElement {
  if (st.busy) return busyView(ctx, st.busy);
  if (!st.cert) {
    let pass = '';
    const daysSel = h('select', { class: 'input size-short', id: uid('days') }, [90, 180, 365, 730].map((d) => h('option', { value: String(d) }, d === 365 ? '1 year' : d === 730 ? '2 years' : `${d} days`))) as HTMLSelectElement;
    daysSel.value = String(st.days);
    daysSel.addEventListener('change', () => { st.days = +daysSel.value; });
    const path = input('Saved certificate file (.key.pem)', { value: st.loadPath, mono: true, onInput: (v) => { st.loadPath = v; } });
    const pw = input('Its passphrase', { type: 'password', size: 'medium', onInput: (v) => { pass = v; } });
    return section('1. Create the certificate',
      h('p', null, 'Hire2Retire signs in as your application with a certificate. Create one here: a new RSA key pair and a self-signed certificate.'),
      h('div', { class: 'field' }, h('label', { for: daysSel.id, class: 'label' }, 'Valid for'), daysSel,
        h('p', { class: 'help' }, 'Renew before it expires: Hire2Retire stops signing in on that day.')),
      h('div', { class: 'inline-actions' },
        button('Create certificate', 'btn btn-primary', () => busyWith(ctx, 'create', async () => {
          setCert(ctx, await generateCertificate({ common_name: 'Hire2Retire', days: st.days }));
          ctx.toast('Certificate created');
        }))),
      h('details', null, h('summary', null, 'Use a certificate created earlier'),
        path.el, pw.el,
        button('Load certificate', 'btn btn-secondary', async () => {
          try {
            setCert(ctx, await loadCertificate(st.loadPath.trim(), pass));
            ctx.problem(null);
          } catch (e) {
            ctx.problem(toProblem(e));
          }
          pass = '';
          pw.input.value = '';
          await ctx.rerender('h1');
        })));
  }
  const c = st.cert;
  let pass = '';
  let again = '';
  const folderInput = input('Folder', { value: st.folder, mono: true, onInput: (v) => { st.folder = v; } });
  const name = input('File name', { value: st.fileName, size: 'medium', mono: true, onInput: (v) => { st.fileName = v; } });
  const pw = input('Passphrase for the private key', { type: 'password', size: 'medium', help: 'At least 12 characters. Hire2Retire needs it with the .key.pem file; it is never stored by this wizard.', onInput: (v) => { pass = v; } });
  const pw2 = input('Passphrase again', { type: 'password', size: 'medium', onInput: (v) => { again = v; } });
  return section('1. Certificate',
    copyValue(ctx, 'Thumbprint (SHA-1, as the Entra portal lists it)', c.thumbprint_sha1, { mono: true }),
    copyValue(ctx, 'SHA-256', c.thumbprint_sha256, { mono: true }),
    kv('Expires', c.not_after),
    st.saved
      ? h('div', null,
        notice('success', 'Certificate saved', 'Upload the .cer file to the app registration. Give the .key.pem file and its passphrase to Hire2Retire; keep both safe.'),
        copyValue(ctx, 'Upload this file (.cer)', st.saved.cer, { mono: true }),
        copyValue(ctx, 'Same certificate as PEM', st.saved.pem, { mono: true }),
        copyValue(ctx, 'Certificate with passphrase-protected private key', st.saved.key, { mono: true }))
      : h('div', null,
        h('p', null, 'Save the certificate: the public part to upload, and the private key protected by a passphrase.'),
        folderInput.el,
        h('div', { class: 'inline-actions' }, button('Choose folder…', 'btn btn-small btn-secondary', async () => {
          try {
            const f = await pickFolder('Folder for the certificate files');
            if (f) {
              st.folder = f;
              folderInput.input.value = f;
            }
          } catch (e) {
            ctx.problem(toProblem(e));
          }
        })),
        name.el, pw.el, pw2.el,
        h('div', { class: 'inline-actions' },
          button('Save certificate files', 'btn btn-primary', async () => {
            if (pass !== again) {
              ctx.problem({ code: 'identity.passphrase_mismatch', message: 'The two passphrases differ.', hint: 'Type the same passphrase twice.' });
              return;
            }
            const passphrase = pass;
            pass = again = '';
            await busyWith(ctx, 'save', async () => {
              st.saved = await saveCertificate(st.folder.trim(), st.fileName.trim(), passphrase);
              ctx.toast('Certificate files saved');
            });
          }))),
    button('Start over with a new certificate', 'btn btn-ghost btn-small', async () => {
      st.cert = null;
      st.saved = null;
      st.report = null;
      delete ctx.draft.application!.certificate;
      ctx.changed();
      await ctx.rerender('h1');
    }));
}

function uploadSection(): HTMLElement {
  return section('2. Upload it to the app registration',
    h('ol', { class: 'bullets' },
      h('li', null, 'Microsoft Entra admin center → App registrations → your application → Certificates & secrets.'),
      h('li', null, 'Certificates → Upload certificate → choose the .cer file → Add.'),
      h('li', null, 'Check that the thumbprint shown there matches the SHA-1 thumbprint above.'),
      h('li', null, 'API permissions: check that the Microsoft Graph application permissions of the previous step are listed with "Granted for" your organisation ("Grant admin consent").')));
}

async function check(ctx: ScreenContext): Promise<void> {
  const app = ctx.draft.application!;
  st.checking = true;
  st.report = null;
  ctx.problem(null);
  await ctx.rerender('h1');
  try {
    st.report = await verifyCustomerOwned({ cloud: app.cloud, tenant: app.tenant_id, client_id: app.client_id }, () => undefined);
    if (st.report.code === 'identity.cancelled') st.report = null;
  } catch (e) {
    ctx.problem(toProblem(e));
  }
  st.checking = false;
  ctx.refresh();
  await ctx.rerender('h1');
}

function checkSection(ctx: ScreenContext): HTMLElement {
  const app = ctx.draft.application!;
  const r = st.report;
  const parts: (HTMLElement | null)[] = [
    kv('Application (client) ID', app.client_id || '—', true),
    kv('Tenant', app.tenant_id || '—', true),
    kv('National cloud', cloudLabel(ctx, app.cloud)),
  ];
  if (st.checking || st.consentWaiting) {
    parts.push(h('p', { role: 'status', 'aria-live': 'polite' }, st.consentWaiting
      ? 'The admin consent page opened in your browser: an administrator accepts the permissions there.'
      : 'Signing in as the application…'),
    button('Cancel', 'btn btn-secondary', async () => { await cancelSignIn(); }));
  } else {
    parts.push(h('div', { class: 'inline-actions' },
      button(r ? 'Check again' : 'Check sign-in and permissions', 'btn btn-primary', () => check(ctx), { disabled: !st.cert })));
    if (!st.cert) parts.push(h('p', { class: 'help' }, 'Create or load the certificate first.'));
  }
  if (r && !st.checking) {
    parts.push(r.ok ? notice('success', r.message) : notice('warning', r.message, r.hint));
    if (r.tenant) {
      parts.push(kv('Organisation', r.tenant.name || '—'), kv('Verified domains', r.tenant.domains.join(', ') || '—'));
      parts.push(table('Application permissions', ['Permission', 'Status'], ROLES.map((p) => [
        h('span', { class: 'mono' }, p),
        r.missing.includes(p) ? h('span', { class: 'badge badge-muted', style: 'color: var(--error)' }, 'Not granted') : h('span', { class: 'badge badge-ok' }, 'Granted'),
      ]), 'perms'));
    }
    if (!r.ok && r.admin_consent_url) {
      parts.push(copyValue(ctx, 'Admin consent link for an administrator', r.admin_consent_url, { mono: true, block: true }),
        button('Grant admin consent now', 'btn btn-secondary', async () => {
          st.consentWaiting = true;
          await ctx.rerender();
          try {
            await adminConsent({ cloud: app.cloud, tenant: app.tenant_id, client_id: app.client_id }, 'customer-owned', () => undefined);
            ctx.toast('Admin consent granted');
            st.consentWaiting = false;
            await check(ctx);
          } catch (e) {
            const p = toProblem(e);
            if (p.code !== 'identity.cancelled') ctx.problem(p);
            st.consentWaiting = false;
            await ctx.rerender();
          }
        }));
    }
  }
  return section('3. Check', ...parts, networkDisclosure());
}

export const screen: Screen = {
  id: 'co-cert',
  skipped: () => !(st.report?.ok),
  nextLabel: () => (st.report?.ok ? 'Next' : 'Continue without a checked certificate'),
  leave: () => {
    if (st.checking || st.consentWaiting) void cancelSignIn().catch(() => undefined);
  },
  render(ctx) {
    return h('div', null,
      header(ctx, 'Certificate & check', 'Hire2Retire authenticates as your application with a certificate. Create it, upload its public part to the app registration, then check that sign-in and permissions work.'),
      certificateSection(ctx),
      uploadSection(),
      checkSection(ctx));
  },
};
