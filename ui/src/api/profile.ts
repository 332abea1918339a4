// Profile, validation, steps, tables and saved settings (src-tauri/src/commands/profile.rs).
import { call } from './core';
import { toPayload } from '../draft';
import type {
  AppInfo, ApplicationKind, CheckRecord, ConnectionKind, Draft, ExchangeInfo, Permission, SavedConnection,
  Settings, Step, ValidationReport,
} from '../types';
import type { ExchangeCheckRecord } from '../types';

export const validateDraft = (draft: Draft) => call<ValidationReport>('validate_draft', { draft: toPayload(draft) });

export const wizardSteps = (kind: ConnectionKind, application_kind: ApplicationKind | null) =>
  call<Step[]>('wizard_steps', { kind, application_kind });

export const exchangeRoles = (kind: ConnectionKind, service_account: string, features: string[] | null = null, cloud: string | null = null) =>
  call<ExchangeInfo>('exchange_roles', { kind, service_account, features, cloud });

export const graphPermissions = (application_kind: ApplicationKind) =>
  call<Permission[]>('graph_permissions', { application_kind });

export const appInfo = () => call<AppInfo>('app_info');

export const loadSettings = () => call<Settings>('settings_load');

/** Save the draft (refused with `app.invalid_connection` while it has field errors). */
export const saveConnection = (id: string | null, draft: Draft, complete: boolean, ldapCheck: CheckRecord | null = null, exchangeCheck: ExchangeCheckRecord | null = null) =>
  call<SavedConnection>('settings_save', { id, draft: toPayload(draft), complete, ldap_check: ldapCheck, exchange_check: exchangeCheck });

export const removeConnection = (id: string) => call<boolean>('settings_remove', { id });

/** Hold the AD password in the app's memory (never saved). An empty string clears it. */
export const setAdPassword = (password: string) => call<void>('set_ad_password', { password });
export const clearAdPassword = () => call<void>('clear_ad_password');
export const adPasswordStatus = () => call<boolean>('ad_password_status');
