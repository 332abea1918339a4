//! Operations relative to an opened folder (issue 12).
//!
//! On Unix a [`Dir`] holds an open file descriptor of the folder, and every operation on its
//! entries goes through it (`openat`, `mkdirat`, `renameat`, `unlinkat`, `fstatat` with
//! `AT_SYMLINK_NOFOLLOW`, all `O_NOFOLLOW`). A folder (or any folder above it) swapped for a
//! link after it was opened therefore cannot redirect a write: the writes land in the folder
//! that was opened and checked, or fail. Entries are never followed when they are links.
//!
//! Elsewhere (Windows) the same calls are path-based, each entry checked with
//! `symlink_metadata` first, as before.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// What is at a name (never following a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Link,
    Other,
}

/// The facts of one entry (from `fstatat(…, AT_SYMLINK_NOFOLLOW)` / `symlink_metadata`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Info {
    pub kind: Kind,
    /// Owner (Unix); `None` where the platform has no owner id.
    pub uid: Option<u32>,
    /// Permission bits (Unix), else 0.
    pub mode: u32,
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
}

#[derive(Debug)]
struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the file is larger than any agent file")
    }
}

impl std::error::Error for TooLarge {}

fn too_large() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, TooLarge)
}

/// Whether an error of [`Dir::read`] means "over the limit".
pub(crate) fn is_too_large(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<TooLarge>())
}

/// Whether an error means "this is not a regular file" (a link, a FIFO, a folder…).
pub(crate) fn is_not_a_file(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidInput
        || e.raw_os_error() == Some(libc_eloop())
        || e.raw_os_error() == Some(libc_enotdir())
}

#[cfg(unix)]
fn libc_eloop() -> i32 {
    rustix::io::Errno::LOOP.raw_os_error()
}
#[cfg(unix)]
fn libc_enotdir() -> i32 {
    rustix::io::Errno::NOTDIR.raw_os_error()
}
#[cfg(not(unix))]
fn libc_eloop() -> i32 {
    -1
}
#[cfg(not(unix))]
fn libc_enotdir() -> i32 {
    -1
}

fn not_a_file() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")
}

#[cfg(unix)]
mod imp {
    use super::*;
    use rustix::fs::{AtFlags, FileType, Mode, OFlags};
    use std::fs::File;
    use std::io::Write;

    /// An opened folder.
    #[derive(Debug)]
    pub(crate) struct Dir {
        file: File,
        path: PathBuf,
    }

    // `st_mode` is a u16 on macOS, a u32 on Linux.
    #[allow(clippy::useless_conversion)]
    fn info_of(st: &rustix::fs::Stat) -> Info {
        let kind = match FileType::from_raw_mode(st.st_mode as _) {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Dir,
            FileType::Symlink => Kind::Link,
            _ => Kind::Other,
        };
        let modified = u64::try_from(st.st_mtime)
            .ok()
            .map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
        Info {
            kind,
            uid: Some(st.st_uid),
            mode: u32::from(st.st_mode) & 0o7777,
            len: st.st_size.max(0) as u64,
            modified,
        }
    }

    const DIR_FLAGS: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::CLOEXEC);

    impl Dir {
        /// Open a folder by the path the admin chose (links in that path are followed once,
        /// here; what was opened is what every later operation uses).
        pub(crate) fn open_path(path: &Path) -> io::Result<Dir> {
            let fd = match rustix::fs::open(path, DIR_FLAGS, Mode::empty()) {
                Ok(fd) => fd,
                // A parent we may pass through but not list (e.g. mode 0711): an `O_PATH`
                // descriptor still anchors the `*at` calls made on it (Linux).
                #[cfg(any(target_os = "linux", target_os = "android"))]
                Err(e) if e == rustix::io::Errno::ACCESS => rustix::fs::open(
                    path,
                    OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                    Mode::empty(),
                )?,
                Err(e) => return Err(e.into()),
            };
            Ok(Dir {
                file: File::from(fd),
                path: path.to_path_buf(),
            })
        }

        /// The path it was opened as (for messages and reports only).
        pub(crate) fn path(&self) -> &Path {
            &self.path
        }

        pub(crate) fn child(&self, name: &str) -> PathBuf {
            self.path.join(name)
        }

        /// The folder itself.
        pub(crate) fn info(&self) -> io::Result<Info> {
            Ok(info_of(&rustix::fs::fstat(&self.file)?))
        }

        /// The entry `name`, without following a link; `None` when absent.
        pub(crate) fn stat(&self, name: &str) -> io::Result<Option<Info>> {
            match rustix::fs::statat(&self.file, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => Ok(Some(info_of(&st))),
                Err(e) if e == rustix::io::Errno::NOENT => Ok(None),
                Err(e) => Err(e.into()),
            }
        }

        /// Open the sub-folder `name` (a link there is refused by `O_NOFOLLOW`).
        pub(crate) fn open_dir(&self, name: &str) -> io::Result<Dir> {
            let fd = rustix::fs::openat(
                &self.file,
                name,
                DIR_FLAGS | OFlags::NOFOLLOW,
                Mode::empty(),
            )?;
            Ok(Dir {
                file: File::from(fd),
                path: self.path.join(name),
            })
        }

        /// Read the regular file `name` (never through a link; refused before reading when
        /// larger than `max`).
        pub(crate) fn read(&self, name: &str, max: u64) -> io::Result<Zeroizing<Vec<u8>>> {
            // O_NONBLOCK: a planted FIFO cannot stall the open; it is refused below.
            let fd = rustix::fs::openat(
                &self.file,
                name,
                OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let st = rustix::fs::fstat(&fd)?;
            let info = info_of(&st);
            if info.kind != Kind::File {
                return Err(not_a_file());
            }
            if info.len > max {
                return Err(too_large());
            }
            let mut buf = Zeroizing::new(Vec::with_capacity(info.len as usize));
            File::from(fd).take(max + 1).read_to_end(&mut buf)?;
            if buf.len() as u64 > max {
                return Err(too_large());
            }
            Ok(buf)
        }

        /// Create the file `name` (it must not exist), owner-only, write `bytes`, fsync.
        pub(crate) fn write_new(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
            let fd = rustix::fs::openat(
                &self.file,
                name,
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o600),
            )?;
            rustix::fs::fchmod(&fd, Mode::from_raw_mode(0o600))?;
            let mut f = File::from(fd);
            f.write_all(bytes)?;
            f.sync_all()
        }

        /// Replace (or create) `name` atomically: a temporary file, fsync, rename, fsync.
        pub(crate) fn write_atomic(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
            let tmp = format!(".{name}.tmp-{}", crate::keys::files::unique_suffix());
            let r = self
                .write_new(&tmp, bytes)
                .and_then(|()| self.rename(&tmp, self, name));
            if r.is_err() {
                let _ = self.unlink(&tmp);
            }
            r?;
            self.sync()
        }

        /// Create the sub-folder `name`, owner-only (0700).
        pub(crate) fn mkdir(&self, name: &str) -> io::Result<()> {
            rustix::fs::mkdirat(&self.file, name, Mode::from_raw_mode(0o700))?;
            Ok(())
        }

        /// Rename `from` (in this folder) to `to` in `to_dir`; the entry itself moves (a link
        /// is moved as a link, never followed).
        pub(crate) fn rename(&self, from: &str, to_dir: &Dir, to: &str) -> io::Result<()> {
            rustix::fs::renameat(&self.file, from, &to_dir.file, to)?;
            Ok(())
        }

        /// Remove the file (or link) `name`.
        pub(crate) fn unlink(&self, name: &str) -> io::Result<()> {
            rustix::fs::unlinkat(&self.file, name, AtFlags::empty())?;
            Ok(())
        }

        /// Remove the empty sub-folder `name`.
        pub(crate) fn rmdir(&self, name: &str) -> io::Result<()> {
            rustix::fs::unlinkat(&self.file, name, AtFlags::REMOVEDIR)?;
            Ok(())
        }

        /// The target of the link `name`.
        pub(crate) fn read_link(&self, name: &str) -> io::Result<PathBuf> {
            use std::os::unix::ffi::OsStringExt;
            let c = rustix::fs::readlinkat(&self.file, name, Vec::new())?;
            Ok(PathBuf::from(std::ffi::OsString::from_vec(c.into_bytes())))
        }

        /// The entries (without `.` and `..`), with their kind.
        pub(crate) fn entries(&self) -> io::Result<Vec<(String, Kind)>> {
            let mut out = vec![];
            for e in rustix::fs::Dir::read_from(&self.file)? {
                let e = e?;
                let name = e.file_name().to_string_lossy().into_owned();
                if name == "." || name == ".." {
                    continue;
                }
                // d_type may be unknown on some file systems: ask fstatat then.
                let kind = match self.stat(&name)? {
                    Some(i) => i.kind,
                    None => continue,
                };
                out.push((name, kind));
            }
            Ok(out)
        }

        /// fsync the folder (new, renamed and removed entries become durable).
        pub(crate) fn sync(&self) -> io::Result<()> {
            self.file.sync_all()
        }

        /// The advisory lock of a change (released when the `Dir` is dropped).
        pub(crate) fn try_lock(&self) -> Result<(), std::fs::TryLockError> {
            self.file.try_lock()
        }

        /// Whether `other` is the same folder (device and inode).
        pub(crate) fn same_as(&self, other: &Dir) -> io::Result<bool> {
            let a = rustix::fs::fstat(&self.file)?;
            let b = rustix::fs::fstat(&other.file)?;
            Ok(a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::*;
    use crate::keys::files::{self, Access};
    use std::fs;

    /// A folder, by path: each entry is checked with `symlink_metadata` before use.
    #[derive(Debug)]
    pub(crate) struct Dir {
        path: PathBuf,
    }

    fn info_of(md: &fs::Metadata) -> Info {
        let t = md.file_type();
        let kind = if t.is_symlink() {
            Kind::Link
        } else if t.is_file() {
            Kind::File
        } else if t.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        };
        Info {
            kind,
            uid: None,
            mode: 0,
            len: md.len(),
            modified: md.modified().ok(),
        }
    }

    impl Dir {
        pub(crate) fn open_path(path: &Path) -> io::Result<Dir> {
            if !fs::metadata(path)?.is_dir() {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a folder"));
            }
            Ok(Dir {
                path: path.to_path_buf(),
            })
        }
        pub(crate) fn path(&self) -> &Path {
            &self.path
        }
        pub(crate) fn child(&self, name: &str) -> PathBuf {
            self.path.join(name)
        }
        pub(crate) fn info(&self) -> io::Result<Info> {
            Ok(info_of(&fs::metadata(&self.path)?))
        }
        pub(crate) fn stat(&self, name: &str) -> io::Result<Option<Info>> {
            match fs::symlink_metadata(self.child(name)) {
                Ok(md) => Ok(Some(info_of(&md))),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        }
        pub(crate) fn open_dir(&self, name: &str) -> io::Result<Dir> {
            match self.stat(name)? {
                Some(i) if i.kind == Kind::Dir => Ok(Dir {
                    path: self.child(name),
                }),
                Some(_) => Err(io::Error::new(io::ErrorKind::InvalidInput, "not a folder")),
                None => Err(io::ErrorKind::NotFound.into()),
            }
        }
        pub(crate) fn read(&self, name: &str, max: u64) -> io::Result<Zeroizing<Vec<u8>>> {
            match self.stat(name)? {
                Some(i) if i.kind == Kind::File => {}
                Some(_) => return Err(not_a_file()),
                None => return Err(io::ErrorKind::NotFound.into()),
            }
            let mut buf = Zeroizing::new(Vec::new());
            fs::File::open(self.child(name))?
                .take(max + 1)
                .read_to_end(&mut buf)?;
            if buf.len() as u64 > max {
                return Err(too_large());
            }
            Ok(buf)
        }
        pub(crate) fn write_new(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
            files::write_new(&self.child(name), bytes, Access::OwnerOnly)
        }
        pub(crate) fn write_atomic(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
            files::write_atomic(&self.child(name), bytes, Access::OwnerOnly)
        }
        pub(crate) fn mkdir(&self, name: &str) -> io::Result<()> {
            files::create_private_dir(&self.child(name))
        }
        pub(crate) fn rename(&self, from: &str, to_dir: &Dir, to: &str) -> io::Result<()> {
            fs::rename(self.child(from), to_dir.child(to))
        }
        pub(crate) fn unlink(&self, name: &str) -> io::Result<()> {
            fs::remove_file(self.child(name))
        }
        pub(crate) fn rmdir(&self, name: &str) -> io::Result<()> {
            fs::remove_dir(self.child(name))
        }
        pub(crate) fn read_link(&self, name: &str) -> io::Result<PathBuf> {
            fs::read_link(self.child(name))
        }
        pub(crate) fn entries(&self) -> io::Result<Vec<(String, Kind)>> {
            let mut out = vec![];
            for e in fs::read_dir(&self.path)? {
                let e = e?;
                let md = fs::symlink_metadata(e.path())?;
                out.push((
                    e.file_name().to_string_lossy().into_owned(),
                    info_of(&md).kind,
                ));
            }
            Ok(out)
        }
        pub(crate) fn sync(&self) -> io::Result<()> {
            Ok(())
        }
        pub(crate) fn try_lock(&self) -> Result<(), std::fs::TryLockError> {
            Ok(())
        }
        pub(crate) fn same_as(&self, other: &Dir) -> io::Result<bool> {
            Ok(self.path == other.path)
        }
    }
}

pub(crate) use imp::Dir;

impl Dir {
    /// Remove the sub-folder `name` and everything in it, never following a link (a link in
    /// it is removed as a link).
    pub(crate) fn remove_tree(&self, name: &str) -> io::Result<()> {
        let sub = self.open_dir(name)?;
        for (entry, kind) in sub.entries()? {
            if kind == Kind::Dir {
                sub.remove_tree(&entry)?;
            } else {
                sub.unlink(&entry)?;
            }
        }
        drop(sub);
        self.rmdir(name)
    }

    /// Copy the tree `name` of this folder to the new folder `to` in `to_dir` (regular files
    /// and folders only; each file at most `max` bytes).
    pub(crate) fn copy_tree(&self, name: &str, to_dir: &Dir, to: &str, max: u64) -> io::Result<()> {
        let src = self.open_dir(name)?;
        to_dir.mkdir(to)?;
        let dst = to_dir.open_dir(to)?;
        for (entry, kind) in src.entries()? {
            match kind {
                Kind::File => dst.write_new(&entry, &src.read(&entry, max)?)?,
                Kind::Dir => src.copy_tree(&entry, &dst, &entry, max)?,
                _ => {}
            }
        }
        dst.sync()
    }
}
