// Mocked IPC commands of the identity area for the browser tests (owned by that area's engineer).
// Each handler gets the command's arguments and returns what the Rust command would, or
// throws a {code, message, hint} object. tests/ipc-mock.ts dispatches to these.

/** The Service Provider Application's client ID the mocked build knows (prefills the field). */
export const KNOWN_SP_CLIENT_ID = '00001111-aaaa-2222-bbbb-3333cccc4444';

const w = window as unknown as { __spKnown?: string | null; __certDelayMs?: number; __certCancel?: () => void };

/** Wait `ms` (tests slow the certificate down to look at its progress), or until cancelled. */
function slow(ms: number): Promise<'done' | 'cancelled'> {
  return new Promise((resolve) => {
    const t = setTimeout(() => { w.__certCancel = undefined; resolve('done'); }, ms);
    w.__certCancel = () => { clearTimeout(t); w.__certCancel = undefined; resolve('cancelled'); };
  });
}
const cancelled = { code: 'identity.cancelled', message: 'The sign-in was cancelled.', hint: 'Start it again when ready.' };
const certInfo = { thumbprint_sha1: '9A4243B422E7DFE0E11D9E83EC4E7512CE7102FD', thumbprint_sha256: '54D1D9679E172D37F7556AA0775C45403B67CB5059523F59916B1F4AE36A8EF5', not_after: '2027-12-02T07:35:02Z' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const handlers: Record<string, (args: any) => unknown> = {
  identity_info: () => {
    const known = w.__spKnown === undefined ? KNOWN_SP_CLIENT_ID : w.__spKnown;
    return { clouds: [], service_provider_configured: !!known, service_provider_client_id: known, redirect_uri: 'http://127.0.0.1/callback' };
  },
  identity_sign_in: (args) => ({
    ok: true, tenant: { id: 'aaaabbbb-0000-cccc-1111-dddd2222eeee', name: 'Contoso', domains: ['contoso.example'] },
    granted: ['User.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.AccessAsUser.All', 'offline_access'], missing: [],
    code: 'identity.ok', message: `Signed in to Contoso with application ${args.request.client_id}; every permission is granted.`, hint: '',
  }),
  identity_cancel: () => null,
  async identity_generate_certificate() {
    if ((await slow(w.__certDelayMs ?? 0)) === 'cancelled') throw cancelled;
    return certInfo;
  },
  async identity_save_certificate(args) {
    if ((await slow(w.__certDelayMs ?? 0)) === 'cancelled') throw cancelled;
    const base = `${args.folder}/${args.name}`;
    return { cer: `${base}.cer`, pem: `${base}.pem`, key: `${base}.key.pem`, info: certInfo };
  },
  identity_cancel_certificate: () => { w.__certCancel?.(); return null; },
};
