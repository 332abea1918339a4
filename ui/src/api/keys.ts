// Key pair, agent config (create step) and rotation (issue 3): typed wrappers around the
// commands in src-tauri/src/commands/keys.rs. The private key never reaches the webview: the
// app holds it in memory until "Create agent config" writes it into the agent folder.
import { Channel } from '@tauri-apps/api/core';
import { call } from './core';
import type { Draft } from '../types';
import { toPayload } from '../draft';

// Key sizes and the default come from the core (app_info: key_sizes, default_bits).

export interface KeyInfo {
  /** RFC 7638 JWK SHA-256 thumbprint (base64url), also the config's key ID. */
  fingerprint: string;
  bits: number;
  public_key_pem: string;
  origin: 'generated' | 'imported';
}

export interface KeygenProgress { bits: number; elapsed_ms: number; typical_ms: number }

export interface FolderInfo {
  dir: string;
  fingerprint: string;
  bits: number;
  origin: 'generated' | 'imported';
  generation: string;
  public_key_pem: string;
  agent_files: string[];
  /** Every file written (agent files and publicKey.pem), when reported. */
  written?: string[];
  /** Problems after the new set went live (it is live and in use), when reported. */
  warnings?: string[];
  /** The profile naming the key and the folder, as the core updated it (what the wizard saves). */
  connection?: { agent_key?: { fingerprint: string; bits: number; origin: string }; agent_folder?: string; [k: string]: unknown };
}

export interface FolderStatus {
  dir: string;
  fingerprint: string;
  bits: number;
  config_kid: string;
  origin: 'generated' | 'imported';
  passphrase_protected: boolean;
  generation: string | null;
  archived: string[];
  /** The public key as PEM (when the core reports it). */
  public_key_pem?: string;
  /** `ready`, `interrupted_before_switch`, `interrupted_during_switch` or `key_mismatch` (when reported). */
  state?: 'ready' | 'interrupted_before_switch' | 'interrupted_during_switch' | 'key_mismatch';
  /** When the live key files were written (RFC 3339), when reported. */
  key_written_at?: string | null;
  /** When the set was last replaced (a rotation), when known. */
  last_changed_at?: string | null;
  /** Where replaced sets are kept (outside the folder), when reported. */
  archive_dir?: string;
}

export interface RotationReport {
  dir: string;
  origin: 'generated' | 'imported';
  old_fingerprint: string;
  new_fingerprint: string;
  bits: number;
  public_key_pem: string;
  generation: string;
  archived_to: string | null;
}

function progressChannel(onProgress: (p: KeygenProgress) => void): Channel<KeygenProgress> {
  const ch = new Channel<KeygenProgress>();
  ch.onmessage = onProgress;
  return ch;
}

/** Generate a key pair in the app (off the UI thread). Cancel with `cancelKeygen()`. */
export const generateKey = (bits: number, onProgress: (p: KeygenProgress) => void) =>
  call<KeyInfo>('keys_generate', { bits, on_progress: progressChannel(onProgress) });

export const cancelKeygen = () => call<void>('keys_cancel');

/** Use an existing public key (pasted PEM). */
export const importKey = (pem: string) => call<KeyInfo>('keys_import', { pem });
export const importKeyFile = (path: string) => call<KeyInfo>('keys_import_file', { path });

/** The key held for this wizard run, if any. */
export const pendingKey = () => call<KeyInfo | null>('keys_pending');
export const discardKey = () => call<void>('keys_discard');

/** Write the agent folder (private key if generated + config.jwe with the AD password held in memory). */
export const createAgentFolder = (draft: Draft, folder: string, passphrase: string | null, replace: boolean) =>
  call<FolderInfo>('agent_create', { draft: toPayload(draft), folder, passphrase: passphrase || null, replace });

export const agentFolderStatus = (folder: string) => call<FolderStatus>('agent_folder_status', { folder });

/** Rotate a saved connection's keys; the saved connection is updated by the app. */
export const rotateKeys = (
  connectionId: string,
  opts: { bits?: number | null; passphrase?: string | null; publicKeyPem?: string | null },
  onProgress: (p: KeygenProgress) => void,
) =>
  call<RotationReport>('keys_rotate', {
    connection_id: connectionId,
    bits: opts.bits ?? null,
    passphrase: opts.passphrase || null,
    public_key_pem: opts.publicKeyPem || null,
    on_progress: progressChannel(onProgress),
  });

/** Folder picker (dialog plugin). */
export const pickAgentFolder = () =>
  call<string | null>('plugin:dialog|open', { options: { directory: true, multiple: false, title: 'Folder for the agent (mounted at /config)' } });

/** Result of re-sealing a new AD password into a saved connection's agent folder. */
export interface PasswordChange {
  dir: string;
  fingerprint: string;
  /** RFC 3339 time of the change. */
  changed_at: string;
  /** What is left to do (restart the agent), in the core's words. */
  next_step?: string;
  warnings?: string[];
}

/**
 * Re-seal the AD password held in the app's memory into the connection's `config.jwe`, with the
 * current key (the core checks it by a bind against the DCs first; a wrong password changes
 * nothing on disk). `passphrase`: of privateKey.pem, when it has one.
 */
export const changeAdPassword = (connectionId: string, passphrase: string | null) =>
  call<PasswordChange>('agent_set_password', { connection_id: connectionId, passphrase: passphrase || null });
