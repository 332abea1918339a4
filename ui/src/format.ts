// How values read for people: durations, dates in the admin's locale, cloud and feature names.
import type { ExchangeCheckRecord } from './types';
import type { ScreenContext } from './screens/types';

/** A check duration as people read it ("under 0.1 s", "1.2 s"). */
export function seconds(ms: number): string {
  return ms < 100 ? 'under 0.1 s' : `${(ms / 1000).toFixed(1)} s`;
}

/** A date and time in the admin's locale (raw text if it is not a date). */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A calendar date in the admin's locale. */
export function localDate(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
}

/** A national cloud's name as the core names it. */
export const cloudLabel = (ctx: ScreenContext, c: string) => ctx.info.clouds.find((x) => x.id === c)?.name ?? c;

export const FEATURE_LABEL: Record<string, string> = {
  'distribution-lists': 'Azure AD distribution lists',
  'm365-groups': 'Microsoft 365 groups',
  'mail-enabled-security-groups': 'Mail-enabled security groups',
  'shared-mailboxes': 'Shared mailbox',
};

/** A line for the summary: passed (when, which features), failed (what is missing) or not checked. */
export function exchangeCheckText(rec: ExchangeCheckRecord | null): { ok: boolean; title: string; detail: string } {
  if (!rec) return { ok: false, title: 'Exchange check not run', detail: 'Run "Sign in and check" on the Exchange Online step to prove the service account holds the roles.' };
  const features = rec.features.map((f) => FEATURE_LABEL[f] ?? f).join(', ');
  const when = localTime(rec.checked_at);
  if (rec.passed) return { ok: true, title: 'Exchange check passed', detail: `Checked ${when}${rec.as_admin ? ' by an Exchange administrator' : ''} for: ${features}.` };
  return { ok: false, title: 'Exchange check did not pass',
    detail: rec.missing.length ? `Checked ${when}: missing ${rec.missing.join(', ')} (for: ${features}). Fix it and check again on the Exchange Online step.`
      : `Checked ${when}: the check did not finish (${rec.code}). Check again on the Exchange Online step.` };
}
