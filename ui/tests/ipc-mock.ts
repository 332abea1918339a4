// The Tauri IPC boundary, mocked for browser tests (bundled by esbuild and injected before the
// app loads). Validation is the real one: the core's, through the CLI (tests/harness.mjs).
import { mockIPC } from '@tauri-apps/api/mocks';
import { handlers as keysHandlers } from './mocks/keys';
import { handlers as ldapHandlers } from './mocks/ldap';
import { handlers as identityHandlers } from './mocks/identity';
import { ERROR_CODES } from '../src/api/error-codes';
import { handlers as networkHandlers } from './mocks/network';

/** Commands of the other areas (keys, ldap, identity): tests/mocks/<area>.ts. */
const AREA_HANDLERS: Record<string, (args: any) => unknown> = { ...keysHandlers, ...ldapHandlers, ...identityHandlers, ...networkHandlers }; // eslint-disable-line @typescript-eslint/no-explicit-any

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Issue { field: string; code: string; message: string; hint: string }

const w = window as unknown as {
  __ipcCalls: { cmd: string; args: Json }[];
  __mockSettings: { version: number; connections: Json[] };
  __mockFail: Record<string, Json>;
  __exchangeReport?: Json;
  __clipboard: string[];
  __adPassword: string | null;
};
w.__ipcCalls = [];
w.__clipboard = [];
w.__adPassword = null;
w.__mockFail = w.__mockFail ?? {};
const seeded = (window as unknown as { __seed?: Json }).__seed;
w.__mockSettings = seeded ?? { version: 1, connections: [] };

const step = (id: string, title: string, style: string) => ({ id, title, style });
function steps(kind: string, app: string | null) {
  if (kind === 'hybrid-onprem') {
    return [step('kind', 'Connection type', 'form'), step('onprem', 'On-Premise connection', 'form'), step('ldap-test', 'Test connection', 'figure'),
      step('keypair', 'Key pair', 'form'), step('exchange', 'Exchange Online', 'form'), step('summary', 'Summary', 'figure'),
      step('create', 'Create', 'figure'), step('handoff', 'Portal hand-off', 'figure'), step('agent-setup', 'Agent setup', 'figure'), step('done', 'Done', 'figure')];
  }
  const out = [step('kind', 'Connection type', 'form'), step('app-kind', 'Application', 'form')];
  if (app === 'customer-owned') out.push(step('co-app', 'App registration', 'form'), step('permissions', 'Permissions', 'figure'), step('co-cert', 'Certificate & check', 'figure'));
  else out.push(step('permissions', 'Permissions', 'figure'), step('sp-signin', 'Sign in', 'figure'));
  out.push(step('exchange', 'Exchange Online', 'form'), step('summary', 'Summary', 'figure'), step('done', 'Done', 'figure'));
  return out;
}

/** The core's validation (`h2r-setup validate --format json`, exposed by tests/harness.mjs). */
async function validate(d: Json): Promise<{ ok: boolean; errors: Issue[]; warnings: Issue[]; connection?: Json }> {
  return (window as unknown as { __coreValidate(d: Json): Promise<Json> }).__coreValidate(d);
}

function roles(kind: string) {
  const ex = 'Exchange management role: it goes into the service account\'s role group.';
  const en = 'Microsoft Entra directory role: assigned in the Microsoft Entra admin center, not through a role group.';
  const rows = [
    { feature_id: 'distribution-lists', feature: 'Azure AD distribution lists', roles: ['Distribution Groups'], role_source: ['exchange'], where_it_lives: [ex], purpose: 'Add and remove joiners, movers and leavers in distribution lists.', also_needed: [] },
    { feature_id: 'm365-groups', feature: 'Microsoft 365 groups', roles: ['User Administrator', 'Mail Recipients'], role_source: ['entra', 'exchange'], where_it_lives: [en, ex], purpose: 'Manage Microsoft 365 group membership.', also_needed: [] },
    { feature_id: 'mail-enabled-security-groups', feature: 'Mail-enabled security groups', roles: ['Security Group Creation and Membership'], role_source: ['exchange'], where_it_lives: [ex], purpose: 'Create mail-enabled security groups.', also_needed: [] },
    { feature_id: 'shared-mailboxes', feature: 'Shared mailbox', roles: ['User Administrator'], role_source: ['entra'], where_it_lives: [en], purpose: 'Create shared mailboxes.',
      also_needed: [{ role: 'Mail Recipient Creation', source: 'exchange', reason: 'New-Mailbox -Shared is part of this role.' }, { role: 'Mail Recipients', source: 'exchange', reason: 'Add-MailboxPermission is part of this role.' }] },
  ];
  return kind === 'hybrid-onprem' ? rows : rows.filter((r) => r.feature_id !== 'm365-groups');
}

/** The live check's answer (tests set window.__exchangeReport; default: all granted). */
function exchangeReport(args: Json) {
  if (w.__exchangeReport) return w.__exchangeReport;
  const input = args.input;
  const list = roles(input.kind).filter((r) => input.features.includes(r.feature_id));
  return {
    ok: true, account: input.service_account, signed_in_as: input.service_account, as_admin: input.as_admin,
    tenant: { id: 'aaaabbbb-0000-cccc-1111-dddd2222eeee', name: 'Contoso' },
    roles: list.flatMap((r) => r.roles.map((role, i) => ({ feature: r.feature_id, role, source: r.role_source[i], required_by: 'vendor', status: 'granted', via: r.role_source[i] === 'entra' ? 'directory role' : 'Hire2Retire' }))),
    missing: [], code: 'exchange.ok', message: `${input.service_account} holds all the roles the chosen features need.`, hint: '',
    script: 'Connect-ExchangeOnline', fix_script: '', warnings: [], features: input.features, checked_at: '2026-12-02T04:00:00Z',
    record: { passed: true, checked_at: '2026-12-02T04:00:00Z', account: input.service_account, features: input.features, missing: [], code: 'exchange.ok', as_admin: input.as_admin },
  };
}

async function handle(cmd: string, args: Json): Promise<unknown> {
  w.__ipcCalls.push({ cmd, args: JSON.parse(JSON.stringify(args ?? {})) });
  const fail = w.__mockFail[cmd];
  if (fail) throw fail;
  switch (cmd) {
    case 'app_info':
      return { version: '0.1.0-test', defaults: { onprem_name: 'Connection-OnPremise Service', azure_name: 'Connection-Azure AD', exchange_name: 'Connection-Exchange Online', ldaps_port: 636 }, clouds: [{ id: 'global', name: 'Global (including GCC)' }, { id: 'usgov-high', name: 'US Government GCC High (L4)' }, { id: 'usgov-dod', name: 'US Government DoD (L5)' }, { id: 'china', name: 'China (operated by 21Vianet)' }], key_sizes: [2048, 3072, 4096], default_bits: 3072, settings_path: '/tmp/test/settings.json' };
    case 'wizard_steps':
      return steps(args.kind, args.application_kind);
    case 'validate_draft':
      return validate(args.draft);
    case 'exchange_roles':
      return { default_client_id: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', default_client_is_exo_powershell: true, roles: roles(args.kind), command: `Connect-ExchangeOnline -ExchangeEnvironmentName 'O365Default'\nNew-RoleGroup -Name 'Hire2Retire' -Roles ${(args.features ?? roles(args.kind).map((r) => r.feature_id)).join(',')} -Members '${args.service_account || 'svc-h2r@example.com'}'` };
    case 'exchange_check':
      return exchangeReport(args);
    case 'exchange_cancel':
      return null;
    case 'graph_permissions':
      return args.application_kind === 'customer-owned'
        ? ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All', 'User.EnableDisableAccount.All'].map((name) => ({ name, kind: 'application', admin_consent: true, purpose: `Used for ${name}.`, ...(name.startsWith('Directory.') ? { vendor_purpose: 'Required to reset their password.' } : {}) }))
        : ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.AccessAsUser.All', 'offline_access'].map((name) => ({ name, kind: 'delegated', admin_consent: name !== 'offline_access', purpose: `Used for ${name}.`, ...(name.startsWith('Directory.') ? { vendor_purpose: 'Required to reset their password.' } : {}) }));
    case 'settings_load':
      return w.__mockSettings;
    case 'settings_save': {
      const report = await validate(args.draft);
      if (!report.ok) throw { code: 'app.invalid_connection', message: 'The connection was not saved.', hint: 'Correct the highlighted fields, then save again.' };
      // As the core: an Exchange check of another account than the connection's is not kept.
      const exo = args.exchange_check && args.exchange_check.account.toLowerCase() === report.connection?.exchange_online?.service_account?.toLowerCase() ? args.exchange_check : null;
      const saved = { id: args.id ?? `id-${w.__mockSettings.connections.length + 1}-0000`, saved_at: '2026-11-26T06:00:00Z', complete: args.complete, connection: report.connection, ...(args.ldap_check ? { ldap_check: args.ldap_check } : {}), ...(exo ? { exchange_check: exo } : {}) };
      w.__mockSettings.connections = [saved, ...w.__mockSettings.connections.filter((c) => c.id !== saved.id)];
      return saved;
    }
    case 'settings_remove': {
      const before = w.__mockSettings.connections.length;
      w.__mockSettings.connections = w.__mockSettings.connections.filter((c) => c.id !== args.id);
      return before !== w.__mockSettings.connections.length;
    }
    case 'set_ad_password':
      w.__adPassword = args.password || null;
      return null;
    case 'clear_ad_password':
      w.__adPassword = null;
      return null;
    case 'ad_password_status':
      return w.__adPassword !== null;
    case 'about_info':
      return { product: 'Hire2Retire Setup', version: '0.1.0-test', commit: '0123456789ab', tauri_version: '2.12.5', identifier: 'com.hire2retire.setup', log_dir: '/tmp/test/logs', notice_path: '/tmp/test/THIRD-PARTY-NOTICES.txt', notice: 'THIRD-PARTY SOFTWARE NOTICES\n\ntauri 2.12.5 (Rust crate) — Apache-2.0 OR MIT' };
    case 'open_log_folder':
      return '/tmp/test/logs';
    case 'plugin:clipboard-manager|write_text':
      w.__clipboard.push(args.text);
      return null;
    default:
      if (AREA_HANDLERS[cmd]) return AREA_HANDLERS[cmd](args);
      throw new Error(`The mock does not know ${cmd}.`);
  }
}

/** The mock may only emit codes the Rust side can produce (the generated registry list);
 * anything else is recorded and fails the test when its page closes (tests/harness.mjs). */
const known = new Set<string>(ERROR_CODES);
(window as unknown as { __unregistered: string[] }).__unregistered = [];
function checkCode(cmd: string, v: unknown) {
  const code = typeof v === 'object' && v !== null ? (v as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && !code.endsWith('.ok') && !known.has(code)) {
    (window as unknown as { __unregistered: string[] }).__unregistered.push(`${cmd}: ${code}`);
  }
}

mockIPC(async (cmd, args: Json) => {
  try {
    const r = await handle(cmd, args);
    checkCode(cmd, r);
    return r;
  } catch (e) {
    checkCode(cmd, e);
    throw e;
  }
});
