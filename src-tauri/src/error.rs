//! Errors crossing IPC: always `{code, message, hint}` ([`h2r_setup::Problem`]), never a bare
//! string. Commands return [`CmdResult<T>`]; `?` converts any core error that implements
//! [`Diagnostic`] (every core module's error enum does).

use h2r_setup::{Diagnostic, Problem};
use serde::{Serialize, Serializer};

/// A command error. Serialises exactly as the [`Problem`] it wraps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError(pub Problem);

/// What every command returns.
pub type CmdResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        AppError(Problem::new(code, message, hint))
    }

    /// An unexpected failure of the shell itself (store, window, plugin). The detail is shown
    /// because it never contains secrets (secrets are not passed to these APIs).
    pub fn internal(code: &str, what: &str, detail: impl std::fmt::Display) -> Self {
        AppError::new(
            code,
            format!("{what}: {detail}."),
            "Try again; if it keeps failing, restart Hire2Retire Setup and include this message in a support request.",
        )
    }

    pub fn problem(&self) -> &Problem {
        &self.0
    }
}

impl<E: Diagnostic> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(e.to_problem())
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_problem() {
        let e = AppError::new(
            "settings.unreadable",
            "The settings file is unreadable.",
            "Move it away.",
        );
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "settings.unreadable", "message": "The settings file is unreadable.", "hint": "Move it away."})
        );
    }
}
