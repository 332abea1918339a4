// The agent folder as it is on disk (issue 14): every screen of a reopened connection describes
// the folder it reads, never what the saved record or this session assumes.
import { toProblem } from '../api/core';
import { agentFolderStatus, type FolderStatus } from '../api/keys';
import { statusItem, warnItem } from '../ui';
import type { Problem } from '../types';
import { localTime } from '../format';

export type FolderCheck =
  | { state: 'none' }
  | { state: 'ok'; dir: string; status: FolderStatus }
  /** The folder holds another key than the connection records, or its config is sealed to another key. */
  | { state: 'mismatch'; dir: string; status: FolderStatus; recorded: string }
  | { state: 'missing'; dir: string; problem: Problem }
  /** A key change was interrupted (crash, power loss): the next rotation finishes or rolls it back. */
  | { state: 'interrupted'; dir: string; status: FolderStatus };

type Conn = { [k: string]: unknown };

export function folderOf(c: Conn | null | undefined): string {
  return c && typeof c.agent_folder === 'string' ? c.agent_folder : '';
}

export function recordedKey(c: Conn | null | undefined): { fingerprint?: string; bits?: number; origin?: string } | null {
  return (c?.agent_key ?? null) as { fingerprint?: string; bits?: number; origin?: string } | null;
}

/** Read the folder the connection points at. */
export async function checkFolder(c: Conn | null | undefined): Promise<FolderCheck> {
  const dir = folderOf(c);
  if (!dir) return { state: 'none' };
  let status: FolderStatus;
  try {
    status = await agentFolderStatus(dir);
  } catch (e) {
    return { state: 'missing', dir, problem: toProblem(e) };
  }
  if (status.state === 'interrupted_before_switch' || status.state === 'interrupted_during_switch') return { state: 'interrupted', dir, status };
  const recorded = recordedKey(c)?.fingerprint ?? '';
  if ((recorded && recorded !== status.fingerprint) || status.state === 'key_mismatch' || (status.config_kid && status.config_kid !== status.fingerprint)) {
    return { state: 'mismatch', dir, status, recorded };
  }
  return { state: 'ok', dir, status };
}

/** What is wrong with a folder, in the window's words (no OS error text as the headline). */
export function folderProblemText(f: FolderCheck): { title: string; detail: string } | null {
  if (f.state === 'missing') {
    return {
      title: `The agent folder is missing or was moved: ${f.dir}`,
      detail: 'The wizard cannot read publicKey.pem and config.jwe there. Locate the folder where it is now, or write a new agent folder (a new key pair: paste its public key into the portal again).',
    };
  }
  if (f.state === 'interrupted') {
    return {
      title: 'A key change in the agent folder was interrupted',
      detail: f.status.state === 'interrupted_before_switch'
        ? `${f.dir} still holds the old matching key ${f.status.fingerprint}. Rotate keys again to finish the change; the agent keeps working meanwhile.`
        : `${f.dir} was being switched to a new key. Rotate keys (or the command line's agent-config recover) finishes the switch so the folder holds one matching pair again.`,
    };
  }
  if (f.state === 'mismatch') {
    const kid = f.status.config_kid && f.status.config_kid !== f.status.fingerprint
      ? ` and its config.jwe is sealed to ${f.status.config_kid}`
      : '';
    return {
      title: 'The agent folder holds another key than this connection records',
      detail: `${f.dir} holds key ${f.status.fingerprint}${kid}; the connection records ${f.recorded || 'no key'}. Rotate keys to put a new matching pair in place, or locate the right folder.`,
    };
  }
  return null;
}

/** Status lines for summary and done: the key and the folder as they are on disk. */
export function folderItems(f: FolderCheck): HTMLElement[] {
  if (f.state === 'ok') {
    const s = f.status;
    return [
      statusItem('ok', 'Key pair ready', `Fingerprint ${s.fingerprint} (${s.bits} bits), read from the agent folder.`),
      statusItem('ok', 'Agent folder written', `${f.dir}: publicKey.pem, config.jwe${s.origin === 'generated' ? ' and privateKey.pem' : ''}, sealed to this key.`),
    ];
  }
  const p = folderProblemText(f);
  if (!p) return [];
  const item = warnItem(p.title, p.detail, []);
  item.dataset.folder = f.state;
  return [item];
}

/** "Key written …, last rotated …" from what the folder reports. */
export function keyDates(s: FolderStatus): string {
  const parts: string[] = [];
  if (s.key_written_at) parts.push(`key written ${localTime(s.key_written_at)}`);
  if (s.last_changed_at) parts.push(`last rotated ${localTime(s.last_changed_at)}`);
  return parts.join(' · ');
}

/** A date from the folder's generation name (20261126T060000Z_…), if it has one. */
export function generationDate(gen: string | null | undefined): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(gen ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : '';
}
