// Test connection (placeholder until the LDAP checks land, issue 4). The AD password is asked
// here and handed to the app's memory (never saved). Nothing is tested and nothing pretends to be.
import { h } from '../dom';
import { textField } from '../fields';
import { hostsOf } from '../draft';
import { toProblem } from '../api/core';
import { adPasswordStatus, setAdPassword, clearAdPassword } from '../api/profile';
import { header, section, table, unavailable } from '../ui';
import { LDAP_AVAILABLE } from '../api/ldap';
import type { Screen } from './types';

let password = '';

export const screen: Screen = {
  id: 'ldap-test',
  // Next is allowed: the check is not available in this build, and the summary says the
  // domain controllers were not tested. Issue 4 turns this into "passed or explicitly skipped".
  skipped: () => !LDAP_AVAILABLE,
  nextLabel: () => 'Continue without testing',
  async render(ctx) {
    const dcs = ctx.draft.domain_controllers ?? [];
    const held = await adPasswordStatus().catch(() => false);
    const rows = dcs.map((dc, i) => [
      `Domain controller ${i + 1}`,
      h('span', { class: 'mono' }, hostsOf(dc.hosts).join(', ') || '—'),
      h('span', { class: 'mono' }, dc.port),
      h('span', { class: 'badge badge-muted' }, 'Not tested'),
    ]);
    return h('div', null,
      header(ctx, 'Test the connection', 'The wizard signs in to every domain controller over LDAPS with the service account, to prove the values before anything is created.'),
      unavailable('Testing domain controllers', 'Nothing has been checked: the values you entered are unverified. You can continue; the summary will show that the test was not run.'),
      section('Service account password',
        textField(ctx, { path: 'secrets.ad_password', label: `Password of ${ctx.draft.service_account || 'the service account'}`, type: 'password', size: 'medium',
          autocomplete: 'off',
          help: held
            ? 'A password entered earlier is held in memory for this session. Type it again only to replace it. It is never written to disk or logs.'
            : 'Kept in this app\'s memory only, never written to disk or logs. It is sealed into the agent\'s encrypted config when the agent folder is created.',
          get: () => password, set: (v) => { password = v; },
          onBlur: async (v) => {
            try {
              await setAdPassword(v);
            } catch (e) {
              ctx.problem(toProblem(e));
            }
          } })),
      section('Domain controllers', table('Domain controllers to test', ['', 'Host(s)', 'Port', 'Result'], rows)));
  },
  leave() {
    // The JS copy is dropped as soon as the screen is left; the app keeps its own copy.
    if (password) {
      const v = password;
      password = '';
      void setAdPassword(v).catch(() => undefined);
    }
  },
};

/** Forget the password everywhere (used when a new connection is started). */
export async function forgetPassword(): Promise<void> {
  password = '';
  await clearAdPassword().catch(() => undefined);
}
