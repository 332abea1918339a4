//! Finishing or rolling back a change a crash interrupted (see `change.rs` for the protocol).

use super::change::{self, Journal, COMMITTED_FILE};
use super::safety::{self, Folder};
use super::{ArchivePolicy, ConfigError, PENDING_DIR};
use serde::Serialize;
use std::path::Path;

/// The state of an interrupted change, as `status` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Interrupted {
    /// Stopped before the switch: the folder still holds the old set; recovery deletes the
    /// unfinished new set.
    BeforeSwitch,
    /// Stopped during or after the switch: recovery installs the rest of the new set (both
    /// private keys are kept until it has).
    DuringSwitch,
}

/// What [`recover`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Recovery {
    /// Nothing was interrupted.
    Nothing,
    /// An unfinished change was discarded; the folder holds the set it held before.
    RolledBack,
    /// An interrupted change was completed; the folder holds the new set.
    Finished {
        archived_to: Option<std::path::PathBuf>,
        warnings: Vec<String>,
    },
}

/// Whether a change was interrupted, and at which stage. Reads only.
pub fn interrupted(dir: &Path) -> Result<Option<Interrupted>, ConfigError> {
    interrupted_in(&Folder::open(dir)?)
}

/// [`interrupted`] for an opened folder.
pub(crate) fn interrupted_in(folder: &Folder) -> Result<Option<Interrupted>, ConfigError> {
    if !safety::absent_or_private_dir(&folder.dir, PENDING_DIR)? {
        return Ok(None);
    }
    Ok(Some(match read_journal(folder)? {
        Some(_) => Interrupted::DuringSwitch,
        None => Interrupted::BeforeSwitch,
    }))
}

fn read_journal(folder: &Folder) -> Result<Option<Journal>, ConfigError> {
    let pending = safety::open_dir(&folder.dir, PENDING_DIR)?;
    match pending.stat(COMMITTED_FILE) {
        Ok(None) | Err(_) => Ok(None),
        Ok(Some(_)) => {
            let bytes = safety::read_bounded(&pending, COMMITTED_FILE, 64 * 1024)?;
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|_| ConfigError::Modified {
                    what: pending.child(COMMITTED_FILE).display().to_string(),
                    detail: "the record of the interrupted change is damaged".into(),
                })
        }
    }
}

/// Finish (after the commit) or roll back (before it) an interrupted change. The caller holds
/// the folder lock.
pub(crate) fn recover_locked(
    folder: &Folder,
    policy: &ArchivePolicy,
) -> Result<Recovery, ConfigError> {
    let dir = &folder.dir;
    if !safety::absent_or_private_dir(dir, PENDING_DIR)? {
        return Ok(Recovery::Nothing);
    }
    match read_journal(folder)? {
        None => {
            dir.remove_tree(PENDING_DIR)
                .map_err(change::io("remove", &dir.child(PENDING_DIR)))?;
            dir.sync().map_err(change::io("sync", dir.path()))?;
            Ok(Recovery::RolledBack)
        }
        Some(journal) => {
            let applied = change::roll_forward(folder, &journal, policy)?;
            Ok(Recovery::Finished {
                archived_to: applied.archived_to,
                warnings: applied.warnings,
            })
        }
    }
}

/// `agent-config recover`: take the lock, then finish or roll back an interrupted change.
pub fn recover(dir: &Path, policy: &ArchivePolicy) -> Result<Recovery, ConfigError> {
    let folder = Folder::open(dir)?;
    change::lock_folder(&folder)?;
    recover_locked(&folder, policy)
}
