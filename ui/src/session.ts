// What one run of the window knows across screens: the latest domain controller check, the
// latest Exchange Online check and the rotations done. Owned by the wizard's session; screens
// read and write it here and never import one another (ui/tests/imports.test.mjs checks it).
import type { CheckReport } from './api/ldap';
import type { CheckRecord, Draft, ExchangeCheckRecord, Feature, SavedConnection } from './types';
import { hostsOf } from './draft';

/** The latest LDAPS check of this session: the report, what it was for, when. */
export const ldapSession: { report: CheckReport | null; key: string; checkedAt: string } = { report: null, key: '', checkedAt: '' };

/** The latest Exchange Online check of this session and the features chosen per kind. */
export const exchangeSession: {
  chosen: Record<string, Set<Feature> | undefined>;
  lastRecord: { key: string; record: ExchangeCheckRecord } | null;
} = { chosen: {}, lastRecord: null };

/** Connections whose keys were rotated in this session (the hand-off shows the new key first). */
export const rotatedConnections = new Set<string>();
export const rotatedInSession = (id: string) => rotatedConnections.has(id);

/** The values a check depends on, normalised (typed text or a saved profile give the same key). */
export function ldapKey(draft: { domain_controllers?: unknown[]; service_account?: string }): string {
  const dcs = ((draft.domain_controllers ?? []) as { hosts: string | string[]; port: string | number; base_dn: string; tls?: unknown }[]).map((dc) => ({
    hosts: Array.isArray(dc.hosts) ? dc.hosts.map((x) => x.trim()).filter(Boolean) : hostsOf(String(dc.hosts ?? '')),
    port: Number(String(dc.port ?? '').trim()),
    base_dn: String(dc.base_dn ?? '').trim(),
    tls: dc.tls ?? {},
  }));
  return JSON.stringify({ dcs, account: String(draft.service_account ?? '').trim() });
}

export type LdapStatus = 'passed' | 'passed-with-warnings' | 'failed' | 'not-run';
export const STATUS_TEXT: Record<LdapStatus, string> = {
  passed: 'passed',
  'passed-with-warnings': 'passed with warnings',
  failed: 'failed',
  'not-run': 'not tested',
};

/** Warnings the admin must see after a check (insecure trust counts as one). */
export function warningTexts(r: CheckReport): string[] {
  const out: string[] = [];
  for (const w of r.warnings) {
    const t = w.message;
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * The latest check of exactly these values: from this session, or the one saved with the
 * connection (`saved.ldap_check`) while the values are unchanged.
 */
export function ldapCheckRecord(draft: Draft, saved?: SavedConnection | null): CheckRecord | null {
  if (ldapSession.report && ldapSession.key === ldapKey(draft)) {
    const warnings = warningTexts(ldapSession.report);
    const status = !ldapSession.report.ok ? 'failed' : warnings.length ? 'passed-with-warnings' : 'passed';
    return { status, checked_at: ldapSession.checkedAt, warnings };
  }
  const rec = saved?.ldap_check;
  if (rec && ldapKey(saved.connection) === ldapKey(draft)) return rec;
  return null;
}

/** For the summary / done screens: the last test of exactly these values, if any. */
export function ldapTestStatus(draft: Draft, saved?: SavedConnection | null): LdapStatus {
  return ldapCheckRecord(draft, saved)?.status ?? 'not-run';
}

/** Whether the last check of exactly these values proved this host works (`domain_controllers[i].hosts[j]`). */
export function hostProven(draft: Draft, field: string): boolean {
  const m = /^domain_controllers\[(\d+)\]\.hosts\[(\d+)\]$/.exec(field);
  if (!m || !ldapSession.report || ldapSession.key !== ldapKey(draft)) return false;
  return ldapSession.report.endpoints.some((e) => e.dc_index === +m[1] && e.host_index === +m[2] && e.ok);
}

/** The latest LDAPS check of this session (for the support report), if any. */
export function lastLdapReport(): CheckReport | null {
  return ldapSession.report;
}

export const sameAccount = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The latest Exchange Online check of this draft's service account, for the summary and the
 * saved connection: this session's (while the account, kind, features and cloud are unchanged),
 * else the saved connection's (same account). Never a token.
 */
export function exchangeCheckRecord(draft: Draft, saved?: SavedConnection | null): ExchangeCheckRecord | null {
  const account = draft.exchange_online?.service_account ?? '';
  const kind = draft.kind;
  const cloud = draft.application?.cloud ?? 'global';
  const features = exchangeSession.chosen[kind];
  if (exchangeSession.lastRecord && features && exchangeSession.lastRecord.key === exchangeKey(kind, account, features, cloud)) return exchangeSession.lastRecord.record;
  const rec = saved?.exchange_check;
  if (rec && sameAccount(rec.account, account) && (!features || sameFeatures(rec.features, features))) return rec;
  return null;
}

function sameFeatures(a: Feature[], b: Set<Feature>): boolean {
  return a.length === b.size && a.every((f) => b.has(f));
}

export function exchangeKey(kind: string, account: string, features: Set<Feature>, cloud: string): string {
  return `${kind}|${account.trim().toLowerCase()}|${[...features].sort().join(',')}|${cloud}`;
}
