// The portal hand-off (issue 11), after Create and before the agent: every value of the portal's
// On-Premise service connection form in the portal's order with its labels, each with Copy, plus
// "Copy all" and "Save as file". Then "In the portal choose Link account", ticked by the admin,
// before the agent step. After a key rotation, the new public key comes first.
import { h, icon } from '../dom';
import { copyText } from '../api/shell';
import { toProblem } from '../api/core';
import { handoffValues, saveHandoff, type Handoff } from '../api/handoff';
import { button, copyValue, header, notice, section } from '../ui';
import { folderOf } from './folder-state';

import type { Screen, ScreenContext } from './types';
import { rotatedInSession } from '../session';

interface State { draft: object | null; linked: boolean }
const st: State = { draft: null, linked: false };

function own(ctx: ScreenContext): void {
  if (st.draft !== ctx.draft) {
    st.draft = ctx.draft;
    st.linked = false;
  }
}

const hasFolder = (ctx: ScreenContext) => ctx.kind === 'hybrid-onprem' && !!folderOf(ctx.draft);

function values(ctx: ScreenContext, v: Handoff, keyFirst: boolean): HTMLElement[] {
  const key = section(keyFirst ? 'The new public key — paste it into the portal first' : 'Public key',
    copyValue(ctx, 'Public key', v.public_key_pem, { mono: true, block: true }),
    h('p', { class: 'muted' }, `Fingerprint ${v.public_key_fingerprint}. The portal uses it to encrypt the agent's configuration.`));
  const form = section('On-Premise service connection — in the portal\'s order',
    copyValue(ctx, 'Connection name', v.connection_name),
    ...v.domain_controllers.flatMap((dc, i) => [
      h('h3', { class: 'kv-group' }, `Domain controller ${i + 1}`),
      copyValue(ctx, 'Host', dc.hosts, { mono: true }),
      copyValue(ctx, 'Port', String(dc.port), { mono: true }),
      copyValue(ctx, 'Base DN', dc.base_dn, { mono: true }),
    ]));
  return keyFirst ? [key, form] : [form, key];
}

/** How the agent trusts each DC: not a portal value, but the admin should know it travels sealed. */
function trustNotes(ctx: ScreenContext): HTMLElement | null {
  const lines = (ctx.draft.domain_controllers ?? []).flatMap((dc, i) => {
    const t = dc.tls as { ca_file?: string; pin_sha256?: string; insecure?: boolean } | undefined;
    if (t?.ca_file) return [`Domain controller ${i + 1}: the CA certificate from ${t.ca_file} is sealed into the agent's config (config.jwe); the agent host needs no copy of the file.`];
    if (t?.pin_sha256) return [`Domain controller ${i + 1}: the agent accepts only the pinned certificate (SHA-256 ${t.pin_sha256.slice(0, 23)}…), sealed into its config.`];
    if (t?.insecure) return [`Domain controller ${i + 1}: INSECURE, certificate verification is off for the agent too.`];
    return [];
  });
  return lines.length ? notice('info', 'How the agent trusts your domain controllers', h('span', null, lines.join(' '))) : null;
}

export const screen: Screen = {
  id: 'handoff',
  skipped: (ctx) => !hasFolder(ctx) || !st.linked,
  ready: (ctx) => !hasFolder(ctx) || (own(ctx), st.linked),
  notReadyText: () => 'Tick "I chose Link account in the portal" once it is done.',
  nextLabel: (ctx) => (hasFolder(ctx) ? 'Next: set up the agent' : 'Continue without the hand-off'),
  async render(ctx) {
    own(ctx);
    const head = header(ctx, 'Fill in the Hire2Retire portal', 'In the portal, create the On-Premise service connection with exactly these values, then choose "Link account". The agent is set up after that.');
    if (ctx.kind !== 'hybrid-onprem') return h('div', null, head);
    const folder = folderOf(ctx.draft);
    if (!folder) {
      return h('div', null, head,
        notice('warning', 'The agent folder has not been written yet', 'The portal needs the public key, which the Create step writes into the agent folder. Go back to Create first; the values below are all the portal needs besides it.'),
        h('div', { class: 'inline-actions' }, button('Go to Create', 'btn btn-primary', () => ctx.goto('create'), { id: 'goto-create' })));
    }
    let v: Handoff;
    try {
      v = await handoffValues(ctx.draft, folder);
    } catch (e) {
      const p = toProblem(e);
      return h('div', null, head, notice('warning', p.message, p.hint));
    }
    const rotated = ctx.saved ? rotatedInSession(ctx.saved.id) : false;
    const copyAll = button('Copy all', 'btn btn-secondary', async () => {
      try {
        await copyText(v.text);
        ctx.toast('All values copied');
      } catch (e) {
        ctx.problem(toProblem(e));
      }
    }, { id: 'handoff-copy-all' });
    const save = button('Save as file…', 'btn btn-secondary', async () => {
      try {
        const written = await saveHandoff(ctx.draft, folder);
        if (written.length) ctx.toast(`Saved ${written.map((p) => p.split(/[\\/]/).pop()).join(' and ')}`);
      } catch (e) {
        ctx.problem(toProblem(e));
      }
    }, { id: 'handoff-save' });
    const box = h('input', { type: 'checkbox', id: 'link-account' }) as HTMLInputElement;
    box.checked = st.linked;
    box.addEventListener('change', () => {
      st.linked = box.checked;
      ctx.refresh();
      ctx.rerender('#link-account').catch(() => undefined);
    });
    return h('div', null, head,
      trustNotes(ctx),
      rotated ? notice('warning', 'The key was rotated: the portal needs the new public key', 'Open the On-Premise service connection in the portal, replace its public key with the one below and save. The other values are unchanged.') : null,
      ...values(ctx, v, rotated),
      h('div', { class: 'inline-actions handoff-actions' }, copyAll, save,
        h('span', { class: 'fineprint' }, 'A .txt and a .json file; no password or private key is in either.')),
      section('Then: Link account',
        h('ol', { class: 'bullets' },
          h('li', null, 'Save the connection in the portal.'),
          h('li', null, 'In the portal choose "Link account".')),
        h('div', { class: 'field link-account' }, h('label', { for: 'link-account' }, box, ' I chose Link account in the portal')),
        st.linked ? h('p', { class: 'muted' }, icon('check'), ' Next: set up the agent that uses the folder.') : null));
  },
};
