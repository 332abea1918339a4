//! Key pair, agent config and rotation commands (issue 3).
//!
//! Not available in this build yet: the `keypair`, `create` and `rotate` screens say so.
//! Add commands here (thin: call `h2r_setup::keys` / `h2r_setup::agent_config`) and register
//! them in `lib.rs` under `// --- keys / agent config / rotation (issue 3) ---`.
//! The AD password for sealing the agent config is in `crate::secrets::AdPassword`;
//! settings load/save helpers are `crate::commands::profile::{load_settings, save_settings}`.
