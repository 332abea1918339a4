//! Hire2Retire Setup core: everything the wizard does, without a window.
//!
//! One module per concept. The Tauri shell (`src-tauri/`) and the `h2r-setup` CLI are thin
//! callers of this crate.

#![forbid(unsafe_code)]

pub mod error;
pub mod exchange;
pub mod profile;
pub mod settings;
pub mod validate;
pub mod wizard;

pub mod agent_config;
pub mod cancel;
pub mod identity;
pub mod keys;
pub mod ldap;
pub mod platform;
pub mod report;
pub mod sensitive;
pub mod support_report;
pub mod utc;

pub use error::{Diagnostic, Problem};
