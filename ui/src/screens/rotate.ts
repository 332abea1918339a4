// Rotate keys of a saved hybrid connection (issue 3): new pair (or the admin's new public key),
// config re-sealed, old set archived, switched atomically. Shows old and new fingerprints and the
// new public key to paste into the portal.
import { h, uid } from '../dom';
import { copyValue, header, kv, notice, section, unavailable } from '../ui';
import { toProblem } from '../api/core';
import { setAdPassword } from '../api/profile';
import { KEYS_AVAILABLE, KEY_SIZES, agentFolderStatus, cancelKeygen, rotateKeys, type FolderStatus, type KeygenProgress, type RotationReport } from '../api/keys';
import { button, plainInput, progressView, sizeSelect } from './keys-widgets';
import type { Screen, ScreenContext } from './types';

interface State { report: RotationReport | null; running: boolean; progress: KeygenProgress | null; bits: number | null; pem: string; forId: string | null }
const st: State = { report: null, running: false, progress: null, bits: null, pem: '', forId: null };

function placeholder(ctx: ScreenContext): HTMLElement {
  const t = ctx.rotateTarget;
  const key = (t?.connection.agent_key ?? null) as { fingerprint?: string; bits?: number } | null;
  return h('div', null,
    header(ctx, 'Rotate keys', 'Rotation creates a new key pair, re-encrypts the agent\'s config to it and archives the old pair, without ever leaving the agent folder in a broken state.'),
    unavailable('Rotating keys', 'Nothing has changed: the current key pair and agent config are untouched.'),
    t ? section('Connection',
      kv('Name', t.connection.name),
      kv('Agent folder', typeof t.connection.agent_folder === 'string' ? t.connection.agent_folder : 'Not written yet', true),
      kv('Current key', key?.fingerprint ? `${key.fingerprint} (${key.bits ?? '?'} bits)` : 'No key pair yet', true)) : null);
}

async function rotate(ctx: ScreenContext, id: string, passphrase: string, password: string): Promise<void> {
  st.running = true;
  st.progress = null;
  await ctx.rerender('#keygen-cancel');
  try {
    if (password) await setAdPassword(password);
    st.report = await rotateKeys(id, { bits: st.bits, passphrase, publicKeyPem: st.pem }, (p) => {
      st.progress = p;
      const el = document.querySelector('.keygen-progress');
      if (el) el.replaceWith(progressView(p, () => void cancelKeygen()));
    });
    st.pem = '';
    ctx.problem(null);
    ctx.toast('Keys rotated');
  } catch (e) {
    const p = toProblem(e);
    if (p.code !== 'keys.cancelled') ctx.problem(p);
  } finally {
    st.running = false;
    await ctx.rerender('h1');
  }
}

export const screen: Screen = {
  id: 'rotate',
  footer: 'back',
  async render(ctx) {
    if (!KEYS_AVAILABLE) return placeholder(ctx);
    const t = ctx.rotateTarget;
    const head = header(ctx, 'Rotate keys', 'A new key pair is created, the agent\'s config is re-encrypted to it and the old pair is archived. The switch is atomic: the agent folder is never left half-changed.');
    if (!t) return h('div', null, head, notice('warning', 'No connection chosen', 'Go back and pick a saved connection.'));
    if (st.forId !== t.id) {
      st.forId = t.id;
      st.report = null;
      st.bits = null;
    }
    const folder = typeof t.connection.agent_folder === 'string' ? t.connection.agent_folder : '';
    if (st.running) return h('div', null, head, section('Rotating', progressView(st.progress, () => void cancelKeygen())));
    if (st.report) {
      const r = st.report;
      return h('div', null, head,
        notice('success', 'Keys rotated', 'The agent folder now holds the new key and config. Restart the agent after the portal has the new key.'),
        section('Result',
          kv('Old fingerprint', r.old_fingerprint, true),
          copyValue(ctx, 'New fingerprint', r.new_fingerprint, { mono: true }),
          copyValue(ctx, 'New public key', r.public_key_pem, { mono: true, block: true }),
          r.archived_to ? kv('Old key and config archived in', r.archived_to, true) : null),
        notice('warning', 'Paste the new public key into the Hire2Retire portal', 'Open the On-Premise service connection in the portal, replace the public key with the one above, and save. Until then the portal still uses the old key.'));
    }
    if (!folder) return h('div', null, head, notice('warning', 'No agent folder yet', 'This connection\'s agent folder has not been written; open the connection and create it first.'));
    let status: FolderStatus | null = null;
    try {
      status = await agentFolderStatus(folder);
    } catch (e) {
      ctx.problem(toProblem(e));
    }
    if (!status) return h('div', null, head, section('Connection', kv('Name', t.connection.name), kv('Agent folder', folder, true)));
    let passphrase = '';
    let password = '';
    const rows: (HTMLElement | null)[] = [];
    if (status.origin === 'generated') {
      rows.push(sizeSelect(st.bits ?? status.bits, (b) => { st.bits = b; }, KEY_SIZES));
      if (status.passphrase_protected) {
        rows.push(plainInput('Passphrase of privateKey.pem', { type: 'password', size: 'medium', help: 'The new key is protected with the same passphrase.', onInput: (v) => { passphrase = v; } }).el);
      }
    } else {
      const id = uid('newpub');
      const ta = h('textarea', { id, class: 'input mono', rows: '6', spellcheck: 'false', placeholder: '-----BEGIN PUBLIC KEY-----' }) as HTMLTextAreaElement;
      ta.value = st.pem;
      ta.addEventListener('input', () => { st.pem = ta.value; });
      rows.push(notice('info', 'You supplied this connection\'s public key', 'There is no private key here to rotate: give your new public key, and the config is sealed to it afresh.'));
      rows.push(h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, 'Your new public key (PEM)'), ta));
      rows.push(plainInput('AD service account password', { type: 'password', size: 'medium', help: 'Asked again: it is sealed into the new config and stored nowhere else.', onInput: (v) => { password = v; } }).el);
    }
    return h('div', null, head,
      section('Connection',
        kv('Name', t.connection.name),
        kv('Agent folder', folder, true),
        copyValue(ctx, 'Current fingerprint', status.fingerprint, { mono: true }),
        kv('Size', `${status.bits} bits`),
        status.archived.length ? kv('Archived key sets', String(status.archived.length)) : null),
      section('New key', ...rows,
        h('div', { class: 'inline-actions' }, button('Rotate keys', 'btn btn-primary', () => rotate(ctx, t.id, passphrase, password), { id: 'rotate-keys' }))));
  },
  leave() {
    if (st.running) void cancelKeygen();
  },
};
