// The About view (issue 10): version, build commit, the shipped third-party notice, logs.
import { call } from './core';

export interface AboutInfo {
  product: string;
  version: string;
  commit: string;
  tauri_version: string;
  identifier: string;
  log_dir: string;
  notice_path: string;
  notice: string | null;
}

export const aboutInfo = () => call<AboutInfo>('about_info');

/** Opens the OS log folder in the file manager; resolves to its path. */
export const openLogFolder = () => call<string>('open_log_folder');
