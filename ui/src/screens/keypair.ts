// Key pair (placeholder until key generation lands, issue 3).
import { h } from '../dom';
import { header, section, unavailable, kv } from '../ui';
import { KEYS_AVAILABLE } from '../api/keys';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'keypair',
  // Next is allowed so the rest of the wizard can be reviewed; the summary and done screens
  // say that no key pair exists, and nothing is created without one.
  skipped: () => !KEYS_AVAILABLE,
  nextLabel: () => 'Continue without a key pair',
  render(ctx) {
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
  },
};
