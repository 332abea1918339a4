//! Microsoft identity platform: national clouds, sign-in, consent (issue 5).

pub mod permissions;
