//! The error shape shared by the CLI, the IPC boundary and reports: a stable machine code,
//! one plain sentence, and what to do about it (the age/rage "error + recommendation" pair).

use serde::{Deserialize, Serialize};

/// `{code, message, hint}`: what crosses IPC and what the CLI prints in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable, dotted, lower-case code such as `keys.wrong_passphrase`. Never reworded.
    pub code: String,
    /// One plain sentence saying what went wrong.
    pub message: String,
    /// What the admin does about it.
    pub hint: String,
}

impl Problem {
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

/// Implemented by every module's error enum so any error becomes a [`Problem`].
pub trait Diagnostic: std::fmt::Display {
    /// Stable code, e.g. `agent_config.modified`.
    fn code(&self) -> &'static str;
    /// What to do about it.
    fn hint(&self) -> String;

    fn to_problem(&self) -> Problem {
        Problem {
            code: self.code().to_string(),
            message: self.to_string(),
            hint: self.hint(),
        }
    }
}

impl Diagnostic for Problem {
    fn code(&self) -> &'static str {
        // Problem carries its code as data; callers use `to_problem`.
        "problem"
    }
    fn hint(&self) -> String {
        self.hint.clone()
    }
    fn to_problem(&self) -> Problem {
        self.clone()
    }
}
