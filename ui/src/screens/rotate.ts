// Rotate keys of a saved hybrid connection (placeholder until issue 3).
import { h } from '../dom';
import { header, kv, section, unavailable } from '../ui';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'rotate',
  footer: 'back',
  render(ctx) {
    const t = ctx.rotateTarget;
    const key = (t?.connection.agent_key ?? null) as { fingerprint?: string; bits?: number } | null;
    return h('div', null,
      header(ctx, 'Rotate keys', 'Rotation creates a new key pair, re-encrypts the agent\'s config to it and archives the old pair, without ever leaving the agent folder in a broken state.'),
      unavailable('Rotating keys', 'Nothing has changed: the current key pair and agent config are untouched.'),
      t ? section('Connection',
        kv('Name', t.connection.name),
        kv('Agent folder', typeof t.connection.agent_folder === 'string' ? t.connection.agent_folder : 'Not written yet', true),
        kv('Current key', key?.fingerprint ? `${key.fingerprint} (${key.bits ?? '?'} bits)` : 'No key pair yet', true)) : null);
  },
};
