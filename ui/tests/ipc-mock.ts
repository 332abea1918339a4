// The Tauri IPC boundary, mocked for browser tests (bundled by esbuild and injected before the
// app loads). The real validation is in Rust; the simple rules here only make the UI testable.
import { mockIPC } from '@tauri-apps/api/mocks';
import { handlers as keysHandlers } from './mocks/keys';
import { handlers as ldapHandlers } from './mocks/ldap';
import { handlers as identityHandlers } from './mocks/identity';

/** Commands of the other areas (keys, ldap, identity): tests/mocks/<area>.ts. */
const AREA_HANDLERS: Record<string, (args: any) => unknown> = { ...keysHandlers, ...ldapHandlers, ...identityHandlers }; // eslint-disable-line @typescript-eslint/no-explicit-any

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
  if (app === 'customer-owned') out.push(step('co-app', 'App registration', 'form'), step('co-cert', 'Certificate & check', 'figure'));
  else out.push(step('sp-signin', 'Sign in', 'figure'));
  out.push(step('permissions', 'Permissions', 'figure'), step('exchange', 'Exchange Online', 'form'), step('summary', 'Summary', 'figure'), step('done', 'Done', 'figure'));
  return out;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const UPN = /^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

function validate(d: Json) {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const err = (field: string, code: string, message: string, hint: string) => errors.push({ field, code, message, hint });
  if (!String(d.name ?? '').trim()) err('name', 'name.empty', 'The connection name is empty.', 'Enter a name such as Connection-OnPremise Service.');
  if (d.kind === 'hybrid-onprem') {
    (d.domain_controllers ?? []).forEach((dc: Json, i: number) => {
      const p = `domain_controllers[${i}]`;
      const hosts = String(dc.hosts ?? '').split(',').map((s) => s.trim());
      if (!String(dc.hosts ?? '').trim()) err(`${p}.hosts`, 'host.empty', 'Enter at least one host.', 'Type the domain controller\'s DNS name, e.g. dc1.example-domain.com.');
      else hosts.forEach((hst, j) => {
        if (!HOST.test(hst)) err(`${p}.hosts[${j}]`, 'host.invalid', `"${hst}" is not a valid host name or IP address.`, 'Use a DNS name such as dc1.example-domain.com.');
        else if (!hst.includes('.') && !/^\d+$/.test(hst)) warnings.push({ field: `${p}.hosts[${j}]`, code: 'host.single_label', message: `"${hst}" is a short name.`, hint: 'Prefer the fully qualified DNS name on the certificate.' });
        else if (/^\d+\.\d+\.\d+\.\d+$/.test(hst)) warnings.push({ field: `${p}.hosts[${j}]`, code: 'host.ip_address', message: 'An IP address rarely matches the DC\'s certificate.', hint: 'Prefer the DNS name on the certificate.' });
      });
      const port = String(dc.port ?? '').trim();
      if (!/^\d+$/.test(port)) err(`${p}.port`, 'port.not_a_number', 'The port must be a number.', 'Use 636 (LDAPS).');
      else if (port === '389' || port === '3268') err(`${p}.port`, 'port.plain_ldap', 'LDAPS only, plain LDAP is not used.', 'Use 636 (LDAPS) or 3269 (Global Catalog over TLS).');
      else if (+port < 1 || +port > 65535) err(`${p}.port`, 'port.range', 'The port must be between 1 and 65535.', 'Use 636 (LDAPS).');
      else if (port === '3269') warnings.push({ field: `${p}.port`, code: 'port.global_catalog', message: 'The Global Catalog is a read-only partial replica.', hint: 'Use 636 unless you only read.' });
      if (!/^(DC|OU|CN)=[^,]+(,(DC|OU|CN)=[^,]+)*$/i.test(String(dc.base_dn ?? '').trim())) err(`${p}.base_dn`, 'base_dn.invalid', 'The Base DN is not a distinguished name.', 'Use the form DC=example-domain,DC=com.');
    });
    const sa = String(d.service_account ?? '').trim();
    if (!sa) err('service_account', 'account.empty', 'Enter the service account.', 'A UPN such as svc-h2r@example-domain.com, DOMAIN\\user or a DN.');
    else if (!UPN.test(sa) && !/^[^\\]+\\[^\\]+$/.test(sa) && !/^CN=/i.test(sa)) err('service_account', 'account.invalid', 'This is not a UPN, DOMAIN\\user or DN.', 'For example svc-h2r@example-domain.com.');
  } else {
    const app = d.application ?? {};
    if (!app.kind) err('application.kind', 'application.kind_missing', 'Choose an application.', 'Service Provider or Customer Owned.');
    if (app.kind === 'customer-owned') {
      if (!GUID.test(String(app.client_id ?? '').trim())) err('application.client_id', 'client_id.invalid', 'The client ID is not a GUID.', 'Copy "Application (client) ID" from the Overview blade.');
      const t = String(app.tenant_id ?? '').trim();
      if (!GUID.test(t) && !HOST.test(t)) err('application.tenant_id', 'tenant_id.invalid', 'The tenant ID is neither a GUID nor a domain.', 'Copy "Directory (tenant) ID" from the Overview blade.');
    }
  }
  const ex = d.exchange_online ?? {};
  if (!String(ex.name ?? '').trim()) err('exchange_online.name', 'name.empty', 'The connection name is empty.', 'Enter a name.');
  if (!UPN.test(String(ex.service_account ?? '').trim())) err('exchange_online.service_account', 'upn.invalid', 'Enter the service account as a UPN.', 'For example svc-exo@example-domain.com.');
  return { ok: errors.length === 0, errors, warnings };
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
    script: 'Connect-ExchangeOnline', fix_script: '', warnings: [],
  };
}

function normalise(d: Json) {
  const c = JSON.parse(JSON.stringify(d));
  for (const dc of c.domain_controllers ?? []) {
    dc.hosts = String(dc.hosts).split(',').map((s: string) => s.trim()).filter(Boolean);
    dc.port = Number(dc.port);
  }
  return c;
}

mockIPC((cmd, args: Json) => {
  w.__ipcCalls.push({ cmd, args: JSON.parse(JSON.stringify(args ?? {})) });
  const fail = w.__mockFail[cmd];
  if (fail) throw fail;
  switch (cmd) {
    case 'app_info':
      return { version: '0.1.0-test', defaults: { onprem_name: 'Connection-OnPremise Service', azure_name: 'Connection-Azure AD', exchange_name: 'Connection-Exchange Online', ldaps_port: 636 }, clouds: ['global', 'usgov-high', 'usgov-dod', 'china'], settings_path: '/tmp/test/settings.json' };
    case 'wizard_steps':
      return steps(args.kind, args.application_kind);
    case 'validate_draft':
      return validate(args.draft);
    case 'exchange_roles':
      return { roles: roles(args.kind), command: `Connect-ExchangeOnline -ExchangeEnvironmentName 'O365Default'\nNew-RoleGroup -Name 'Hire2Retire' -Roles ${(args.features ?? roles(args.kind).map((r) => r.feature_id)).join(',')} -Members '${args.service_account || 'svc-h2r@example.com'}'` };
    case 'exchange_check':
      return exchangeReport(args);
    case 'exchange_cancel':
      return null;
    case 'graph_permissions':
      return args.application_kind === 'customer-owned'
        ? ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All', 'User.EnableDisableAccount.All'].map((name) => ({ name, kind: 'application', admin_consent: true, purpose: `Used for ${name}.` }))
        : ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.AccessAsUser.All', 'offline_access'].map((name) => ({ name, kind: 'delegated', admin_consent: name !== 'offline_access', purpose: `Used for ${name}.` }));
    case 'settings_load':
      return w.__mockSettings;
    case 'settings_save': {
      const report = validate(args.draft);
      if (!report.ok) throw { code: 'profile.invalid', message: 'The connection was not saved.', hint: 'Correct the highlighted fields, then save again.' };
      const saved = { id: args.id ?? `id-${w.__mockSettings.connections.length + 1}-0000`, saved_at: '2026-11-26T06:00:00Z', complete: args.complete, connection: normalise(args.draft), ...(args.ldap_check ? { ldap_check: args.ldap_check } : {}) };
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
    case 'plugin:clipboard-manager|write_text':
      w.__clipboard.push(args.text);
      return null;
    default:
      if (AREA_HANDLERS[cmd]) return AREA_HANDLERS[cmd](args);
      throw { code: 'test.unknown_command', message: `The mock does not know ${cmd}.`, hint: '' };
  }
});
