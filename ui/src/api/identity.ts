// Microsoft sign-in, admin consent and the certificate credential (issue 5): typed wrappers
// around the commands in src-tauri/src/commands/identity.rs. Tokens never reach the webview.
import { Channel } from '@tauri-apps/api/core';
import { call } from './core';
import type { ErrorCode } from './error-codes';
import type { ApplicationKind } from '../types';

export interface CloudEndpoints {
  cloud: string;
  name: string;
  authority: string;
  graph: string;
  exchange_host: string;
  exchange_environment: string;
}

export interface IdentityInfo {
  clouds: CloudEndpoints[];
  service_provider_configured: boolean;
  /** The Service Provider Application's client ID this build knows (prefills the field). */
  service_provider_client_id: string | null;
  redirect_uri: string;
}

export interface SignInRequest {
  cloud: string;
  tenant?: string | null;
  client_id?: string | null;
  method?: 'browser' | 'device-code';
  timeout_ms?: number;
}

export interface Tenant { id: string; name: string; domains: string[] }

export interface SignInReport {
  ok: boolean;
  tenant: Tenant | null;
  granted: string[];
  missing: string[];
  code: ErrorCode;
  message: string;
  hint: string;
  admin_consent_url?: string;
  aadsts?: number;
}

export interface DeviceCodePrompt { user_code: string; verification_uri: string; message: string; expires_in_secs: number }

export type SignInEvent =
  | { event: 'open-url'; url: string }
  | ({ event: 'device-code' } & DeviceCodePrompt)
  | { event: 'waiting' }
  | { event: 'exchanging' }
  | { event: 'reading-organization' };

export interface CertificateInfo { thumbprint_sha1: string; thumbprint_sha256: string; not_after: string }
/** `bits` left out: the core's default certificate key size. */
export interface CertificateRequest { common_name: string; days: number; bits?: number }
export interface SavedCertificate { cer: string; pem: string; key: string; info: CertificateInfo }

function channel(onEvent: (e: SignInEvent) => void): Channel<SignInEvent> {
  const ch = new Channel<SignInEvent>();
  ch.onmessage = onEvent;
  return ch;
}

export const identityInfo = () => call<IdentityInfo>('identity_info');

/** Service Provider sign-in; resolves with the report (failures are reports too). */
export const signIn = (request: SignInRequest, onEvent: (e: SignInEvent) => void) =>
  call<SignInReport>('identity_sign_in', { request, on_event: channel(onEvent) });

/** Stop waiting (Cancel, "I have sent the request"). */
export const cancelSignIn = () => call<void>('identity_cancel');

export const consentLink = (request: SignInRequest, applicationKind: ApplicationKind) =>
  call<string>('identity_consent_link', { request, application_kind: applicationKind });

export const adminConsent = (request: SignInRequest, applicationKind: ApplicationKind, onEvent: (e: SignInEvent) => void) =>
  call<{ tenant: string | null }>('identity_admin_consent', { request, application_kind: applicationKind, on_event: channel(onEvent) });

export const generateCertificate = (request: CertificateRequest) =>
  call<CertificateInfo>('identity_generate_certificate', { request });

/** Stop a running certificate generation (at once) or save (before any file is written). */
export const cancelCertificate = () => call<void>('identity_cancel_certificate');

export const saveCertificate = (folder: string, name: string, passphrase: string) =>
  call<SavedCertificate>('identity_save_certificate', { folder, name, passphrase });

export const loadCertificate = (path: string, passphrase: string) =>
  call<CertificateInfo>('identity_load_certificate', { path, passphrase });

export const verifyCustomerOwned = (request: SignInRequest, onEvent: (e: SignInEvent) => void) =>
  call<SignInReport>('identity_verify_customer_owned', { request, on_event: channel(onEvent) });

/** Pick a folder with the dialog plugin (null when cancelled). */
export const pickFolder = (title: string) =>
  call<string | null>('plugin:dialog|open', { options: { directory: true, multiple: false, title } });
