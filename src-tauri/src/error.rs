//! Errors crossing IPC: always `{code, message, hint}` ([`h2r_setup::Problem`]), never a bare
//! string. Commands return [`CmdResult<T>`]; `?` converts any core error that implements
//! [`Diagnostic`] (every core module's error enum does).

use h2r_setup::error::{ErrorClass, Registered};
use h2r_setup::{Diagnostic, Problem};
use serde::{Serialize, Serializer};

/// A command error. Serialises exactly as the [`Problem`] it wraps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError(pub Problem);

/// What every command returns.
pub type CmdResult<T> = Result<T, AppError>;

impl AppError {
    pub fn problem(&self) -> &Problem {
        &self.0
    }
}

/// The shell's own errors: steps taken out of order, a background task that stopped, the log
/// folder. Every code is in the registry (`docs/error-codes.md`); no error crosses IPC without
/// a hint.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    #[error("The AD service account's password has not been entered.")]
    NoAdPassword,
    #[error("The password is longer than {0} characters.")]
    PasswordTooLong(usize),
    #[error("The settings folder could not be found: {0}.")]
    SettingsFolder(String),
    /// A background task stopped (panicked or was dropped); `what` says which.
    #[error("{what}: {detail}.")]
    Stopped { what: String, detail: String },
    #[error("The connection was not saved: {0}.")]
    ProfileInvalid(String),
    #[error("The window asked to sign in through another address than the cloud's own; this is refused.")]
    OverrideRefused,
    #[error("No certificate credential is loaded.")]
    NoCertificate,
    #[error("The log folder {path} could not be found or created: {detail}.")]
    LogFolder { path: String, detail: String },
    #[error("The log folder {path} could not be opened: {detail}.")]
    OpenLogFolder { path: String, detail: String },
    /// A step of the Hybrid On-Premise kind was asked for another kind of connection.
    #[error("{0} is part of a Hybrid On-Premise connection only.")]
    NotHybrid(&'static str),
    #[error("This connection's agent folder is not known yet.")]
    NoAgentFolder,
    #[error("Choose the folder for the agent (an absolute path).")]
    FolderNotChosen,
    #[error("There is no publicKey.pem in {0}.")]
    NoPublicKey(String),
    #[error("This saved connection no longer exists.")]
    UnknownConnection,
    #[error("No key pair has been generated or imported yet.")]
    NoKey,
    /// The domain controllers or the account of the draft are not valid (the first field issue
    /// and its hint, from the core's validation).
    #[error("The domain controllers are not valid: {detail}.")]
    InvalidDomainControllers { detail: String, hint: String },
    #[error("Could not write {path}: {detail}.")]
    HandoffWrite { path: String, detail: String },
}

impl ShellError {
    /// A background task (spawn_blocking, a dialog) that stopped; never holds a secret.
    pub fn stopped(what: &str, detail: impl std::fmt::Display) -> Self {
        ShellError::Stopped {
            what: what.to_string(),
            detail: detail.to_string(),
        }
    }
}

impl Diagnostic for ShellError {
    fn code(&self) -> &'static str {
        match self {
            ShellError::NoAdPassword => "secrets.no_ad_password",
            ShellError::PasswordTooLong(_) => "secrets.password_too_long",
            ShellError::SettingsFolder(_) => "app.settings_folder",
            ShellError::Stopped { .. } => "app.internal",
            ShellError::ProfileInvalid(_) => "app.invalid_connection",
            ShellError::OverrideRefused => "app.override_refused",
            ShellError::NoCertificate => "app.no_certificate",
            ShellError::LogFolder { .. } => "about.log_dir",
            ShellError::OpenLogFolder { .. } => "about.open_log_folder",
            ShellError::NotHybrid(_) => "app.not_hybrid",
            ShellError::NoAgentFolder => "agent.no_folder",
            ShellError::FolderNotChosen => "agent.folder_not_chosen",
            ShellError::NoPublicKey(_) => "handoff.no_folder",
            ShellError::UnknownConnection => "app.unknown_connection",
            ShellError::NoKey => "app.no_key",
            ShellError::InvalidDomainControllers { .. } => "app.invalid_domain_controllers",
            ShellError::HandoffWrite { .. } => "handoff.write",
        }
    }

    fn hint(&self) -> String {
        if let ShellError::InvalidDomainControllers { hint, .. } = self {
            return hint.clone();
        }
        match self {
            ShellError::InvalidDomainControllers { .. } => unreachable!("returned above"),
            ShellError::NoAdPassword => "Enter the password on the Test connection step; it is kept in memory only and must be entered again after a restart.",
            ShellError::PasswordTooLong(_) => "Check that the right value was pasted into the password field.",
            ShellError::SettingsFolder(_) | ShellError::Stopped { .. } => "Try again; if it keeps failing, restart Hire2Retire Setup and include this message in a support request.",
            ShellError::ProfileInvalid(_) => "Correct the highlighted fields, then save again.",
            ShellError::OverrideRefused => "Choose the national cloud on the form; other sign-in addresses are not offered in the window.",
            ShellError::NoCertificate => "Generate a certificate (or load the saved one) first.",
            ShellError::LogFolder { .. } => "Check that your user may write to that folder.",
            ShellError::OpenLogFolder { .. } => "Open the folder in your file manager yourself; its path is shown above.",
            ShellError::NotHybrid(_) => "Azure AD connections need no agent, keys or domain controllers; they are finished in the portal with the values on the summary.",
            ShellError::NoAgentFolder => "Write the agent folder on the Create step first.",
            ShellError::FolderNotChosen => "Use \"Choose folder…\" to pick it.",
            ShellError::NoPublicKey(_) => "Write the agent folder on the Create step first, or locate the folder where it is now.",
            ShellError::UnknownConnection => "Go back to the start screen and pick it again.",
            ShellError::NoKey => "Go back to the Key pair step.",
            ShellError::HandoffWrite { .. } => "Choose a folder you may write to, for example your Documents folder.",
        }
        .to_string()
    }

    fn class(&self) -> ErrorClass {
        match self {
            ShellError::PasswordTooLong(_)
            | ShellError::ProfileInvalid(_)
            | ShellError::FolderNotChosen
            | ShellError::InvalidDomainControllers { .. } => ErrorClass::Input,
            _ => ErrorClass::Failure,
        }
    }
}

impl Registered for ShellError {
    /// The shell's codes belong to several window-only areas (and `secrets`, `profile`).
    const AREA: &'static str = "";
    fn samples() -> Vec<Self> {
        let p = || "/home/admin/h2r-agent".to_string();
        vec![
            ShellError::NoAdPassword,
            ShellError::PasswordTooLong(1024),
            ShellError::SettingsFolder("no home directory".into()),
            ShellError::stopped("Writing the agent folder stopped", "task panicked"),
            ShellError::ProfileInvalid(
                "Base DN is required (domain_controllers[0].base_dn)".into(),
            ),
            ShellError::OverrideRefused,
            ShellError::NoCertificate,
            ShellError::LogFolder {
                path: p(),
                detail: "permission denied".into(),
            },
            ShellError::OpenLogFolder {
                path: p(),
                detail: "no file manager".into(),
            },
            ShellError::NotHybrid("The on-prem agent"),
            ShellError::NoAgentFolder,
            ShellError::FolderNotChosen,
            ShellError::NoPublicKey(p()),
            ShellError::UnknownConnection,
            ShellError::NoKey,
            ShellError::InvalidDomainControllers {
                detail: "Host is required (domain_controllers[0].hosts)".into(),
                hint: "Type the domain controller's DNS name.".into(),
            },
            ShellError::HandoffWrite {
                path: p(),
                detail: "permission denied".into(),
            },
        ]
    }
}

/// Codes the window's own TypeScript produces (nothing to ask the Rust side: two fields that
/// must match, no backend at all). Listed so the window's `ErrorCode` type and the document
/// know them.
fn window_codes() -> Vec<h2r_setup::error::registry::Entry> {
    use h2r_setup::error::registry::Entry;
    let e = |area, code: &str, class, message: &str, hint: &str| Entry {
        code: code.into(),
        area,
        class: Some(class),
        message: message.into(),
        hint: hint.into(),
    };
    vec![
        e("app", "app.no_backend", ErrorClass::Failure, "This page is not running inside Hire2Retire Setup, so nothing can be checked or saved.", "Start the desktop app instead of opening the page in a browser."),
        e("app", "app.ipc", ErrorClass::Failure, "The window could not reach the app (an IPC failure).", "Try again; if it keeps failing, restart Hire2Retire Setup."),
        e("app", "app.unknown_step", ErrorClass::Failure, "The step \"x\" has no screen in this build.", "Please report this; go Back to continue."),
        e("secrets", "secrets.password_mismatch", ErrorClass::Input, "The two passwords differ.", "Type the same new password twice."),
        e("keys", "keys.passphrase_mismatch", ErrorClass::Input, "The two passphrases differ.", "Type the same passphrase twice, or leave both empty."),
e("ldap", "ldap.tls.ca_file_missing", ErrorClass::Input, "Enter the path of your CA certificate file.", "Export the CA certificate as Base-64 (PEM)."),
                e("identity", "identity.passphrase_mismatch", ErrorClass::Input, "The two passphrases differ.", "Type the same passphrase twice."),
    ]
}

/// Every code that can cross IPC or be shown by the window: the core's, the shell's and the
/// window's own.
pub fn all_codes() -> Vec<h2r_setup::error::registry::Entry> {
    let mut v = h2r_setup::error::registry::core();
    v.extend(h2r_setup::error::registry::entries_of::<ShellError>());
    v.extend(window_codes());
    v
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
        let e = AppError(Problem::new(
            "settings.unreadable",
            "The settings file is unreadable.",
            "Move it away.",
        ));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"code": "settings.unreadable", "message": "The settings file is unreadable.", "hint": "Move it away."})
        );
    }

    /// Every code that can cross IPC is unique, has its area's prefix and a hint that reads right
    /// in the window; `docs/error-codes.md` and `ui/src/api/error-codes.ts` are generated from
    /// the same list (`H2R_BLESS=1` rewrites them).
    #[test]
    fn error_codes_are_registered_and_documented() {
        use h2r_setup::error::registry;
        let all = all_codes();
        let faults = registry::check(&all);
        assert!(faults.is_empty(), "{}", faults.join("\n"));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for (file, text) in [
            ("docs/error-codes.md", registry::render_markdown(&all)),
            (
                "ui/src/api/error-codes.ts",
                registry::render_typescript(&all),
            ),
        ] {
            let path = root.join(file);
            if std::env::var_os("H2R_BLESS").is_some() {
                std::fs::write(&path, &text).unwrap();
            }
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                on_disk == text,
                "{file} is stale: run `H2R_BLESS=1 cargo test -p h2r-setup-app error_codes`"
            );
        }
    }
}
