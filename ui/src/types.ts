// Shapes crossing IPC (mirrors of the core's serde types) and the wizard's draft.
import type { ErrorCode } from './api/error-codes';
export type { ErrorCode };

export type ConnectionKind = 'hybrid-onprem' | 'azure-ad';
export type ApplicationKind = 'service-provider' | 'customer-owned';

/** `{code, message, hint}`: every error from the Rust side (h2r_setup::Problem). */
export interface Problem {
  /** One of the registry's codes (generated from the Rust error registry). */
  code: ErrorCode;
  message: string;
  hint: string;
  /** The field it is about (validation problems), e.g. `domain_controllers[0].hosts[1]`. */
  field?: string;
}

export interface Step {
  id: string;
  title: string;
  style: 'form' | 'figure';
}

/** A validation problem: a Problem that names its field (empty for the draft as a whole). */
export type FieldIssue = Problem & { field: string };

export interface ValidationReport {
  ok: boolean;
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

export interface RoleRequirement {
  feature_id: 'distribution-lists' | 'm365-groups' | 'mail-enabled-security-groups' | 'shared-mailboxes';
  /** The feature as the vendor names it. */
  feature: string;
  /** The roles as the vendor lists them. */
  roles: string[];
  role_source: string[];
  where_it_lives: string[];
  purpose: string;
  /** Also needed in practice (not on the vendor's pages). */
  also_needed: { role: string; source: string; reason: string }[];
}

export interface ExchangeInfo {
  roles: RoleRequirement[];
  command: string;
  /** The client application the check uses when the connection names none. */
  default_client_id: string;
  default_client_is_exo_powershell: boolean;
}

export interface Permission {
  name: string;
  kind: 'delegated' | 'application';
  admin_consent: boolean;
  purpose: string;
  /** The purpose as the vendor states it (shown beside ours). */
  vendor_purpose?: string;
}

export interface AppInfo {
  version: string;
  defaults: { onprem_name: string; azure_name: string; exchange_name: string; ldaps_port: number };
  /** The national clouds with the core's display names, in the core's order. */
  clouds: { id: string; name: string }[];
  key_sizes: number[];
  default_bits: number;
  settings_path: string;
}

/** A saved profile as the core serialises it (hosts are an array, port a number). */
export interface SavedProfile {
  kind: ConnectionKind;
  name: string;
  domain_controllers?: { hosts: string[]; port: number; base_dn: string; [k: string]: unknown }[];
  service_account?: string;
  application?: { kind: ApplicationKind; cloud?: string; client_id?: string; tenant_id?: string; [k: string]: unknown };
  exchange_online?: { name: string; service_account: string; client_id?: string };
  [k: string]: unknown;
}

/** The latest result of a check, saved with the connection (no secret). */
export interface CheckRecord {
  status: 'passed' | 'passed-with-warnings' | 'failed';
  /** RFC 3339 time of the check. */
  checked_at: string;
  /** The warnings' messages (when passed with warnings). */
  warnings: string[];
}

export interface SavedConnection {
  id: string;
  saved_at: string;
  complete: boolean;
  connection: SavedProfile;
  /** The latest LDAPS check of the domain controllers (hybrid). */
  ldap_check?: CheckRecord | null;
  /** The latest Exchange Online check of the service account (issue 9). */
  exchange_check?: ExchangeCheckRecord | null;
  /** RFC 3339 time of the last key rotation, when the core records it. */
  rotated_at?: string | null;
}

export interface Settings {
  version: number;
  connections: SavedConnection[];
}

/** One domain controller as typed in the form: hosts comma-separated, port as typed. */
export interface DcDraft {
  hosts: string;
  port: string;
  base_dn: string;
  [k: string]: unknown;
}

/**
 * The profile being edited. Same JSON shape as a saved profile except that `hosts` and `port`
 * keep the text the admin typed (the core accepts both in drafts). Unknown fields of a reopened
 * profile (agent_key, tls, certificate …) are carried along untouched.
 */
export interface Draft {
  kind: ConnectionKind;
  name: string;
  domain_controllers?: DcDraft[];
  service_account?: string;
  application?: { kind: ApplicationKind | ''; cloud: string; client_id: string; tenant_id: string; [k: string]: unknown };
  exchange_online: { name: string; service_account: string; client_id?: string };
  [k: string]: unknown;
}

/** The latest Exchange Online check, saved with the connection (h2r_setup::exchange::ExchangeCheckRecord). */
export interface ExchangeCheckRecord {
  passed: boolean;
  checked_at: string;
  account: string;
  features: Feature[];
  missing: string[];
  code: string;
  as_admin: boolean;
}

/** An Exchange Online feature the admin chose (h2r_setup::exchange::Feature). */
export type Feature = 'distribution-lists' | 'm365-groups' | 'mail-enabled-security-groups' | 'shared-mailboxes';
