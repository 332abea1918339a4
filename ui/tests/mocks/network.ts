// Mocked network settings (issue 9): the proxy field. A small stand-in for the core's check
// (h2r_setup::identity::proxy): http(s)://host[:port], no user name or password.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const w = window as unknown as { __network: { proxy?: string } };
w.__network = w.__network ?? {};

function check(raw: string): string | undefined {
  const v = raw.trim();
  if (!v) return undefined;
  const bad = (message: string) => ({ code: 'identity.invalid_input', message, hint: 'Type the proxy as http://host:port.' });
  let u: URL;
  try { u = new URL(v.includes('://') ? v : `http://${v}`); } catch { throw bad('The proxy address is not a valid address.'); }
  if (u.username || u.password) throw bad('A proxy address with a user name or password is not accepted.');
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad('The proxy address must start with http:// or https://.');
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${u.hostname}:${port}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const handlers: Record<string, (args: any) => unknown> = {
  network_settings: () => ({ ...w.__network }),
  network_set_proxy: (args: { proxy: string }) => {
    const proxy = check(args.proxy);
    w.__network = proxy ? { proxy } : {};
    return { ...w.__network };
  },
};
