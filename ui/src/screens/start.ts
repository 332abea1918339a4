// Start: saved connections (reopen, rotate keys on hybrid ones, remove) and "New connection".
import { h, icon } from '../dom';
import { toProblem } from '../api/core';
import { loadSettings, removeConnection } from '../api/profile';
import { kindLabel } from '../ui';
import type { SavedConnection } from '../types';
import { checkFolder, folderProblemText, keyDates } from './folder-state';
import type { Screen, ScreenContext } from './types';

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const CHECK_LABEL = { passed: 'Check passed', 'passed-with-warnings': 'Passed with warnings', failed: 'Check failed' } as const;

function describe(s: SavedConnection): string {
  const c = s.connection;
  if (c.kind === 'hybrid-onprem') {
    const dcs = c.domain_controllers ?? [];
    const first = dcs[0]?.hosts?.[0] ?? '';
    return `${dcs.length} domain controller${dcs.length === 1 ? '' : 's'}${first ? ` · ${first}${dcs.length > 1 || (dcs[0]?.hosts.length ?? 0) > 1 ? ', …' : ''}` : ''}`;
  }
  const app = c.application?.kind === 'customer-owned' ? 'Customer Owned Application' : 'Service Provider Application';
  return `${app}${c.application?.tenant_id ? ` · tenant ${c.application.tenant_id}` : ''}`;
}

function row(ctx: ScreenContext, s: SavedConnection, list: HTMLElement): HTMLElement {
  const open = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Open ${s.connection.name}` }, 'Open');
  open.addEventListener('click', () => void ctx.open(s));
  const actions: HTMLElement[] = [open];
  if (s.connection.kind === 'hybrid-onprem') {
    const rot = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': `Rotate keys of ${s.connection.name}` }, icon('refresh'), 'Rotate keys');
    rot.addEventListener('click', () => void ctx.rotate(s));
    actions.push(rot);
    if (typeof s.connection.agent_folder === 'string') {
      const pw = h('button', { type: 'button', class: 'btn btn-ghost btn-small', 'aria-label': `Change the AD password of ${s.connection.name}` }, icon('lock'), 'Change AD password');
      pw.addEventListener('click', () => void ctx.tool('change-password', s));
      actions.push(pw);
    }
  }
  const remove = h('button', { type: 'button', class: 'btn btn-ghost btn-small btn-danger-text', 'aria-label': `Remove ${s.connection.name}` }, icon('trash'), 'Remove');
  const check = s.ldap_check ?? null;
  const exo = s.exchange_check ?? null;
  const key = (s.connection.agent_key ?? null) as { fingerprint?: string; bits?: number } | null;
  const rotated = typeof s.rotated_at === 'string' ? s.rotated_at : typeof s.connection.rotated_at === 'string' ? s.connection.rotated_at : '';
  const item = h('li', { class: 'saved', 'data-id': s.id },
    h('span', { class: `saved-icon kind-${s.connection.kind}` }, icon(s.connection.kind === 'hybrid-onprem' ? 'server' : 'cloud')),
    h('div', { class: 'saved-text' },
      h('p', { class: 'saved-name' }, s.connection.name, h('span', { class: `badge ${s.complete ? 'badge-ok' : 'badge-muted'}` }, s.complete ? 'Complete' : 'Draft'),
        check ? h('span', { class: `badge ${check.status === 'passed' ? 'badge-ok' : 'badge-warn'}`, 'data-check': check.status }, CHECK_LABEL[check.status]) : null,
        exo ? h('span', { class: `badge ${exo.passed ? 'badge-ok' : 'badge-warn'}`, 'data-exchange-check': exo.passed ? 'passed' : 'failed' }, exo.passed ? 'Exchange check passed' : 'Exchange check failed') : null),
      h('p', { class: 'saved-meta' }, `${kindLabel(s.connection.kind)} · ${describe(s)}`),
      key?.fingerprint ? h('p', { class: 'saved-meta' }, 'Key ', h('span', { class: 'mono' }, key.fingerprint), key.bits ? ` (${key.bits} bits)` : '') : null,
      h('p', { class: 'saved-meta saved-dates' }, [`Saved ${when(s.saved_at)}`, check?.checked_at ? `checked ${when(check.checked_at)}` : '', exo ? `Exchange checked ${when(exo.checked_at)}` : '', rotated ? `keys rotated ${when(rotated)}` : ''].filter(Boolean).join(' · ')),
      check?.status === 'passed-with-warnings' && check.warnings.length
        ? h('ul', { class: 'saved-warnings', 'aria-label': 'Warnings of the last check' }, check.warnings.map((w) => h('li', null, w)))
        : null),
    h('div', { class: 'saved-actions' }, actions, remove));
  // The folder as it is now: a complete connection whose folder is gone or holds another key says so.
  if (s.connection.kind === 'hybrid-onprem' && typeof s.connection.agent_folder === 'string') {
    void checkFolder(s.connection).then((f) => {
      if (f.state === 'ok') {
        const dates = keyDates(f.status);
        if (dates) item.querySelector('.saved-text .saved-dates')?.append(` · ${dates}`);
        return;
      }
      const p = folderProblemText(f);
      if (!p) return;
      item.querySelector('.saved-name')?.append(h('span', { class: 'badge badge-warn', 'data-folder': f.state }, f.state === 'missing' ? 'Agent folder missing' : f.state === 'interrupted' ? 'Key change interrupted' : 'Folder holds another key'));
      item.querySelector('.saved-text')?.append(h('p', { class: 'saved-meta saved-problem' }, `${p.title}. Use Rotate keys to locate it or write a new one.`));
    });
  }
  remove.addEventListener('click', () => {
    // Inline confirmation: no modal dialogs.
    const confirm = h('button', { type: 'button', class: 'btn btn-danger btn-small' }, 'Remove from this list');
    const cancel = h('button', { type: 'button', class: 'btn btn-ghost btn-small' }, 'Keep');
    const box = h('div', { class: 'saved-confirm', role: 'group', 'aria-label': 'Confirm removal' },
      h('span', null, 'Remove this saved connection? Files already written (agent folder) are not deleted.'), cancel, confirm);
    cancel.addEventListener('click', () => { box.remove(); remove.focus(); });
    confirm.addEventListener('click', async () => {
      try {
        await removeConnection(s.id);
        item.remove();
        ctx.toast(`Removed ${s.connection.name}`);
        if (!list.children.length) await ctx.home();
        else (list.querySelector('button') as HTMLElement | null)?.focus();
      } catch (e) {
        ctx.problem(toProblem(e));
      }
    });
    item.append(box);
    cancel.focus();
  });
  return item;
}

export const screen: Screen = {
  id: 'start',
  footer: 'none',
  async render(ctx) {
    let saved: SavedConnection[] = [];
    let loadError: HTMLElement | null = null;
    try {
      saved = (await loadSettings()).connections;
    } catch (e) {
      const p = toProblem(e);
      loadError = h('div', { class: 'notice notice-warning', role: 'alert', 'data-code': p.code }, icon('alert'), h('div', null, h('p', { class: 'notice-title' }, p.message), h('p', null, p.hint)));
    }
    const newBtn = h('button', { type: 'button', class: 'btn btn-primary btn-large', id: 'new-connection' }, icon('plus'), 'New connection');
    newBtn.addEventListener('click', () => void ctx.startNew());
    const list = h('ul', { class: 'saved-list', 'aria-label': 'Saved connections' });
    saved.forEach((s) => list.append(row(ctx, s, list)));
    return h('div', { class: 'start' },
      h('header', { class: 'screen-head start-head' },
        h('p', { class: 'eyebrow' }, 'Hire2Retire Setup'),
        h('h1', { tabindex: '-1' }, saved.length ? 'Your connections' : 'Connect your directory to Hire2Retire'),
        h('p', { class: 'lead' }, saved.length
          ? 'Open a saved connection to review or finish it, or set up a new one.'
          : 'This wizard sets up the connection between Hire2Retire and your directory: Active Directory on-premise with an agent inside your network, or Azure AD (Microsoft Entra ID) — each with Exchange Online. Every value is checked as you type. Passwords are kept in this app\'s memory; the AD password is written only encrypted, into the agent\'s config.')),
      loadError,
      h('div', { class: 'start-actions' }, newBtn),
      saved.length ? h('section', { class: 'card' }, h('h2', { class: 'card-title' }, `Saved connections (${saved.length})`), list) : null,
      !saved.length ? h('div', { class: 'start-kinds' },
        h('div', { class: 'mini-card' }, icon('server'), h('div', null, h('p', { class: 'mini-title' }, 'Hybrid On-Premise'), h('p', null, 'Domain controllers over LDAPS, an encrypted config for the on-prem agent, Exchange Online.'))),
        h('div', { class: 'mini-card' }, icon('cloud'), h('div', null, h('p', { class: 'mini-title' }, 'Azure AD'), h('p', null, 'Sign in with the Service Provider Application, or register your own application; Exchange Online.')))) : null,
      h('p', { class: 'fineprint' }, `Settings (no secrets) are stored in ${ctx.info.settings_path || 'the app data folder'}.`));
  },
};
