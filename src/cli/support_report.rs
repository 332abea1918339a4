//! `h2r-setup support-report --out FILE.zip [--connection FILE] [--check NAME=FILE]… [--log FILE]…`

use super::keys::problem_exit;
use super::output::print_json;
use clap::Parser;
use h2r_setup::error::cli::CliError;
use h2r_setup::support_report::{self, Redactor, ReportInput};
use h2r_setup::Diagnostic;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
pub struct Args {
    /// Where to write the report (a ZIP; owner-only)
    #[arg(long, value_name = "FILE.zip")]
    out: PathBuf,
    /// The connection profile to include (it holds no secret; redacted anyway)
    #[arg(long, value_name = "FILE")]
    connection: Option<PathBuf>,
    /// A check result to include, as NAME=FILE (e.g. ldap=check.json from `ldap check --format json`)
    #[arg(long, value_name = "NAME=FILE")]
    check: Vec<String>,
    /// A log file to take the last lines of (default: the desktop app's log folder)
    #[arg(long, value_name = "FILE")]
    log: Vec<PathBuf>,
    /// A secret to make sure is not in the report, from this file's first line (repeatable)
    #[arg(long, value_name = "F")]
    redact_file: Vec<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let mut input = ReportInput::default();
    if let Some(c) = &args.connection {
        match support_report::read_connection(c) {
            Ok(v) => input.connection = Some(v),
            Err(e) => return problem_exit(&e),
        }
    }
    for spec in &args.check {
        let Some((name, file)) = spec.split_once('=') else {
            return super::output::fail(
                &CliError::usage(
                    format!("--check {spec} is not NAME=FILE."),
                    "For example --check ldap=check.json.",
                )
                .to_problem(),
            );
        };
        match support_report::read_connection(std::path::Path::new(file)) {
            Ok(v) => input.checks.push((name.to_string(), v)),
            Err(e) => return problem_exit(&e),
        }
    }
    input.log_files = if args.log.is_empty() {
        support_report::default_log_dir()
            .map(|d| support_report::log_files_in(&d))
            .unwrap_or_default()
    } else {
        args.log.clone()
    };
    let mut redactor = Redactor::new();
    for f in &args.redact_file {
        match h2r_setup::keys::files::read_limited_text(f, 64 * 1024) {
            Ok(t) => {
                let line = t.lines().next().unwrap_or("");
                redactor.secret(line);
            }
            Err(e) => {
                return super::output::fail(
                    &CliError::unreadable(f.display().to_string(), e).to_problem(),
                )
            }
        }
    }
    match support_report::write(&args.out, &input, &redactor) {
        Ok(files) => {
            print_json(&serde_json::json!({ "out": args.out, "files": files }));
            ExitCode::SUCCESS
        }
        Err(e) => problem_exit(&e),
    }
}
