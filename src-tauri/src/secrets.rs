//! Secrets typed into the wizard, held in memory only (Tauri managed state).
//!
//! The AD service account's password is asked at the test-connection step. It is never
//! persisted, never logged, never part of a profile or of `Debug` output, and zeroized when
//! replaced, cleared or dropped. Other commands (LDAP test, agent config sealing) read it with
//! [`AdPassword::with`]:
//!
//! ```ignore
//! #[tauri::command]
//! fn ldap_check(session: tauri::State<'_, Session>) -> CmdResult<()> {
//!     session.ad_password.with(|password| { /* use &str */ }).ok_or_else(AdPassword::missing)?;
//!     Ok(())
//! }
//! ```
//!
//! Limit: the IPC layer deserialises the password into a `String` we then own and zeroize;
//! copies inside WebKit's JavaScript heap are outside our control (the UI drops its reference
//! as soon as the value is sent).

use crate::error::{AppError, CmdResult, ShellError};
use crate::session::{Session, Slot};
use zeroize::Zeroizing;

/// Longest password accepted (AD allows 256 characters; leave room).
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Held in the [`Session`](crate::session::Session).
#[derive(Default)]
pub struct AdPassword(Slot<Zeroizing<String>>);

impl std::fmt::Debug for AdPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_set() {
            "AdPassword(<set, redacted>)"
        } else {
            "AdPassword(<unset>)"
        })
    }
}

impl AdPassword {
    /// Replace the held password (the old one is zeroized on drop).
    pub fn set(&self, password: Zeroizing<String>) {
        *self.lock() = Some(password);
    }

    pub fn clear(&self) {
        *self.lock() = None;
    }

    pub fn is_set(&self) -> bool {
        self.lock().is_some()
    }

    /// Run `f` with the password, if one is held. The lock is held while `f` runs: keep it short
    /// (copy into a `Zeroizing<String>` if an async task needs it).
    pub fn with<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.lock().as_ref().map(|p| f(p.as_str()))
    }

    /// The error a command returns when it needs the password and none is held.
    pub fn missing() -> AppError {
        AppError::from(ShellError::NoAdPassword)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Zeroizing<String>>> {
        self.0.lock()
    }
}

/// Hold the AD password in memory. An empty value changes nothing (issue 12): it is never
/// "clear", since an empty field is what the window shows when a step is reopened; forgetting
/// the password is `clear_ad_password`, said explicitly.
#[tauri::command(rename_all = "snake_case")]
pub fn set_ad_password(session: tauri::State<'_, Session>, password: String) -> CmdResult<()> {
    let state = &session.ad_password;
    hold(state, password)
}

fn hold(state: &AdPassword, password: String) -> CmdResult<()> {
    let password = Zeroizing::new(password);
    if password.is_empty() {
        return Ok(());
    }
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ShellError::PasswordTooLong(MAX_PASSWORD_CHARS).into());
    }
    state.set(password);
    Ok(())
}

/// Forget the AD password (zeroized).
#[tauri::command(rename_all = "snake_case")]
pub fn clear_ad_password(session: tauri::State<'_, Session>) {
    let state = &session.ad_password;
    state.clear();
}

/// Whether a password is held (never the password itself).
#[tauri::command(rename_all = "snake_case")]
pub fn ad_password_status(session: tauri::State<'_, Session>) -> bool {
    let state = &session.ad_password;
    state.is_set()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_value_never_clears_the_held_password() {
        let p = AdPassword::default();
        hold(&p, "hunter2".into()).unwrap();
        hold(&p, String::new()).unwrap();
        assert_eq!(p.with(|s| s.to_string()).as_deref(), Some("hunter2"));
        hold(&p, "new-one".into()).unwrap();
        assert_eq!(p.with(|s| s.to_string()).as_deref(), Some("new-one"));
        p.clear();
        assert!(!p.is_set());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let p = AdPassword::default();
        p.set(Zeroizing::new("hunter2".into()));
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("hunter2"));
        assert_eq!(p.with(|s| s.len()), Some(7));
        p.clear();
        assert!(!p.is_set());
        assert_eq!(p.with(|s| s.len()), None);
    }
}
