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
//!
//! Every step works on the folder as it was opened and checked ([`Folder`]: relative to its
//! file descriptor on Unix), never on its path again.

use super::at::{Dir, Kind};
use super::safety::{self, Entry, Folder};
use super::{
    ArchivePolicy, ConfigError, ARCHIVE_DIR, CURRENT_LINK, GENERATIONS_DIR, MAX_FILE_LEN,
    PENDING_DIR, STABLE_NAMES,
};
use crate::keys::files;
use serde::{Deserialize, Serialize};
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
        // With H2R_SETUP_TEST_RESUME_FILE, continue once that file exists (a test changes the
        // file system meanwhile); without it, wait to be killed.
        let resume = std::env::var_os(super::RESUME_ENV).map(std::path::PathBuf::from);
        loop {
            match &resume {
                Some(p) if p.exists() => return,
                Some(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
                None => std::thread::sleep(std::time::Duration::from_secs(3600)),
            }
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

/// One change at a time per folder: an advisory lock on the opened folder itself (released
/// when the [`Folder`] drops, also when the process dies). Taken by create, rotate,
/// set-password, recover.
pub(crate) fn lock_folder(folder: &Folder) -> Result<(), ConfigError> {
    match folder.dir.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(ConfigError::Busy {
            path: folder.path().display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(ConfigError::io("lock", folder.path(), e)),
    }
}

/// What a completed change reports.
#[derive(Debug, Clone, Default)]
pub(crate) struct Applied {
    pub archived_to: Option<PathBuf>,
    /// Problems after the new set went live (it is live; these need attention, not a retry).
    pub warnings: Vec<String>,
}

fn in_dir<'a>(
    action: &'static str,
    dir: &'a Dir,
    name: &'a str,
) -> impl FnOnce(std::io::Error) -> ConfigError + 'a {
    move |e| ConfigError::io(action, &dir.child(name), e)
}

fn sync(dir: &Dir) -> Result<(), ConfigError> {
    dir.sync().map_err(io("sync", dir.path()))
}

/// Create the owner-only sub-folder `name` of `dir` and open it.
fn make_dir(dir: &Dir, name: &str) -> Result<Dir, ConfigError> {
    dir.mkdir(name).map_err(in_dir("create", dir, name))?;
    safety::open_dir(dir, name)
}

/// Apply a new set (`(stable name, bytes)`) to the folder and remove the stable names in
/// `remove`. The caller holds the lock and has run recovery.
pub(crate) fn apply(
    folder: &Folder,
    set: &[(&str, Zeroizing<Vec<u8>>)],
    remove: &[&str],
    new_kid: &str,
    old_kid: Option<String>,
    policy: &ArchivePolicy,
) -> Result<Applied, ConfigError> {
    let dir = &folder.dir;
    // 1. Stage: the new set and a copy of the current set.
    let pending = make_dir(dir, PENDING_DIR)?;
    let new_dir = make_dir(&pending, NEW_DIR)?;
    let old_dir = make_dir(&pending, OLD_DIR)?;
    sync(dir)?;
    fault_point("pending-created");
    for (name, bytes) in set {
        new_dir
            .write_new(name, bytes)
            .map_err(in_dir("write", &new_dir, name))?;
        fault_point("new-file-written");
    }
    sync(&new_dir)?;
    let mut had_old = false;
    for name in STABLE_NAMES {
        if let Some(bytes) = safety::read_entry(dir, name, MAX_FILE_LEN)? {
            old_dir
                .write_new(name, &bytes)
                .map_err(in_dir("write", &old_dir, name))?;
            had_old = true;
            fault_point("old-file-saved");
        }
    }
    sync(&old_dir)?;
    sync(&pending)?;
    // 2. Commit.
    let names: Vec<String> = set.iter().map(|(n, _)| n.to_string()).collect();
    let journal = Journal {
        remove: remove.iter().map(|n| n.to_string()).collect(),
        install: names,
        old_kid: if had_old { old_kid } else { None },
        new_kid: new_kid.to_string(),
        at: super::utc_stamp(),
    };
    pending
        .write_atomic(
            COMMITTED_FILE,
            &serde_json::to_vec(&journal).expect("journal serialises"),
        )
        .map_err(in_dir("write", &pending, COMMITTED_FILE))?;
    fault_point("committed");
    drop((new_dir, old_dir, pending));
    // 3 and 4.
    roll_forward(folder, &journal, policy)
}

/// Steps 3 and 4 (also what recovery runs after a crash past the commit).
pub(crate) fn roll_forward(
    folder: &Folder,
    journal: &Journal,
    policy: &ArchivePolicy,
) -> Result<Applied, ConfigError> {
    let dir = &folder.dir;
    let pending = safety::open_dir(dir, PENDING_DIR)?;
    let new_dir = match pending.stat(NEW_DIR) {
        Ok(None) => None,
        _ => Some(safety::open_dir(&pending, NEW_DIR)?),
    };
    for name in &journal.install {
        let Some(new_dir) = &new_dir else { break };
        match new_dir.stat(name) {
            Ok(Some(i)) if i.kind == Kind::File => {}
            Ok(Some(_)) => {
                return Err(safety::unsafe_entry(
                    &new_dir.child(name),
                    "not a regular file",
                ))
            }
            _ => continue, // already switched
        }
        // A regular file or an older-layout link at the stable name: rename replaces the
        // entry itself.
        safety::entry(dir, name)?;
        new_dir
            .rename(name, dir, name)
            .map_err(in_dir("replace", dir, name))?;
        sync(dir)?;
        fault_point("file-switched");
    }
    drop(new_dir);
    for name in &journal.remove {
        if let Entry::File | Entry::Legacy(_) = safety::entry(dir, name)? {
            dir.unlink(name).map_err(in_dir("remove", dir, name))?;
            sync(dir)?;
            fault_point("stale-file-removed");
        }
    }
    // The new set is live. Anything that fails from here on is a warning.
    let mut applied = Applied::default();
    let has_old = safety::open_dir(&pending, OLD_DIR)
        .ok()
        .and_then(|d| d.entries().ok())
        .is_some_and(|e| !e.is_empty());
    let old_path = pending.child(OLD_DIR);
    if has_old {
        let label = journal.old_kid.clone().unwrap_or_else(|| "previous".into());
        match archive_set(folder, &pending, OLD_DIR, &journal.at, &label) {
            Ok(p) => applied.archived_to = Some(p),
            Err(e) => applied.warnings.push(format!(
                "The previous key set could not be archived ({e}); it is kept in {}.",
                old_path.display()
            )),
        }
    }
    drop(pending);
    if let Err(e) = migrate_legacy(folder) {
        applied.warnings.push(format!(
            "Files of the older folder layout could not be moved out of the folder ({e})."
        ));
    }
    match apply_retention(folder, policy) {
        Ok(()) => {}
        Err(e) => applied
            .warnings
            .push(format!("Expired archives could not be deleted ({e}).")),
    }
    if applied.warnings.is_empty() || !has_old || applied.archived_to.is_some() {
        if let Err(e) = dir.remove_tree(PENDING_DIR).and_then(|()| dir.sync()) {
            applied.warnings.push(format!(
                "The work folder {} could not be removed ({e}).",
                dir.child(PENDING_DIR).display()
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

/// The archive folder beside the opened folder, created if needed, opened.
fn archive_root(folder: &Folder) -> Result<Dir, ConfigError> {
    let name = folder.archive_name();
    if !safety::absent_or_private_dir(&folder.parent, &name)? {
        return make_dir(&folder.parent, &name);
    }
    safety::open_dir(&folder.parent, &name)
}

/// Move a set (the folder `from` of `from_dir`) into the archive as `<at>_<label8>`.
fn archive_set(
    folder: &Folder,
    from_dir: &Dir,
    from: &str,
    at: &str,
    label: &str,
) -> Result<PathBuf, ConfigError> {
    safety::real_dir(from_dir, from)?;
    let root = archive_root(folder)?;
    let label8: String = label
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(8)
        .collect();
    let mut to = format!("{at}_{label8}");
    if !matches!(root.stat(&to), Ok(None)) {
        to = format!("{at}_{label8}_{}", files::unique_suffix());
    }
    move_dir(from_dir, from, &root, &to)?;
    sync(&root)?;
    fault_point("archived");
    Ok(root.child(&to))
}

/// Rename, or copy-then-remove when the archive is on another file system.
fn move_dir(from_dir: &Dir, from: &str, to_dir: &Dir, to: &str) -> Result<(), ConfigError> {
    match from_dir.rename(from, to_dir, to) {
        Ok(()) => Ok(()),
        Err(_) => {
            from_dir
                .copy_tree(from, to_dir, to, MAX_FILE_LEN)
                .map_err(in_dir("copy", to_dir, to))?;
            from_dir
                .remove_tree(from)
                .map_err(in_dir("remove", from_dir, from))
        }
    }
}

/// The archived sets of the opened folder, oldest first (names only).
pub(crate) fn archived(folder: &Folder) -> Vec<String> {
    let mut names: Vec<String> = safety::open_dir(&folder.parent, &folder.archive_name())
        .ok()
        .and_then(|root| root.entries().ok())
        .map(|entries| {
            entries
                .into_iter()
                .filter(|(n, k)| *k == Kind::Dir && !n.starts_with('.'))
                .map(|(n, _)| n)
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Delete archived sets beyond the newest `policy.keep`.
pub(crate) fn apply_retention(folder: &Folder, policy: &ArchivePolicy) -> Result<(), ConfigError> {
    let name = folder.archive_name();
    if !safety::absent_or_private_dir(&folder.parent, &name)? {
        return Ok(());
    }
    let root = safety::open_dir(&folder.parent, &name)?;
    let names = archived(folder);
    let expired = names.len().saturating_sub(policy.keep);
    for name in names.iter().take(expired) {
        safety::real_dir(&root, name)?;
        root.remove_tree(name)
            .map_err(in_dir("delete", &root, name))?;
        fault_point("expired-archive-deleted");
    }
    if expired > 0 {
        sync(&root)?;
    }
    Ok(())
}

/// Move what the older link layout left (`current`, `generations/`, `archive/`) out of the
/// folder into the archive, once the stable names are regular files.
pub(crate) fn migrate_legacy(folder: &Folder) -> Result<(), ConfigError> {
    let dir = &folder.dir;
    for name in STABLE_NAMES {
        if let Entry::Legacy(_) = safety::entry(dir, name)? {
            return Ok(()); // not switched yet; nothing may go
        }
    }
    if let Ok(Some(info)) = dir.stat(CURRENT_LINK) {
        if info.kind != Kind::Link {
            return Err(safety::unsafe_entry(
                &dir.child(CURRENT_LINK),
                "not the link this tool writes",
            ));
        }
        dir.unlink(CURRENT_LINK)
            .map_err(in_dir("remove", dir, CURRENT_LINK))?;
        sync(dir)?;
        fault_point("legacy-link-removed");
    }
    for sub in [GENERATIONS_DIR, ARCHIVE_DIR] {
        if !safety::absent_or_private_dir(dir, sub)? {
            continue;
        }
        let root = archive_root(folder)?;
        let subdir = safety::open_dir(dir, sub)?;
        for (name, kind) in subdir.entries().map_err(in_dir("read", dir, sub))? {
            if kind != Kind::Dir {
                return Err(safety::unsafe_entry(&subdir.child(&name), "not a folder"));
            }
            if name.starts_with('.') {
                subdir
                    .remove_tree(&name)
                    .map_err(in_dir("remove", &subdir, &name))?;
                continue;
            }
            // Older names start with their time stamp too, so they sort with the new entries.
            let mut to = name.clone();
            if !matches!(root.stat(&to), Ok(None)) {
                to = format!("{name}_{}", files::unique_suffix());
            }
            move_dir(&subdir, &name, &root, &to)?;
            fault_point("legacy-set-archived");
        }
        drop(subdir);
        dir.rmdir(sub).map_err(in_dir("remove", dir, sub))?;
        sync(dir)?;
    }
    // Leftover temporary links of the older layout.
    if let Ok(entries) = dir.entries() {
        for (name, kind) in entries {
            if kind == Kind::Link
                && (name.starts_with(&format!(".{CURRENT_LINK}.new-"))
                    || (name.starts_with('.') && name.contains(".link-")))
            {
                let _ = dir.unlink(&name);
            }
        }
    }
    Ok(())
}
