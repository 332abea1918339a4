//! Tauri commands, one file per area. Commands are thin: parse → call the core → map errors
//! to [`crate::error::AppError`] (`{code, message, hint}`). Register new commands in
//! `lib.rs` under your area's comment in `generate_handler!`.

pub mod about;
pub mod agent;
pub mod exchange;
pub mod handoff;
pub mod identity;
pub mod keys;
pub mod ldap;
pub mod network;
pub mod profile;
