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
import type { DcDraft, Draft } from '../types';
import type { Screen, ScreenContext } from './types';

interface State {
  running: boolean;
  report: CheckReport | null;
  /** The DCs + account the report was made for: a changed draft makes it stale. */
  key: string;
  live: Map<string, { stage: Stage; result: EndpointReport | null }>;
  trust: { dc: number; host: number } | null;
  confirmed: boolean;
  caPath: string;
}

const st: State = { running: false, report: null, key: '', live: new Map(), trust: null, confirmed: false, caPath: '' };
let password = '';

const rowKey = (dc: number, host: number) => `${dc}-${host}`;

function keyOf(draft: Draft): string {
  return JSON.stringify({ dcs: draft.domain_controllers ?? [], account: draft.service_account ?? '' });
}

function draftKey(ctx: ScreenContext): string {
  return keyOf(ctx.draft);
}

/** For the summary / done screens: the last test of exactly these values, if any. */
export function ldapTestStatus(draft: Draft): 'passed' | 'failed' | 'not-run' {
  if (!st.report || st.key !== keyOf(draft)) return 'not-run';
  return st.report.ok ? 'passed' : 'failed';
}

function currentReport(ctx: ScreenContext): CheckReport | null {
  return st.report && st.key === draftKey(ctx) ? st.report : null;
}

const WRAP = 'overflow-wrap: anywhere; min-width: 16em;';
const ACTIONS = 'display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px;';
const FAIL_STYLE = 'background: var(--error-50); color: var(--error);';
const WARN_STYLE = 'background: var(--warn-50); color: var(--warn);';

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
    st.report = report;
    st.key = key;
  } catch (e) {
    st.report = null;
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
    notice('warning', 'Compare the fingerprint before trusting it.',
      'Ask your AD administrator for the SHA-256 fingerprint of this domain controller\'s LDAPS certificate (certificate > Details > Thumbprint, SHA-256) and check that it is the same. If it is not, someone may be intercepting the connection: do not trust it.'),
    kv('Issued to', c.subject, true),
    kv('Issued by', c.issuer, true),
    kv('Names', c.sans.length ? c.sans.join(', ') : '(none)', true),
    kv('Valid until', `${c.not_after}${c.expired ? ' (expired)' : ''}`),
    copyValue(ctx, 'SHA-256 fingerprint', c.sha256, { mono: true }),
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
  skipped: (ctx) => !currentReport(ctx)?.ok,
  nextLabel: (ctx) => (currentReport(ctx)?.ok ? 'Next' : 'Continue without a passing test'),
  async render(ctx) {
    const dcs = ctx.draft.domain_controllers ?? [];
    const held = await adPasswordStatus().catch(() => false);
    const report = currentReport(ctx);
    const stale = !!st.report && !report && !st.running;
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
          h('span', { class: 'mono' }, `${host}:${dc.port}`),
          h('span', { class: 'ldap-status' }, badge(e, stage, st.running)),
          h('span', { class: 'ldap-stage' }, stageCell(e, stage)),
          e && !st.running ? messageCell(ctx, e) : h('div', { class: 'ldap-message', style: WRAP }, e ? e.message : ''),
        ]);
      });
    });
    const tbl = table('Domain controller hosts', ['', 'Host', 'Result', 'Stage', 'Details'], rows, 'ldap-hosts');
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
    if (report) {
      verdict = report.ok
        ? notice('success', 'Every domain controller passed.', `Checked in ${(report.elapsed_ms / 1000).toFixed(1)} s.${report.warnings.length ? ' See the warnings below.' : ''}`)
        : notice('warning', 'At least one domain controller has no working host.', 'Fix what the rows say, then test again. You can continue, but the summary will say the test did not pass.');
    } else if (stale) {
      verdict = notice('info', 'The values changed since the last test.', 'Test again to check them.');
    }
    return h('div', null,
      header(ctx, 'Test the connection', 'The wizard signs in to every host of every domain controller over LDAPS with the service account, to prove the values before anything is created. Hosts are tested at the same time; each has 10 seconds.'),
      section('Service account password',
        textField(ctx, { path: 'secrets.ad_password', label: `Password of ${ctx.draft.service_account || 'the service account'}`, type: 'password', size: 'medium',
          autocomplete: 'off',
          help: held
            ? 'A password entered earlier is held in memory for this session. Type it again only to replace it. It is never written to disk or logs.'
            : 'Kept in this app\'s memory only, never written to disk or logs. It is sealed into the agent\'s encrypted config when the agent folder is created.',
          get: () => password, set: (v) => { password = v; },
          onBlur: async (v) => {
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
        report && report.warnings.some((w) => w.code !== 'ldap.tls.insecure')
          ? h('div', { style: 'margin-top: 14px;' }, notice('warning', 'Warnings (they do not block)',
            h('ul', { class: 'ldap-warnings', style: 'margin: 4px 0 0; padding-left: 18px; overflow-wrap: anywhere;' },
              report.warnings.filter((w) => w.code !== 'ldap.tls.insecure').map((w) => h('li', null, `${w.message} ${w.hint}`)))))
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
  st.report = null;
  st.key = '';
  await clearAdPassword().catch(() => undefined);
}
