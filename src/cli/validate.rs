//! `h2r-setup validate --connection FILE [--format json|text]`

use super::output::Format;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The connection profile (JSON); `-` reads standard input
    #[arg(long, value_name = "FILE")]
    pub connection: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(_args: Args) -> ExitCode {
    ExitCode::from(2)
}
