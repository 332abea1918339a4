// Exchange Online live check (issue 9): typed wrappers around src-tauri/src/commands/exchange.rs.
// Tokens never reach the webview; the sign-in endpoints cannot be set from here.
import { Channel } from '@tauri-apps/api/core';
import { call } from './core';
import type { ErrorCode } from './error-codes';
import type { SignInEvent } from './identity';
import type { ConnectionKind, ExchangeCheckRecord, Feature } from '../types';
export type { ExchangeCheckRecord, Feature };


export interface ExchangeCheckInput {
  kind: ConnectionKind;
  service_account: string;
  features: Feature[];
  cloud: string;
  tenant?: string | null;
  as_admin: boolean;
  method: 'browser' | 'device-code';
  /** The client application; empty or left out: the default (Exchange Online PowerShell). */
  client_id?: string | null;
}

export interface RoleResult {
  feature: Feature;
  role: string;
  source: 'exchange' | 'entra';
  required_by: 'vendor' | 'practice';
  status: 'granted' | 'missing' | 'unknown';
  via: string | null;
  reason?: string;
  fix?: string;
}

export interface ExchangeCheckReport {
  ok: boolean;
  account: string;
  signed_in_as: string | null;
  as_admin: boolean;
  tenant: { id: string; name: string } | null;
  roles: RoleResult[];
  missing: string[];
  code: ErrorCode;
  message: string;
  hint: string;
  script: string;
  fix_script: string;
  warnings: string[];
  /** The features checked. */
  features?: Feature[];
  /** RFC 3339 time (UTC) the check ended. */
  checked_at?: string;
  /** What the saved connection keeps of this check (null when cancelled). */
  record?: ExchangeCheckRecord | null;
}


export const exchangeCheck = (input: ExchangeCheckInput, onEvent: (e: SignInEvent) => void) => {
  const ch = new Channel<SignInEvent>();
  ch.onmessage = onEvent;
  return call<ExchangeCheckReport>('exchange_check', { input, on_event: ch });
};

export const cancelExchangeCheck = () => call<void>('exchange_cancel');
