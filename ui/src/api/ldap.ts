// Live LDAPS checks of the domain controllers (issue 4): typed wrappers around the commands in
// src-tauri/src/commands/ldap.rs. The AD password is never passed here: the app uses the copy
// it holds in memory (set with `setAdPassword`).
import { Channel } from '@tauri-apps/api/core';
import { call } from './core';
import type { ErrorCode } from './error-codes';
import type { Draft, Problem } from '../types';
import { toPayload } from '../draft';

export type Stage = 'resolve' | 'connect' | 'tls' | 'bind' | 'root_dse' | 'base_dn' | 'rights' | 'done';
export const STAGES: Stage[] = ['resolve', 'connect', 'tls', 'bind', 'root_dse', 'base_dn', 'rights', 'done'];
export const STAGE_LABEL: Record<Stage, string> = {
  resolve: 'Resolving name',
  connect: 'Connecting',
  tls: 'TLS handshake',
  bind: 'Signing in',
  root_dse: 'Reading directory info',
  base_dn: 'Finding Base DN',
  rights: 'Checking rights',
  done: 'Done',
};

export type Tri = 'yes' | 'no' | 'unknown';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  sans: string[];
  not_before: string;
  not_after: string;
  expired: boolean;
  sha256: string;
  /** SHA-1 fingerprint (what the Windows certificate viewer calls "Thumbprint"), when the core reports it. */
  sha1?: string;
  signature_algorithm: string;
  self_signed: boolean;
  verified: boolean;
  chain: { subject: string; issuer: string; sha256: string }[];
}

export interface RootDse {
  default_naming_context: string | null;
  root_domain_naming_context: string | null;
  naming_contexts: string[];
  dns_host_name: string | null;
  supported_ldap_version: string[];
  current_time: string | null;
  clock_skew_seconds: number | null;
}

export interface Rights {
  create_user: Tri;
  create_group: Tri;
  create_organizational_unit: Tri;
  write_user_attributes: Tri;
  sample_user: string | null;
  missing_attributes: string[];
  reset_password: Tri;
}

export interface EndpointReport {
  dc_index: number;
  host_index: number;
  host: string;
  port: number;
  base_dn: string;
  ok: boolean;
  stage: Stage;
  code: ErrorCode | null;
  message: string;
  hint: string;
  warnings: Problem[];
  elapsed_ms: number;
  address: string | null;
  trust: 'system' | 'ca-file' | 'pin' | 'insecure';
  certificate: CertificateInfo | null;
  root_dse: RootDse | null;
  rights: Rights | null;
  suggested_base_dn: string | null;
  suggested_host: string | null;
}

export interface CheckReport {
  ok: boolean;
  insecure: boolean;
  warnings: Problem[];
  endpoints: EndpointReport[];
  domain_controllers: { dc_index: number; ok: boolean; base_dn: string; passing_hosts: string[] }[];
  elapsed_ms: number;
}

export type Progress =
  | { event: 'stage'; dc_index: number; host_index: number; host: string; stage: Stage }
  | { event: 'finished'; endpoint: EndpointReport };

/** Test every host of every DC of the draft; `onProgress` gets per-host stage events. */
export function ldapCheck(draft: Draft, onProgress: (p: Progress) => void, timeoutMs?: number): Promise<CheckReport> {
  const ch = new Channel<Progress>();
  ch.onmessage = onProgress;
  return call<CheckReport>('ldap_check', { draft: toPayload(draft), timeout_ms: timeoutMs ?? null, on_progress: ch });
}

/** Stop the running check (unfinished hosts report `ldap.cancelled`). */
export function ldapCancel(): Promise<void> {
  return call<void>('ldap_cancel');
}
