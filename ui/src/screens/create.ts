// Create (placeholder until issue 3): write the agent folder. Nothing is written before this step.
import { h } from '../dom';
import { header, section, unavailable, table } from '../ui';
import { KEYS_AVAILABLE } from '../api/keys';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'create',
  // Next is allowed so the agent instructions can be read; they say the folder was not written.
  skipped: () => !KEYS_AVAILABLE,
  nextLabel: () => 'Continue without creating',
  render(ctx) {
    return h('div', null,
      header(ctx, 'Create the agent folder', 'This step writes the folder the on-prem agent mounts at /config, then saves the connection as complete.'),
      unavailable('Writing the agent folder', 'Nothing has been written. Use "Save draft" on the summary to keep your settings until this build can create the folder.'),
      section('What will be written',
        table('Files in the agent folder', ['File', 'Contents'], [
          [h('span', { class: 'mono' }, 'privateKey.pem'), 'The agent\'s private key (owner-only permissions, optional passphrase).'],
          [h('span', { class: 'mono' }, 'publicKey.pem'), 'The public key you paste into the Hire2Retire portal.'],
          [h('span', { class: 'mono' }, 'config.jwe'), 'The agent\'s configuration, including the service account\'s password, encrypted to the public key.'],
        ])));
  },
};
