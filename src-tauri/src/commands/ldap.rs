//! Live LDAPS checks of the domain controllers (issue 4).
//!
//! Not available in this build yet: the `ldap-test` screen says so. Add commands here (thin:
//! call `h2r_setup::ldap`) and register them in `lib.rs` under `// --- ldap (issue 4) ---`.
//! The password typed on that screen is held by `crate::secrets::AdPassword`.
