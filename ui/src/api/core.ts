// The ONLY module that talks to the Rust side. Everything else calls `call()` through the
// per-area modules (profile.ts, keys.ts, ldap.ts, identity.ts, shell.ts).
import { invoke } from '@tauri-apps/api/core';
import type { ErrorCode, Problem } from '../types';

/** An IPC failure, carrying the Rust side's `{code, message, hint}`. */
export class ProblemError extends Error implements Problem {
  readonly code: ErrorCode;
  readonly hint: string;
  constructor(p: Problem) {
    super(p.message);
    this.name = 'ProblemError';
    this.code = p.code;
    this.hint = p.hint;
  }
  get problem(): Problem {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

function isProblem(v: unknown): v is Problem {
  return (
    typeof v === 'object' && v !== null &&
    typeof (v as Problem).code === 'string' &&
    typeof (v as Problem).message === 'string'
  );
}

/** Normalise anything thrown by `invoke` into a Problem. */
export function toProblem(e: unknown): Problem {
  if (e instanceof ProblemError) return e.problem;
  if (isProblem(e)) return { code: e.code, message: e.message, hint: typeof e.hint === 'string' ? e.hint : '' };
  const text = e instanceof Error ? e.message : String(e);
  if (!hasBackend()) {
    return {
      code: 'app.no_backend',
      message: 'This page is not running inside Hire2Retire Setup, so nothing can be checked or saved.',
      hint: 'Start the desktop app (./scripts/launch.sh) instead of opening the page in a browser.',
    };
  }
  // Plugins and Tauri itself reject with plain strings.
  return { code: 'app.ipc', message: text.endsWith('.') ? text : `${text}.`, hint: 'Try again; if it keeps failing, restart Hire2Retire Setup.' };
}

/** Whether the Tauri IPC is present (false in a plain browser). */
export function hasBackend(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** Call a Rust command. Rejects with a ProblemError (`{code, message, hint}`). */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw new ProblemError(toProblem(e));
  }
}
