// Done: what happened, honestly, and what the admin does next.
import { h, icon } from '../dom';
import { header, section, statusItem } from '../ui';
import { KEYS_AVAILABLE } from '../api/keys';
import { IDENTITY_AVAILABLE } from '../api/identity';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'done',
  footer: 'back',
  render(ctx) {
    const saved = ctx.saved;
    const hybrid = ctx.kind === 'hybrid-onprem';
    const complete = saved?.complete === true;
    const home = h('button', { type: 'button', class: 'btn btn-primary', id: 'finish' }, 'Back to start');
    home.addEventListener('click', () => void ctx.home());
    const items: HTMLElement[] = [
      saved
        ? statusItem('ok', `Settings saved as ${complete ? 'a complete connection' : 'a draft'}`, `"${saved.connection.name}" is listed on the start screen. No password or key was saved with it.`)
        : statusItem('todo', 'Not saved', 'Go Back to the summary and choose "Save draft" to keep these settings.'),
    ];
    if (hybrid) {
      items.push(statusItem(KEYS_AVAILABLE ? 'todo' : 'unavailable', 'Agent folder not written', 'Writing the agent folder is not available in this build yet, so the agent cannot start with this connection.'));
    } else {
      items.push(statusItem(IDENTITY_AVAILABLE ? 'todo' : 'unavailable',
        ctx.draft.application?.kind === 'customer-owned' ? 'Certificate credential not checked' : 'Not signed in to Microsoft',
        'This is not available in this build yet, so the connection stays a draft.'));
    }
    return h('div', null,
      header(ctx, complete ? 'Connection ready' : 'Finished for now',
        complete ? 'Everything is in place. Finish the connection in the Hire2Retire portal.' : 'Here is what has been done and what is still open.'),
      section(null, h('ul', { class: 'status-list' }, items)),
      section('Next in the Hire2Retire portal',
        h('ol', { class: 'bullets' },
          h('li', null, 'Create the connection with the values from the summary (each has a Copy button).'),
          h('li', null, hybrid ? 'Start the on-prem agent, then choose "Link account".' : 'Choose "Link account" and complete the sign-in the portal asks for.'),
          h('li', null, 'Create the Exchange Online connection with its service account.'))),
      h('div', { class: 'inline-actions' }, home, hybrid ? h('span', { class: 'fineprint' }, icon('lock'), ' The password typed in this session is forgotten when the app closes.') : null));
  },
};
