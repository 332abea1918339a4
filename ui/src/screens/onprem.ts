// On-Premise service connection: name, domain controllers (hosts, port, Base DN), service account.
import { h, icon } from '../dom';
import { textField } from '../fields';
import { header, section } from '../ui';
import type { Screen, ScreenContext } from './types';
import { hostProven } from '../session';

function dcCard(ctx: ScreenContext, i: number): HTMLElement {
  const dcs = ctx.draft.domain_controllers!;
  const dc = dcs[i];
  const p = `domain_controllers[${i}]`;
  const remove = dcs.length > 1
    ? h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text', 'aria-label': `Remove domain controller ${i + 1}` }, icon('trash'), 'Remove')
    : null;
  remove?.addEventListener('click', () => {
    dcs.splice(i, 1);
    ctx.changed();
    void ctx.rerender('#add-dc');
  });
  return h('fieldset', { class: 'dc', 'data-dc': String(i) },
    h('legend', { class: 'dc-legend' }, h('span', { class: 'dc-num' }, String(i + 1)), `Domain controller ${i + 1}`),
    remove ? h('div', { class: 'dc-remove' }, remove) : null,
    textField(ctx, { path: `${p}.hosts`, label: 'Host(s)', required: true, mono: true,
      placeholder: 'dc1.example-domain.com, 10.0.0.5',
      help: 'Addresses of this one domain controller, comma-separated (the portal calls it the IP address of your AD server). The agent fails over between them. A DNS name on the DC\'s certificate works best; an IP address works too when you pin the DC\'s certificate or trust your CA file on the Test step.',
      get: () => dc.hosts, set: (v) => { dc.hosts = v; } }),
    textField(ctx, { path: `${p}.port`, label: 'Port', required: true, inputmode: 'numeric', size: 'short', mono: true,
        help: 'LDAPS: 636 is what the agent uses. 3269 (Global Catalog over TLS) is a read-only partial replica: Hire2Retire cannot create or change users through it.',
        get: () => dc.port, set: (v) => { dc.port = v; } }),
      textField(ctx, { path: `${p}.base_dn`, label: 'Base DN', required: true, mono: true,
        placeholder: 'DC=example-domain,DC=com',
        help: 'Where Hire2Retire works in the directory: the domain root or an OU.',
        get: () => dc.base_dn, set: (v) => { dc.base_dn = v; } }),
  );
}

export const screen: Screen = {
  id: 'onprem',
  fields: () => ['name', 'domain_controllers', 'service_account'],
  // "Short name" advice is moot once the live check proved that exact host works (issue 13).
  hideWarning: (ctx, i) => i.code === 'host.single_label' && hostProven(ctx.draft, i.field),
  render(ctx) {
    const dcs = ctx.draft.domain_controllers ?? (ctx.draft.domain_controllers = [{ hosts: '', port: '636', base_dn: '' }]);
    const add = h('button', { type: 'button', class: 'btn btn-secondary btn-small', id: 'add-dc' }, icon('plus'), 'Add domain controller');
    add.addEventListener('click', () => {
      dcs.push({ hosts: '', port: String(ctx.info.defaults.ldaps_port), base_dn: '' });
      ctx.changed();
      void ctx.rerender(`[data-dc="${dcs.length - 1}"] input`);
    });
    return h('div', null,
      header(ctx, 'On-Premise service connection', 'How the Hire2Retire agent reaches your Active Directory. These are the values you will also enter in the Hire2Retire portal.'),
      section(null,
        textField(ctx, { path: 'name', label: 'Connection name', required: true,
          help: 'Shown in the Hire2Retire portal. Keep the default unless you have several connections.',
          get: () => ctx.draft.name, set: (v) => { ctx.draft.name = v; } })),
      section('Domain controllers',
        h('p', { class: 'card-sub' }, 'Add one entry per domain controller. Each is checked over LDAPS on the next step.'),
        ...dcs.map((_, i) => dcCard(ctx, i)),
        h('div', { class: 'dc-add' }, add)),
      section('Service account',
        textField(ctx, { path: 'service_account', label: 'AD service account', required: true, mono: true,
          placeholder: 'svc-h2r@example-domain.com',
          help: 'A UPN (svc-h2r@example-domain.com), DOMAIN\\user or a DN. It needs Domain Admin rights or delegated control over the OUs Hire2Retire manages. Its password is asked on the next step, kept in this app\'s memory and written only encrypted, into the agent\'s config.',
          get: () => ctx.draft.service_account ?? '', set: (v) => { ctx.draft.service_account = v; } })),
      h('div', { class: 'other-issues field-msg', 'aria-live': 'polite' }));
  },
};
