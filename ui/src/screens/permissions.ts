// The Microsoft Graph permissions the chosen application needs, and what each is for.
import { h } from '../dom';
import { toProblem } from '../api/core';
import { graphPermissions } from '../api/profile';
import { header, notice, section, table } from '../ui';
import type { ApplicationKind, Permission } from '../types';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'permissions',
  async render(ctx) {
    const kind = (ctx.draft.application?.kind || 'service-provider') as ApplicationKind;
    let perms: Permission[] = [];
    try {
      perms = await graphPermissions(kind);
    } catch (e) {
      ctx.problem(toProblem(e));
    }
    const co = kind === 'customer-owned';
    return h('div', null,
      header(ctx, 'Permissions', co
        ? 'Before uploading the certificate: add these application permissions to your app registration (API permissions → Add a permission → Microsoft Graph → Application permissions), then select "Grant admin consent". The next step checks that they are granted.'
        : 'Hire2Retire\'s application asks for these delegated permissions when the service account signs in on the next step. An administrator grants consent for the organisation.'),
      section(null,
        table('Microsoft Graph permissions', ['Permission', 'Type', 'Admin consent', 'What it is for'],
          perms.map((p) => [
            h('span', { class: 'mono' }, p.name),
            h('span', { class: 'badge badge-muted' }, p.kind === 'application' ? 'Application' : 'Delegated'),
            p.admin_consent ? 'Required' : 'Not required',
            p.vendor_purpose
              ? h('span', null,
                h('span', { class: 'vendor-purpose' }, p.vendor_purpose), h('span', { class: 'help' }, ' (Hire2Retire\'s wording)'), h('br'),
                h('span', { class: 'help' }, 'In detail: ', p.purpose))
              : p.purpose,
          ]), 'perms')),
      co
        ? notice('info', 'Least privilege',
          'Application permissions apply to the whole tenant. Only grant them to an application that only Hire2Retire uses.')
        : h('div', null,
          notice('info', 'Admin consent',
            'If you are a Global or Privileged Role Administrator, you can grant consent yourself on the next step. Otherwise Microsoft shows "Approval required": choose "Request approval", and Microsoft asks you for a justification (for example: Hire2Retire provisions joiners, movers and leavers). The approver reviews your request in the Microsoft Entra admin center (Enterprise applications → Admin consent requests) under "Review permissions and consent".'),
          notice('info', 'Acting as the service account',
            'Delegated permissions never exceed the signed-in account\'s own rights: use a dedicated service account with the User Administrator role.')));
  },
};
