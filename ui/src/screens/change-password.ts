// Change the AD service account's password of a saved hybrid connection (issue 14): the new
// password is checked by a bind against every domain controller first (with the connection's
// trust settings), then re-sealed into config.jwe with the current key. A wrong password changes
// nothing on disk. The agent's restart is the only step left.
import { h } from '../dom';
import { button, copyValue, header, kv, notice, section } from '../ui';
import { toProblem } from '../api/core';
import { setAdPassword } from '../api/profile';
import { changeAdPassword, type PasswordChange } from '../api/keys';
import { containerName } from '../api/agent';
import { ldapCancel, ldapCheck, STAGE_LABEL, type CheckReport } from '../api/ldap';
import { draftFromSaved } from '../draft';
import { forWindow, plainInput } from './keys-widgets';
import { checkFolder, folderOf, folderProblemText } from './folder-state';

import type { Screen, ScreenContext } from './types';
import { localTime } from '../format';

interface State { running: boolean; stage: string; done: PasswordChange | null; failed: CheckReport | null; forId: string | null }
const st: State = { running: false, stage: '', done: null, failed: null, forId: null };

async function change(ctx: ScreenContext, password: string, again: string, passphrase: string): Promise<void> {
  const t = ctx.rotateTarget;
  if (!t) return;
  if (!password) {
    ctx.problem({ code: 'secrets.no_ad_password', message: 'Type the new password.', hint: 'It is checked against the domain controllers before anything is changed.' });
    return;
  }
  if (password !== again) {
    ctx.problem({ code: 'secrets.password_mismatch', message: 'The two passwords differ.', hint: 'Type the same new password twice.' });
    return;
  }
  ctx.problem(null);
  st.running = true;
  st.failed = null;
  st.stage = 'Checking the new password against the domain controllers…';
  await ctx.rerender('#password-cancel');
  try {
    await setAdPassword(password);
    // The bind check first, with progress and Cancel; nothing on disk changes unless it passes.
    const report = await ldapCheck(draftFromSaved(t.connection, ctx.info), (p) => {
      if (p.event === 'stage') {
        st.stage = `${p.host}: ${STAGE_LABEL[p.stage]}…`;
        const el = document.querySelector('#password-stage');
        if (el) el.textContent = st.stage;
      }
    });
    if (!report.ok) {
      st.failed = report;
      return;
    }
    st.stage = 'Sealing the new password into config.jwe…';
    const el = document.querySelector('#password-stage');
    if (el) el.textContent = st.stage;
    st.done = await changeAdPassword(t.id, passphrase);
    ctx.toast('AD password changed in the agent config');
  } catch (e) {
    const p = toProblem(e);
    if (p.code === 'ldap.cancelled') ctx.toast('Cancelled: nothing changed');
    else ctx.problem(forWindow(p));
  } finally {
    st.running = false;
    await ctx.rerender('h1');
  }
}

export const screen: Screen = {
  id: 'change-password',
  footer: 'back',
  async render(ctx) {
    const t = ctx.rotateTarget;
    const head = header(ctx, 'Change the AD password', 'When the service account\'s password has changed in Active Directory: the new one is checked against your domain controllers, then sealed into the agent\'s config with the current key. The key and the portal stay as they are.');
    if (!t) return h('div', null, head, notice('warning', 'No connection chosen', 'Go back and pick a saved connection.'));
    if (st.forId !== t.id) {
      st.forId = t.id;
      st.done = null;
      st.failed = null;
    }
    const name = t.connection.service_account ?? 'the service account';
    if (st.running) {
      return h('div', null, head, section('Working',
        h('div', { class: 'keygen-progress', role: 'status', 'aria-live': 'polite' },
          h('p', { id: 'password-stage' }, st.stage), h('progress', { 'aria-label': 'Changing the password' }),
          button('Cancel', 'btn btn-secondary', () => { void ldapCancel().catch(() => undefined); }, { id: 'password-cancel' }))));
    }
    if (st.done) {
      const d = st.done;
      return h('div', null, head,
        notice('success', 'The new password is sealed into the agent\'s config', `${d.dir}/config.jwe now holds the new password, sealed to key ${d.fingerprint} (${localTime(d.changed_at)}).`),
        section('One step left: restart the agent',
          h('p', null, d.next_step ?? 'The agent reads its config when it starts. On the agent host, copy the new config.jwe into the folder mounted at /config, then restart the agent:'),
          ...(d.warnings ?? []).map((w) => notice('warning', w)),
          copyValue(ctx, 'Docker', `sudo docker restart ${containerName(t.connection.name)}`, { mono: true }),
          copyValue(ctx, 'Azure Container Instances', `az container restart --resource-group __FROM_AZURE_RESOURCE_GROUP__ --name ${containerName(t.connection.name)}`, { mono: true }),
          h('p', { class: 'muted' }, '__FROM_AZURE_RESOURCE_GROUP__: the resource group you created the container in.'),
          h('p', { class: 'muted' }, 'Nothing changes in the Hire2Retire portal: the public key is the same.')));
    }
    const dir = folderOf(t.connection);
    const disk = await checkFolder(t.connection);
    if (!dir || disk.state !== 'ok') {
      const p = folderProblemText(disk);
      return h('div', null, head, notice('warning', p?.title ?? 'No agent folder yet', p?.detail ?? 'This connection\'s agent folder has not been written; open the connection and create it first.'));
    }
    let password = '';
    let again = '';
    let passphrase = '';
    const pw = plainInput(`New password of ${name}`, { type: 'password', size: 'medium', help: 'Kept in this app\'s memory and written only encrypted, into config.jwe.', onInput: (v) => { password = v; } });
    pw.input.id = 'new-password';
    const pw2 = plainInput('New password again', { type: 'password', size: 'medium', onInput: (v) => { again = v; } });
    pw2.input.id = 'new-password-again';
    const pp = disk.status.passphrase_protected
      ? plainInput('Passphrase of privateKey.pem', { type: 'password', size: 'medium', help: 'Needed to open the current config.', onInput: (v) => { passphrase = v; } }).el
      : null;
    const failed = st.failed
      ? h('div', { id: 'password-failed' }, notice('warning', 'The new password did not work: nothing was changed.',
        st.failed.endpoints.filter((e) => !e.ok).map((e) => `${e.host}: ${e.message}`).join(' ') || 'No domain controller accepted it.'))
      : null;
    return h('div', null, head,
      failed,
      section(null,
        kv('Connection', t.connection.name),
        kv('Agent folder', dir, true),
        kv('Key', `${disk.status.fingerprint} (${disk.status.bits} bits)`, true),
        pw.el, pw2.el, pp,
        h('div', { class: 'inline-actions' },
          button('Check and change the password', 'btn btn-primary', () => change(ctx, password, again, passphrase), { id: 'change-password' }))));
  },
  leave() {
    if (st.running) void ldapCancel().catch(() => undefined);
    st.forId = null;
  },
};
