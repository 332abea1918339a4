// Exchange Online connection: name, service account, the roles table and the role-group command.
import { h } from '../dom';
import { textField } from '../fields';
import { toProblem } from '../api/core';
import { exchangeRoles } from '../api/profile';
import { copyValue, header, section, table } from '../ui';
import type { ExchangeInfo } from '../types';
import type { Screen, ScreenContext } from './types';

function rolesTable(info: ExchangeInfo): HTMLElement {
  return table('Exchange Online roles the service account needs', ['Feature', 'Roles', 'What it is for'],
    info.roles.map((r) => [
      r.feature,
      h('ul', { class: 'role-list' }, r.roles.map((role, i) =>
        h('li', null, role, h('span', { class: `badge ${r.role_source[i] === 'entra' ? 'badge-entra' : 'badge-exchange'}` }, r.role_source[i] === 'entra' ? 'Entra ID role' : 'Exchange role')))),
      r.purpose,
    ]), 'roles');
}

export const screen: Screen = {
  id: 'exchange',
  fields: () => ['exchange_online'],
  async render(ctx: ScreenContext) {
    const ex = ctx.draft.exchange_online;
    const kind = ctx.kind ?? 'hybrid-onprem';
    let info: ExchangeInfo = { roles: [], command: '' };
    try {
      info = await exchangeRoles(kind, ex.service_account);
    } catch (e) {
      ctx.problem(toProblem(e));
    }
    const cmdSlot = h('div', { class: 'cmd-slot' }, copyValue(ctx, 'Role group command', info.command, { mono: true, block: true }));
    let timer: number | undefined;
    const updateCommand = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        try {
          const fresh = await exchangeRoles(kind, ex.service_account);
          cmdSlot.replaceChildren(copyValue(ctx, 'Role group command', fresh.command, { mono: true, block: true }));
        } catch { /* the banner already shows IPC failures */ }
      }, 200);
    };
    const account = textField(ctx, { path: 'exchange_online.service_account', label: 'Exchange Online service account', required: true, mono: true,
      placeholder: 'svc-h2r@example-domain.com',
      help: 'The account (UPN) Hire2Retire uses for Exchange Online. Put it in a role group that holds the roles below.',
      get: () => ex.service_account, set: (v) => { ex.service_account = v; updateCommand(); } });
    return h('div', null,
      header(ctx, 'Exchange Online connection', 'Hire2Retire manages distribution lists, mail-enabled security groups and shared mailboxes through a service account in Exchange Online.'),
      section(null,
        textField(ctx, { path: 'exchange_online.name', label: 'Connection name', required: true,
          help: 'Shown in the Hire2Retire portal.',
          get: () => ex.name, set: (v) => { ex.name = v; } }),
        account),
      section('Roles the service account needs',
        h('p', { class: 'card-sub' }, 'Give the service account only the roles of the features you use. Exchange roles go into a role group; Entra ID roles are assigned in the Microsoft Entra admin center.'),
        rolesTable(info)),
      section('Create the role group',
        h('p', { class: 'card-sub' }, 'An Exchange administrator runs this in Exchange Online PowerShell (Connect-ExchangeOnline first). The wizard never runs it for you.'),
        cmdSlot),
      h('div', { class: 'other-issues field-msg', 'aria-live': 'polite' }));
  },
};
