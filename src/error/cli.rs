//! Errors of the command-line front end itself: options that do not fit together and files
//! given on the command line that cannot be used. Codes `cli.*`; every one is an input problem
//! (exit code 2), and its hint may name CLI options because only the CLI shows it.

use super::{Diagnostic, ErrorClass, Registered};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Options that cannot be used together, or one that is missing.
    #[error("{message}")]
    Usage { message: String, hint: String },
    /// A file (or standard input) named on the command line cannot be read.
    #[error("{what} cannot be read ({detail}).")]
    Unreadable { what: String, detail: String },
    /// A connection profile given on the command line is not a usable profile.
    #[error("{message}")]
    Profile { message: String, hint: String },
    /// The password file does not hold a usable password.
    #[error("{0}")]
    Password(&'static str),
    /// The async runtime could not start (out of threads or memory).
    #[error("Cannot start the runtime ({0}).")]
    Runtime(String),
}

impl CliError {
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        CliError::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }
    pub fn unreadable(what: impl Into<String>, detail: impl std::fmt::Display) -> Self {
        CliError::Unreadable {
            what: what.into(),
            detail: detail.to_string(),
        }
    }
    pub fn profile(message: impl Into<String>, hint: impl Into<String>) -> Self {
        CliError::Profile {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl Diagnostic for CliError {
    fn code(&self) -> &'static str {
        match self {
            CliError::Usage { .. } => "cli.usage",
            CliError::Unreadable { .. } => "cli.unreadable",
            CliError::Profile { .. } => "cli.profile",
            CliError::Password(_) => "cli.password",
            CliError::Runtime(_) => "cli.runtime",
        }
    }
    fn hint(&self) -> String {
        match self {
            CliError::Usage { hint, .. } | CliError::Profile { hint, .. } => hint.clone(),
            CliError::Unreadable { .. } => "Check the path and that you may read the file.".into(),
            CliError::Password(_) => {
                "Put the password on the first line of the file, as UTF-8 text.".into()
            }
            CliError::Runtime(_) => {
                "Try again; if it keeps failing, report it with this message.".into()
            }
        }
    }
    fn class(&self) -> ErrorClass {
        match self {
            CliError::Runtime(_) => ErrorClass::Failure,
            _ => ErrorClass::Input,
        }
    }
}

impl Registered for CliError {
    const AREA: &'static str = "cli";
    fn samples() -> Vec<Self> {
        vec![
            CliError::usage(
                "--certificate is for a Customer Owned Application.",
                "Drop --certificate, or use --app customer-owned.",
            ),
            CliError::unreadable("The connection file conn.json", "No such file or directory"),
            CliError::profile(
                "The connection file conn.json is not a connection profile.",
                "Save the profile again from the wizard, or run `h2r-setup validate`.",
            ),
            CliError::Password("The AD service account password is empty."),
            CliError::Runtime("out of threads".into()),
        ]
    }
}
