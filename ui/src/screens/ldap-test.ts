// Test connection (issue 4): every host of every domain controller is checked live over LDAPS
// by the core (h2r_setup::ldap::check), one row per host with live progress, the stage reached,
// the message and the hint. "Use this Base DN" / "Use this host name" apply a suggestion; the
// "Trust this certificate" flow pins a certificate after the admin compared its fingerprint.
// The AD password is asked here and handed to the app's memory (never saved).
import { h } from '../dom';
import { textField } from '../fields';
import { hostsOf } from '../draft';
import { toProblem } from '../api/core';
import { adPasswordStatus, setAdPassword, clearAdPassword } from '../api/profile';
import { copyValue, header, kv, notice, section, table } from '../ui';
import { ldapCancel, ldapCheck, STAGE_LABEL, STAGES } from '../api/ldap';
import type { CheckReport, EndpointReport, Progress, Stage } from '../api/ldap';
import type { DcDraft } from '../types';
import type { Screen, ScreenContext } from './types';
import { ldapCheckRecord, ldapKey, ldapSession, ldapTestStatus, STATUS_TEXT } from '../session';
import { localDate, localTime, seconds } from '../format';

interface State {
  running: boolean;
  live: Map<string, { stage: Stage; result: EndpointReport | null }>;
  trust: { dc: number; host: number } | null;
  confirmed: boolean;
  caPath: string;
}

const st: State = { running: false, live: new Map(), trust: null, confirmed: false, caPath: '' };
let password = '';

const rowKey = (dc: number, host: number) => `${dc}-${host}`;

function draftKey(ctx: ScreenContext): string {
  return ldapKey(ctx.draft);
}

/** The values passed their check: in this session, or as saved with the reopened connection. */
function passing(ctx: ScreenContext): boolean {
  const s = ldapTestStatus(ctx.draft, ctx.saved);
  return s === 'passed' || s === 'passed-with-warnings';
}

function currentReport(ctx: ScreenContext): CheckReport | null {
  return ldapSession.report && ldapSession.key === draftKey(ctx) ? ldapSession.report : null;
}

const WRAP = 'overflow-wrap: anywhere; min-width: 14em;';
const ACTIONS = 'display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px;';
const FAIL_STYLE = 'background: var(--error-50); color: var(--error);';
const WARN_STYLE = 'background: var(--warn-50); color: var(--warn);';

/** A host name that wraps after its dots and before the port, never inside a label. */
function breakable(text: string): (string | HTMLElement)[] {
  const out: (string | HTMLElement)[] = [];
  for (const part of text.split(/(?<=\.)|(?=:)/)) {
    if (out.length) out.push(h('wbr'));
    out.push(part);
  }
  return out;
}

function badge(e: EndpointReport | null, stage: Stage | null, running: boolean): HTMLElement {
  if (e) {
    if (!e.ok) return h('span', { class: 'badge', style: FAIL_STYLE }, 'Failed');
    const warned = e.warnings.some((w) => w.code !== 'ldap.tls.insecure');
    return warned ? h('span', { class: 'badge', style: WARN_STYLE }, 'Passed with warnings') : h('span', { class: 'badge badge-ok' }, 'Passed');
  }
  if (running && stage) return h('span', { class: 'badge badge-accent' }, `${STAGE_LABEL[stage]}…`);
  if (running) return h('span', { class: 'badge badge-muted' }, 'Waiting…');
  return h('span', { class: 'badge badge-muted' }, 'Not tested');
}

function stageCell(e: EndpointReport | null, stage: Stage | null): HTMLElement {
  const s = e ? (e.ok ? 'done' : e.stage) : stage;
  if (!s) return h('span', { class: 'muted' }, '—');
  const n = STAGES.indexOf(s);
  return h('span', { title: `Stage ${n + 1} of ${STAGES.length}` }, e && !e.ok ? `Failed at: ${STAGE_LABEL[s]}` : STAGE_LABEL[s]);
}

async function run(ctx: ScreenContext): Promise<void> {
  if (st.running) return;
  try {
    if (password) await setAdPassword(password);
    const held = await adPasswordStatus().catch(() => false);
    if (!held) {
      ctx.problem({ code: 'secrets.no_ad_password', message: 'Enter the service account\'s password first.', hint: 'It is kept in this app\'s memory only and is needed to sign in to the domain controllers.' });
      return;
    }
  } catch (e) {
    ctx.problem(toProblem(e));
    return;
  }
  ctx.problem(null);
  st.running = true;
  st.live = new Map();
  st.trust = null;
  const key = draftKey(ctx);
  await ctx.rerender('#ldap-cancel');
  try {
    const report = await ldapCheck(ctx.draft, (p: Progress) => onProgress(p));
    ldapSession.report = report;
    ldapSession.key = key;
    ldapSession.checkedAt = new Date().toISOString();
  } catch (e) {
    ldapSession.report = null;
    ctx.problem(toProblem(e));
  } finally {
    st.running = false;
    await ctx.rerender('#ldap-result-title');
    ctx.refresh();
  }
}

function onProgress(p: Progress): void {
  const k = p.event === 'stage' ? rowKey(p.dc_index, p.host_index) : rowKey(p.endpoint.dc_index, p.endpoint.host_index);
  const cur = st.live.get(k) ?? { stage: 'resolve' as Stage, result: null };
  if (p.event === 'stage') cur.stage = p.stage;
  else cur.result = p.endpoint;
  st.live.set(k, cur);
  // Update just this row (the table is not rebuilt while the check runs).
  const row = document.querySelector(`tr[data-row="${k}"]`);
  if (!row) return;
  row.querySelector('.ldap-status')?.replaceChildren(badge(cur.result, cur.stage, true));
  row.querySelector('.ldap-stage')?.replaceChildren(stageCell(cur.result, cur.stage));
  if (cur.result) row.querySelector('.ldap-message')?.replaceChildren(h('span', null, cur.result.message));
}

function setHosts(ctx: ScreenContext, dc: DcDraft, hostIndex: number, name: string): void {
  const hosts = hostsOf(dc.hosts);
  hosts[hostIndex] = name;
  dc.hosts = hosts.join(', ');
  ctx.changed();
}

function messageCell(ctx: ScreenContext, e: EndpointReport): HTMLElement {
  const dc = (ctx.draft.domain_controllers ?? [])[e.dc_index];
  const actions: HTMLElement[] = [];
  if (e.suggested_base_dn && dc) {
    const dn = e.suggested_base_dn;
    actions.push(h('button', { type: 'button', class: 'btn btn-small btn-secondary', onclick: async () => {
      dc.base_dn = dn;
      ctx.changed();
      ctx.toast(`Base DN set to ${dn}`);
      await run(ctx);
    } }, `Use this Base DN: ${dn}`));
  }
  if (e.suggested_host && dc) {
    const name = e.suggested_host;
    actions.push(h('button', { type: 'button', class: 'btn btn-small btn-secondary', onclick: async () => {
      setHosts(ctx, dc, e.host_index, name);
      ctx.toast(`Host ${e.host} replaced by ${name}`);
      await run(ctx);
    } }, `Use the certificate's name: ${name}`));
  }
  if (e.certificate && !e.ok && e.stage === 'tls' && ['ldap.tls.unknown_issuer', 'ldap.tls.pin_mismatch'].includes(e.code ?? '')) {
    actions.push(h('button', { type: 'button', class: 'btn btn-small btn-secondary', 'data-trust': rowKey(e.dc_index, e.host_index), onclick: async () => {
      st.trust = { dc: e.dc_index, host: e.host_index };
      st.confirmed = false;
      await ctx.rerender('#ldap-trust-title');
    } }, 'Review certificate…'));
  }
  const warnings = e.warnings.filter((w) => w.code !== 'ldap.tls.insecure');
  return h('div', { class: 'ldap-message', style: WRAP },
    h('p', null, e.message),
    !e.ok && e.hint ? h('p', { class: 'muted' }, e.hint) : null,
    e.ok && e.rights ? h('p', { class: 'muted' },
      `Rights on the Base DN: create users ${e.rights.create_user}, groups ${e.rights.create_group}; write user attributes ${e.rights.write_user_attributes}; reset password ${e.rights.reset_password} (not visible over LDAP).`) : null,
    warnings.map((w) => h('p', { style: 'color: var(--warn);' }, `${w.message} ${w.hint}`)),
    actions.length ? h('div', { class: 'ldap-actions', style: ACTIONS }, actions) : null);
}

function trustCard(ctx: ScreenContext, report: CheckReport): HTMLElement | null {
  if (!st.trust) return null;
  const e = report.endpoints.find((x) => x.dc_index === st.trust!.dc && x.host_index === st.trust!.host);
  const dc = (ctx.draft.domain_controllers ?? [])[st.trust.dc];
  const c = e?.certificate;
  if (!e || !c || !dc) return null;
  const pinBtn = h('button', { type: 'button', id: 'ldap-pin', class: 'btn btn-primary', disabled: !st.confirmed, onclick: async () => {
    dc.tls = { pin_sha256: c.sha256 };
    ctx.changed();
    ctx.toast('Certificate pinned for this domain controller');
    await run(ctx);
  } }, 'Trust this certificate and test again');
  const confirm = h('input', { type: 'checkbox', id: 'ldap-confirm' }) as HTMLInputElement;
  confirm.checked = st.confirmed;
  confirm.addEventListener('change', () => {
    st.confirmed = confirm.checked;
    if (confirm.checked) pinBtn.removeAttribute('disabled');
    else pinBtn.setAttribute('disabled', '');
  });
  const ca = h('input', { id: 'ldap-ca-file', type: 'text', class: 'input size-full mono', placeholder: '/path/to/your-ca.pem', spellcheck: 'false' }) as HTMLInputElement;
  ca.value = st.caPath;
  ca.addEventListener('input', () => { st.caPath = ca.value; });
  const caBtn = h('button', { type: 'button', class: 'btn btn-secondary', onclick: async () => {
    const path = st.caPath.trim();
    if (!path) {
      ctx.problem({ code: 'ldap.tls.ca_file_missing', message: 'Enter the path of your CA certificate file.', hint: 'Export the CA certificate as Base-64 (PEM).' });
      return;
    }
    dc.tls = { ca_file: path };
    ctx.changed();
    await run(ctx);
  } }, 'Trust this CA file and test again');
  return section(null,
    h('h2', { class: 'card-title', id: 'ldap-trust-title', tabindex: '-1' }, `Trust the certificate of ${e.host}?`),
    notice('warning', 'Compare a fingerprint before trusting it.',
      h('span', null, 'Ask your AD administrator for the fingerprint of this domain controller\'s LDAPS certificate and check that it is the same as one below. If it is not, someone may be intercepting the connection: do not trust it.')),
    h('ul', { class: 'bullets fp-tools' },
      h('li', null, 'Windows certificate viewer (certificate > Details > Thumbprint) shows the ', h('strong', null, 'SHA-1'), ' fingerprint, without colons.'),
      h('li', null, h('code', null, 'openssl x509 -noout -fingerprint -sha256 -in dc.pem'), ' shows the ', h('strong', null, 'SHA-256'), ' fingerprint.'),
      h('li', null, h('code', null, 'certutil -hashfile dc.cer SHA256'), ' (Windows) shows the ', h('strong', null, 'SHA-256'), ' fingerprint, without colons.')),
    kv('Issued to', c.subject, true),
    kv('Issued by', c.issuer, true),
    kv('Names', c.sans.length ? c.sans.join(', ') : '(none)', true),
    kv('Valid from', localDate(c.not_before)),
    kv('Valid until', `${localDate(c.not_after)}${c.expired ? ' (expired)' : ''}`),
    copyValue(ctx, 'SHA-256 fingerprint', c.sha256, { mono: true }),
    c.sha1
      ? copyValue(ctx, 'SHA-1 fingerprint (Windows "Thumbprint")', c.sha1, { mono: true })
      : kv('SHA-1 fingerprint (Windows "Thumbprint")', h('span', { class: 'kv-empty' }, 'Not reported by this build: compare the SHA-256 fingerprint with openssl or certutil.')),
    h('div', { class: 'field' }, h('label', { for: 'ldap-confirm' }, confirm, ' I compared the fingerprint and it matches')),
    h('div', { class: 'ldap-actions', style: ACTIONS }, pinBtn,
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: async () => { st.trust = null; await ctx.rerender(); } }, 'Not now')),
    h('p', { class: 'muted' }, 'Or trust your certificate authority instead (every certificate it issues to your domain controllers):'),
    h('div', { class: 'field' }, h('label', { for: 'ldap-ca-file', class: 'label' }, 'CA certificate file (PEM)'), ca),
    caBtn);
}

function trustNote(dc: DcDraft): string | null {
  const t = dc.tls as { pin_sha256?: string; ca_file?: string; insecure?: boolean } | undefined;
  if (!t) return null;
  if (t.insecure) return 'INSECURE: certificate verification is off for this domain controller.';
  if (t.pin_sha256) return `Trusted: pinned certificate ${t.pin_sha256.slice(0, 23)}…`;
  if (t.ca_file) return `Trusted: CA file ${t.ca_file}`;
  return null;
}

export const screen: Screen = {
  id: 'ldap-test',
  fields: () => ['domain_controllers'],
  skipped: (ctx) => !passing(ctx),
  nextLabel: (ctx) => (passing(ctx) ? 'Next' : 'Continue without a passing test'),
  async render(ctx) {
    const dcs = ctx.draft.domain_controllers ?? [];
    const held = await adPasswordStatus().catch(() => false);
    const report = currentReport(ctx);
    const stale = !!ldapSession.report && !report && !st.running;
    const rows: (string | Node)[][] = [];
    dcs.forEach((dc, i) => {
      const hosts = hostsOf(dc.hosts);
      hosts.forEach((host, j) => {
        const k = rowKey(i, j);
        const live = st.running ? st.live.get(k) : undefined;
        const e = st.running ? live?.result ?? null : report?.endpoints.find((x) => x.dc_index === i && x.host_index === j) ?? null;
        const stage = live?.stage ?? null;
        rows.push([
          h('span', { style: 'white-space: nowrap;' }, `DC ${i + 1}`),
          h('span', { class: 'mono ldap-host' }, ...breakable(`${host}:${dc.port}`)),
          h('div', { class: 'ldap-result' },
            h('span', { class: 'ldap-status' }, badge(e, stage, st.running)),
            h('div', { class: 'ldap-stage muted' }, stageCell(e, stage))),
          e && !st.running ? messageCell(ctx, e) : h('div', { class: 'ldap-message', style: WRAP }, e ? e.message : ''),
        ]);
      });
    });
    const tbl = table('Domain controller hosts', ['', 'Host', 'Result', 'Details'], rows, 'ldap-hosts');
    // mark rows for live updates
    tbl.querySelectorAll('tbody tr').forEach((tr, n) => {
      let m = n;
      dcs.forEach((dc, i) => hostsOf(dc.hosts).forEach((_, j) => { if (m-- === 0) tr.setAttribute('data-row', rowKey(i, j)); }));
    });
    const trustNotes = dcs.map((dc, i) => { const t = trustNote(dc); return t ? h('p', { class: 'muted' }, `DC ${i + 1}: ${t}`) : null; });
    const runBtn = st.running
      ? h('button', { type: 'button', id: 'ldap-cancel', class: 'btn btn-secondary', onclick: () => { void ldapCancel().catch(() => undefined); } }, 'Cancel')
      : h('button', { type: 'button', id: 'ldap-run', class: 'btn btn-primary', onclick: () => void run(ctx) }, report ? 'Test again' : 'Test connection');
    let verdict: HTMLElement | null = null;
    const rec = ldapCheckRecord(ctx.draft, ctx.saved);
    if (report) {
      const warned = rec?.status === 'passed-with-warnings';
      verdict = !report.ok
        ? notice('warning', 'At least one domain controller has no working host.', 'Fix what the rows say, then test again. You can continue, but the summary will say the test did not pass.')
        : warned
          ? notice('warning', 'Every domain controller passed, with warnings.', `Checked in ${seconds(report.elapsed_ms)}. Read the warnings in the Details column: they do not block, but the summary and the saved connection list them.`)
          : notice('success', 'Every domain controller passed.', `Checked in ${seconds(report.elapsed_ms)}.`);
    } else if (stale) {
      verdict = notice('info', 'The values changed since the last test.', 'Test again to check them.');
    } else if (rec) {
      verdict = notice(rec.status === 'passed' ? 'success' : 'warning',
        `Last checked ${localTime(rec.checked_at)}: ${STATUS_TEXT[rec.status]}.`,
        'The password is not saved, so enter it again to test again. The result is saved with the connection.');
    }
    // Warnings that no row shows (a failing alternative address, a DC without hosts).
    const inRows = new Set((report?.endpoints ?? []).flatMap((e) => e.warnings.map((w) => `${w.code}|${w.message}`)));
    const extra = (report?.warnings ?? []).filter((w) => w.code !== 'ldap.tls.insecure' && !inRows.has(`${w.code}|${w.message}`));
    return h('div', null,
      header(ctx, 'Test the connection', 'The wizard signs in to every host of every domain controller over LDAPS with the service account, to prove the values before anything is created. Hosts are tested at the same time; each has 10 seconds.'),
      section('Service account password',
        textField(ctx, { path: 'secrets.ad_password', label: `Password of ${ctx.draft.service_account || 'the service account'}`, type: 'password', size: 'medium',
          autocomplete: 'off',
          help: held
            ? 'A password entered earlier is held in this app\'s memory for this session. Type it again only to replace it. It is written nowhere except, encrypted, into the agent\'s config (config.jwe) when the agent folder is created.'
            : 'Kept in this app\'s memory, never in settings or logs. It is written only encrypted, into the agent\'s config (config.jwe), when the agent folder is created.',
          get: () => password, set: (v) => { password = v; },
          onBlur: async (v) => {
            // An empty field means "keep what is held", never "clear": the field is empty when
            // the step is reopened, and a blur fires when the step is left.
            if (!v) return;
            try {
              await setAdPassword(v);
            } catch (e) {
              ctx.problem(toProblem(e));
            }
          } })),
      section(null,
        h('h2', { class: 'card-title', id: 'ldap-result-title', tabindex: '-1' }, 'Domain controllers'),
        h('div', { 'aria-live': 'polite' }, verdict),
        report?.insecure ? notice('warning', 'INSECURE: certificate verification was turned off for at least one domain controller.', 'Anyone on the network path could read the password. Trust the CA or pin the certificate instead.') : null,
        tbl,
        h('div', { class: 'ldap-trust-notes' }, trustNotes),
        h('div', { class: 'ldap-actions', style: ACTIONS }, runBtn),
        extra.length
          ? h('div', { style: 'margin-top: 14px;' }, notice('warning', 'Warnings (they do not block)',
            h('ul', { class: 'ldap-warnings', style: 'margin: 4px 0 0; padding-left: 18px; overflow-wrap: anywhere;' },
              extra.map((w) => h('li', null, `${w.message} ${w.hint}`)))))
          : null),
      report ? trustCard(ctx, report) : null);
  },
  leave() {
    // The JS copy is dropped as soon as the screen is left; the app keeps its own copy.
    if (password) {
      const v = password;
      password = '';
      void setAdPassword(v).catch(() => undefined);
    }
    if (st.running) void ldapCancel().catch(() => undefined);
  },
};

/** Forget the password everywhere (used when a new connection is started). */
export async function forgetPassword(): Promise<void> {
  password = '';
  ldapSession.report = null;
  ldapSession.key = '';
  await clearAdPassword().catch(() => undefined);
}
