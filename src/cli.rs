//! One file per CLI area; each exposes `Cmd`/`Args` (clap) and `run(..) -> ExitCode`.
//! Commands parse, call the core, print; they hold no logic of their own.

pub mod agent_config;
pub mod azure;
pub mod exchange;
pub mod keys;
pub mod ldap;
pub mod output;
pub mod support_report;
pub mod validate;
