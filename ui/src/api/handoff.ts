// The portal hand-off (issue 11): the values of the Hire2Retire portal's On-Premise service
// connection form, from src-tauri/src/commands/handoff.rs. No secret is part of it.
import { call } from './core';
import type { Draft } from '../types';
import { toPayload } from '../draft';

export interface HandoffDc { hosts: string; port: number; base_dn: string }

export interface Handoff {
  connection_name: string;
  domain_controllers: HandoffDc[];
  public_key_pem: string;
  public_key_fingerprint: string;
  /** The same values as plain text with the portal's labels ("Copy all", the .txt file). */
  text: string;
}

export const handoffValues = (draft: Draft, folder: string) => call<Handoff>('handoff_values', { draft: toPayload(draft), folder });

/** Asks where (save dialog) and writes `<name>.txt` and `<name>.json`; [] when cancelled. */
export const saveHandoff = (draft: Draft, folder: string) => call<string[]>('handoff_save', { draft: toPayload(draft), folder });
