//! Non-secret settings persisted by the desktop shell, as one typed struct under one key
//! (`settings`) of a JSON file (the layout `tauri-plugin-store` wrote, so older files load).
//! No secret is ever a field here.
//!
//! Issue 12: the file is read and parsed here, not by the store plugin (which ignores load
//! errors, so a file truncated by a crash loaded as empty and the next save deleted every saved
//! connection). A file that cannot be read, does not parse, or was written by a newer version is
//! an error and is never overwritten; every save goes through the durable atomic write
//! ([`crate::keys::files::write_atomic`]: temp file, fsync, rename, fsync folder).

use crate::profile::Connection;
use serde::{Deserialize, Serialize};

/// The store key under which [`Settings`] is saved.
pub const STORE_KEY: &str = "settings";
/// The store file name (in the app's data directory).
pub const STORE_FILE: &str = "settings.json";
/// Largest settings file read (hundreds of saved connections are well under 1 MiB).
pub const MAX_SETTINGS_BYTES: u64 = 4 << 20;

/// Why the settings file cannot be used. The file is left untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("The saved settings in {path} could not be read ({detail}).")]
    Unreadable { path: String, detail: String },
    #[error("The saved settings in {path} are damaged ({detail}); they were left untouched and nothing was saved.")]
    Damaged { path: String, detail: String },
    #[error("The saved settings in {path} were written by a newer version of Hire2Retire Setup (format {found}, this version reads {supported}); nothing was changed.")]
    NewerVersion {
        path: String,
        found: u64,
        supported: u32,
    },
    #[error("The settings could not be written to {path} ({detail}).")]
    Write { path: String, detail: String },
}

impl crate::error::Registered for SettingsError {
    const AREA: &'static str = "settings";
    fn samples() -> Vec<Self> {
        let path = || "settings.json".to_string();
        vec![
            SettingsError::Unreadable {
                path: path(),
                detail: "permission denied".into(),
            },
            SettingsError::Damaged {
                path: path(),
                detail: "EOF while parsing at line 3".into(),
            },
            SettingsError::NewerVersion {
                path: path(),
                found: 9,
                supported: Settings::CURRENT_VERSION,
            },
            SettingsError::Write {
                path: path(),
                detail: "no space left on device".into(),
            },
        ]
    }
}

impl crate::error::Diagnostic for SettingsError {
    fn code(&self) -> &'static str {
        match self {
            SettingsError::Unreadable { .. } => "settings.unreadable",
            // The same stable code as an unreadable file (the window and the e2e know it).
            SettingsError::Damaged { .. } => "settings.unreadable",
            SettingsError::NewerVersion { .. } => "settings.newer_version",
            SettingsError::Write { .. } => "settings.write",
        }
    }

    fn hint(&self) -> String {
        match self {
            SettingsError::Unreadable { .. } => "Check that the file is yours and readable, then start Hire2Retire Setup again.".into(),
            SettingsError::Damaged { path, .. } => format!(
                "Keep a copy of {path} if it matters, then move it away (or restore it from a backup) and start again: the saved connections start empty. Agent folders on disk are not affected."
            ),
            SettingsError::NewerVersion { .. } => "Use the newer version of Hire2Retire Setup that wrote these settings.".into(),
            SettingsError::Write { .. } => "Check the free space and the permissions of the folder, then save again.".into(),
        }
    }
}

/// Load the settings file at `path`. A missing file is empty settings; anything else that is
/// not a settings file of this or an older version is an error (and the file is not touched).
pub fn load_file(path: &std::path::Path) -> Result<Settings, SettingsError> {
    let shown = path.display().to_string();
    let bytes = match crate::keys::files::read_limited(path, MAX_SETTINGS_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Settings {
                version: Settings::CURRENT_VERSION,
                ..Default::default()
            })
        }
        Err(e) if crate::keys::files::is_too_large(&e) => {
            return Err(SettingsError::Damaged {
                path: shown,
                detail: format!("it is larger than {} MiB", MAX_SETTINGS_BYTES >> 20),
            })
        }
        Err(e) => {
            return Err(SettingsError::Unreadable {
                path: shown,
                detail: e.to_string(),
            })
        }
    };
    let damaged = |detail: String| SettingsError::Damaged {
        path: shown.clone(),
        detail,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(damaged(
            "the file is empty, as after an interrupted write".into(),
        ));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| damaged(format!("not valid JSON: {e}")))?;
    let Some(obj) = value.as_object() else {
        return Err(damaged("it is not a settings object".into()));
    };
    let Some(inner) = obj.get(STORE_KEY) else {
        return Err(damaged(format!("it has no \"{STORE_KEY}\" entry")));
    };
    // A file without a format version is not one this program wrote (every version writes it):
    // an error, never read as "version 0".
    let found = match inner.get("version") {
        None => return Err(damaged("it has no format version".into())),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| damaged(format!("its format version {v} is not a number")))?,
    };
    if found > u64::from(Settings::CURRENT_VERSION) {
        return Err(SettingsError::NewerVersion {
            path: shown,
            found,
            supported: Settings::CURRENT_VERSION,
        });
    }
    serde_json::from_value::<Settings>(inner.clone())
        .map_err(|e| damaged(format!("unexpected content: {e}")))
}

/// Save `settings` to `path` durably and atomically (owner-only). Refused, with the file left
/// as it is, when the file there now is not one [`load_file`] accepts.
pub fn save_file(path: &std::path::Path, settings: &Settings) -> Result<(), SettingsError> {
    load_file(path)?;
    let write = |detail: String| SettingsError::Write {
        path: path.display().to_string(),
        detail,
    };
    let dir = crate::keys::files::parent_of(path);
    if !dir.exists() {
        crate::keys::files::create_private_dir(&dir).map_err(|e| write(e.to_string()))?;
    }
    let mut doc = serde_json::Map::new();
    doc.insert(
        STORE_KEY.to_string(),
        serde_json::to_value(settings).map_err(|e| write(e.to_string()))?,
    );
    let mut bytes = serde_json::to_vec_pretty(&serde_json::Value::Object(doc))
        .map_err(|e| write(e.to_string()))?;
    bytes.push(b'\n');
    crate::keys::files::write_atomic(path, &bytes, crate::keys::files::Access::OwnerOnly)
        .map_err(|e| write(e.to_string()))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Format version of this struct.
    pub version: u32,
    /// Saved connections, most recently saved first.
    pub connections: Vec<SavedConnection>,
    /// How this computer reaches Microsoft (issue 9). Absent: the system proxy.
    #[serde(skip_serializing_if = "NetworkSettings::is_default")]
    pub network: NetworkSettings,
}

/// Network settings of this computer (not of a connection): the explicit proxy for Microsoft
/// sign-in, Graph and Exchange Online. Never holds a password (a proxy address with one is
/// refused by [`crate::identity::proxy::check`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkSettings {
    /// `http(s)://host:port`, normalised; `None`: the system proxy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
}

impl NetworkSettings {
    pub fn is_default(&self) -> bool {
        self == &NetworkSettings::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedConnection {
    /// Stable identifier (random, assigned when first saved).
    pub id: String,
    /// RFC 3339 time of the last save.
    pub saved_at: String,
    /// Whether the connection is complete (created) or a draft.
    #[serde(default)]
    pub complete: bool,
    /// The profile itself (no secrets).
    pub connection: Connection,
    /// The latest LDAPS check of the domain controllers, as the window showed it (no secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldap_check: Option<CheckRecord>,
    /// The latest Exchange Online check of the service account: passed or not, when, for which
    /// features (issue 9). Never a token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_check: Option<crate::exchange::ExchangeCheckRecord>,
}

impl SavedConnection {
    /// The record saved for `connection`, now: it keeps `id` when the connection was reopened
    /// (blank or none: a new random id). A check of another Exchange account than the
    /// connection's says nothing about it and is not kept.
    pub fn new(
        id: Option<String>,
        connection: Connection,
        complete: bool,
        ldap_check: Option<CheckRecord>,
        exchange_check: Option<crate::exchange::ExchangeCheckRecord>,
    ) -> Self {
        let exchange_check =
            crate::exchange::ExchangeCheckRecord::for_connection(exchange_check, &connection);
        SavedConnection {
            id: id
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            saved_at: crate::utc::rfc3339(crate::utc::now_unix()),
            complete,
            connection,
            ldap_check,
            exchange_check,
        }
    }
}

/// The latest result of a check, kept with a saved connection so every later screen (and the
/// start screen's row) says what it said: passed, passed with warnings (listed) or failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRecord {
    pub status: CheckStatus,
    /// RFC 3339 time of the check.
    pub checked_at: String,
    /// The warnings' messages (no secret: host names, rights, certificate facts).
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    Passed,
    PassedWithWarnings,
    Failed,
}

impl Settings {
    pub const CURRENT_VERSION: u32 = 1;

    /// Insert or replace by id, newest first.
    pub fn upsert(&mut self, saved: SavedConnection) {
        self.connections.retain(|c| c.id != saved.id);
        self.connections.insert(0, saved);
        self.version = Self::CURRENT_VERSION;
    }

    /// Set (or, with an empty value, clear) the explicit proxy. An invalid address is a field
    /// error on `proxy` and changes nothing.
    pub fn set_proxy(&mut self, input: Option<&str>) -> Result<(), crate::identity::IdentityError> {
        self.network.proxy = crate::identity::proxy::check(input)?;
        self.version = Self::CURRENT_VERSION;
        Ok(())
    }

    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.connections.len();
        self.connections.retain(|c| c.id != id);
        before != self.connections.len()
    }
}
