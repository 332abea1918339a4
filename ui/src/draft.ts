// Creating drafts: new ones with the core's defaults, and from a saved profile (hosts joined
// back into the text the admin typed, port as text). Unknown fields are carried along.
import type { AppInfo, ConnectionKind, Draft, SavedProfile } from './types';

const FALLBACK = { onprem_name: 'Connection-OnPremise Service', azure_name: 'Connection-Azure AD', exchange_name: 'Connection-Exchange Online', ldaps_port: 636 };

export function newDraft(kind: ConnectionKind, info: AppInfo | null): Draft {
  const d = info?.defaults ?? FALLBACK;
  if (kind === 'hybrid-onprem') {
    return {
      kind,
      name: d.onprem_name,
      domain_controllers: [{ hosts: '', port: String(d.ldaps_port), base_dn: '' }],
      service_account: '',
      exchange_online: { name: d.exchange_name, service_account: '' },
    };
  }
  return {
    kind,
    name: d.azure_name,
    application: { kind: '', cloud: 'global', client_id: '', tenant_id: '' },
    exchange_online: { name: d.exchange_name, service_account: '' },
  };
}

export function draftFromSaved(p: SavedProfile, info: AppInfo | null): Draft {
  const base = newDraft(p.kind, info);
  const copy = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
  const draft = { ...base, ...copy } as Draft;
  if (p.kind === 'hybrid-onprem') {
    draft.domain_controllers = (p.domain_controllers ?? []).map((dc) => ({ ...dc, hosts: dc.hosts.join(', '), port: String(dc.port) }));
    if (!draft.domain_controllers.length) draft.domain_controllers = base.domain_controllers;
  } else {
    draft.application = { ...base.application!, ...(p.application ?? {}) } as Draft['application'];
  }
  draft.exchange_online = { ...base.exchange_online, ...(p.exchange_online ?? {}) };
  return draft;
}

/** The same draft with every hosts string split (for display, never for validation). */
export function hostsOf(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * The JSON sent to the core (validation, save): the draft minus what the admin was never asked
 * for (an unchosen application kind; client and tenant IDs on the Service Provider path).
 */
export function toPayload(d: Draft): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
  const app = out.application as Record<string, unknown> | undefined;
  if (app) {
    if (app.kind === '') delete app.kind;
    if (app.kind !== 'customer-owned') {
      for (const k of ['client_id', 'tenant_id']) if (app[k] === '') delete app[k];
    }
  }
  return out;
}
