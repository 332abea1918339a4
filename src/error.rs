//! The error shape shared by the CLI, the IPC boundary and reports: a stable machine code,
//! one plain sentence, and what to do about it (the age/rage "error + recommendation" pair).
//!
//! Every module's error enum implements [`Diagnostic`] (code, hint, class) and [`Registered`]
//! (one sample of every variant); [`registry`] walks them all, a test checks every code is
//! unique, prefixed by its area and has a hint, and `docs/error-codes.md` plus the window's
//! `ui/src/api/error-codes.ts` are generated from the same list.

pub mod cli;
pub mod registry;

use serde::{Deserialize, Serialize};

/// Whose move it is: the input given is wrong (the CLI exits 2), or a check or operation
/// failed on valid input (the CLI exits 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// The admin's input (a field, an option, a file given) is not usable.
    Input,
    /// A check or an operation failed.
    #[default]
    Failure,
}

impl ErrorClass {
    /// The CLI's exit code for an error of this class: 2 for input problems, 1 for failures.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorClass::Input => 2,
            ErrorClass::Failure => 1,
        }
    }
}

/// `{code, message, hint}`: what crosses IPC and what the CLI prints in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable, dotted, lower-case code such as `keys.wrong_passphrase`. Never reworded.
    pub code: String,
    /// One plain sentence saying what went wrong.
    pub message: String,
    /// What the admin does about it.
    pub hint: String,
    /// The field it is about, as a path such as `domain_controllers[0].hosts[1]` (validation
    /// problems; empty for the draft as a whole), or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Input problem or failure (decides the CLI's exit code; not serialised).
    #[serde(skip)]
    pub class: ErrorClass,
}

impl Problem {
    /// A failure (exit code 1 in the CLI).
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            hint: hint.into(),
            field: None,
            class: ErrorClass::Failure,
        }
    }

    /// The same problem, about one field.
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The field this problem is about (empty when it names none).
    pub fn field(&self) -> &str {
        self.field.as_deref().unwrap_or("")
    }

    /// The same problem, classed as an input problem (exit code 2 in the CLI).
    pub fn as_input(mut self) -> Self {
        self.class = ErrorClass::Input;
        self
    }

    /// The CLI's exit code for this problem.
    pub fn exit_code(&self) -> u8 {
        self.class.exit_code()
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
    /// Input problem or failure; failures unless the enum says otherwise.
    fn class(&self) -> ErrorClass {
        ErrorClass::Failure
    }

    fn to_problem(&self) -> Problem {
        Problem {
            code: self.code().to_string(),
            message: self.to_string(),
            hint: self.hint(),
            field: None,
            class: self.class(),
        }
    }
}

/// An error enum whose every code is in the [`registry`].
pub trait Registered: Diagnostic + Sized {
    /// The area prefix of every code (`keys` for `keys.*`).
    const AREA: &'static str;
    /// One value of every variant (and of every code a variant can take), for the registry.
    fn samples() -> Vec<Self>;
}
