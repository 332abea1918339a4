//! Non-secret settings persisted by the desktop shell with `tauri-plugin-store`, as one typed
//! struct under one key (`settings`). No secret is ever a field here.

use crate::profile::Connection;
use serde::{Deserialize, Serialize};

/// The store key under which [`Settings`] is saved.
pub const STORE_KEY: &str = "settings";
/// The store file name (in the app's data directory).
pub const STORE_FILE: &str = "settings.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Format version of this struct.
    pub version: u32,
    /// Saved connections, most recently saved first.
    pub connections: Vec<SavedConnection>,
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

    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.connections.len();
        self.connections.retain(|c| c.id != id);
        before != self.connections.len()
    }
}
