// Rotate keys of a saved hybrid connection (issues 3 and 14): new pair (or the admin's new public
// key), config re-sealed, old set archived, switched atomically. Shows old and new fingerprints and
// the new public key to paste into the portal. The folder is read as it is: a missing or moved
// folder is said in plain words with the ways out (locate it, or write a new one).
import { h, uid } from '../dom';
import { button, copyValue, header, kv, notice, section } from '../ui';
import { toProblem } from '../api/core';
import { loadSettings, saveConnection, setAdPassword } from '../api/profile';
import { cancelKeygen, pickAgentFolder, rotateKeys, type KeygenProgress, type RotationReport } from '../api/keys';
import { draftFromSaved } from '../draft';
import type { SavedConnection } from '../types';
import { forWindow, plainInput, progressView, sizeSelect } from './keys-widgets';
import { checkFolder, folderOf, folderProblemText, generationDate } from './folder-state';
import { rotatedConnections } from '../session';
import { localTime } from '../format';
import type { Screen, ScreenContext } from './types';

interface State {
  report: RotationReport | null;
  running: boolean;
  progress: KeygenProgress | null;
  bits: number | null;
  pem: string;
  forId: string | null;
  /** The last rotation was cancelled (nothing changed): said once on the form. */
  cancelled: boolean;
  locate: string;
  /** The saved connection as the app updated it after a rotation (new key, dates). */
  fresh: SavedConnection | null;
}
const st: State = { report: null, running: false, progress: null, bits: null, pem: '', forId: null, cancelled: false, locate: '', fresh: null };

/** Forget the shown result (a second rotation starts from the form, issue 14 bug 1). */
export function resetRotation(): void {
  if (st.running) return;
  st.report = null;
  st.cancelled = false;
  st.bits = null;
  st.pem = '';
}

async function rotate(ctx: ScreenContext, id: string, passphrase: string, password: string): Promise<void> {
  st.running = true;
  st.progress = null;
  st.cancelled = false;
  await ctx.rerender('#keygen-cancel');
  try {
    if (password) await setAdPassword(password);
    st.report = await rotateKeys(id, { bits: st.bits, passphrase, publicKeyPem: st.pem }, (p) => {
      st.progress = p;
      const el = document.querySelector('.keygen-progress');
      if (el) el.replaceWith(progressView(p, () => void cancelKeygen(), 'Rotating: generating'));
    });
    st.pem = '';
    st.fresh = (await loadSettings()).connections.find((c) => c.id === id) ?? null;
    rotatedConnections.add(id);
    ctx.problem(null);
    ctx.toast('Keys rotated');
  } catch (e) {
    const p = toProblem(e);
    if (p.code === 'keys.cancelled') {
      st.cancelled = true;
      ctx.toast('Rotation cancelled: nothing changed');
    } else ctx.problem(forWindow(p));
  } finally {
    st.running = false;
    await ctx.rerender('h1');
  }
}

/** Point the saved connection at the folder where it is now, after reading it there. */
async function relocate(ctx: ScreenContext, t: SavedConnection, dir: string): Promise<void> {
  const found = await checkFolder({ agent_folder: dir, agent_key: t.connection.agent_key });
  if (found.state === 'missing') {
    ctx.problem({ code: found.problem.code, message: `No agent folder was found at ${dir}.`, hint: 'Pick the folder that holds publicKey.pem and config.jwe.' });
    return;
  }
  if (found.state === 'none') return;
  const draft = draftFromSaved(t.connection, ctx.info);
  draft.agent_folder = found.status.dir || dir;
  draft.agent_key = { fingerprint: found.status.fingerprint, bits: found.status.bits, origin: found.status.origin };
  try {
    const saved = await saveConnection(t.id, draft, t.complete, t.ldap_check ?? null, t.exchange_check ?? null);
    ctx.problem(null);
    ctx.toast(`Agent folder found at ${draft.agent_folder}`);
    st.locate = '';
    await ctx.rotate(saved);
  } catch (e) {
    ctx.problem(toProblem(e));
  }
}

function missingView(ctx: ScreenContext, t: SavedConnection, head: HTMLElement, title: string, detail: string, osText: string): HTMLElement {
  const input = plainInput('Where the agent folder is now', { value: st.locate, mono: true, onInput: (v) => { st.locate = v; } });
  input.input.id = 'locate-folder';
  return h('div', null, head,
    h('div', { 'data-folder': 'missing' }, notice('warning', title, detail)),
    section('Locate the folder',
      input.el,
      h('div', { class: 'inline-actions' },
        button('Choose folder…', 'btn btn-secondary btn-small', async () => {
          try {
            const f = await pickAgentFolder();
            if (f) {
              st.locate = f;
              input.input.value = f;
            }
          } catch (e) {
            ctx.problem(toProblem(e));
          }
        }),
        button('Use this folder', 'btn btn-primary', () => relocate(ctx, t, st.locate.trim()), { id: 'locate-use' }))),
    section('Or write a new agent folder',
      h('p', null, 'Opens the connection at the Key pair step: a new key pair, then Create writes a new folder. Paste the new public key into the portal afterwards.'),
      button('Write a new agent folder', 'btn btn-secondary', async () => {
        await ctx.open(t);
        await ctx.goto('keypair');
      }, { id: 'new-folder' })),
    osText ? h('p', { class: 'fineprint' }, `What the system reported: ${osText}`) : null);
}

export const screen: Screen = {
  id: 'rotate',
  footer: 'back',
  async render(ctx) {
    const t = st.fresh && st.fresh.id === ctx.rotateTarget?.id ? st.fresh : ctx.rotateTarget;
    const head = header(ctx, 'Rotate keys', 'A new key pair is created, the agent\'s config is re-encrypted to it and the old pair is archived. The switch is atomic: the agent folder is never left half-changed.');
    if (!t) return h('div', null, head, notice('warning', 'No connection chosen', 'Go back and pick a saved connection.'));
    if (st.forId !== t.id) {
      st.forId = t.id;
      resetRotation();
      st.fresh = null;
    }
    if (st.running) return h('div', null, head, section('Rotating', progressView(st.progress, () => void cancelKeygen(), 'Rotating: generating')));
    if (st.report) {
      const r = st.report;
      const again = button('Rotate again', 'btn btn-ghost btn-small', async () => { resetRotation(); await ctx.rerender('h1'); }, { id: 'rotate-again' });
      return h('div', null, head,
        // What changed first: the new public key to paste (issue 11).
        notice('warning', 'Paste the new public key into the Hire2Retire portal', 'Open the On-Premise service connection in the portal, replace the public key with the one below, and save. Until then the portal still uses the old key. Then restart the agent.'),
        section('New key',
          copyValue(ctx, 'New public key', r.public_key_pem, { mono: true, block: true }),
          copyValue(ctx, 'New fingerprint', r.new_fingerprint, { mono: true }),
          kv('Old fingerprint', r.old_fingerprint, true),
          r.archived_to ? kv('Old key and config archived in', r.archived_to, true) : null),
        notice('success', 'Keys rotated', 'The agent folder now holds the new key and config.'),
        h('div', { class: 'inline-actions' },
          st.fresh ? button('Open the portal hand-off', 'btn btn-secondary', async () => {
            const fresh = st.fresh!;
            await ctx.open(fresh);
            await ctx.goto('handoff');
          }, { id: 'rotate-handoff' }) : null,
          again));
    }
    const folder = folderOf(t.connection);
    if (!folder) return h('div', null, head, notice('warning', 'No agent folder yet', 'This connection\'s agent folder has not been written; open the connection and create it first.'));
    const disk = await checkFolder(t.connection);
    if (disk.state === 'missing') {
      const p = folderProblemText(disk)!;
      return missingView(ctx, t, head, p.title, p.detail, disk.problem.message);
    }
    if (disk.state === 'none') return h('div', null, head);
    const status = disk.status;
    const mismatch = disk.state === 'mismatch' || disk.state === 'interrupted' ? folderProblemText(disk) : null;
    let passphrase = '';
    let password = '';
    const rows: (HTMLElement | null)[] = [];
    if (status.origin === 'generated') {
      rows.push(sizeSelect(st.bits ?? status.bits, (b) => { st.bits = b; }, ctx.info.key_sizes, ctx.info.default_bits));
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
      rows.push(plainInput('AD service account password', { type: 'password', size: 'medium', help: 'Asked again: it is kept in this app\'s memory and written only encrypted, into the new config.', onInput: (v) => { password = v; } }).el);
    }
    const since = generationDate(status.generation);
    return h('div', null, head,
      st.cancelled ? h('div', { id: 'rotate-cancelled' }, notice('info', 'Rotation cancelled: nothing changed', `The agent folder still holds key ${status.fingerprint}.`)) : null,
      mismatch ? h('div', { 'data-folder': disk.state }, notice('warning', mismatch.title, mismatch.detail)) : null,
      section('Connection',
        kv('Name', t.connection.name),
        kv('Agent folder', folder, true),
        copyValue(ctx, 'Current fingerprint', status.fingerprint, { mono: true }),
        status.public_key_pem ? copyValue(ctx, 'Current public key', status.public_key_pem, { mono: true, block: true }) : null,
        kv('Size', `${status.bits} bits`),
        status.key_written_at ? kv('Key written', localTime(status.key_written_at)) : since ? kv('Key in place since', localTime(since)) : null,
        status.last_changed_at ? kv('Last rotated', localTime(status.last_changed_at)) : null,
        status.archive_dir ? kv('Replaced sets kept in', status.archive_dir, true) : null,
        status.archived.length ? kv('Archived key sets', String(status.archived.length)) : null),
      section('New key', ...rows,
        h('div', { class: 'inline-actions' }, button('Rotate keys', 'btn btn-primary', () => rotate(ctx, t.id, passphrase, password), { id: 'rotate-keys' }))));
  },
  leave() {
    if (st.running) void cancelKeygen();
    // Coming back (from the start screen) starts a new rotation.
    resetRotation();
    st.forId = null;
    st.fresh = null;
  },
};
