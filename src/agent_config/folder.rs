//! The agent's folder (mounted at `/config`): exactly the files the agent reads, as plain
//! regular files, so any copy (Explorer, `scp`, `cp` without flags, an Azure Files upload, a
//! tar without link support) gives a working folder. No symbolic link anywhere.
//!
//! ```text
//! DIR/privateKey.pem   (absent when the public key was imported)   0600
//! DIR/publicKey.pem                                               0600
//! DIR/config.jwe                                                  0600   (DIR itself 0700)
//! <parent>/<name>.archive/<changed-at>_<old kid>/{…}              0700 / 0600, outside DIR
//! ```
//!
//! Every change (create over an existing set, rotation, new password) goes through
//! [`change`]: the new set and a copy of the old one are staged in `DIR/.h2r-pending/`, a journal
//! commits the change, then each file is renamed into place. After a crash at any point either
//! the folder holds the old or the new matching set, or [`status`] reports the interrupted
//! change and [`recover`] (run by the next change too) finishes or rolls it back without ever
//! losing the private key that matches the live `config.jwe`. Old sets go to the archive
//! beside the folder, with a retention (default: the last one).
//!
//! Modules: [`at`] (operations relative to the opened folder: `openat` & co. on Unix),
//! [`safety`] (opening the folder once, ownership and entry checks), [`change`] (the crash-safe
//! switch, archive, migration of the older link layout), [`recovery`], [`rotate`].

mod at;
mod change;
mod recovery;
mod rotate;
mod safety;

pub use change::archive_dir_for;
pub use recovery::{interrupted, recover, Interrupted, Recovery};
pub use rotate::{
    replace_password, reseal, rotate, rotate_async, ResealReport, RotateRequest, RotationReport,
};
pub use safety::MAX_KEY_FILE_LEN;

use super::{open, seal, ConfigError, Header, CONFIG_FILE, MAX_SEALED_LEN};
use crate::keys::files;
use crate::keys::{KeyError, Passphrase, PrivateKey, PublicKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE};
use crate::profile::KeyOrigin;
use safety::Folder;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The stable names the agent reads.
pub const STABLE_NAMES: [&str; 3] = [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, CONFIG_FILE];
/// Work folder of a change in progress (exists only while one runs or after a crash).
pub const PENDING_DIR: &str = ".h2r-pending";
/// Suffix of the archive folder beside the agent folder (`<name>.archive`).
pub const ARCHIVE_DIR: &str = "archive";
/// The older layout's link (migrated away on the next change).
pub const CURRENT_LINK: &str = "current";
/// The older layout's generations folder (migrated away on the next change).
pub const GENERATIONS_DIR: &str = "generations";
/// Largest file of the folder read (config or key).
pub(crate) const MAX_FILE_LEN: u64 = MAX_SEALED_LEN as u64;

/// Environment variable of the crash-injection test hook (compiled only with the
/// `test-hooks` feature): when set to N, the process stops at the N-th write point (prints
/// `H2R_SETUP_PAUSED N <point>` on stderr and sleeps) so a test can SIGKILL it there.
pub const PAUSE_ENV: &str = "H2R_SETUP_TEST_PAUSE_AT";
/// With the `test-hooks` feature and [`PAUSE_ENV`]: instead of waiting to be killed, continue
/// once the file this variable names exists (a test swaps folders while the change is paused).
pub const RESUME_ENV: &str = "H2R_SETUP_TEST_RESUME_FILE";

/// How many replaced sets the archive keeps (the newest ones). Default 1: the last set, for a
/// roll-back. 0 deletes a replaced set as soon as the new one is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivePolicy {
    pub keep: usize,
}

impl Default for ArchivePolicy {
    fn default() -> Self {
        ArchivePolicy { keep: 1 }
    }
}

/// The key material of a new set.
pub enum KeySource<'a> {
    /// A generated pair: the private key is written (owner-only), optionally passphrase-protected.
    Generated {
        key: &'a PrivateKey,
        passphrase: Option<&'a Passphrase>,
    },
    /// An admin's public key: no private key is written.
    Imported { public: &'a PublicKey },
}

impl KeySource<'_> {
    pub fn public(&self) -> PublicKey {
        match self {
            KeySource::Generated { key, .. } => key.public_key(),
            KeySource::Imported { public } => (*public).clone(),
        }
    }
    pub fn origin(&self) -> KeyOrigin {
        match self {
            KeySource::Generated { .. } => KeyOrigin::Generated,
            KeySource::Imported { .. } => KeyOrigin::Imported,
        }
    }
}

/// What a folder holds after it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderInfo {
    pub dir: PathBuf,
    pub fingerprint: String,
    pub bits: usize,
    pub origin: KeyOrigin,
    /// SPKI PEM to paste into the Hire2Retire portal.
    pub public_key_pem: String,
    /// The files the agent's `/config` mount needs.
    pub agent_files: Vec<PathBuf>,
    /// Every file written into the folder (the agent files and `publicKey.pem`).
    pub written: Vec<PathBuf>,
    /// Where replaced sets are kept (outside the agent folder).
    pub archive_dir: PathBuf,
    /// Where a replaced set went, if the folder held one.
    pub archived_to: Option<PathBuf>,
    /// When it was written (UTC, RFC 3339).
    pub written_at: String,
    /// Problems after the new set went live (it is live and in use).
    pub warnings: Vec<String>,
}

/// Write a new agent folder with the default archive retention. See [`create_with`].
pub fn create(
    dir: &Path,
    source: KeySource<'_>,
    plaintext: &[u8],
    replace: bool,
) -> Result<FolderInfo, ConfigError> {
    create_with(
        dir,
        source,
        plaintext,
        replace,
        &ArchivePolicy::default(),
        &crate::cancel::Cancel::new(),
    )
}

/// Write a new agent folder: key files and `config.jwe` sealing `plaintext` (one JSON
/// document, e.g. [`super::AgentPayload::to_json`]). Refuses a folder that already holds a key
/// or config unless `replace` (then the old set is archived, as in a rotation). Takes the
/// folder lock, so it never races a rotation. `cancel` is honoured until the folder changes:
/// after the private key's protection (600 000 PBKDF2 iterations with a passphrase), a
/// cancelled create returns `keys.cancelled` and the folder is as it was.
pub fn create_with(
    dir: &Path,
    source: KeySource<'_>,
    plaintext: &[u8],
    replace: bool,
    policy: &ArchivePolicy,
    cancel: &crate::cancel::Cancel,
) -> Result<FolderInfo, ConfigError> {
    if cancel.is_cancelled() {
        return Err(KeyError::Cancelled.into());
    }
    let sealed = seal(plaintext, &source.public())?;
    if std::fs::symlink_metadata(dir).is_err() {
        files::create_private_dir(dir).map_err(|e| ConfigError::io("create", dir, e))?;
    }
    let folder = Folder::open(dir)?;
    change::lock_folder(&folder)?;
    recovery::recover_locked(&folder, policy)?;
    let mut old_kid = None;
    for name in STABLE_NAMES {
        if safety::entry(&folder.dir, name)?.exists() {
            if !replace {
                return Err(ConfigError::FolderInUse {
                    path: dir.display().to_string(),
                });
            }
            if name == PUBLIC_KEY_FILE {
                old_kid = safety::read_entry(&folder.dir, name, MAX_KEY_FILE_LEN)?
                    .and_then(|b| String::from_utf8(b.to_vec()).ok())
                    .and_then(|t| PublicKey::from_pem(&t, name).ok())
                    .map(|k| k.fingerprint());
            }
        }
    }
    let set = key_set(&source, &sealed)?;
    if cancel.is_cancelled() {
        return Err(KeyError::Cancelled.into());
    }
    let public = source.public();
    let names: Vec<&str> = set.iter().map(|(n, _)| *n).collect();
    let remove: Vec<&str> = STABLE_NAMES
        .iter()
        .copied()
        .filter(|n| !names.contains(n))
        .collect();
    let applied = change::apply(
        &folder,
        &set,
        &remove,
        &public.fingerprint(),
        old_kid,
        policy,
    )?;
    Ok(FolderInfo {
        dir: dir.to_path_buf(),
        fingerprint: public.fingerprint(),
        bits: public.bits(),
        origin: source.origin(),
        public_key_pem: public.to_pem(),
        agent_files: agent_files(dir, source.origin()),
        written: names.iter().map(|n| dir.join(n)).collect(),
        archive_dir: archive_dir_for(dir),
        archived_to: applied.archived_to,
        written_at: utc_rfc3339(),
        warnings: applied.warnings,
    })
}

/// One file of a set: its name and its bytes.
pub(crate) type SetFile = (&'static str, Zeroizing<Vec<u8>>);

/// The files of a set, in the order they are switched in.
pub(crate) fn key_set(source: &KeySource<'_>, sealed: &str) -> Result<Vec<SetFile>, ConfigError> {
    let mut set = vec![];
    if let KeySource::Generated { key, passphrase } = source {
        let pem = key.to_pem(*passphrase)?;
        set.push((PRIVATE_KEY_FILE, Zeroizing::new(pem.as_bytes().to_vec())));
    }
    set.push((
        PUBLIC_KEY_FILE,
        Zeroizing::new(source.public().to_pem().into_bytes()),
    ));
    set.push((CONFIG_FILE, Zeroizing::new(sealed.as_bytes().to_vec())));
    Ok(set)
}

/// The files the agent's `/config` mount needs.
pub fn agent_files(dir: &Path, origin: KeyOrigin) -> Vec<PathBuf> {
    let mut v = vec![];
    if origin == KeyOrigin::Generated {
        v.push(dir.join(PRIVATE_KEY_FILE));
    }
    v.push(dir.join(CONFIG_FILE));
    v
}

/// Open the folder exactly as the agent does: `DIR/config.jwe` with `DIR/privateKey.pem`.
pub fn open_folder(
    dir: &Path,
    passphrase: Option<&Passphrase>,
) -> Result<(Zeroizing<Vec<u8>>, Header), ConfigError> {
    let folder = Folder::open(dir)?;
    let key_path = dir.join(PRIVATE_KEY_FILE);
    let Some(pem) = safety::read_entry(&folder.dir, PRIVATE_KEY_FILE, MAX_KEY_FILE_LEN)? else {
        return Err(KeyError::io("read", &key_path, std::io::ErrorKind::NotFound.into()).into());
    };
    let pem =
        Zeroizing::new(
            String::from_utf8(pem.to_vec()).map_err(|_| KeyError::MalformedPem {
                what: key_path.display().to_string(),
                detail: "it is not text".into(),
            })?,
        );
    let key = PrivateKey::from_pem(&pem, passphrase, &key_path.display().to_string())?;
    let text = read_stable_config(&folder)?;
    let what = dir.join(CONFIG_FILE).display().to_string();
    let header = super::inspect(&text, &what)?;
    let plain = open(&text, &key, &what)?;
    Ok((plain, header))
}

fn read_stable_config(folder: &Folder) -> Result<String, ConfigError> {
    let path = folder.path().join(CONFIG_FILE);
    let Some(bytes) = safety::read_entry(&folder.dir, CONFIG_FILE, MAX_FILE_LEN)? else {
        return Err(ConfigError::io(
            "read",
            &path,
            std::io::ErrorKind::NotFound.into(),
        ));
    };
    String::from_utf8(bytes.to_vec()).map_err(|_| ConfigError::Modified {
        what: path.display().to_string(),
        detail: "it is not ASCII text".into(),
    })
}

/// Read a sealed config file (any path; size-checked before reading).
pub fn read_config(path: &Path) -> Result<String, ConfigError> {
    let bytes = crate::keys::files::read_limited(path, MAX_FILE_LEN).map_err(|e| {
        if crate::keys::files::is_too_large(&e) {
            ConfigError::Modified {
                what: path.display().to_string(),
                detail: "it is larger than any agent config".into(),
            }
        } else {
            ConfigError::io("read", path, e)
        }
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| ConfigError::Modified {
        what: path.display().to_string(),
        detail: "it is not ASCII text".into(),
    })
}

/// The state of a folder, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderState {
    /// `publicKey.pem` and `config.jwe` name the same key; nothing is interrupted.
    Ready,
    /// A change was interrupted before the switch: the old set is live; recovery discards the rest.
    InterruptedBeforeSwitch,
    /// A change was interrupted during the switch: recovery completes it.
    InterruptedDuringSwitch,
    /// `config.jwe` is sealed to another key than `publicKey.pem`.
    KeyMismatch,
}

/// Which layout the folder uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Plain regular files (this version).
    Files,
    /// The older layout of links into `generations/` (converted on the next change).
    Links,
}

/// The folder as it is on disk (what the wizard's reopen screens and `agent-config status`
/// show). Reading it needs no passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderStatus {
    pub dir: PathBuf,
    pub state: FolderState,
    /// Thumbprint of `publicKey.pem`.
    pub fingerprint: String,
    pub bits: usize,
    /// `publicKey.pem` itself (what the portal holds).
    pub public_key_pem: String,
    /// `kid` of `config.jwe` (equals `fingerprint` in a consistent folder).
    pub config_kid: String,
    pub origin: KeyOrigin,
    /// Whether the private key is passphrase-protected.
    pub passphrase_protected: bool,
    pub layout: Layout,
    /// When the live key files were written (UTC, RFC 3339; from the file time, so a copy that
    /// does not keep times shows the copy's time).
    pub key_written_at: Option<String>,
    /// When the set was last replaced (from the newest archive entry), if known.
    pub last_changed_at: Option<String>,
    /// Where replaced sets are kept (outside the folder).
    pub archive_dir: PathBuf,
    /// Archived sets, oldest first.
    pub archived: Vec<String>,
}

impl FolderStatus {
    /// Whether the folder holds the key a saved record names.
    pub fn matches(&self, fingerprint: &str) -> bool {
        self.state == FolderState::Ready && self.fingerprint == fingerprint
    }
}

/// Describe a folder without opening the config (no passphrase needed, nothing written).
pub fn status(dir: &Path) -> Result<FolderStatus, ConfigError> {
    let folder = Folder::open(dir)?;
    let interrupted = recovery::interrupted_in(&folder)?;
    let pub_entry = safety::entry(&folder.dir, PUBLIC_KEY_FILE)?;
    let cfg_entry = safety::entry(&folder.dir, CONFIG_FILE)?;
    let mut missing = vec![];
    if !pub_entry.exists() {
        missing.push(PUBLIC_KEY_FILE);
    }
    if !cfg_entry.exists() {
        missing.push(CONFIG_FILE);
    }
    if !missing.is_empty() {
        return Err(ConfigError::FolderIncomplete {
            path: dir.display().to_string(),
            missing: missing.join(", "),
        });
    }
    let pub_bytes =
        safety::read_entry(&folder.dir, PUBLIC_KEY_FILE, MAX_KEY_FILE_LEN)?.unwrap_or_default();
    let pub_what = dir.join(PUBLIC_KEY_FILE).display().to_string();
    let public = PublicKey::from_pem(&String::from_utf8_lossy(&pub_bytes), &pub_what)?;
    let cfg_path = dir.join(CONFIG_FILE);
    let header = super::inspect(
        &read_stable_config(&folder)?,
        &cfg_path.display().to_string(),
    )?;
    let (origin, passphrase_protected) =
        match safety::read_entry(&folder.dir, PRIVATE_KEY_FILE, MAX_KEY_FILE_LEN)? {
            Some(bytes) => (
                KeyOrigin::Generated,
                bytes.starts_with(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            ),
            None => (KeyOrigin::Imported, false),
        };
    let layout = if matches!(pub_entry, safety::Entry::Legacy(_))
        || safety::legacy_generation(&folder.dir)
            .ok()
            .flatten()
            .is_some()
    {
        Layout::Links
    } else {
        Layout::Files
    };
    let state = match interrupted {
        Some(Interrupted::BeforeSwitch) => FolderState::InterruptedBeforeSwitch,
        Some(Interrupted::DuringSwitch) => FolderState::InterruptedDuringSwitch,
        None if header.kid != public.fingerprint() => FolderState::KeyMismatch,
        None => FolderState::Ready,
    };
    let key_written_at = safety::modified(&folder.dir, PUBLIC_KEY_FILE).map(rfc3339);
    let archived = change::archived(&folder);
    let last_changed_at = archived.last().and_then(|n| stamp_to_rfc3339(n));
    Ok(FolderStatus {
        dir: dir.to_path_buf(),
        state,
        fingerprint: public.fingerprint(),
        bits: public.bits(),
        public_key_pem: public.to_pem(),
        config_kid: header.kid,
        origin,
        passphrase_protected,
        layout,
        key_written_at,
        last_changed_at,
        archive_dir: archive_dir_for(dir),
        archived,
    })
}

/// Apply the archive retention now (e.g. after the admin lowered it).
pub fn prune_archive(dir: &Path, policy: &ArchivePolicy) -> Result<Vec<String>, ConfigError> {
    let folder = Folder::open(dir)?;
    change::lock_folder(&folder)?;
    change::apply_retention(&folder, policy)?;
    Ok(change::archived(&folder))
}

// ---------------------------------------------------------------------------------------------
// Time stamps (UTC).

fn rfc3339(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    crate::utc::rfc3339(secs)
}

/// Now as RFC 3339 UTC (`2026-12-01T08:30:00Z`).
pub fn utc_rfc3339() -> String {
    crate::utc::rfc3339(crate::utc::now_unix())
}

/// `YYYYMMDDTHHMMSSZ` in UTC (sortable, valid in file names everywhere).
pub fn utc_stamp() -> String {
    crate::utc::stamp(crate::utc::now_unix())
}

/// The RFC 3339 form of an archive entry's leading stamp.
fn stamp_to_rfc3339(name: &str) -> Option<String> {
    let s = name.get(..16)?;
    if s.as_bytes()[8] != b'T'
        || !s.ends_with('Z')
        || !s[..8]
            .bytes()
            .chain(s[9..15].bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamp_is_sortable_and_well_formed() {
        let s = utc_stamp();
        assert_eq!(s.len(), 16, "{s}");
        assert!(s.starts_with("20"), "{s}");
        assert_eq!(&s[8..9], "T");
        assert!(s.ends_with('Z'));
        assert!(s.chars().filter(|c| c.is_ascii_digit()).count() == 14);
        assert_eq!(
            stamp_to_rfc3339("20261201T083000Z_abcdefgh").as_deref(),
            Some("2026-12-01T08:30:00Z")
        );
        assert_eq!(stamp_to_rfc3339("legacy_x"), None);
        assert_eq!(stamp_to_rfc3339("2026-12-01T08:30:00Zxx"), None);
    }
}
