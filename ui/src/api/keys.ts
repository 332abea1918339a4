// Key pair, agent config (create step) and rotation — issue 3 fills this.
// Add typed wrappers around `call()` for the commands in src-tauri/src/commands/keys.rs.
// Until then the keypair, create and rotate screens say the capability is not available.

/** Whether this build can generate keys and write the agent folder. */
export const KEYS_AVAILABLE = false;
