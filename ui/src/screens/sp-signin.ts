// Service Provider sign-in (issue 5): the service account signs in in the system browser (or
// with a device code); the core checks the delegated permissions and reads the tenant. When
// consent is missing the screen offers both ways: an administrator grants it here, or the
// admin consent request workflow ("I have sent the request", then "Check again").
import { h } from '../dom';
import { selectField, textField } from '../fields';
import { button, copyValue, header, kv, notice, section, table } from '../ui';

import { networkDisclosure } from '../network';
import { toProblem } from '../api/core';
import { adminConsent, cancelSignIn, identityInfo, signIn, type IdentityInfo, type SignInEvent, type SignInReport } from '../api/identity';
import type { Problem } from '../types';
import type { Screen, ScreenContext } from './types';
import { cloudLabel } from '../format';

const SCOPES = ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.AccessAsUser.All', 'offline_access'];

type Phase =
  | { kind: 'idle' }
  | { kind: 'waiting'; what: 'sign-in' | 'consent'; url?: string; device?: { code: string; uri: string; message: string } }
  | { kind: 'report'; report: SignInReport }
  | { kind: 'consent-failed'; problem: Problem; report: SignInReport | null }
  | { kind: 'request-sent'; report: SignInReport | null };

let phase: Phase = { kind: 'idle' };
let lastReport: SignInReport | null = null;
let forCloud = '';
let info: IdentityInfo | null = null;

function needsConsent(r: SignInReport | null): boolean {
  return !!r && !r.ok && !!r.admin_consent_url;
}

/** The Hire2Retire application (client) ID of the field, once the core accepts it. */
function clientId(ctx: ScreenContext): string | null {
  const id = (ctx.draft.application?.client_id ?? '').trim();
  if (!id) {
    ctx.touch('application.client_id');
    ctx.problem({ code: 'identity.invalid_input', message: 'Enter Hire2Retire\'s application (client) ID first.',
      hint: 'The Hire2Retire portal shows it where you create the Azure AD connection.' });
    return null;
  }
  if (ctx.issuesFor('application.client_id').errors.length) {
    ctx.touch('application.client_id');
    ctx.problem({ code: 'identity.invalid_input', message: 'The application (client) ID is not valid.', hint: 'Correct the field above, then sign in.' });
    return null;
  }
  return id;
}

async function run(ctx: ScreenContext, method: 'browser' | 'device-code'): Promise<void> {
  await ctx.settled();
  const app = ctx.draft.application!;
  const client_id = clientId(ctx);
  if (!client_id) {
    await ctx.rerender();
    return;
  }
  phase = { kind: 'waiting', what: 'sign-in' };
  ctx.problem(null);
  await ctx.rerender('h1');
  const onEvent = (e: SignInEvent) => {
    if (phase.kind !== 'waiting') return;
    if (e.event === 'open-url') phase = { ...phase, url: e.url };
    else if (e.event === 'device-code') phase = { ...phase, device: { code: e.user_code, uri: e.verification_uri, message: e.message } };
    else return;
    void ctx.rerender();
  };
  try {
    const report = await signIn({ cloud: app.cloud, client_id, method }, onEvent);
    if ((phase as Phase).kind === 'request-sent') return; // the admin said the request was sent; keep that state
    lastReport = report;
    phase = report.code === 'identity.cancelled' ? { kind: 'idle' } : { kind: 'report', report };
  } catch (e) {
    ctx.problem(toProblem(e));
    phase = { kind: 'idle' };
  }
  ctx.refresh();
  await ctx.rerender('h1');
}

async function grantNow(ctx: ScreenContext): Promise<void> {
  const app = ctx.draft.application!;
  const before = lastReport;
  phase = { kind: 'waiting', what: 'consent' };
  await ctx.rerender('h1');
  try {
    await adminConsent({ cloud: app.cloud, tenant: before?.tenant?.id ?? null, client_id: app.client_id.trim() || null }, 'service-provider', (e) => {
      if (phase.kind === 'waiting' && e.event === 'open-url') {
        phase = { ...phase, url: e.url };
        void ctx.rerender();
      }
    });
    ctx.toast('Admin consent granted');
    await run(ctx, 'browser'); // sign in again to check
  } catch (e) {
    const p = toProblem(e);
    phase = p.code === 'identity.cancelled' ? { kind: 'report', report: before! } : { kind: 'consent-failed', problem: p, report: before };
    if (!before && p.code === 'identity.cancelled') phase = { kind: 'idle' };
    await ctx.rerender('h1');
  }
}

function waitingView(ctx: ScreenContext, p: Extract<Phase, { kind: 'waiting' }>): HTMLElement {
  const consent = p.what === 'consent';
  return section(consent ? 'Waiting for the administrator' : 'Waiting for you to sign in',
    h('p', { class: 'pending-line', role: 'status', 'aria-live': 'polite' },
      p.device ? 'Enter the code below on any device with a browser, then sign in with the service account.'
        : consent ? 'The admin consent page opened in your browser. An administrator signs in and accepts the permissions for the organisation.'
          : 'Your browser opened Microsoft\'s sign-in page. Sign in with the service account and accept the permissions. This screen continues by itself.'),
    p.device ? h('div', null,
      h('p', { class: 'device-code mono', 'aria-label': 'Device code', style: 'font-size: 28px; letter-spacing: 4px; font-weight: 700; margin: 8px 0' }, p.device.code),
      copyValue(ctx, 'Sign-in address', p.device.uri, { mono: true }),
      h('p', { class: 'help' }, p.device.message)) : null,
    !p.device && p.url ? copyValue(ctx, 'If the browser did not open, copy this address into it', p.url, { mono: true, block: true }) : null,
    !consent && !p.device ? h('p', { class: 'help' }, 'Microsoft showed "Approval required" and you chose "Request approval"? Nothing comes back here until an approver acts: choose "I have sent the request".') : null,
    h('div', { class: 'inline-actions' },
      button('Cancel', 'btn btn-secondary', async () => { await cancelSignIn(); }),
      !consent && !p.device ? button('I have sent the request', 'btn btn-ghost', async () => {
        phase = { kind: 'request-sent', report: lastReport };
        await cancelSignIn();
        await ctx.rerender('h1');
      }, { title: 'If Microsoft showed "Approval required" and you chose "Request approval", nothing comes back here: stop waiting.' }) : null));
}

function scopesTable(r: SignInReport): HTMLElement {
  return table('Delegated permissions', ['Permission', 'Status'], SCOPES.map((s) => [
    h('span', { class: 'mono' }, s),
    r.missing.includes(s) ? h('span', { class: 'badge badge-muted', style: 'color: var(--error)' }, 'Not granted')
      : r.granted.includes(s) ? h('span', { class: 'badge badge-ok' }, 'Granted') : h('span', { class: 'badge badge-muted' }, 'Unknown'),
  ]), 'perms');
}

function tenantView(r: SignInReport): HTMLElement | null {
  if (!r.tenant) return null;
  return h('div', null,
    kv('Organisation', r.tenant.name || '—'),
    kv('Tenant ID', r.tenant.id, true),
    kv('Verified domains', r.tenant.domains.join(', ') || '—'));
}

function consentView(ctx: ScreenContext, r: SignInReport): HTMLElement {
  const workflow = r.code === 'identity.admin_consent_request';
  return section('An administrator must grant consent',
    h('p', null, 'Hire2Retire\'s application needs an administrator\'s consent for the whole organisation. Either way works:'),
    h('ol', { class: 'bullets' },
      h('li', null, h('strong', null, 'You are a Global or Privileged Role Administrator: '), 'grant consent now, in the browser.'),
      h('li', null, h('strong', null, 'Someone else approves: '), workflow
        ? 'choose "Request approval" on Microsoft\'s page (sign in again to get there) and type the justification Microsoft asks for (for example: Hire2Retire provisions joiners, movers and leavers), then "I have sent the request". Or send them the link below.'
        : 'send them the admin consent link below. If your tenant has the admin consent request workflow, Microsoft offers "Request approval" when you sign in: it asks for a justification, and the approver reviews it under "Review permissions and consent".')),
    h('div', { class: 'inline-actions' },
      button('Grant admin consent now', 'btn btn-primary', () => grantNow(ctx)),
      button('Sign in again', 'btn btn-secondary', () => run(ctx, 'browser'))),
    r.admin_consent_url ? copyValue(ctx, 'Admin consent link for an administrator', r.admin_consent_url, { mono: true, block: true }) : null);
}

function requestSentView(ctx: ScreenContext): HTMLElement {
  return section('Approval requested',
    notice('info', 'Nothing more to do here until it is approved',
      'Microsoft sends the request, with your justification, to the approvers your tenant configured. They open the Microsoft Entra admin center → Enterprise applications → Admin consent requests, select Hire2Retire, choose "Review permissions and consent" and accept. You can continue the wizard meanwhile and come back to check.'),
    h('div', { class: 'inline-actions' },
      button('Check again', 'btn btn-primary', () => run(ctx, 'browser'))));
}

function resultView(ctx: ScreenContext, r: SignInReport): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (r.ok) {
    out.push(notice('success', r.message), section('Signed in', tenantView(r), scopesTable(r)));
  } else {
    out.push(notice('warning', r.message, r.hint));
    if (r.tenant) out.push(section('Tenant', tenantView(r), scopesTable(r)));
    if (needsConsent(r)) out.push(consentView(ctx, r));
    else out.push(h('div', { class: 'inline-actions' }, button('Try again', 'btn btn-primary', () => run(ctx, 'browser'))));
  }
  return out;
}

export const screen: Screen = {
  id: 'sp-signin',
  fields: () => ['application.cloud', 'application.client_id'],
  skipped: () => !(lastReport?.ok),
  nextLabel: () => (lastReport?.ok ? 'Next' : 'Continue without signing in'),
  leave: () => {
    if (phase.kind === 'waiting') void cancelSignIn().catch(() => undefined);
  },
  async render(ctx) {
    const app = ctx.draft.application!;
    if (forCloud && forCloud !== app.cloud) {
      phase = { kind: 'idle' };
      lastReport = null;
    }
    forCloud = app.cloud;
    if (!info) {
      try {
        info = await identityInfo();
      } catch {
        info = null;
      }
    }
    // Prefill the application (client) ID this build knows (built in, or H2R_SP_CLIENT_ID for
    // unattended use); the admin may type the one the Hire2Retire portal shows instead.
    if (!app.client_id?.trim() && info?.service_provider_client_id) {
      app.client_id = info.service_provider_client_id;
      ctx.changed();
    }
    app.client_id ??= '';
    const waiting = phase.kind === 'waiting';
    const body: (HTMLElement | null)[] = [];
    if (phase.kind === 'waiting') body.push(waitingView(ctx, phase));
    else if (phase.kind === 'report') body.push(...resultView(ctx, phase.report));
    else if (phase.kind === 'request-sent') body.push(requestSentView(ctx));
    else if (phase.kind === 'consent-failed') {
      body.push(notice('warning', phase.problem.message, phase.problem.hint));
      if (phase.report) body.push(consentView(ctx, phase.report));
    }
    if (phase.kind === 'idle') {
      body.push(section(null,
        h('p', null, 'Sign in with the Hire2Retire service account (it should hold the User Administrator role). Your browser opens Microsoft\'s page; this screen waits and then shows what was granted.'),
        h('div', { class: 'inline-actions' },
          button('Sign in with Microsoft', 'btn btn-primary btn-large', () => run(ctx, 'browser')),
          button('Use a device code instead', 'btn btn-ghost', () => run(ctx, 'device-code'),
            { title: 'For a computer without a browser: sign in on another device with a code.' })),
        networkDisclosure()));
    }
    return h('div', null,
      header(ctx, 'Sign in to Microsoft', 'Sign in with the service account in your browser and approve the permissions Hire2Retire\'s application requests. An administrator grants consent for the organisation.'),
      section(null,
        waiting ? kv('Hire2Retire application (client) ID', app.client_id, true) : textField(ctx, { path: 'application.client_id',
          label: 'Hire2Retire application (client) ID', required: true, mono: true, size: 'medium',
          placeholder: '00000000-0000-0000-0000-000000000000',
          help: info?.service_provider_client_id && info.service_provider_client_id === app.client_id.trim()
            ? 'Filled in by this build. It must match the application (client) ID the Hire2Retire portal shows for the Azure AD connection.'
            : 'The application (client) ID the Hire2Retire portal shows for the Azure AD connection (a GUID). It is not a secret and is saved with the connection.',
          get: () => app.client_id, set: (v) => { app.client_id = v; } }),
        waiting ? kv('National cloud', cloudLabel(ctx, app.cloud)) : selectField(ctx, { path: 'application.cloud', label: 'National cloud',
          help: 'Where your tenant lives. Most tenants are in the global cloud.',
          options: ctx.info.clouds.map((c) => ({ value: c.id, label: c.name })),
          get: () => app.cloud, set: (v) => { app.cloud = v; } })),
      ...body);
  },
};
