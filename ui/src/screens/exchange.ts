// Exchange Online connection (issue 9): name, service account, the features used, the vendor's
// roles table (where each role lives, what practice adds), the role-group script, and
// "Sign in and check": the service account's roles read live, per role with the fix.
import { h } from '../dom';
import { textField } from '../fields';
import { toProblem } from '../api/core';
import { exchangeRoles } from '../api/profile';
import { cancelExchangeCheck, exchangeCheck, type ExchangeCheckRecord, type ExchangeCheckReport, type Feature, type RoleResult } from '../api/exchange';
import type { SignInEvent } from '../api/identity';
import { networkDisclosure } from '../network';
import { button, copyValue, header, kv, notice, section, table } from '../ui';
import type { ExchangeInfo, RoleRequirement } from '../types';
import { exchangeCheckRecord, exchangeKey, exchangeSession, sameAccount } from '../session';
import { FEATURE_LABEL } from '../format';
import type { Screen, ScreenContext } from './types';

type Phase =
  | { kind: 'idle' }
  | { kind: 'waiting'; asAdmin: boolean; url?: string; device?: { code: string; uri: string; message: string } }
  | { kind: 'report'; report: ExchangeCheckReport };

let phase: Phase = { kind: 'idle' };
/** What the last check was for (a different account, kind or choice makes it stale). */
let checkedFor = '';

function choice(kind: string, info: ExchangeInfo, saved?: ExchangeCheckRecord | null): Set<Feature> {
  if (!exchangeSession.chosen[kind]) {
    // A reopened connection starts from the features of its last check.
    const known = new Set(info.roles.map((r) => r.feature_id));
    const prior = saved?.features.filter((f) => known.has(f)) ?? [];
    exchangeSession.chosen[kind] = new Set(prior.length ? prior : known);
  }
  return exchangeSession.chosen[kind]!;
}

function sourceBadge(source: string): HTMLElement {
  return h('span', { class: `badge ${source === 'entra' ? 'badge-entra' : 'badge-exchange'}` }, source === 'entra' ? 'Entra directory role' : 'Exchange role');
}

function rolesTable(kind: string, info: ExchangeInfo, features: Set<Feature>, onChange: () => void): HTMLElement {
  return table('Exchange Online roles the service account needs', ['Feature', 'Roles as the vendor lists them', 'Also needed in practice', 'What it is for'],
    info.roles.map((r: RoleRequirement) => {
      const box = h('input', { type: 'checkbox', id: `feature-${r.feature_id}`, 'data-feature': r.feature_id, checked: features.has(r.feature_id) }) as HTMLInputElement;
      box.addEventListener('change', () => {
        if (box.checked) features.add(r.feature_id);
        else features.delete(r.feature_id);
        onChange();
      });
      return [
        h('label', { class: 'feature-choice', for: `feature-${r.feature_id}` }, box, ' ', r.feature),
        h('ul', { class: 'role-list' }, r.roles.map((role, i) => h('li', null, role, sourceBadge(r.role_source[i])))),
        r.also_needed.length
          ? h('ul', { class: 'role-list' }, r.also_needed.map((e) => h('li', { title: e.reason }, e.role, sourceBadge(e.source), h('span', { class: 'help' }, e.reason))))
          : h('span', { class: 'help' }, '—'),
        r.purpose,
      ];
    }), `roles roles-${kind}`);
}

function statusBadge(r: RoleResult): HTMLElement {
  if (r.status === 'granted') return h('span', { class: 'badge badge-ok' }, 'Granted');
  if (r.status === 'missing') return h('span', { class: 'badge badge-muted', style: 'color: var(--error)' }, 'Missing');
  return h('span', { class: 'badge badge-muted' }, 'Unknown');
}

function resultView(ctx: ScreenContext, r: ExchangeCheckReport, run: (asAdmin: boolean, method: 'browser' | 'device-code') => Promise<void>): HTMLElement {
  // One cause usually makes every Exchange role unknown: its sentence is shown once, in the
  // first row it explains; the rows after it say so instead of repeating it.
  const told = new Set<string>();
  const why = (reason: string | undefined): string => {
    if (!reason) return '—';
    if (told.has(reason)) return 'Same reason as above.';
    told.add(reason);
    return reason;
  };
  const rows = r.roles.map((x) => [
    FEATURE_LABEL[x.feature] ?? x.feature,
    h('span', null, x.role, ' ', sourceBadge(x.source), x.required_by === 'practice' ? h('span', { class: 'help' }, ' also needed in practice') : null),
    statusBadge(x),
    x.status === 'granted' ? `via ${x.via ?? '—'}`
      // An Exchange fix is a PowerShell line: a narrow cell would break it at its hyphens, so the
      // cell points to the "Fix" block below, which holds the exact lines with Copy.
      : x.status === 'missing' ? (x.fix ? (x.source === 'exchange' && r.fix_script.includes(x.fix)
        ? h('span', { class: 'fix fix-ref', title: x.fix }, 'Add it to the role group: run the "Fix" below.')
        : x.source === 'exchange' ? h('code', { class: 'mono fix' }, x.fix) : h('span', { class: 'fix' }, x.fix)) : '—')
        : why(x.reason),
  ]);
  // Only when the account may not read its role assignments does an administrator's sign-in
  // help; an Exchange error or an outage is not fixed by another account.
  const unknownExchange = r.code === 'exchange.cannot_read_assignments';
  return section('Result of the check',
    notice(r.ok ? 'success' : 'warning', r.message, r.hint || undefined),
    r.tenant ? kv('Organisation', r.tenant.name ? `${r.tenant.name} (${r.tenant.id})` : r.tenant.id) : null,
    r.signed_in_as ? kv('Signed in as', r.signed_in_as, true) : null,
    r.roles.length ? table('Roles found', ['Feature', 'Role', 'Status', 'Through / fix / why'], rows, 'exchange-result') : null,
    r.warnings.length ? notice('info', 'Exchange Online said', r.warnings.join(' ')) : null,
    r.fix_script ? copyValue(ctx, 'Fix (Exchange Online PowerShell)', r.fix_script, { mono: true, block: true }) : null,
    h('div', { class: 'inline-actions' },
      button('Check again', 'btn btn-secondary', () => run(r.as_admin, 'browser')),
      unknownExchange ? button('Sign in as an Exchange administrator', 'btn btn-primary', () => run(true, 'browser'),
        { title: 'An administrator reads the service account\'s role assignments when the account may not read them itself.' }) : null));
}

function waitingView(ctx: ScreenContext, p: Extract<Phase, { kind: 'waiting' }>): HTMLElement {
  return section('Waiting for you to sign in',
    h('p', { class: 'pending-line', role: 'status', 'aria-live': 'polite' },
      p.device ? `Enter the code below on any device with a browser, then sign in ${p.asAdmin ? 'as an Exchange administrator' : 'with the Exchange service account'}.`
        : `Your browser opened Microsoft's sign-in page. Sign in ${p.asAdmin ? 'as an Exchange administrator' : 'with the Exchange service account'}. This screen continues by itself.`),
    p.device ? h('div', null,
      h('p', { class: 'device-code mono', 'aria-label': 'Device code', style: 'font-size: 28px; letter-spacing: 4px; font-weight: 700; margin: 8px 0' }, p.device.code),
      copyValue(ctx, 'Sign-in address', p.device.uri, { mono: true }),
      h('p', { class: 'help' }, p.device.message)) : null,
    !p.device && p.url ? copyValue(ctx, 'If the browser did not open, copy this address into it', p.url, { mono: true, block: true }) : null,
    h('div', { class: 'inline-actions' }, button('Cancel', 'btn btn-secondary', async () => { await cancelExchangeCheck(); })));
}

/**
 * Which application signs in for the check: by default Microsoft's Exchange Online PowerShell
 * public client; a tenant that blocks it names another (saved with the connection).
 */
function clientDisclosure(ctx: ScreenContext, ex: { client_id?: string }, info: ExchangeInfo): HTMLElement {
  const own = (ex.client_id ?? '').trim();
  const state = own ? `application ${own}`
    : info.default_client_is_exo_powershell ? 'Exchange Online PowerShell (default)' : `application ${info.default_client_id} (default)`;
  const d = h('details', { class: 'client-app' },
    h('summary', null, 'Client application: ', state),
    textField(ctx, { path: 'exchange_online.client_id', label: 'Application (client) ID', mono: true, size: 'medium',
      placeholder: info.default_client_id,
      help: 'Leave empty to sign in through Microsoft\'s Exchange Online PowerShell public client, the application admins already use for Exchange administration. If your tenant blocks it, enter the ID of an app registration that may sign in for Exchange Online (for example Hire2Retire\'s, with Exchange.Manage). Saved with the connection; not a secret.',
      get: () => ex.client_id ?? '', set: (v) => { ex.client_id = v; } })) as HTMLDetailsElement;
  if (own || ctx.issuesFor('exchange_online.client_id').errors.length) d.open = true;
  return d;
}

function requestedView(): HTMLElement {
  return h('div', null,
    h('p', null, 'Permissions requested from Microsoft Exchange Online and Microsoft Graph, and why:'),
    table('Permissions requested', ['Permission', 'Why'], [
      [h('span', { class: 'mono' }, 'Exchange Online (Exchange.Manage, delegated)'), 'Read the service account\'s management role assignments (Get-ManagementRoleAssignment). The check runs read-only commands only and changes nothing.'],
      [h('span', { class: 'mono' }, 'Microsoft Graph User.Read'), 'Read the account\'s Entra directory roles (User Administrator) and the organisation\'s name.'],
      [h('span', { class: 'mono' }, 'openid profile offline_access'), 'Know who signed in, and ask Microsoft Graph without a second sign-in.'],
    ], 'perms exchange-perms'),
    h('p', { class: 'help' }, 'Signing in as the service account also proves it can sign in at all (multi-factor authentication, Conditional Access, a disabled account), as the portal\'s Link account will. Tokens stay in memory and are dropped when the check ends.'));
}

export const screen: Screen = {
  id: 'exchange',
  fields: () => ['exchange_online'],
  // The step list shows the step as "not done" until a check of these values passed.
  skipped: (ctx) => !exchangeCheckRecord(ctx.draft, ctx.saved)?.passed,
  nextLabel: (ctx) => (exchangeCheckRecord(ctx.draft, ctx.saved)?.passed ? 'Next' : 'Continue without a passed check'),
  leave: () => {
    if (phase.kind === 'waiting') void cancelExchangeCheck().catch(() => undefined);
  },
  async render(ctx: ScreenContext) {
    const ex = ctx.draft.exchange_online;
    const kind = ctx.kind ?? 'hybrid-onprem';
    const cloud = ctx.draft.application?.cloud ?? 'global';
    let info: ExchangeInfo = { roles: [], command: '', default_client_id: '', default_client_is_exo_powershell: true };
    try {
      info = await exchangeRoles(kind, ex.service_account, null, cloud);
    } catch (e) {
      ctx.problem(toProblem(e));
    }
    const features = choice(kind, info, ctx.saved?.exchange_check && sameAccount(ctx.saved.exchange_check.account, ex.service_account) ? ctx.saved.exchange_check : null);
    if (phase.kind === 'report' && checkedFor !== exchangeKey(kind, ex.service_account, features, cloud)) phase = { kind: 'idle' };

    const cmdSlot = h('div', { class: 'cmd-slot' }, copyValue(ctx, 'Role-group script', info.command, { mono: true, block: true }));
    let timer: number | undefined;
    const updateCommand = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        try {
          const fresh = await exchangeRoles(kind, ex.service_account, [...features], cloud);
          cmdSlot.replaceChildren(copyValue(ctx, 'Role-group script', fresh.command, { mono: true, block: true }));
        } catch { /* the banner already shows IPC failures */ }
      }, 200);
    };
    if (features.size !== info.roles.length) updateCommand();
    const onFeatures = () => {
      updateCommand();
      if (phase.kind === 'report') {
        phase = { kind: 'idle' };
        void ctx.rerender();
      }
    };

    const run = async (asAdmin: boolean, method: 'browser' | 'device-code') => {
      await ctx.settled();
      if (!ex.service_account.trim() || ctx.issuesFor('exchange_online.service_account').errors.length) {
        ctx.touch('exchange_online.service_account');
        ctx.problem({ code: 'exchange.invalid_input', message: 'Enter the service account before checking.', hint: 'Type the account (UPN) Hire2Retire uses for Exchange Online.' });
        return;
      }
      if (features.size === 0) {
        ctx.problem({ code: 'exchange.invalid_input', message: 'No feature is chosen.', hint: 'Choose at least one feature Hire2Retire will use in Exchange Online.' });
        return;
      }
      ctx.problem(null);
      phase = { kind: 'waiting', asAdmin };
      await ctx.rerender('h1');
      const onEvent = (e: SignInEvent) => {
        if (phase.kind !== 'waiting') return;
        if (e.event === 'open-url') phase = { ...phase, url: e.url };
        else if (e.event === 'device-code') phase = { ...phase, device: { code: e.user_code, uri: e.verification_uri, message: e.message } };
        else return;
        void ctx.rerender();
      };
      try {
        const report = await exchangeCheck({ kind, service_account: ex.service_account.trim(), features: [...features], cloud, tenant: null, as_admin: asAdmin, method, client_id: ex.client_id?.trim() || null }, onEvent);
        checkedFor = exchangeKey(kind, ex.service_account, features, cloud);
        if (report.record) exchangeSession.lastRecord = { key: checkedFor, record: report.record };
        phase = report.code === 'identity.cancelled' ? { kind: 'idle' } : { kind: 'report', report };
      } catch (e) {
        ctx.problem(toProblem(e));
        phase = { kind: 'idle' };
      }
      await ctx.rerender('h1');
    };

    const account = textField(ctx, { path: 'exchange_online.service_account', label: 'Exchange Online service account', required: true, mono: true,
      placeholder: 'svc-h2r@example-domain.com',
      help: 'The account (UPN) Hire2Retire uses for Exchange Online. Put it in a role group that holds the roles below.',
      get: () => ex.service_account, set: (v) => { ex.service_account = v; updateCommand(); } });

    const check: (HTMLElement | null)[] = [];
    if (phase.kind === 'waiting') check.push(waitingView(ctx, phase));
    else {
      check.push(section('Sign in and check',
        requestedView(),
        h('div', { class: 'inline-actions' },
          button('Sign in and check', 'btn btn-primary', () => run(false, 'browser')),
          button('Use a device code instead', 'btn btn-ghost', () => run(false, 'device-code'), { title: 'For a computer without a browser: sign in on another device with a code.' }),
          button('Sign in as an Exchange administrator', 'btn btn-ghost', () => run(true, 'browser'),
            { title: 'When the service account may not read role assignments: an Exchange administrator reads them for it.' })),
        clientDisclosure(ctx, ex, info),
        networkDisclosure()));
      if (phase.kind === 'report') check.push(resultView(ctx, phase.report, run));
    }

    return h('div', null,
      header(ctx, 'Exchange Online connection', 'Hire2Retire manages distribution lists, Microsoft 365 groups, mail-enabled security groups and shared mailboxes through a service account in Exchange Online.'),
      section(null,
        textField(ctx, { path: 'exchange_online.name', label: 'Connection name', required: true,
          help: 'Shown in the Hire2Retire portal.',
          get: () => ex.name, set: (v) => { ex.name = v; } }),
        account),
      section('Roles the service account needs',
        h('p', { class: 'card-sub' }, 'Tick the features Hire2Retire will use; the check and the script follow your choice. Exchange roles go into a role group. User Administrator is a Microsoft Entra directory role: it is assigned in the Microsoft Entra admin center (Roles & admins), not through a role group.'),
        rolesTable(kind, info, features, onFeatures)),
      section('Create the role group',
        h('p', { class: 'card-sub' }, 'An Exchange administrator runs this in Exchange Online PowerShell. The wizard never runs it for you.'),
        cmdSlot),
      ...check,
      h('div', { class: 'other-issues field-msg', 'aria-live': 'polite' }));
  },
};
