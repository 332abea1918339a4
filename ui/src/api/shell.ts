// Desktop integration through Tauri plugins (clipboard, system browser).
import { call } from './core';

/** Copy text with the clipboard-manager plugin (WebKitGTK's navigator.clipboard is unreliable). */
export const copyText = (text: string) => call<void>('plugin:clipboard-manager|write_text', { text });

/** Open an https link in the system browser. */
export const openUrl = (url: string) => call<void>('plugin:opener|open_url', { url });
