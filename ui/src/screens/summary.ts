// Summary: everything the admin pastes into the Hire2Retire portal, what is verified and what
// is not, and "Save draft" (settings only, no secrets; the agent folder is written in Create).
import { h, icon } from '../dom';
import { toProblem } from '../api/core';
import { saveConnection } from '../api/profile';
import { hostsOf } from '../draft';
import { copyValue, header, kv, section, statusItem } from '../ui';
import { azureComplete, progressItems } from './progress';

import { checkFolder, folderProblemText } from './folder-state';
import type { Screen, ScreenContext } from './types';
import { exchangeCheckRecord, ldapCheckRecord } from '../session';
import { cloudLabel } from '../format';

/** The core's display name of a national cloud (app_info). */

function prefixes(ctx: ScreenContext): string[] {
  return ctx.kind === 'azure-ad' ? ['name', 'application', 'exchange_online'] : ['name', 'domain_controllers', 'service_account', 'exchange_online'];
}

/** Where each validation path is edited. */
function stepOf(ctx: ScreenContext, field: string): string {
  if (field.startsWith('exchange_online')) return 'exchange';
  const co = ctx.draft.application?.kind === 'customer-owned';
  if (field.startsWith('application.client_id') || field.startsWith('application.cloud')) return co ? 'co-app' : 'sp-signin';
  if (field.startsWith('application.tenant_id')) return 'co-app';
  if (field.startsWith('application')) return 'app-kind';
  return 'onprem';
}

async function save(ctx: ScreenContext, complete: boolean): Promise<boolean> {
  try {
    const check = ctx.kind === 'hybrid-onprem' ? ldapCheckRecord(ctx.draft, ctx.saved) : null;
    const saved = await saveConnection(ctx.saved?.id ?? null, ctx.draft, complete, check, exchangeCheckRecord(ctx.draft, ctx.saved));
    ctx.setSaved(saved);
    ctx.toast(`Saved "${saved.connection.name}"`);
    return true;
  } catch (e) {
    ctx.problem(toProblem(e));
    return false;
  }
}

export const screen: Screen = {
  id: 'summary',
  fields: prefixes,
  nextLabel: (ctx) => (ctx.kind === 'azure-ad' ? 'Save connection' : 'Next'),
  // Azure AD has no create step: its connection is saved here (as a draft while sign-in or the
  // certificate check is not available). Hybrid: the agent folder is written in Create.
  beforeNext: (ctx) => (ctx.kind === 'azure-ad' ? save(ctx, azureComplete(ctx)) : true),
  async render(ctx) {
    const d = ctx.draft;
    const disk = d.kind === 'hybrid-onprem' ? await checkFolder(d) : undefined;
    const errors = (ctx.report?.errors ?? []).filter((e) => prefixes(ctx).some((p) => e.field === p || e.field.startsWith(p)));
    const problems = errors.length
      ? h('div', { class: 'notice notice-warning', role: 'alert' }, icon('alert'),
        h('div', null, h('p', { class: 'notice-title' }, 'Some values need attention before this connection can be saved.'),
          h('ul', { class: 'issue-links' }, errors.map((e) => {
            const b = h('button', { type: 'button', class: 'link' }, 'Edit');
            b.addEventListener('click', () => void ctx.goto(stepOf(ctx, e.field)));
            return h('li', null, h('span', { class: 'mono' }, e.field), ` — ${e.message} `, b);
          }))))
      : null;

    const saveBtn = h('button', { type: 'button', class: 'btn btn-secondary', id: 'save-draft' }, ctx.saved?.complete ? 'Save changes' : 'Save draft');
    saveBtn.addEventListener('click', async () => {
      saveBtn.disabled = true;
      // A reopened complete connection stays complete: its agent folder is still written.
      await save(ctx, ctx.saved?.complete === true);
      saveBtn.disabled = false;
      await ctx.rerender('#save-draft');
    });

    const blocks: HTMLElement[] = [];
    if (d.kind === 'hybrid-onprem') {
      blocks.push(section('On-Premise service connection — paste into the portal',
        copyValue(ctx, 'Connection name', d.name),
        ...(d.domain_controllers ?? []).flatMap((dc, i) => [
          h('h3', { class: 'kv-group' }, `Domain controller ${i + 1}`),
          copyValue(ctx, 'Host', hostsOf(dc.hosts).join(','), { mono: true }),
          copyValue(ctx, 'Port', dc.port, { mono: true }),
          copyValue(ctx, 'Base DN', dc.base_dn, { mono: true }),
        ]),
        copyValue(ctx, 'Service account', d.service_account ?? '', { mono: true }),
        (() => {
          const key = d.agent_key as { fingerprint?: string } | undefined;
          if (disk?.state === 'ok') return kv('Public key', `publicKey.pem in the agent folder (fingerprint ${disk.status.fingerprint})`);
          if (disk && disk.state !== 'none') return kv('Public key', h('span', { class: 'kv-empty' }, folderProblemText(disk)?.title ?? ''));
          return key?.fingerprint
            ? kv('Public key', `Generated, not written yet (fingerprint ${key.fingerprint}); the Create step writes publicKey.pem`)
            : kv('Public key', h('span', { class: 'kv-empty' }, 'No key pair yet'));
        })()));
      blocks.push(section('Status', h('ul', { class: 'status-list' }, progressItems(ctx, disk))));
    } else {
      const app = d.application!;
      const co = app.kind === 'customer-owned';
      blocks.push(section('Azure AD connection — paste into the portal',
        copyValue(ctx, 'Connection name', d.name),
        kv('Application', co ? 'Customer Owned Application' : 'Service Provider Application'),
        kv('National cloud', cloudLabel(ctx, app.cloud)),
        co ? copyValue(ctx, 'Client ID', app.client_id, { mono: true })
          : app.client_id?.trim() ? kv('Hire2Retire application (client) ID', app.client_id.trim(), true) : null,
        co ? copyValue(ctx, 'Tenant ID', app.tenant_id, { mono: true }) : null) as HTMLElement);
      blocks.push(section('Status', h('ul', { class: 'status-list' }, progressItems(ctx),
        ctx.saved?.complete
          ? statusItem('ok', 'Saved as a complete connection', '"Save connection" saves your changes (settings only, no secrets).')
          : ctx.saved
            ? statusItem('todo', 'Saved as a draft', azureComplete(ctx)
              ? '"Save connection" saves it as complete (settings only, no secrets).'
              : 'Finish the check, then "Save connection" saves it as complete (settings only, no secrets).')
            : azureComplete(ctx)
              ? statusItem('todo', 'Not saved yet', '"Save connection" saves it as complete (settings only, no secrets).')
              : statusItem('todo', 'Not saved yet', '"Save connection" saves it as a draft (settings only, no secrets); finish the check later.'))));
    }
    const ex = d.exchange_online;
    blocks.push(section('Exchange Online connection — paste into the portal',
      copyValue(ctx, 'Connection name', ex.name),
      copyValue(ctx, 'Service account', ex.service_account, { mono: true })));

    return h('div', null,
      header(ctx, 'Summary', 'Check the values. Each has a Copy button for the Hire2Retire portal.'),
      problems,
      ...blocks,
      h('div', { class: 'inline-actions' }, saveBtn,
        h('p', { class: 'fineprint' }, ctx.saved ? `Saved connection (id ${ctx.saved.id.slice(0, 8)}). Saving stores these settings only, never a password.` : `Saving stores these settings only, never a password.${d.kind === 'hybrid-onprem' ? ' The agent folder is written only in the Create step.' : ''}`)));
  },
};
