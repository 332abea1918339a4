// Create (issue 3): write the agent folder — privateKey.pem (if generated) and config.jwe sealing
// the connection profile and the AD service account's password, asked for here and kept in
// memory only — then save the connection as complete.
import { h } from '../dom';
import { button, copyValue, header, kv, notice, section, table } from '../ui';
import { toProblem } from '../api/core';
import { adPasswordStatus, saveConnection, setAdPassword } from '../api/profile';

import { cancelKeygen, createAgentFolder, pendingKey, pickAgentFolder, type FolderInfo } from '../api/keys';
import { forWindow, plainInput } from './keys-widgets';
import { checkFolder, folderOf, folderProblemText } from './folder-state';

import type { Screen, ScreenContext } from './types';
import { exchangeCheckRecord, ldapCheckRecord } from '../session';

interface State { folder: string; created: FolderInfo | null; exists: boolean; draft: object | null; writing: boolean; passphrase: boolean; cancelling: boolean }
const st: State = { folder: '', created: null, exists: false, draft: null, writing: false, passphrase: false, cancelling: false };

/** This step's state belongs to one draft: a new or reopened connection starts afresh. */
function own(ctx: ScreenContext): void {
  if (st.draft !== ctx.draft) {
    st.draft = ctx.draft;
    st.created = null;
    st.exists = false;
    st.folder = '';
  }
}

/** A reopened complete connection whose folder was written before this session. */
function alreadyWritten(ctx: ScreenContext): boolean {
  return !st.created && !!ctx.saved?.complete && !!folderOf(ctx.draft);
}

async function writtenView(ctx: ScreenContext, head: HTMLElement): Promise<HTMLElement> {
  const disk = await checkFolder(ctx.draft);
  const rotateBtn = button('Rotate keys…', 'btn btn-secondary', () => ctx.rotate(ctx.saved!), { id: 'goto-rotate' });
  const pwBtn = button('Change the AD password…', 'btn btn-secondary', () => ctx.tool('change-password', ctx.saved!), { id: 'goto-password' });
  if (disk.state === 'ok') {
    return h('div', null, head,
      notice('success', 'The agent folder is written', `${disk.dir} holds key ${disk.status.fingerprint} and the config sealed to it.`),
      section('Agent folder (as it is on disk)',
        kv('Folder', disk.dir, true),
        copyValue(ctx, 'Fingerprint (key ID)', disk.status.fingerprint, { mono: true }),
        kv('Size', `${disk.status.bits} bits`),
        disk.status.archived.length ? kv('Archived key sets', String(disk.status.archived.length)) : null),
      section('Change something',
        h('p', null, 'A new key: Rotate keys. The service account\'s password changed: Change the AD password (the key stays).'),
        h('div', { class: 'inline-actions' }, rotateBtn, pwBtn)));
  }
  const p = folderProblemText(disk);
  return h('div', null, head,
    h('div', { 'data-folder': disk.state }, notice('warning', p?.title ?? 'The agent folder cannot be read', p?.detail ?? '')),
    h('div', { class: 'inline-actions' }, button('Locate the folder or write a new one…', 'btn btn-primary', () => ctx.rotate(ctx.saved!), { id: 'goto-rotate' })));
}

const PURPOSE: Record<string, string> = {
  'privateKey.pem': 'The agent\'s private key (owner-only permissions). Copy it to the agent host; never share it.',
  'publicKey.pem': 'The public key you paste into the Hire2Retire portal (not secret).',
  'config.jwe': 'The agent\'s configuration with the service account\'s password, encrypted to the public key.',
};

/** Every file the Create step wrote, with what it is for (publicKey.pem included). */
function writtenFiles(c: FolderInfo): HTMLElement {
  const sep = c.dir.includes('\\') && !c.dir.includes('/') ? '\\' : '/';
  const files = c.written?.length ? [...c.written] : [...c.agent_files];
  const pub = `${c.dir.replace(/[\\/]+$/, '')}${sep}publicKey.pem`;
  if (!files.some((f) => f.endsWith('publicKey.pem'))) files.splice(Math.max(0, files.length - 1), 0, pub);
  return table('Files written', ['File', 'What it is'], files.map((f) => {
    const base = f.split(/[\\/]/).pop() ?? f;
    return [h('span', { class: 'mono', style: 'overflow-wrap: anywhere;' }, f), PURPOSE[base] ?? ''];
  }), 'files-written');
}

function filesTable(): HTMLElement {
  return section('What will be written',
    table('Files in the agent folder', ['File', 'Contents'], [
      [h('span', { class: 'mono' }, 'privateKey.pem'), 'The agent\'s private key (owner-only permissions, optional passphrase). Not written when you used your own public key.'],
      [h('span', { class: 'mono' }, 'publicKey.pem'), 'The public key you paste into the Hire2Retire portal.'],
      [h('span', { class: 'mono' }, 'config.jwe'), 'The agent\'s configuration, including the service account\'s password, encrypted to the public key.'],
    ]));
}

async function create(ctx: ScreenContext, password: string, passphrase: string, again: string, replace: boolean): Promise<void> {
  if (passphrase !== again) {
    ctx.problem({ code: 'keys.passphrase_mismatch', message: 'The two passphrases differ.', hint: 'Type the same passphrase twice, or leave both empty.' });
    return;
  }
  st.writing = true;
  st.cancelling = false;
  st.passphrase = !!passphrase;
  await ctx.rerender('#create-progress');
  try {
    if (password) await setAdPassword(password);
    const info = await createAgentFolder(ctx.draft, st.folder.trim(), passphrase || null, replace);
    st.created = info;
    st.exists = false;
    ctx.draft.agent_folder = info.connection?.agent_folder ?? info.dir;
    ctx.draft.agent_key = info.connection?.agent_key ?? { fingerprint: info.fingerprint, bits: info.bits, origin: info.origin };
    ctx.setSaved(await saveConnection(ctx.saved?.id ?? null, ctx.draft, true, ldapCheckRecord(ctx.draft, ctx.saved), exchangeCheckRecord(ctx.draft, ctx.saved)));
    ctx.problem(null);
    ctx.toast('Agent folder written');
  } catch (e) {
    const p = toProblem(e);
    st.exists = p.code === 'keys.exists';
    if (p.code === 'keys.cancelled') {
      ctx.problem(null);
      ctx.toast('Cancelled: the folder was not changed');
    } else {
      ctx.problem(forWindow(p));
    }
  } finally {
    st.writing = false;
    st.cancelling = false;
  }
  ctx.changed();
  await ctx.rerender('h1');
}

export const screen: Screen = {
  id: 'create',
  // Continuing without creating is allowed (the connection stays a draft; done says so).
  skipped: (ctx) => st.created === null && !alreadyWritten(ctx),
  ready: () => !st.writing,
  notReadyText: () => 'Writing the agent folder…',
  nextLabel: (ctx) => (st.created || alreadyWritten(ctx) ? 'Next' : 'Continue without creating'),
  async render(ctx) {
    own(ctx);
    const head = header(ctx, 'Create the agent folder', 'Choose the folder the on-prem agent will mount at /config. The wizard writes the private key and the encrypted config into it, then saves the connection as complete.');
    if (st.created) {
      const c = st.created;
      return h('div', null, head,
        notice('success', 'Agent folder written', `${c.dir} holds what the agent needs.`),
        ...(c.warnings ?? []).map((w) => notice('warning', w)),
        section('Agent folder',
          writtenFiles(c),
          copyValue(ctx, 'Fingerprint (key ID)', c.fingerprint, { mono: true }),
          copyValue(ctx, 'Public key (paste into the Hire2Retire portal)', c.public_key_pem, { mono: true, block: true })),
        notice('info', 'Paste the public key into the portal', 'In the Hire2Retire portal, open the On-Premise service connection and paste the public key above.'));
    }
    if (st.writing) {
      return h('div', null, head, section('Writing the agent folder',
        h('div', { class: 'keygen-progress', role: 'status', 'aria-live': 'polite', id: 'create-progress', tabindex: '-1' },
          h('p', null, `Writing privateKey.pem, publicKey.pem and config.jwe into ${st.folder.trim()}…`),
          h('progress', { 'aria-label': 'Writing the agent folder' }),
          h('p', { class: 'help' }, st.passphrase
            ? 'Protecting the private key with your passphrase takes a few seconds (600 000 key-derivation rounds). The window stays usable; the write is atomic, so it finishes or leaves nothing half-written.'
            : 'The write is atomic: it finishes or leaves nothing half-written.'),
          h('p', { class: 'help' }, st.cancelling
            ? 'Cancelling: the key protection finishes, then the folder is left as it was.'
            : 'Cancel changes nothing: it takes effect before the folder is written.'),
          button(st.cancelling ? 'Cancelling…' : 'Cancel', 'btn btn-secondary', async () => {
            st.cancelling = true;
            await cancelKeygen().catch(() => undefined);
            await ctx.rerender('#create-cancel');
          }, { id: 'create-cancel', disabled: st.cancelling }))));
    }
    if (alreadyWritten(ctx)) return writtenView(ctx, head);
    let key = null;
    try {
      key = await pendingKey();
    } catch {
      key = null;
    }
    if (!key) {
      return h('div', null, head,
        notice('warning', 'No key pair', 'Go back to the Key pair step and generate a key pair or use your public key.'),
        button('Go to Key pair', 'btn btn-secondary', () => ctx.goto('keypair')));
    }
    const hasPassword = await adPasswordStatus().catch(() => false);
    let password = '';
    let passphrase = '';
    let again = '';
    const folder = plainInput('Agent folder', { value: st.folder, mono: true, help: 'A new or empty folder. It gets owner-only permissions.', onInput: (v) => { st.folder = v; } });
    const pw = plainInput(hasPassword ? 'AD service account password (already entered; type to replace)' : 'AD service account password', {
      type: 'password', size: 'medium', help: 'Kept in this app\'s memory and written only encrypted, into config.jwe for the agent; never into settings or logs.', onInput: (v) => { password = v; },
    });
    const pp = plainInput('Passphrase for privateKey.pem (optional)', { type: 'password', size: 'medium', help: 'If set, the agent needs it to read its key. Leave empty for an unattended agent.', onInput: (v) => { passphrase = v; } });
    const pp2 = plainInput('Passphrase again', { type: 'password', size: 'medium', onInput: (v) => { again = v; } });
    const createBtn = button('Create agent config', 'btn btn-primary btn-large', () => create(ctx, password, passphrase, again, false), { id: 'create-agent' });
    return h('div', null, head,
      section(null,
        h('p', { class: 'muted create-key' }, `Sealing to key ${key.fingerprint} (${key.bits} bits, ${key.origin === 'generated' ? 'generated on this computer' : 'your public key'}).`),
        h('div', { class: 'folder-row' }, folder.el,
          button('Choose folder…', 'btn btn-small btn-secondary', async () => {
            try {
              const f = await pickAgentFolder();
              if (f) {
                st.folder = f;
                folder.input.value = f;
              }
            } catch (e) {
              ctx.problem(toProblem(e));
            }
          })),
        pw.el,
        key.origin === 'generated'
          ? h('details', { class: 'passphrase-box' }, h('summary', null, 'Protect privateKey.pem with a passphrase (optional)'), pp.el, pp2.el)
          : null,
        h('div', { class: 'inline-actions' },
          createBtn,
          st.exists ? button('Replace the existing set (the old one is archived)', 'btn btn-secondary', () => create(ctx, password, passphrase, again, true)) : null)),
      filesTable());
  },
};
