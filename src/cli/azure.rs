//! (placeholder; filled by its issue)

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Cmd {
    /// Not available yet
    #[command(hide = true)]
    Unavailable,
}

pub fn run(_cmd: Cmd) -> ExitCode {
    eprintln!("error: this command is not available yet.");
    ExitCode::from(2)
}
