//! Shared printing helpers for the CLI.

use h2r_setup::Problem;
use std::process::ExitCode;

/// Output format shared by the commands that offer `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Text,
}

/// Print one clear sentence (and the hint) on stderr and exit with the problem's own exit code
/// (2 for input problems, 1 for failures: [`Problem::exit_code`]).
pub fn fail(problem: &Problem) -> ExitCode {
    if problem.hint.is_empty() {
        eprintln!("error: {}", problem.message);
    } else {
        eprintln!("error: {} {}", problem.message, problem.hint);
    }
    ExitCode::from(problem.exit_code())
}

/// Pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("serialisable")
    );
}
