// Shared pieces of the key pair, create and rotate screens (issue 3).
import { h, uid } from '../dom';
import { button, copyValue, kv, section } from '../ui';
import type { KeyInfo, KeygenProgress } from '../api/keys';
import type { ScreenContext } from './types';
import type { Problem } from '../types';

/** A plain input outside the draft (passwords and passphrases never go into the draft). */
export function plainInput(label: string, opts: { type?: string; value?: string; help?: string; mono?: boolean; size?: string; onInput(v: string): void }): { el: HTMLElement; input: HTMLInputElement } {
  const id = uid('keys');
  const i = h('input', { id, type: opts.type ?? 'text', class: `input size-${opts.size ?? 'full'}${opts.mono ? ' mono' : ''}`, autocomplete: opts.type === 'password' ? 'new-password' : 'off', spellcheck: 'false' }) as HTMLInputElement;
  i.value = opts.value ?? '';
  i.addEventListener('input', () => opts.onInput(i.value));
  return { el: h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, label), i, opts.help ? h('p', { class: 'help' }, opts.help) : null), input: i };
}

/** The key sizes and the recommended one come from the core (app_info: key_sizes, default_bits). */
export function sizeSelect(value: number, onChange: (bits: number) => void, sizes: readonly number[], recommended: number): HTMLElement {
  const id = uid('bits');
  const sel = h('select', { id, class: 'input size-medium' }, sizes.map((b) => h('option', { value: String(b) }, b === recommended ? `${b} bits (recommended)` : `${b} bits`))) as HTMLSelectElement;
  sel.value = String(value);
  sel.addEventListener('change', () => onChange(+sel.value));
  return h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, 'Key size'), sel,
    h('p', { class: 'help' }, `Larger keys take longer to generate: ${Math.max(...sizes)} bits can take several seconds or more, depending on this computer.`));
}

/**
 * Progress of a key generation. Prime search has no true percentage and its time varies a lot
 * between runs and computers, so the bar is indeterminate and only the elapsed time is shown
 * (no "usually about …" estimate that a slow machine makes untrue).
 */
export function progressView(p: KeygenProgress | null, onCancel: () => void, what = 'Generating'): HTMLElement {
  const bar = h('progress', { 'aria-label': 'Generating the key pair' });
  return h('div', { class: 'keygen-progress', role: 'status', 'aria-live': 'polite' },
    h('p', null, `${what} a ${p?.bits ? `${p.bits}-bit ` : ''}RSA key pair on this computer…`), bar,
    h('p', { class: 'help' }, p ? `${(p.elapsed_ms / 1000).toFixed(1)} s so far. Larger keys can take much longer; Cancel changes nothing.` : 'Starting…'),
    button('Cancel', 'btn btn-secondary', onCancel, { id: 'keygen-cancel' }));
}

/**
 * Hints written for the command line (flags, `subcommands`) in the window's words. The core's
 * message stays; only a hint that names a CLI flag or command is replaced.
 */
const WINDOW_HINTS: Record<string, string> = {
  'keys.exists': 'This folder already holds an agent key. Choose "Replace the existing set" (the old set is archived), pick an empty folder, or use Rotate keys on the start screen for a connection in use.',
  'keys.passphrase_required': 'Type the passphrase of privateKey.pem.',
  'keys.passphrase_file': 'Type the passphrase of privateKey.pem.',
};
export function forWindow(p: Problem): Problem {
  const cli = /`[a-z][a-z -]*`|(^|\s)--[a-z]/.test(p.hint);
  if (WINDOW_HINTS[p.code] && (cli || p.code === 'keys.exists')) return { ...p, hint: WINDOW_HINTS[p.code] };
  if (cli) return { ...p, hint: 'Check the values on this screen and try again.' };
  return p;
}

/** The key's public facts: fingerprint (copy), size, origin and the public key (copy). */
export function keySection(ctx: ScreenContext, title: string, key: KeyInfo): HTMLElement {
  return section(title,
    copyValue(ctx, 'Fingerprint (key ID)', key.fingerprint, { mono: true }),
    kv('Size', `${key.bits} bits`),
    kv('Origin', key.origin === 'generated' ? 'Generated on this computer' : 'Your public key (no private key is written)'),
    copyValue(ctx, 'Public key (paste into the Hire2Retire portal)', key.public_key_pem, { mono: true, block: true }));
}
