// What has really been done for the connection being edited, for the summary and done screens.
// Each area's state is read from the draft (agent_key, agent_folder) or from its screen's
// `skipped()` (true while its check has not passed), never assumed.

import { statusItem, warnItem } from '../ui';
import type { ScreenContext } from './types';
import { folderItems, type FolderCheck } from './folder-state';
import { exchangeCheckRecord, ldapCheckRecord } from '../session';
import { exchangeCheckText, localTime } from '../format';

const notDone = (ctx: ScreenContext, id: string) => ctx.stepSkipped(id);

/** The Exchange Online check (issue 9): passed (when, for which features), did not pass, or not run. */
function exchangeItem(ctx: ScreenContext): HTMLElement {
  const t = exchangeCheckText(exchangeCheckRecord(ctx.draft, ctx.saved));
  const item = statusItem(t.ok ? 'ok' : 'todo', t.title, t.detail);
  item.dataset.exchangeCheck = t.ok ? 'passed' : 'not-passed';
  return item;
}

export function progressItems(ctx: ScreenContext, check?: FolderCheck): HTMLElement[] {
  return [...areaItems(ctx, check), exchangeItem(ctx)];
}

function areaItems(ctx: ScreenContext, check?: FolderCheck): HTMLElement[] {
  const d = ctx.draft;
  if (d.kind === 'hybrid-onprem') {
    const disk = check && check.state !== 'none' ? folderItems(check) : null;
    const key = d.agent_key as { fingerprint?: string; bits?: number } | undefined;
    const folder = typeof d.agent_folder === 'string' ? d.agent_folder : '';
    const rec = ldapCheckRecord(d, ctx.saved);
    const when = rec?.checked_at ? ` Checked ${localTime(rec.checked_at)}.` : '';
    return [
      rec?.status === 'passed'
          ? statusItem('ok', 'Domain controllers tested', `The check of these values on the Test connection step passed.${when}`)
          : rec?.status === 'passed-with-warnings'
            ? warnItem('Domain controllers passed with warnings', `${when.trim()} The check of these values passed with these warnings; they do not block, but Hire2Retire may not be able to do everything:`.trim(), rec.warnings)
            : rec?.status === 'failed'
              ? statusItem('todo', 'Domain controllers not tested successfully', `The last check failed: fix what it reported on the Test connection step and run it again.${when}`)
              : statusItem('todo', 'Domain controllers not tested', 'Run the check on the Test connection step (changed values need a new check).'),
      ...(disk ?? [
      key?.fingerprint
          ? statusItem('ok', 'Key pair ready', `Fingerprint ${key.fingerprint}${key.bits ? ` (${key.bits} bits)` : ''}.`)
          : statusItem('todo', 'No key pair', 'Generate one, or use your public key, on the Key pair step.'),
      folder
        ? statusItem('ok', 'Agent folder written', folder)
        : statusItem('todo', 'Agent folder not written', 'It is written in the Create step; nothing has been written for the agent yet.'),
      ]),
    ];
  }
  const co = d.application?.kind === 'customer-owned';
  const id = co ? 'co-cert' : 'sp-signin';
  const what = co ? ['Certificate credential not checked', 'Certificate credential checked'] : ['Not signed in, no admin consent yet', 'Signed in, admin consent granted'];
  return [
    notDone(ctx, id)
        ? statusItem('todo', what[0], co ? 'Create, upload and check the certificate on the Certificate & check step.' : 'Sign in on the Sign in step.')
        : statusItem('ok', what[1], 'The check on that step passed.'),
  ];
}

/** Whether an Azure AD connection is complete: its sign-in / certificate check passed. */
export function azureComplete(ctx: ScreenContext): boolean {
  return !notDone(ctx, ctx.draft.application?.kind === 'customer-owned' ? 'co-cert' : 'sp-signin');
}

/** What is still open on the summary / done screens: warnings and skipped or failed steps. */
export function openPoints(items: HTMLElement[]): { warnings: number; todo: number } {
  return {
    warnings: items.filter((i) => i.classList.contains('status-warn')).length,
    todo: items.filter((i) => i.classList.contains('status-todo')).length,
  };
}
