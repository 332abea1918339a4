//! `h2r-setup validate --connection FILE [--format json|text]`
//!
//! Exit 0 valid (warnings allowed), 1 invalid (field errors listed), 2 usage or unreadable file.

use super::output::{print_json, Format};
use h2r_setup::validate::validate_value;
use h2r_setup::Problem;
use std::io::Read;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The connection profile (JSON); `-` reads standard input
    #[arg(long, value_name = "FILE")]
    pub connection: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Largest profile file read (profiles are a few hundred bytes).
const MAX_PROFILE_BYTES: u64 = 1 << 20;

pub fn run(args: Args) -> ExitCode {
    let text = match read_input(&args.connection) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {} is not valid JSON ({e}). A profile is a JSON object; see docs/connection-profile.md.", args.connection);
            return ExitCode::from(2);
        }
    };
    let report = validate_value(&value);
    match args.format {
        Format::Json => print_json(&serde_json::json!({
            "ok": report.ok,
            "errors": report.errors,
            "warnings": report.warnings,
            // The normalised profile (hosts split, port a number), when valid.
            "connection": report.connection,
        })),
        Format::Text => {
            if report.ok {
                println!("ok: the connection profile is valid.");
            } else {
                println!(
                    "The connection profile has {} error(s):",
                    report.errors.len()
                );
            }
            for e in &report.errors {
                print_issue("error", e);
            }
            for w in &report.warnings {
                print_issue("warning", w);
            }
        }
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_issue(level: &str, i: &Problem) {
    let field = match i.field() {
        "" => "(profile)",
        f => f,
    };
    println!("  {level} {field} [{}]: {}", i.code, i.message);
    if !i.hint.is_empty() {
        println!("      hint: {}", i.hint);
    }
}

fn read_input(path: &str) -> Result<String, String> {
    let mut buf = String::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_PROFILE_BYTES)
            .read_to_string(&mut buf)
            .map_err(|e| format!("cannot read the profile from standard input: {e}."))?;
        return Ok(buf);
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}."))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {path}: {e}."))?;
    if !meta.is_file() {
        return Err(format!("{path} is not a file."));
    }
    if meta.len() > MAX_PROFILE_BYTES {
        return Err(format!(
            "{path} is {} bytes; a connection profile is at most {MAX_PROFILE_BYTES} bytes.",
            meta.len()
        ));
    }
    file.take(MAX_PROFILE_BYTES)
        .read_to_string(&mut buf)
        .map_err(|e| format!("cannot read {path}: {e}."))?;
    Ok(buf)
}
