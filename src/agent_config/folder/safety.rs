//! Hardening of every access to the agent folder (issue 12): the folder must belong to the
//! current user and be writable by nobody else; every entry is checked with `symlink_metadata`
//! before use, and no link is ever followed except the exact links an older version of this
//! tool wrote (`NAME -> current/NAME`, `current -> generations/<one name>`), which are read
//! only to migrate them away.

use super::{ConfigError, CURRENT_LINK, GENERATIONS_DIR};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest key file read (a 16384-bit encrypted PEM is about 13 KB).
pub const MAX_KEY_FILE_LEN: u64 = 64 * 1024;

pub(crate) fn unsafe_entry(path: &Path, problem: &str) -> ConfigError {
    ConfigError::UnsafeEntry {
        path: path.display().to_string(),
        problem: problem.to_string(),
    }
}

/// The user this process runs as (Unix), without `unsafe`: the owner of `/proc/self` on Linux,
/// else the owner of a file this process creates.
#[cfg(unix)]
pub(crate) fn current_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    if let Ok(md) = fs::metadata("/proc/self") {
        return Some(md.uid());
    }
    static UID: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    *UID.get_or_init(|| {
        let p =
            std::env::temp_dir().join(format!(".h2r-uid-{}", crate::keys::files::unique_suffix()));
        let f = crate::keys::files::create_new(&p, crate::keys::files::Access::OwnerOnly).ok()?;
        let uid = f.metadata().ok().map(|m| m.uid());
        let _ = fs::remove_file(&p);
        uid
    })
}

/// Refuse a folder that is not a directory, not owned by the current user, or writable by
/// group or others (Unix). A missing folder is [`ConfigError::FolderMissing`].
pub(crate) fn check_folder(dir: &Path) -> Result<(), ConfigError> {
    let md = match fs::metadata(dir) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::FolderMissing {
                path: dir.display().to_string(),
            })
        }
        Err(e) => return Err(ConfigError::io("open", dir, e)),
    };
    if !md.is_dir() {
        return Err(unsafe_entry(dir, "not a folder"));
    }
    check_owner_and_mode(dir, &md)
}

#[cfg(unix)]
fn check_owner_and_mode(path: &Path, md: &fs::Metadata) -> Result<(), ConfigError> {
    use std::os::unix::fs::MetadataExt;
    if let Some(uid) = current_uid() {
        if md.uid() != uid {
            return Err(ConfigError::UnsafeFolder {
                path: path.display().to_string(),
                problem: "it belongs to another user".into(),
            });
        }
    }
    if md.mode() & 0o022 != 0 {
        return Err(ConfigError::UnsafeFolder {
            path: path.display().to_string(),
            problem: "other users may write to it".into(),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_and_mode(_path: &Path, _md: &fs::Metadata) -> Result<(), ConfigError> {
    Ok(())
}

/// What is at one name of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    Missing,
    /// A regular file (the layout of this version).
    File(PathBuf),
    /// A link of the older layout; the path is the regular file it resolves to, checked.
    Legacy(PathBuf),
}

impl Entry {
    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Entry::Missing => None,
            Entry::File(p) | Entry::Legacy(p) => Some(p),
        }
    }
    pub(crate) fn exists(&self) -> bool {
        !matches!(self, Entry::Missing)
    }
}

/// Classify `dir/name` without following any link we did not write.
pub(crate) fn entry(dir: &Path, name: &str) -> Result<Entry, ConfigError> {
    let p = dir.join(name);
    let md = match fs::symlink_metadata(&p) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entry::Missing),
        Err(e) => return Err(ConfigError::io("inspect", &p, e)),
    };
    if md.file_type().is_file() {
        check_file_owner(&p, &md)?;
        return Ok(Entry::File(p));
    }
    if md.file_type().is_symlink() {
        return legacy_target(dir, name).map(Entry::Legacy);
    }
    Err(unsafe_entry(&p, "not a regular file"))
}

#[cfg(unix)]
fn check_file_owner(p: &Path, md: &fs::Metadata) -> Result<(), ConfigError> {
    use std::os::unix::fs::MetadataExt;
    match current_uid() {
        Some(uid) if md.uid() != uid => Err(unsafe_entry(p, "it belongs to another user")),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn check_file_owner(_p: &Path, _md: &fs::Metadata) -> Result<(), ConfigError> {
    Ok(())
}

/// The generation `current` names in an older-layout folder, when it is exactly the link an
/// older version wrote (`generations/<name>`, one plain component) and a real directory.
pub(crate) fn legacy_generation(dir: &Path) -> Result<Option<String>, ConfigError> {
    let cur = dir.join(CURRENT_LINK);
    let md = match fs::symlink_metadata(&cur) {
        Ok(md) => md,
        Err(_) => return Ok(None),
    };
    if !md.file_type().is_symlink() {
        return Err(unsafe_entry(&cur, "not the link this tool writes"));
    }
    let target = fs::read_link(&cur).map_err(|e| ConfigError::io("read", &cur, e))?;
    let mut comps = target.components();
    let (
        Some(std::path::Component::Normal(first)),
        Some(std::path::Component::Normal(generation)),
        None,
    ) = (comps.next(), comps.next(), comps.next())
    else {
        return Err(unsafe_entry(&cur, "a link this tool did not write"));
    };
    if first != GENERATIONS_DIR {
        return Err(unsafe_entry(&cur, "a link this tool did not write"));
    }
    real_dir(&dir.join(GENERATIONS_DIR))?;
    let generation = generation.to_string_lossy().into_owned();
    real_dir(&dir.join(GENERATIONS_DIR).join(&generation))?;
    Ok(Some(generation))
}

fn legacy_target(dir: &Path, name: &str) -> Result<PathBuf, ConfigError> {
    let p = dir.join(name);
    let target = fs::read_link(&p).map_err(|e| ConfigError::io("read", &p, e))?;
    if target != Path::new(CURRENT_LINK).join(name) {
        return Err(unsafe_entry(&p, "a link this tool did not write"));
    }
    let Some(generation) = legacy_generation(dir)? else {
        return Err(unsafe_entry(&p, "a link to nothing"));
    };
    let real = dir.join(GENERATIONS_DIR).join(generation).join(name);
    let md = fs::symlink_metadata(&real).map_err(|e| ConfigError::io("inspect", &real, e))?;
    if !md.file_type().is_file() {
        return Err(unsafe_entry(&real, "not a regular file"));
    }
    check_file_owner(&real, &md)?;
    Ok(real)
}

/// `path` must be a real directory (not a link), owned by us.
pub(crate) fn real_dir(path: &Path) -> Result<(), ConfigError> {
    let md = fs::symlink_metadata(path).map_err(|e| ConfigError::io("inspect", path, e))?;
    if !md.file_type().is_dir() {
        return Err(unsafe_entry(
            path,
            "not a folder (a link or a file was put in its place)",
        ));
    }
    check_file_owner(path, &md)
}

/// `path` must be absent or a real directory owned by us and writable by nobody else.
pub(crate) fn absent_or_private_dir(path: &Path) -> Result<bool, ConfigError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ConfigError::io("inspect", path, e)),
        Ok(md) if md.file_type().is_dir() => {
            check_owner_and_mode(path, &md)?;
            Ok(true)
        }
        Ok(_) => Err(unsafe_entry(
            path,
            "not a folder (a link or a file was put in its place)",
        )),
    }
}

/// Read a checked regular file, refusing one larger than `max` before reading it.
pub(crate) fn read_bounded(
    path: &Path,
    max: u64,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ConfigError> {
    let md = fs::symlink_metadata(path).map_err(|e| ConfigError::io("read", path, e))?;
    if !md.file_type().is_file() {
        return Err(unsafe_entry(path, "not a regular file"));
    }
    if md.len() > max {
        return Err(ConfigError::Modified {
            what: path.display().to_string(),
            detail: "it is far larger than any agent file".into(),
        });
    }
    let mut buf = zeroize::Zeroizing::new(Vec::with_capacity(md.len() as usize));
    fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut buf))
        .map_err(|e| ConfigError::io("read", path, e))?;
    if buf.len() as u64 > max {
        return Err(ConfigError::Modified {
            what: path.display().to_string(),
            detail: "it is far larger than any agent file".into(),
        });
    }
    Ok(buf)
}

/// Read the stable name `name` of the folder (regular file, or an older-layout link).
pub(crate) fn read_entry(
    dir: &Path,
    name: &str,
    max: u64,
) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, ConfigError> {
    match entry(dir, name)? {
        Entry::Missing => Ok(None),
        e => read_bounded(e.path().expect("exists"), max).map(Some),
    }
}
