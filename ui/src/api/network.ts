// Network settings of this computer (issue 9): the proxy for Microsoft sign-in, Graph and
// Exchange Online. Typed wrappers around src-tauri/src/commands/network.rs. The sign-in commands
// read the saved proxy themselves; the window never sends it with a sign-in.
import { call } from './core';

export interface NetworkSettings {
  /** `http(s)://host:port`, or absent: this computer's proxy settings. */
  proxy?: string | null;
}

export const networkSettings = () => call<NetworkSettings>('network_settings');

/** Save the proxy (empty: use this computer's settings). Rejects with a Problem when invalid. */
export const setProxy = (proxy: string) => call<NetworkSettings>('network_set_proxy', { proxy });
