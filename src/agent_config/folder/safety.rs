//! Hardening of every access to the agent folder (issue 12): the folder must belong to the
//! current user and be writable by nobody else; it is opened once ([`Folder::open`]) and every
//! later operation is relative to what was opened ([`super::at::Dir`]: `openat` & co. with
//! `O_NOFOLLOW` on Unix), so a folder swapped for a link between the check and the use cannot
//! redirect a write. Every entry is checked without following links, and no link is ever
//! followed except the exact links an older version of this tool wrote (`NAME -> current/NAME`,
//! `current -> generations/<one name>`), which are read only to migrate them away, and which are
//! resolved by hand through opened folders, not by the kernel.

use super::at::{self, Dir, Info, Kind};
use super::{ConfigError, ARCHIVE_DIR, CURRENT_LINK, GENERATIONS_DIR};
use std::path::Path;

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
    if let Ok(md) = std::fs::metadata("/proc/self") {
        return Some(md.uid());
    }
    static UID: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    *UID.get_or_init(|| {
        let p =
            std::env::temp_dir().join(format!(".h2r-uid-{}", crate::keys::files::unique_suffix()));
        let f = crate::keys::files::create_new(&p, crate::keys::files::Access::OwnerOnly).ok()?;
        let uid = f.metadata().ok().map(|m| m.uid());
        let _ = std::fs::remove_file(&p);
        uid
    })
}

#[cfg(not(unix))]
pub(crate) fn current_uid() -> Option<u32> {
    None
}

/// The agent folder, opened and checked once. Every operation of a change goes through
/// [`Folder::dir`] (the folder) and [`Folder::parent`] (the folder it lives in, where the
/// archive is), never through the path again.
#[derive(Debug)]
pub(crate) struct Folder {
    pub dir: Dir,
    pub parent: Dir,
    /// Its name in `parent` (the archive is `<name>.archive` beside it).
    name: String,
}

impl Folder {
    /// Open `path` and refuse it when it is not a directory, not owned by the current user, or
    /// writable by group or others (Unix). A missing folder is [`ConfigError::FolderMissing`].
    pub(crate) fn open(path: &Path) -> Result<Folder, ConfigError> {
        let parent_path = crate::keys::files::parent_of(path);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let missing = || ConfigError::FolderMissing {
            path: path.display().to_string(),
        };
        let parent = match Dir::open_path(&parent_path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
            Err(e) => return Err(ConfigError::io("open", &parent_path, e)),
        };
        let dir = match Dir::open_path(path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
            Err(e) if at::is_not_a_file(&e) => return Err(unsafe_entry(path, "not a folder")),
            Err(e) => return Err(ConfigError::io("open", path, e)),
        };
        let info = dir
            .info()
            .map_err(|e| ConfigError::io("inspect", path, e))?;
        if info.kind != Kind::Dir {
            return Err(unsafe_entry(path, "not a folder"));
        }
        check_owner_and_mode(path, &info)?;
        // The parent opened is the one the folder is in (unless the admin's path ends in a link
        // to the folder: its archive then lives beside the link, as it always did).
        if let Some(n) = &name {
            if let Ok(Some(i)) = parent.stat(n) {
                if i.kind == Kind::Dir {
                    let same = parent
                        .open_dir(n)
                        .and_then(|d| d.same_as(&dir))
                        .unwrap_or(false);
                    if !same {
                        return Err(unsafe_entry(
                            path,
                            "it was replaced while it was being opened",
                        ));
                    }
                }
            }
        }
        Ok(Folder {
            dir,
            parent,
            name: name.unwrap_or_else(|| "agent".into()),
        })
    }

    /// The path it was opened as (messages and reports).
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The archive folder's name in [`Folder::parent`].
    pub(crate) fn archive_name(&self) -> String {
        format!("{}.{ARCHIVE_DIR}", self.name)
    }
}

fn check_owner_and_mode(path: &Path, info: &Info) -> Result<(), ConfigError> {
    if let (Some(me), Some(owner)) = (current_uid(), info.uid) {
        if owner != me {
            return Err(ConfigError::UnsafeFolder {
                path: path.display().to_string(),
                problem: "it belongs to another user".into(),
            });
        }
    }
    if info.mode & 0o022 != 0 {
        return Err(ConfigError::UnsafeFolder {
            path: path.display().to_string(),
            problem: "other users may write to it".into(),
        });
    }
    Ok(())
}

fn check_file_owner(path: &Path, info: &Info) -> Result<(), ConfigError> {
    match (current_uid(), info.uid) {
        (Some(me), Some(owner)) if owner != me => {
            Err(unsafe_entry(path, "it belongs to another user"))
        }
        _ => Ok(()),
    }
}

/// What is at one name of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    Missing,
    /// A regular file (the layout of this version).
    File,
    /// A link of the older layout; the file is `generations/<generation>/<name>`, checked.
    Legacy(String),
}

impl Entry {
    pub(crate) fn exists(&self) -> bool {
        !matches!(self, Entry::Missing)
    }
}

fn inspect(dir: &Dir, name: &str) -> Result<Option<Info>, ConfigError> {
    dir.stat(name)
        .map_err(|e| ConfigError::io("inspect", &dir.child(name), e))
}

/// Classify `name` of the folder without following any link we did not write.
pub(crate) fn entry(dir: &Dir, name: &str) -> Result<Entry, ConfigError> {
    let p = dir.child(name);
    let Some(info) = inspect(dir, name)? else {
        return Ok(Entry::Missing);
    };
    match info.kind {
        Kind::File => {
            check_file_owner(&p, &info)?;
            Ok(Entry::File)
        }
        Kind::Link => legacy_target(dir, name).map(Entry::Legacy),
        _ => Err(unsafe_entry(&p, "not a regular file")),
    }
}

/// The generation `current` names in an older-layout folder, when it is exactly the link an
/// older version wrote (`generations/<name>`, one plain component) and a real directory.
pub(crate) fn legacy_generation(dir: &Dir) -> Result<Option<String>, ConfigError> {
    let cur = dir.child(CURRENT_LINK);
    let Some(info) = dir.stat(CURRENT_LINK).ok().flatten() else {
        return Ok(None);
    };
    if info.kind != Kind::Link {
        return Err(unsafe_entry(&cur, "not the link this tool writes"));
    }
    let target = dir
        .read_link(CURRENT_LINK)
        .map_err(|e| ConfigError::io("read", &cur, e))?;
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
    real_dir(dir, GENERATIONS_DIR)?;
    let generation = generation.to_string_lossy().into_owned();
    let gens = open_dir(dir, GENERATIONS_DIR)?;
    real_dir(&gens, &generation)?;
    Ok(Some(generation))
}

/// The folder of an older-layout generation (`generations/<generation>`), opened.
pub(crate) fn legacy_dir(dir: &Dir, generation: &str) -> Result<Dir, ConfigError> {
    let gens = open_dir(dir, GENERATIONS_DIR)?;
    open_dir(&gens, generation)
}

fn legacy_target(dir: &Dir, name: &str) -> Result<String, ConfigError> {
    let p = dir.child(name);
    let target = dir
        .read_link(name)
        .map_err(|e| ConfigError::io("read", &p, e))?;
    if target != Path::new(CURRENT_LINK).join(name) {
        return Err(unsafe_entry(&p, "a link this tool did not write"));
    }
    let Some(generation) = legacy_generation(dir)? else {
        return Err(unsafe_entry(&p, "a link to nothing"));
    };
    let gen_dir = legacy_dir(dir, &generation)?;
    let real = gen_dir.child(name);
    let info = inspect(&gen_dir, name)?
        .ok_or_else(|| ConfigError::io("inspect", &real, std::io::ErrorKind::NotFound.into()))?;
    if info.kind != Kind::File {
        return Err(unsafe_entry(&real, "not a regular file"));
    }
    check_file_owner(&real, &info)?;
    Ok(generation)
}

/// Open the sub-folder `name` (never through a link).
pub(crate) fn open_dir(dir: &Dir, name: &str) -> Result<Dir, ConfigError> {
    dir.open_dir(name).map_err(|e| {
        if at::is_not_a_file(&e) {
            unsafe_entry(
                &dir.child(name),
                "not a folder (a link or a file was put in its place)",
            )
        } else {
            ConfigError::io("open", &dir.child(name), e)
        }
    })
}

/// `name` in `dir` must be a real directory (not a link), owned by us.
pub(crate) fn real_dir(dir: &Dir, name: &str) -> Result<(), ConfigError> {
    let path = dir.child(name);
    let info = inspect(dir, name)?
        .ok_or_else(|| ConfigError::io("inspect", &path, std::io::ErrorKind::NotFound.into()))?;
    if info.kind != Kind::Dir {
        return Err(unsafe_entry(
            &path,
            "not a folder (a link or a file was put in its place)",
        ));
    }
    check_file_owner(&path, &info)
}

/// `name` in `dir` must be absent or a real directory owned by us and writable by nobody else.
pub(crate) fn absent_or_private_dir(dir: &Dir, name: &str) -> Result<bool, ConfigError> {
    let path = dir.child(name);
    match inspect(dir, name)? {
        None => Ok(false),
        Some(info) if info.kind == Kind::Dir => {
            check_owner_and_mode(&path, &info)?;
            Ok(true)
        }
        Some(_) => Err(unsafe_entry(
            &path,
            "not a folder (a link or a file was put in its place)",
        )),
    }
}

/// Read the regular file `name` of `dir`, refusing one larger than `max` before reading it.
pub(crate) fn read_bounded(
    dir: &Dir,
    name: &str,
    max: u64,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ConfigError> {
    let path = dir.child(name);
    dir.read(name, max).map_err(|e| read_error(&path, e))
}

fn read_error(path: &Path, e: std::io::Error) -> ConfigError {
    if at::is_too_large(&e) {
        ConfigError::Modified {
            what: path.display().to_string(),
            detail: "it is far larger than any agent file".into(),
        }
    } else if at::is_not_a_file(&e) {
        unsafe_entry(path, "not a regular file")
    } else {
        ConfigError::io("read", path, e)
    }
}

/// Read the stable name `name` of the folder (regular file, or an older-layout link).
pub(crate) fn read_entry(
    dir: &Dir,
    name: &str,
    max: u64,
) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, ConfigError> {
    match entry(dir, name)? {
        Entry::Missing => Ok(None),
        Entry::File => read_bounded(dir, name, max).map(Some),
        Entry::Legacy(generation) => {
            read_bounded(&legacy_dir(dir, &generation)?, name, max).map(Some)
        }
    }
}

/// When the stable name `name` was last written (its file's modification time).
pub(crate) fn modified(dir: &Dir, name: &str) -> Option<std::time::SystemTime> {
    match entry(dir, name).ok()? {
        Entry::Missing => None,
        Entry::File => dir.stat(name).ok().flatten()?.modified,
        Entry::Legacy(g) => {
            legacy_dir(dir, &g)
                .ok()?
                .stat(name)
                .ok()
                .flatten()?
                .modified
        }
    }
}
