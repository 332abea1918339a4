//! Durable, owner-only file writes for key material and sealed configs.
//!
//! Every file is written to a fresh temporary name in the destination directory, created with
//! its final permissions by `open(2)` itself (`O_CREAT|O_EXCL`, mode 0600 for secrets), so it is
//! never readable by others for an instant; it is fsynced, renamed over the destination and the
//! directory is fsynced. A reader sees either the old file or the complete new one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Who may read a file we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Owner read/write only (0600; on Windows a protected access list with one entry, the
    /// current user: `h2r_private_acl`).
    OwnerOnly,
    /// Owner read/write, others read (0644): public keys.
    Public,
}

impl Access {
    #[cfg(unix)]
    fn mode(self) -> u32 {
        match self {
            Access::OwnerOnly => 0o600,
            Access::Public => 0o644,
        }
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name that no other writer in this or another process uses at the same time.
pub fn unique_suffix() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{}-{}-{:08x}", std::process::id(), n, nanos)
}

/// Create a new file (it must not exist) with the given access from the first byte.
pub fn create_new(path: &Path, access: Access) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(access.mode());
    }
    #[cfg(windows)]
    if access == Access::OwnerOnly {
        // The handle must be allowed to rewrite the access list (WRITE_DAC): see crates/private-acl.
        use std::os::windows::fs::OpenOptionsExt;
        const GENERIC_WRITE: u32 = 0x4000_0000;
        const READ_CONTROL: u32 = 0x0002_0000;
        const WRITE_DAC: u32 = 0x0004_0000;
        opts.access_mode(GENERIC_WRITE | READ_CONTROL | WRITE_DAC);
    }
    #[cfg(not(any(unix, windows)))]
    let _ = access;
    let file = opts.open(path)?;
    // Windows: an owner-only access list while the file is still empty (issue 10).
    #[cfg(windows)]
    if access == Access::OwnerOnly {
        if let Err(e) = h2r_private_acl::restrict_file(&file) {
            drop(file);
            let _ = fs::remove_file(path);
            return Err(e);
        }
    }
    // The umask can only remove bits; make sure the mode is exactly what we asked for.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(access.mode()))?;
    }
    Ok(file)
}

/// Write `bytes` to a new file at `path` (which must not exist), fsynced.
pub fn write_new(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
    let mut f = create_new(path, access)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Atomically replace (or create) `path` with `bytes`: temp file, fsync, rename, fsync dir.
pub fn write_atomic(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
    let dir = parent_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", unique_suffix()));
    let result = write_new(&tmp, bytes, access).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(&dir)
}

/// Create a directory (and parents) that only the owner may enter (0700; on Windows an
/// owner-only access list inherited by its files, set when this call creates it).
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    #[cfg(windows)]
    let existed = path.is_dir();
    b.create(path)?;
    #[cfg(windows)]
    if !existed {
        h2r_private_acl::restrict_dir(path)?;
    }
    Ok(())
}

/// fsync a directory so renames and new entries in it are durable. No-op where unsupported.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The directory a path lives in (`.` for a bare file name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Permission bits of a path (unix), for reports and tests.
#[cfg(unix)]
pub fn mode_of(path: &Path) -> io::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::metadata(path)?.permissions().mode() & 0o7777)
}

/// The error [`read_limited`] gives for a file over its limit.
#[derive(Debug)]
struct TooLarge {
    max: u64,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the file is larger than {} bytes", self.max)
    }
}

impl std::error::Error for TooLarge {}

/// Whether an error of [`read_limited`] means "over the limit".
pub fn is_too_large(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<TooLarge>())
}

/// Read a user-supplied file of at most `max` bytes (issue 12): the size is checked before
/// reading, and the read itself stops after `max + 1` bytes (a file that grows meanwhile). Only
/// regular files are read (a FIFO or device could block or never end). Zeroized on drop, since
/// such files may hold secrets.
pub fn read_limited(path: &Path, max: u64) -> io::Result<zeroize::Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let too_large = || io::Error::new(io::ErrorKind::InvalidData, TooLarge { max });
    let md = fs::metadata(path)?;
    if !md.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    if md.len() > max {
        return Err(too_large());
    }
    let mut buf = zeroize::Zeroizing::new(Vec::with_capacity(md.len() as usize));
    File::open(path)?.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(too_large());
    }
    Ok(buf)
}

/// [`read_limited`] as UTF-8 text.
pub fn read_limited_text(path: &Path, max: u64) -> io::Result<zeroize::Zeroizing<String>> {
    let bytes = read_limited(path, max)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text"))?;
    Ok(zeroize::Zeroizing::new(text.to_string()))
}
