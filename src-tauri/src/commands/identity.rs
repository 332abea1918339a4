//! Microsoft identity: sign-in, admin consent, certificate credential checks (issue 5).
//!
//! Not available in this build yet: the `sp-signin` and `co-cert` screens say so. Add commands
//! here (thin: call `h2r_setup::identity`) and register them in `lib.rs` under
//! `// --- microsoft identity (issue 5) ---`.
