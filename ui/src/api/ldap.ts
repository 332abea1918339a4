// Live LDAPS checks of the domain controllers — issue 4 fills this.
// Add typed wrappers around `call()` for the commands in src-tauri/src/commands/ldap.rs.
// Until then the ldap-test screen says the check is not available.

/** Whether this build can test domain controllers live. */
export const LDAP_AVAILABLE = false;
