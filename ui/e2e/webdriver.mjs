// A minimal W3C WebDriver client (fetch only) for Debian's WebKitWebDriver driving the real app.
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** W3C WebDriver key codes. */
export const Key = { Tab: '\uE004', Enter: '\uE007', Space: '\uE00D', ArrowRight: '\uE014', ArrowDown: '\uE015' };

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, binary, { timeoutMs = 60000 } = {}) {
    const caps = { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary, args: [] } } } };
    const value = await request(base, 'POST', '/session', caps, timeoutMs);
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }

  click(el) {
    return this.cmd('POST', `/element/${el}/click`, {});
  }

  async clickCss(css) {
    return this.click(await this.find(css));
  }

  type(el, text) {
    return this.cmd('POST', `/element/${el}/value`, { text });
  }

  clear(el) {
    return this.cmd('POST', `/element/${el}/clear`, {});
  }

  async text(css) {
    return this.cmd('GET', `/element/${await this.find(css)}/text`);
  }

  exec(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Press keys (W3C key actions): e.g. press(Key.Tab), press('a', 'b'). */
  async press(...keys) {
    const actions = keys.flatMap((k) => [{ type: 'keyDown', value: k }, { type: 'keyUp', value: k }]);
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  execAsync(script, ...args) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  /** Poll a JS predicate (a function body returning truthy) until true. */
  async waitFor(script, what, timeoutMs = 15000, ...args) {
    const end = Date.now() + timeoutMs;
    let last = null;
    for (;;) {
      try {
        const v = await this.exec(script, ...args);
        if (v) return v;
      } catch (e) {
        // The page may be (re)loading while the app starts: poll again.
        last = e;
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close() {
    return request(this.base, 'DELETE', `/session/${this.id}`);
  }
}

async function request(base, method, path, body, timeoutMs = 30000) {
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json; charset=utf-8' } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    const e = json.value ?? {};
    throw new Error(`WebDriver ${method} ${path}: ${e.error ?? res.status} ${e.message ?? ''}`);
  }
  return json.value;
}
