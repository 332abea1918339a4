// Key pair (issue 3): generate an RSA key pair in the app (progress, Cancel) or use an existing
// public key. The private key stays in the app's memory until the Create step writes it.
import { h, uid } from '../dom';
import { header, kv, notice, section, unavailable } from '../ui';
import { toProblem } from '../api/core';
import {
  KEYS_AVAILABLE, KEY_SIZES, DEFAULT_BITS, cancelKeygen, generateKey, importKey, importKeyFile, pendingKey,
  type KeyInfo, type KeygenProgress,
} from '../api/keys';
import { button, keySection, plainInput, progressView, sizeSelect } from './keys-widgets';
import type { Screen, ScreenContext } from './types';

interface State { key: KeyInfo | null; bits: number; running: boolean; progress: KeygenProgress | null; pem: string; path: string }
const st: State = { key: null, bits: DEFAULT_BITS, running: false, progress: null, pem: '', path: '' };

function useKey(ctx: ScreenContext, key: KeyInfo): void {
  st.key = key;
  ctx.draft.agent_key = { fingerprint: key.fingerprint, bits: key.bits, origin: key.origin };
  ctx.problem(null);
  ctx.changed();
  ctx.refresh();
}

async function generate(ctx: ScreenContext): Promise<void> {
  st.running = true;
  st.progress = null;
  await ctx.rerender('#keygen-cancel');
  try {
    useKey(ctx, await generateKey(st.bits, (p) => {
      st.progress = p;
      const el = document.querySelector('.keygen-progress');
      if (el) el.replaceWith(progressView(p, () => void cancelKeygen()));
    }));
    ctx.toast('Key pair generated');
  } catch (e) {
    const p = toProblem(e);
    if (p.code !== 'keys.cancelled') ctx.problem(p);
  } finally {
    st.running = false;
    await ctx.rerender('h1');
  }
}

function placeholder(ctx: ScreenContext): HTMLElement {
  const key = ctx.draft.agent_key as { fingerprint?: string; bits?: number; origin?: string } | undefined;
  return h('div', null,
    header(ctx, 'Key pair', 'The agent\'s configuration (including the service account\'s password) is encrypted with an RSA public key. The matching private key goes into the agent\'s folder, so only the agent can read its configuration.'),
    unavailable('Generating or importing the key pair', 'No key has been created. The agent folder cannot be written until a key pair exists.'),
    key?.fingerprint
      ? section('Current key', kv('Fingerprint', key.fingerprint, true), kv('Size', `${key.bits ?? '?'} bits`), kv('Origin', key.origin ?? ''))
      : section('What this step will do',
        h('ul', { class: 'bullets' },
          h('li', null, 'Generate the RSA key pair on this computer; the private key never leaves it except into the agent folder.'),
          h('li', null, 'Or use a public key you already have (the private key then stays wherever it is).'),
          h('li', null, 'Optionally protect the private key file with a passphrase.'))));
}

export const screen: Screen = {
  id: 'keypair',
  // Without a key the rest of the wizard can still be reviewed and saved as a draft; the Create
  // step then says that no key pair exists.
  skipped: () => !KEYS_AVAILABLE || st.key === null,
  nextLabel: () => (KEYS_AVAILABLE && st.key ? 'Next' : 'Continue without a key pair'),
  ready: () => !st.running,
  notReadyText: () => 'Generating the key pair…',
  async render(ctx) {
    if (!KEYS_AVAILABLE) return placeholder(ctx);
    const head = header(ctx, 'Key pair', 'The agent\'s configuration (including the service account\'s password) is encrypted to an RSA public key. The matching private key goes into the agent\'s folder, so only the agent can read its configuration.');
    if (st.running) return h('div', null, head, section('Generating', progressView(st.progress, () => void cancelKeygen())));
    if (!st.key) {
      try {
        st.key = await pendingKey();
      } catch {
        st.key = null;
      }
    }
    if (st.key) {
      return h('div', null, head,
        keySection(ctx, 'Key pair ready', st.key),
        notice('info', 'Nothing is written yet', 'The Create step writes the private key and the encrypted config into the agent folder you choose.'),
        h('div', { class: 'inline-actions' },
          button('Generate a new key instead', 'btn btn-ghost btn-small', async () => { st.key = null; delete ctx.draft.agent_key; ctx.changed(); await ctx.rerender('h1'); })));
    }
    const pemId = uid('pem');
    const ta = h('textarea', { id: pemId, class: 'input mono', rows: '6', spellcheck: 'false', placeholder: '-----BEGIN PUBLIC KEY-----' }) as HTMLTextAreaElement;
    ta.value = st.pem;
    ta.addEventListener('input', () => { st.pem = ta.value; });
    const path = plainInput('Or a public key file', { value: st.path, mono: true, onInput: (v) => { st.path = v; } });
    return h('div', null, head,
      section('Generate a key pair (recommended)',
        h('p', null, 'A new RSA key pair is generated on this computer. The private key is written only into the agent folder, with owner-only permissions.'),
        sizeSelect(st.bits, (b) => { st.bits = b; }, KEY_SIZES),
        h('div', { class: 'inline-actions' }, button('Generate key pair', 'btn btn-primary', () => generate(ctx), { id: 'keygen' }))),
      h('details', null, h('summary', null, 'Use a public key you already have'),
        h('p', null, 'The agent config is then sealed to your key and no private key is written: put your own privateKey.pem next to the config in the agent folder.'),
        h('div', { class: 'field' }, h('label', { for: pemId, class: 'label' }, 'Public key (PEM)'), ta),
        button('Use this public key', 'btn btn-secondary', async () => {
          try {
            useKey(ctx, await importKey(st.pem));
            st.pem = '';
          } catch (e) {
            ctx.problem(toProblem(e));
          }
          await ctx.rerender('h1');
        }),
        path.el,
        button('Load key file', 'btn btn-secondary btn-small', async () => {
          try {
            useKey(ctx, await importKeyFile(st.path.trim()));
          } catch (e) {
            ctx.problem(toProblem(e));
          }
          await ctx.rerender('h1');
        })));
  },
  leave() {
    if (st.running) void cancelKeygen();
  },
};
