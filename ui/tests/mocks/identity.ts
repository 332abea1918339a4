// Mocked IPC commands of the identity area for the browser tests (owned by that area's engineer).
// Each handler gets the command's arguments and returns what the Rust command would, or
// throws a {code, message, hint} object. tests/ipc-mock.ts dispatches to these.

/** The Service Provider Application's client ID the mocked build knows (prefills the field). */
export const KNOWN_SP_CLIENT_ID = '00001111-aaaa-2222-bbbb-3333cccc4444';

const w = window as unknown as { __spKnown?: string | null };

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
};
