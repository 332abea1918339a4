//! One change of the agent folder (create over an existing set, rotation, new password), done
//! so that a crash at any point loses nothing:
//!
//! 1. `DIR/.h2r-pending/new/` receives the complete new set and `DIR/.h2r-pending/old/` a copy
//!    of the current set (every file and folder fsynced). A crash here: the folder is untouched;
//!    recovery deletes `.h2r-pending` (roll back).
//! 2. `DIR/.h2r-pending/COMMITTED` is written atomically (the point of no return).
//! 3. Each new file is renamed over its stable name (`rename(2)` replaces a file atomically).
//!    A crash here: recovery renames the rest (roll forward). Until it completes, both the old
//!    and the new private key exist (`old/` and `new/` or the stable name), so the private key
//!    that matches the live `config.jwe` is never lost.
//! 4. `old/` is moved to the archive outside the folder, the retention applied, a folder of the
//!    older link layout cleaned up, and `.h2r-pending` removed. A failure here is a warning:
//!    the new set is already live.

use super::safety::{self, Entry};
use super::{
    ArchivePolicy, ConfigError, ARCHIVE_DIR, CURRENT_LINK, GENERATIONS_DIR, MAX_FILE_LEN,
    PENDING_DIR, STABLE_NAMES,
};
use crate::keys::files::{self, Access};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

pub(crate) const COMMITTED_FILE: &str = "COMMITTED";
const NEW_DIR: &str = "new";
const OLD_DIR: &str = "old";

/// The journal written at the point of no return.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Journal {
    /// Stable names the new set writes.
    pub install: Vec<String>,
    /// Stable names the new set removes (the private key when switching to an imported key).
    pub remove: Vec<String>,
    /// Thumbprint of the set being replaced (names the archive entry).
    pub old_kid: Option<String>,
    pub new_kid: String,
    /// When the change was committed (UTC, `YYYYMMDDTHHMMSSZ`).
    pub at: String,
}

/// Crash-test hook: with the test feature, `H2R_SETUP_TEST_PAUSE_AT=N` stops the process at the
/// N-th write point (prints `H2R_SETUP_PAUSED N <point>` on stderr and sleeps) so a test can
/// SIGKILL it there. Without the feature it compiles to nothing.
#[cfg(feature = "test-hooks")]
pub(crate) fn fault_point(name: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let Some(target) = std::env::var(super::PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    let n = COUNT.fetch_add(1, Ordering::SeqCst) + 1;
    if n == target {
        use std::io::Write;
        let mut err = std::io::stderr();
        let _ = writeln!(err, "H2R_SETUP_PAUSED {n} {name}");
        let _ = err.flush();
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

#[cfg(not(feature = "test-hooks"))]
#[inline(always)]
pub(crate) fn fault_point(_name: &str) {}

pub(crate) fn io<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(std::io::Error) -> ConfigError + 'a {
    move |e| ConfigError::io(action, path, e)
}

/// One change at a time per folder: an advisory lock on the folder itself (released when the
/// handle drops, also when the process dies). Taken by create, rotate, set-password, recover.
pub(crate) fn lock_folder(dir: &Path) -> Result<Option<fs::File>, ConfigError> {
    #[cfg(unix)]
    {
        let f = fs::File::open(dir).map_err(io("open", dir))?;
        match f.try_lock() {
            Ok(()) => Ok(Some(f)),
            Err(fs::TryLockError::WouldBlock) => Err(ConfigError::Busy {
                path: dir.display().to_string(),
            }),
            Err(fs::TryLockError::Error(e)) => Err(ConfigError::io("lock", dir, e)),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}

/// What a completed change reports.
#[derive(Debug, Clone, Default)]
pub(crate) struct Applied {
    pub archived_to: Option<PathBuf>,
    /// Problems after the new set went live (it is live; these need attention, not a retry).
    pub warnings: Vec<String>,
}

/// Apply a new set (`(stable name, bytes)`) to `dir` and remove the stable names in `remove`.
/// The caller holds the lock and has run recovery.
pub(crate) fn apply(
    dir: &Path,
    set: &[(&str, Zeroizing<Vec<u8>>)],
    remove: &[&str],
    new_kid: &str,
    old_kid: Option<String>,
    policy: &ArchivePolicy,
) -> Result<Applied, ConfigError> {
    let pending = dir.join(PENDING_DIR);
    let new_dir = pending.join(NEW_DIR);
    let old_dir = pending.join(OLD_DIR);
    // 1. Stage: the new set and a copy of the current set.
    files::create_private_dir(&new_dir).map_err(io("create", &new_dir))?;
    files::create_private_dir(&old_dir).map_err(io("create", &old_dir))?;
    fault_point("pending-created");
    for (name, bytes) in set {
        let p = new_dir.join(name);
        files::write_new(&p, bytes, Access::OwnerOnly).map_err(io("write", &p))?;
        fault_point("new-file-written");
    }
    files::sync_dir(&new_dir).map_err(io("sync", &new_dir))?;
    let mut had_old = false;
    for name in STABLE_NAMES {
        if let Some(bytes) = safety::read_entry(dir, name, MAX_FILE_LEN)? {
            let p = old_dir.join(name);
            files::write_new(&p, &bytes, Access::OwnerOnly).map_err(io("write", &p))?;
            had_old = true;
            fault_point("old-file-saved");
        }
    }
    files::sync_dir(&old_dir).map_err(io("sync", &old_dir))?;
    files::sync_dir(&pending).map_err(io("sync", &pending))?;
    // 2. Commit.
    let names: Vec<String> = set.iter().map(|(n, _)| n.to_string()).collect();
    let journal = Journal {
        remove: remove.iter().map(|n| n.to_string()).collect(),
        install: names,
        old_kid: if had_old { old_kid } else { None },
        new_kid: new_kid.to_string(),
        at: super::utc_stamp(),
    };
    let jp = pending.join(COMMITTED_FILE);
    files::write_atomic(
        &jp,
        &serde_json::to_vec(&journal).expect("journal serialises"),
        Access::OwnerOnly,
    )
    .map_err(io("write", &jp))?;
    fault_point("committed");
    // 3 and 4.
    roll_forward(dir, &journal, policy)
}

/// Steps 3 and 4 (also what recovery runs after a crash past the commit).
pub(crate) fn roll_forward(
    dir: &Path,
    journal: &Journal,
    policy: &ArchivePolicy,
) -> Result<Applied, ConfigError> {
    let pending = dir.join(PENDING_DIR);
    let new_dir = pending.join(NEW_DIR);
    for name in &journal.install {
        let from = new_dir.join(name);
        match fs::symlink_metadata(&from) {
            Ok(md) if md.file_type().is_file() => {}
            Ok(_) => return Err(safety::unsafe_entry(&from, "not a regular file")),
            Err(_) => continue, // already switched
        }
        let to = dir.join(name);
        // A regular file or an older-layout link at `to`: rename replaces the entry itself.
        safety::entry(dir, name)?;
        fs::rename(&from, &to).map_err(io("replace", &to))?;
        files::sync_dir(dir).map_err(io("sync", dir))?;
        fault_point("file-switched");
    }
    for name in &journal.remove {
        if let Entry::File(_) | Entry::Legacy(_) = safety::entry(dir, name)? {
            let p = dir.join(name);
            fs::remove_file(&p).map_err(io("remove", &p))?;
            files::sync_dir(dir).map_err(io("sync", dir))?;
            fault_point("stale-file-removed");
        }
    }
    // The new set is live. Anything that fails from here on is a warning.
    let mut applied = Applied::default();
    let old_dir = pending.join(OLD_DIR);
    let has_old = fs::read_dir(&old_dir)
        .map(|mut rd| rd.next().is_some())
        .unwrap_or(false);
    if has_old {
        let label = journal.old_kid.clone().unwrap_or_else(|| "previous".into());
        match archive_set(dir, &old_dir, &journal.at, &label) {
            Ok(p) => applied.archived_to = Some(p),
            Err(e) => applied.warnings.push(format!(
                "The previous key set could not be archived ({e}); it is kept in {}.",
                old_dir.display()
            )),
        }
    }
    if let Err(e) = migrate_legacy(dir) {
        applied.warnings.push(format!(
            "Files of the older folder layout could not be moved out of the folder ({e})."
        ));
    }
    match apply_retention(dir, policy) {
        Ok(()) => {}
        Err(e) => applied
            .warnings
            .push(format!("Expired archives could not be deleted ({e}).")),
    }
    if applied.warnings.is_empty() || !has_old || applied.archived_to.is_some() {
        if let Err(e) = fs::remove_dir_all(&pending).and_then(|()| files::sync_dir(dir)) {
            applied.warnings.push(format!(
                "The work folder {} could not be removed ({e}).",
                pending.display()
            ));
        } else {
            fault_point("pending-removed");
        }
    }
    Ok(applied)
}

/// Where the archive of `dir` lives: beside it, `<parent>/<name>.archive`, owner-only.
pub fn archive_dir_for(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "agent".into());
    files::parent_of(dir).join(format!("{name}.{ARCHIVE_DIR}"))
}

fn archive_root(dir: &Path) -> Result<PathBuf, ConfigError> {
    let root = archive_dir_for(dir);
    if !safety::absent_or_private_dir(&root)? {
        files::create_private_dir(&root).map_err(io("create", &root))?;
    }
    Ok(root)
}

/// Move a set (a folder of key files) into the archive as `<at>_<label8>`.
fn archive_set(dir: &Path, from: &Path, at: &str, label: &str) -> Result<PathBuf, ConfigError> {
    safety::real_dir(from)?;
    let root = archive_root(dir)?;
    let label8: String = label
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(8)
        .collect();
    let mut to = root.join(format!("{at}_{label8}"));
    if to.symlink_metadata().is_ok() {
        to = root.join(format!("{at}_{label8}_{}", files::unique_suffix()));
    }
    move_dir(from, &to)?;
    files::sync_dir(&root).map_err(io("sync", &root))?;
    fault_point("archived");
    Ok(to)
}

/// Rename, or copy-then-remove when the archive is on another file system.
fn move_dir(from: &Path, to: &Path) -> Result<(), ConfigError> {
    match fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(_) => {
            files::create_private_dir(to).map_err(io("create", to))?;
            for e in fs::read_dir(from).map_err(io("read", from))? {
                let e = e.map_err(io("read", from))?;
                let src = e.path();
                let md = fs::symlink_metadata(&src).map_err(io("inspect", &src))?;
                if md.file_type().is_file() {
                    let bytes = safety::read_bounded(&src, MAX_FILE_LEN)?;
                    let dst = to.join(e.file_name());
                    files::write_new(&dst, &bytes, Access::OwnerOnly).map_err(io("write", &dst))?;
                } else if md.file_type().is_dir() {
                    move_dir(&src, &to.join(e.file_name()))?;
                }
            }
            files::sync_dir(to).map_err(io("sync", to))?;
            fs::remove_dir_all(from).map_err(io("remove", from))
        }
    }
}

/// The archived sets of `dir`, oldest first (names only).
pub(crate) fn archived(dir: &Path) -> Vec<String> {
    let root = archive_dir_for(dir);
    let mut names: Vec<String> = fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Delete archived sets beyond the newest `policy.keep`.
pub(crate) fn apply_retention(dir: &Path, policy: &ArchivePolicy) -> Result<(), ConfigError> {
    let root = archive_dir_for(dir);
    if !safety::absent_or_private_dir(&root)? {
        return Ok(());
    }
    let names = archived(dir);
    let expired = names.len().saturating_sub(policy.keep);
    for name in names.iter().take(expired) {
        let p = root.join(name);
        safety::real_dir(&p)?;
        fs::remove_dir_all(&p).map_err(io("delete", &p))?;
        fault_point("expired-archive-deleted");
    }
    if expired > 0 {
        files::sync_dir(&root).map_err(io("sync", &root))?;
    }
    Ok(())
}

/// Move what the older link layout left (`current`, `generations/`, `archive/`) out of the
/// folder into the archive, once the stable names are regular files.
pub(crate) fn migrate_legacy(dir: &Path) -> Result<(), ConfigError> {
    for name in STABLE_NAMES {
        if let Entry::Legacy(_) = safety::entry(dir, name)? {
            return Ok(()); // not switched yet; nothing may go
        }
    }
    let cur = dir.join(CURRENT_LINK);
    if let Ok(md) = fs::symlink_metadata(&cur) {
        if !md.file_type().is_symlink() {
            return Err(safety::unsafe_entry(&cur, "not the link this tool writes"));
        }
        fs::remove_file(&cur).map_err(io("remove", &cur))?;
        files::sync_dir(dir).map_err(io("sync", dir))?;
        fault_point("legacy-link-removed");
    }
    for sub in [GENERATIONS_DIR, ARCHIVE_DIR] {
        let p = dir.join(sub);
        if !safety::absent_or_private_dir(&p)? {
            continue;
        }
        let root = archive_root(dir)?;
        for e in fs::read_dir(&p).map_err(io("read", &p))? {
            let e = e.map_err(io("read", &p))?;
            let src = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let md = fs::symlink_metadata(&src).map_err(io("inspect", &src))?;
            if !md.file_type().is_dir() {
                return Err(safety::unsafe_entry(&src, "not a folder"));
            }
            if name.starts_with('.') {
                fs::remove_dir_all(&src).map_err(io("remove", &src))?;
                continue;
            }
            // Older names start with their time stamp too, so they sort with the new entries.
            let mut to = root.join(&name);
            if to.symlink_metadata().is_ok() {
                to = root.join(format!("{name}_{}", files::unique_suffix()));
            }
            move_dir(&src, &to)?;
            fault_point("legacy-set-archived");
        }
        fs::remove_dir(&p).map_err(io("remove", &p))?;
        files::sync_dir(dir).map_err(io("sync", dir))?;
    }
    // Leftover temporary links of the older layout.
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_link = e.file_type().map(|t| t.is_symlink()).unwrap_or(false);
            if is_link
                && (name.starts_with(&format!(".{CURRENT_LINK}.new-"))
                    || (name.starts_with('.') && name.contains(".link-")))
            {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}
