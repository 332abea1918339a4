// Mocked IPC commands of the ldap area for the browser tests (owned by that area's engineer).
// Each handler gets the command's arguments and returns what the Rust command would
// (src-tauri/src/commands/ldap.rs), or throws a {code, message, hint} object.
// tests/ipc-mock.ts dispatches to these. The real check is tested against Samba in Rust.
/* eslint-disable @typescript-eslint/no-explicit-any */

const FP = 'DA:8B:37:8D:60:9B:7F:83:49:C0:15:EE:FA:FB:3C:4D:64:44:A7:5C:DF:C5:E2:46:2B:6B:8A:2D:8A:A7:D6:6E';
const SHA1 = '3F:1C:9A:77:0B:5E:21:D4:8C:AA:02:6E:19:F0:B3:44:7D:C8:5A:91';
const STAGES = ['resolve', 'connect', 'tls', 'bind', 'root_dse', 'base_dn', 'rights'];
const cert = (verified: boolean) => ({
  subject: 'CN=dc1.example-domain.com', issuer: 'CN=Example Enterprise CA', sans: ['DNS:dc1.example-domain.com'],
  not_before: '2026-01-01T00:00:00Z', not_after: '2028-01-01T00:00:00Z', expired: false, sha256: FP, sha1: SHA1,
  signature_algorithm: 'sha256WithRSAEncryption', self_signed: false, verified, chain: [],
});

function endpoint(dc: any, i: number, j: number, host: string) {
  const base = { dc_index: i, host_index: j, host, port: Number(dc.port) || 636, base_dn: dc.base_dn, warnings: [], elapsed_ms: 42, address: '10.0.0.1:636',
    trust: dc.tls?.pin_sha256 ? 'pin' : dc.tls?.ca_file ? 'ca-file' : 'system', certificate: cert(true), root_dse: null, rights: null, suggested_base_dn: null, suggested_host: null };
  if ((window as any).__adPassword === 'wrong-pass') {
    return { ...base, ok: false, stage: 'bind', code: 'ldap.bind.invalid_credentials', message: `${host} did not accept the service account's password.`, hint: 'Check the password.' };
  }
  if (host.startsWith('untrusted') && dc.tls?.pin_sha256 !== FP && !dc.tls?.ca_file) {
    return { ...base, ok: false, stage: 'tls', code: 'ldap.tls.unknown_issuer', certificate: cert(false),
      message: `${host}'s certificate was issued by 'CN=Example Enterprise CA', which this computer does not trust.`,
      hint: `Trust your certificate authority's certificate, or pin this exact certificate after checking its fingerprint ${FP}.` };
  }
  if (!String(dc.base_dn).endsWith('DC=example-domain,DC=com')) {
    return { ...base, ok: false, stage: 'base_dn', code: 'ldap.base_dn.not_found', suggested_base_dn: 'DC=example-domain,DC=com',
      message: `The Base DN '${dc.base_dn}' does not exist on ${host} (no such object).`, hint: "Use the domain's naming context 'DC=example-domain,DC=com' (or an OU inside it)." };
  }
  // A host named limited…: the check passes, but the account cannot create users or groups.
  const limited = host.startsWith('limited');
  const rightsWarnings = limited ? [
    { code: 'ldap.rights.cannot_create_users', message: `The service account cannot create users under ${dc.base_dn}.`, hint: 'Delegate "Create User objects" on the Base DN to the service account.' },
    { code: 'ldap.rights.cannot_create_groups', message: `The service account cannot create groups under ${dc.base_dn}.`, hint: 'Delegate "Create Group objects" on the Base DN to the service account.' },
  ] : [];
  return { ...base, ok: true, stage: 'done', code: null, message: `${host}:${base.port} passed: LDAPS, bind, Base DN found.`, hint: '', warnings: rightsWarnings,
    root_dse: { default_naming_context: 'DC=example-domain,DC=com', root_domain_naming_context: null, naming_contexts: [], dns_host_name: host, supported_ldap_version: ['3'], current_time: null, clock_skew_seconds: 0 },
    rights: { create_user: limited ? 'no' : 'yes', create_group: limited ? 'no' : 'yes', create_organizational_unit: 'yes', write_user_attributes: 'yes', sample_user: null, missing_attributes: [], reset_password: 'unknown' } };
}

export const handlers: Record<string, (args: any) => unknown> = {
  ldap_check(args) {
    const w = window as any;
    if (!w.__adPassword) throw { code: 'secrets.no_ad_password', message: "The AD service account's password has not been entered.", hint: 'Enter the password on the Test connection step.' };
    const dcs = args.draft.domain_controllers ?? [];
    const endpoints: any[] = [];
    dcs.forEach((dc: any, i: number) => {
      String(dc.hosts).split(',').map((s: string) => s.trim()).filter(Boolean).forEach((host: string, j: number) => {
        const e = endpoint(dc, i, j, host);
        const upto = e.ok ? STAGES.length : STAGES.indexOf(e.stage) + 1;
        for (const stage of STAGES.slice(0, upto)) args.on_progress?.onmessage?.({ event: 'stage', dc_index: i, host_index: j, host, stage });
        args.on_progress?.onmessage?.({ event: 'finished', endpoint: e });
        endpoints.push(e);
      });
    });
    const summaries = dcs.map((dc: any, i: number) => ({ dc_index: i, base_dn: dc.base_dn, passing_hosts: endpoints.filter((e) => e.dc_index === i && e.ok).map((e) => e.host), ok: endpoints.some((e) => e.dc_index === i && e.ok) }));
    const warnings = endpoints.filter((e) => !e.ok && summaries[e.dc_index].ok).map((e) => ({ code: 'ldap.alternative_host_failed', message: `Domain controller ${e.dc_index + 1}'s alternative address ${e.host}:${e.port} failed: ${e.message}`, hint: e.hint }));
    // As the core does: every endpoint's warnings also in the report, once.
    for (const e of endpoints) for (const wn of e.warnings) if (!warnings.some((x: any) => x.code === wn.code && x.message === wn.message)) warnings.push(wn);
    const elapsed = w.__ldapElapsedMs ?? 42;
    return { ok: summaries.length > 0 && summaries.every((s: any) => s.ok), insecure: false, warnings, endpoints, domain_controllers: summaries, elapsed_ms: elapsed };
  },
  ldap_cancel: () => null,
};
