// The "Network" disclosure (issue 9): one field, the proxy Microsoft sign-in, Graph and Exchange
// Online go through. Self-contained (own load and save), mounted by the sign-in, certificate
// check and Exchange Online steps. The value is a setting of this computer, saved at once; an
// address with a user name or password is refused by the core and never saved.
import { h, uid } from './dom';
import { networkSettings, setProxy } from './api/network';
import { toProblem } from './api/core';

const SYSTEM = 'this computer\'s proxy settings';

export function networkDisclosure(): HTMLElement {
  const id = uid('network-proxy');
  const msgId = `${id}-msg`;
  const helpId = `${id}-help`;
  let saved = '';
  const input = h('input', {
    id,
    type: 'text',
    class: 'input mono size-medium',
    placeholder: 'http://proxy.example.com:3128',
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
    inputmode: 'url',
    'aria-describedby': `${msgId} ${helpId}`,
    'data-path': 'network.proxy',
  });
  const msg = h('div', { id: msgId, class: 'field-msg', 'aria-live': 'polite' });
  const state = h('span', { class: 'network-state' }, SYSTEM);
  const field = h('div', { class: 'field' },
    h('label', { for: id, class: 'label' }, 'Proxy for Microsoft sign-in and Exchange Online'),
    input,
    msg,
    h('p', { id: helpId, class: 'help' },
      'Leave empty to use ', SYSTEM, ' (on Windows and macOS the system proxy, elsewhere the HTTPS_PROXY and NO_PROXY variables). ',
      'Type http://host:port only when Microsoft cannot be reached otherwise. The address is saved on this computer; one with a user name or password is not accepted.'));

  const show = (value: string) => {
    saved = value;
    input.value = value;
    state.textContent = value ? `through ${value}` : SYSTEM;
  };

  async function save(): Promise<void> {
    const value = input.value.trim();
    if (value === saved) return;
    try {
      const n = await setProxy(value);
      show(n.proxy ?? '');
      field.classList.remove('has-error');
      input.removeAttribute('aria-invalid');
      msg.textContent = value ? 'Saved: sign-in and checks now go through this proxy.' : `Saved: sign-in and checks use ${SYSTEM}.`;
    } catch (e) {
      const p = toProblem(e);
      field.classList.add('has-error');
      input.setAttribute('aria-invalid', 'true');
      msg.textContent = p.hint ? `${p.message} ${p.hint}` : p.message;
    }
  }

  input.addEventListener('blur', () => { void save(); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void save();
    }
  });

  void networkSettings().then((n) => show(n.proxy ?? '')).catch(() => { /* the screen's own load reports settings problems */ });

  return h('details', { class: 'network' },
    h('summary', null, 'Network: ', state),
    field);
}
