// Mocked IPC commands of the keys area for the browser tests (owned by that area's engineer).
// Each handler gets the command's arguments and returns what the Rust command would
// (src-tauri/src/commands/keys.rs), or throws a {code, message, hint} object.
// tests/ipc-mock.ts dispatches to these.
/* eslint-disable @typescript-eslint/no-explicit-any */

const w = window as unknown as { __keys: { pending: any; folders: Record<string, any>; created: any[] }; __adPassword: string | null; __mockSettings: { connections: any[] } };
// Tests may pre-seed agent folders through the settings seed (`seed.keys_folders`).
w.__keys = { pending: null, folders: (window as any).__seed?.keys_folders ?? {}, created: [] };

const PEM = (tag: string) => `-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${tag}\n-----END PUBLIC KEY-----\n`;
let n = 0;
function newKey(bits: number, origin: 'generated' | 'imported') {
  n += 1;
  return { fingerprint: `fp${n}-${'x'.repeat(38)}`.slice(0, 43), bits, public_key_pem: PEM(`key${n}`), origin };
}

export const handlers: Record<string, (args: any) => unknown> = {
  async keys_generate(args) {
    if (![2048, 3072, 4096].includes(args.bits)) throw { code: 'keys.invalid_bits', message: `RSA key size ${args.bits} is not offered; choose 2048, 3072 or 4096 bits.`, hint: '' };
    args.on_progress?.onmessage?.({ bits: args.bits, elapsed_ms: 100, typical_ms: 700 });
    // Tests may slow generation down to look at the progress (window.__keysDelayMs).
    const delay = (window as any).__keysDelayMs ?? 0;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    w.__keys.pending = newKey(args.bits, 'generated');
    return w.__keys.pending;
  },
  keys_cancel: () => { (window as any).__createCancel?.(); return null; },
  keys_import(args) {
    const pem = String(args.pem ?? '');
    if (pem.includes('PRIVATE KEY')) throw { code: 'keys.private_key_given', message: 'The public key is a private key, but a public key is needed here.', hint: 'Never share the private key. Give publicKey.pem instead.' };
    if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw { code: 'keys.malformed_pem', message: 'The public key is not a readable PEM key: no -----BEGIN PUBLIC KEY----- line was found.', hint: 'Paste the whole PEM block.' };
    w.__keys.pending = newKey(2048, 'imported');
    return w.__keys.pending;
  },
  keys_import_file: () => {
    throw { code: 'keys.io', message: 'Could not read the file.', hint: '' };
  },
  keys_pending: () => w.__keys.pending,
  keys_discard: () => { w.__keys.pending = null; return null; },
  async agent_create(args) {
    const delay = (window as any).__createDelayMs ?? 0;
    if (delay) {
      // keys_cancel stops a slow create before the folder changes (as the core does).
      const how = await new Promise((r) => {
        const t = setTimeout(() => r('done'), delay);
        (window as any).__createCancel = () => { clearTimeout(t); r('cancelled'); };
      });
      (window as any).__createCancel = undefined;
      if (how === 'cancelled') throw { code: 'keys.cancelled', message: 'Cancelled; nothing was changed.', hint: 'Start again when ready.' };
    }
    if (!String(args.folder ?? '').startsWith('/')) throw { code: 'agent.folder_not_chosen', message: 'Choose the folder for the agent (an absolute path).', hint: 'Use "Choose folder…" to pick it.' };
    if (w.__adPassword === null) throw { code: 'secrets.no_ad_password', message: 'The AD service account\'s password has not been entered.', hint: '' };
    const key = w.__keys.pending;
    if (!key) throw { code: 'app.no_key', message: 'No key pair has been generated or imported yet.', hint: 'Go back to the Key pair step.' };
    if (w.__keys.folders[args.folder] && !args.replace) throw { code: 'keys.exists', message: `${args.folder}/config.jwe already exists; refusing to overwrite an existing key.`, hint: 'Use `keys rotate` to replace a key in use, or --force to overwrite it.' };
    const info = { dir: args.folder, fingerprint: key.fingerprint, bits: key.bits, origin: key.origin, generation: '20261126T060000Z_fp', public_key_pem: key.public_key_pem, agent_files: key.origin === 'generated' ? [`${args.folder}/privateKey.pem`, `${args.folder}/config.jwe`] : [`${args.folder}/config.jwe`] };
    w.__keys.folders[args.folder] = { ...key, passphrase_protected: !!args.passphrase, archived: [] };  // includes public_key_pem
    w.__keys.created.push({ folder: args.folder, passphrase: !!args.passphrase });
    w.__keys.pending = null;
    return info;
  },
  agent_folder_status(args) {
    const f = w.__keys.folders[args.folder];
    if (!f) throw { code: 'keys.io', message: `Could not read ${args.folder}/publicKey.pem: No such file or directory (os error 2).`, hint: 'Check that the folder exists and that you may write to it.' };
    return { dir: args.folder, fingerprint: f.fingerprint, bits: f.bits, config_kid: f.config_kid ?? f.fingerprint, origin: f.origin, passphrase_protected: f.passphrase_protected, generation: '20261126T060000Z_g', archived: f.archived, public_key_pem: f.public_key_pem,
      state: f.state ?? 'ready', key_written_at: f.key_written_at ?? '2026-11-20T10:00:00Z', last_changed_at: f.archived.length ? '2026-11-27T08:00:00Z' : null, archive_dir: `${args.folder}.archive` };
  },
  handoff_values(args) {
    const f = w.__keys.folders[args.folder];
    if (!f) throw { code: 'handoff.no_folder', message: `There is no publicKey.pem in ${args.folder}.`, hint: 'Write the agent folder on the Create step first, or locate the folder where it is now.' };
    const d = args.draft;
    const dcs = (d.domain_controllers ?? []).map((dc: any) => ({ hosts: String(dc.hosts).split(',').map((x: string) => x.trim()).filter(Boolean).join(','), port: Number(dc.port), base_dn: dc.base_dn }));
    const text = [`Connection name: ${d.name}`, ...dcs.flatMap((dc: any, i: number) => [`Domain controller ${i + 1}`, `Host: ${dc.hosts}`, `Port: ${dc.port}`, `Base DN: ${dc.base_dn}`]), `Public key (fingerprint ${f.fingerprint}):`, f.public_key_pem, 'Then, in the portal, choose "Link account".'].join('\n');
    return { connection_name: d.name, domain_controllers: dcs, public_key_pem: f.public_key_pem, public_key_fingerprint: f.fingerprint, text };
  },
  handoff_save(args) {
    const stem = String(args.draft.name).replace(/[^A-Za-z0-9_-]/g, '-');
    (w as any).__handoffSaved = [`/home/test/${stem}-portal-handoff.txt`, `/home/test/${stem}-portal-handoff.json`];
    return (w as any).__handoffSaved;
  },
  agent_instructions(args) {
    const name = String(args.draft.name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const q = (v: string) => (args.shell === 'bash' ? `'${v.replace(/'/g, "'\\''")}'` : `'${v.replace(/'/g, "''")}'`);
    const tag = '__FROM_PORTAL_IMAGE_TAG__';
    const placeholders = [{ marker: tag, explanation: 'The agent image tag shown on the Hire2Retire portal\'s agent page.' }];
    let script: string;
    if (args.target === 'docker') {
      script = args.shell === 'bash'
        ? `# Create the folder the agent mounts at /config\nsudo install -d -m 0700 -o 1000 -g 1000 /opt/hire2retire/${name}\n# Copy the agent files\nsudo install -m 0600 -o 1000 -g 1000 ${q(args.folder + '/privateKey.pem')} ${q(args.folder + '/config.jwe')} /opt/hire2retire/${name}/\n# Start the agent\ndocker run -d --name ${name} --user 1000:1000 --env-file /opt/hire2retire/${name}.env -v /opt/hire2retire/${name}:/config:ro public.ecr.aws/s0y8d0j7/hire2retire-onpremadagent:${tag}`
        : `# Create the folder\nNew-Item -ItemType Directory -Force -Path 'C:\\hire2retire\\${name}'\n# Copy the agent files\nCopy-Item ${q(args.folder + '/config.jwe')} 'C:\\hire2retire\\${name}'\n# Start the agent\ndocker run -d --name ${name} public.ecr.aws/s0y8d0j7/hire2retire-onpremadagent:${tag}`;
    } else {
      placeholders.push({ marker: '__FROM_AZURE_RESOURCE_GROUP__', explanation: 'Your Azure resource group.' });
      script = `# Create the file share\naz storage share-rm create --resource-group __FROM_AZURE_RESOURCE_GROUP__ --name ${name}\n# Start the container\naz container create --name ${name} --image public.ecr.aws/s0y8d0j7/hire2retire-onpremadagent:${tag} --azure-file-volume-mount-path /config`;
    }
    return { target: args.target, shell: args.shell, script, placeholders, preflight: 'h2r-setup ldap check --connection /config/connection.json', connection_file: `${args.folder}/connection.json` };
  },
  support_report_save(args) {
    (w as any).__supportReport = args;
    return '/home/test/h2r-support-report.zip';
  },
  agent_set_password(args) {
    const saved = w.__mockSettings.connections.find((c) => c.id === args.connection_id);
    const folder = saved?.connection?.agent_folder;
    const f = folder && w.__keys.folders[folder];
    if (!f) throw { code: 'agent_config.no_folder', message: 'This connection\'s agent folder has not been written yet.', hint: '' };
    if (w.__adPassword === null) throw { code: 'secrets.no_ad_password', message: 'The AD service account\'s password has not been entered.', hint: '' };
    f.sealed_password = w.__adPassword;
    return { dir: folder, fingerprint: f.fingerprint, changed_at: '2026-11-27T08:00:00Z' };
  },
  keys_rotate(args) {
    const saved = w.__mockSettings.connections.find((c) => c.id === args.connection_id);
    const folder = saved?.connection?.agent_folder;
    const f = folder && w.__keys.folders[folder];
    if (!f) throw { code: 'agent_config.no_folder', message: 'This connection\'s agent folder has not been written yet.', hint: '' };
    if (f.origin === 'imported' && !args.public_key_pem) throw { code: 'agent_config.bad_payload', message: 'The agent config payload is not usable: this folder\'s key was imported.', hint: '' };
    args.on_progress?.onmessage?.({ bits: args.bits ?? f.bits, elapsed_ms: 100, typical_ms: 700 });
    const next = newKey(args.bits ?? f.bits, f.origin);
    const report = { dir: folder, origin: f.origin, old_fingerprint: f.fingerprint, new_fingerprint: next.fingerprint, bits: next.bits, public_key_pem: next.public_key_pem, generation: 'g2', archived_to: `${folder}/archive/20261126T060000Z_g` };
    w.__keys.folders[folder] = { ...next, passphrase_protected: f.passphrase_protected, archived: [...f.archived, 'g'] };
    saved.connection.agent_key = { fingerprint: next.fingerprint, bits: next.bits, origin: f.origin };
    return report;
  },
};
