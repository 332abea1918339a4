//! Hire2Retire Setup core: everything the wizard does, without a window.
//!
//! One module per concept. The Tauri shell (`src-tauri/`) and the `h2r-setup` CLI are thin
//! callers of this crate.

pub mod error;
pub mod profile;
pub mod validate;
pub mod wizard;
pub mod exchange;
pub mod settings;

pub mod keys;
pub mod agent_config;
pub mod ldap;
pub mod identity;
pub mod report;
pub mod support_report;
pub mod platform;

pub use error::{Diagnostic, Problem};
