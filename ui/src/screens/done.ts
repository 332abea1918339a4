// Done: what happened, honestly, and what the admin does next.
import { h, icon } from '../dom';
import { header, section, statusItem } from '../ui';
import { openPoints, progressItems } from './progress';
import { checkFolder } from './folder-state';
import type { Screen } from './types';

export const screen: Screen = {
  id: 'done',
  footer: 'back',
  async render(ctx) {
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
    items.push(...progressItems(ctx, hybrid ? await checkFolder(ctx.draft) : undefined));
    // "Everything is in place" only when it is: complete, no warning, nothing skipped.
    const open = openPoints(items);
    const clean = complete && open.warnings === 0 && open.todo === 0;
    const title = clean ? 'Connection ready' : complete ? 'Connection created, with open points' : 'Finished for now';
    const lead = clean
      ? 'Everything is in place. Finish the connection in the Hire2Retire portal.'
      : complete
        ? `The connection is saved as complete, but ${[open.warnings ? `${open.warnings} check${open.warnings === 1 ? '' : 's'} passed with warnings` : '', open.todo ? `${open.todo} step${open.todo === 1 ? ' is' : 's are'} not done` : ''].filter(Boolean).join(' and ')}: read them below before you rely on it.`
        : 'Here is what has been done and what is still open.';
    return h('div', null,
      header(ctx, title, lead),
      section(null, h('ul', { class: 'status-list' }, items)),
      section('Next in the Hire2Retire portal',
        hybrid
          ? h('ol', { class: 'bullets' },
            h('li', null, 'The On-Premise service connection with the values of the Portal hand-off step (each has a Copy button), then "Link account".'),
            h('li', null, 'Start the on-prem agent with the commands of the Agent setup step.'),
            h('li', null, 'Create the Exchange Online connection with its service account.'))
          : h('ol', { class: 'bullets' },
            h('li', null, 'Create the connection with the values from the summary (each has a Copy button).'),
            h('li', null, 'Choose "Link account" and complete the sign-in the portal asks for.'),
            h('li', null, 'Create the Exchange Online connection with its service account.'))),
      h('div', { class: 'inline-actions' }, home, hybrid ? h('span', { class: 'fineprint' }, icon('lock'), ' The password typed in this session is forgotten when the app closes.') : null));
  },
};
