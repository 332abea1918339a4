// Microsoft sign-in, admin consent and certificate checks — issue 5 fills this.
// Add typed wrappers around `call()` for the commands in src-tauri/src/commands/identity.rs.
// Until then the sp-signin and co-cert screens say the capability is not available.

/** Whether this build can sign in to Microsoft / check a certificate credential. */
export const IDENTITY_AVAILABLE = false;
