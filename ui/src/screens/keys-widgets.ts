// Shared pieces of the key pair, create and rotate screens (issue 3).
import { h, uid } from '../dom';
import { copyValue, kv, section } from '../ui';
import type { KeyInfo, KeygenProgress } from '../api/keys';
import type { ScreenContext } from './types';

export function button(label: string, cls: string, onClick: () => Promise<void> | void, opts: { id?: string; disabled?: boolean } = {}): HTMLElement {
  const b = h('button', { type: 'button', class: cls, id: opts.id, disabled: opts.disabled ?? false }, label);
  b.addEventListener('click', async () => {
    b.setAttribute('disabled', '');
    try {
      await onClick();
    } finally {
      b.removeAttribute('disabled');
    }
  });
  return b;
}

/** A plain input outside the draft (passwords and passphrases never go into the draft). */
export function plainInput(label: string, opts: { type?: string; value?: string; help?: string; mono?: boolean; size?: string; onInput(v: string): void }): { el: HTMLElement; input: HTMLInputElement } {
  const id = uid('keys');
  const i = h('input', { id, type: opts.type ?? 'text', class: `input size-${opts.size ?? 'full'}${opts.mono ? ' mono' : ''}`, autocomplete: opts.type === 'password' ? 'new-password' : 'off', spellcheck: 'false' }) as HTMLInputElement;
  i.value = opts.value ?? '';
  i.addEventListener('input', () => opts.onInput(i.value));
  return { el: h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, label), i, opts.help ? h('p', { class: 'help' }, opts.help) : null), input: i };
}

export function sizeSelect(value: number, onChange: (bits: number) => void, sizes: readonly number[]): HTMLElement {
  const id = uid('bits');
  const sel = h('select', { id, class: 'input size-medium' }, sizes.map((b) => h('option', { value: String(b) }, b === 3072 ? '3072 bits (recommended)' : `${b} bits`))) as HTMLSelectElement;
  sel.value = String(value);
  sel.addEventListener('change', () => onChange(+sel.value));
  return h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, 'Key size'), sel,
    h('p', { class: 'help' }, 'Larger keys take longer to generate (4096 bits: a few seconds).'));
}

/** Progress of a key generation: prime search has no true percentage, so elapsed vs typical. */
export function progressView(p: KeygenProgress | null, onCancel: () => void): HTMLElement {
  const pct = p ? Math.min(95, Math.round((p.elapsed_ms / Math.max(1, p.typical_ms)) * 80)) : 0;
  const bar = h('progress', { max: '100', value: String(pct), 'aria-label': 'Generating the key pair' });
  return h('div', { class: 'keygen-progress', role: 'status', 'aria-live': 'polite' },
    h('p', null, `Generating a ${p?.bits ?? ''}-bit RSA key pair on this computer…`), bar,
    h('p', { class: 'help' }, p ? `${(p.elapsed_ms / 1000).toFixed(1)} s (usually about ${(p.typical_ms / 1000).toFixed(1)} s)` : ''),
    button('Cancel', 'btn btn-secondary', onCancel, { id: 'keygen-cancel' }));
}

/** The key's public facts: fingerprint (copy), size, origin and the public key (copy). */
export function keySection(ctx: ScreenContext, title: string, key: KeyInfo): HTMLElement {
  return section(title,
    copyValue(ctx, 'Fingerprint (key ID)', key.fingerprint, { mono: true }),
    kv('Size', `${key.bits} bits`),
    kv('Origin', key.origin === 'generated' ? 'Generated on this computer' : 'Your public key (no private key is written)'),
    copyValue(ctx, 'Public key (paste into the Hire2Retire portal)', key.public_key_pem, { mono: true, block: true }));
}
