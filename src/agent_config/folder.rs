//! The agent's folder (mounted at `/config`) and crash-safe key rotation.
//!
//! Layout (all links relative, so they resolve inside a container's bind mount):
//!
//! ```text
//! DIR/privateKey.pem -> current/privateKey.pem   (absent when the public key was imported)
//! DIR/publicKey.pem  -> current/publicKey.pem
//! DIR/config.jwe     -> current/config.jwe
//! DIR/current        -> generations/<generation>
//! DIR/generations/<generation>/{privateKey.pem,publicKey.pem,config.jwe}   (0700 / 0600)
//! DIR/archive/<archived-at>_<generation>/…                                  (0700 / 0600)
//! ```
//!
//! A new set is staged completely in `generations/.staging-*`, every file and the directory
//! fsynced, renamed to its final name, and switched in with ONE atomic step: `rename(2)` of a
//! new `current` link over the old. The stable names never change, so after a crash at any point
//! `DIR/config.jwe` opens with `DIR/privateKey.pem`: both resolve through the same `current`.
//! A folder written as plain files (`keys generate` + `agent-config seal`) is first converted:
//! its files are copied into a generation and each plain file is replaced by its link, one at a
//! time; each replacement keeps the content it points at, so the pair stays consistent.

use super::{open, seal, ConfigError, Header, CONFIG_FILE};
use crate::keys::files::{self, Access};
use crate::keys::{self, KeyError, Passphrase, PrivateKey, PublicKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE};
use crate::profile::KeyOrigin;
use serde::Serialize;
use std::fs;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The link that names the live generation.
pub const CURRENT_LINK: &str = "current";
/// Where generations live.
pub const GENERATIONS_DIR: &str = "generations";
/// Where replaced generations are kept (owner-only).
pub const ARCHIVE_DIR: &str = "archive";
/// The stable names the agent reads.
pub const STABLE_NAMES: [&str; 3] = [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, CONFIG_FILE];
const STAGING_PREFIX: &str = ".staging-";

/// Environment variable of the crash-injection test hook: when set to N, the process stops
/// (prints `H2R_SETUP_PAUSED N <point>` on stderr and sleeps) at the N-th write point, so a test
/// can SIGKILL it there. Unset in normal use.
pub const PAUSE_ENV: &str = "H2R_SETUP_TEST_PAUSE_AT";

fn fault_point(name: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let Some(target) = std::env::var(PAUSE_ENV).ok().and_then(|v| v.parse::<usize>().ok()) else {
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

/// The key material of a new generation.
pub enum KeySource<'a> {
    /// A generated pair: the private key is written (owner-only), optionally passphrase-protected.
    Generated { key: &'a PrivateKey, passphrase: Option<&'a Passphrase> },
    /// An admin's public key: no private key is written.
    Imported { public: &'a PublicKey },
}

impl KeySource<'_> {
    fn public(&self) -> PublicKey {
        match self {
            KeySource::Generated { key, .. } => key.public_key(),
            KeySource::Imported { public } => (*public).clone(),
        }
    }
    fn origin(&self) -> KeyOrigin {
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
    /// The live generation's directory name.
    pub generation: String,
    /// SPKI PEM to paste into the Hire2Retire portal.
    pub public_key_pem: String,
    /// The files the agent's `/config` mount needs.
    pub agent_files: Vec<PathBuf>,
}

/// Write a new agent folder: key files and `config.jwe` sealing `plaintext` (one JSON
/// document, e.g. [`super::AgentPayload::to_json`]). Refuses a folder that already holds a
/// key or config unless `replace` (then the old set is archived, as in a rotation).
pub fn create(dir: &Path, source: KeySource<'_>, plaintext: &[u8], replace: bool) -> Result<FolderInfo, ConfigError> {
    if !replace {
        for name in STABLE_NAMES {
            let p = dir.join(name);
            if p.symlink_metadata().is_ok() {
                return Err(KeyError::Exists { path: p.display().to_string() }.into());
            }
        }
    }
    let sealed = seal(plaintext, &source.public())?;
    let (generation, _archived) = install(dir, &source, &sealed)?;
    Ok(folder_info(dir, &source, generation))
}

fn folder_info(dir: &Path, source: &KeySource<'_>, generation: String) -> FolderInfo {
    let public = source.public();
    let mut agent_files = vec![];
    if matches!(source, KeySource::Generated { .. }) {
        agent_files.push(dir.join(PRIVATE_KEY_FILE));
    }
    agent_files.push(dir.join(CONFIG_FILE));
    FolderInfo {
        dir: dir.to_path_buf(),
        fingerprint: public.fingerprint(),
        bits: public.bits(),
        origin: source.origin(),
        generation,
        public_key_pem: public.to_pem(),
        agent_files,
    }
}

/// Open the folder exactly as the agent does: `DIR/config.jwe` with `DIR/privateKey.pem`.
pub fn open_folder(dir: &Path, passphrase: Option<&Passphrase>) -> Result<(Zeroizing<Vec<u8>>, Header), ConfigError> {
    let key = PrivateKey::from_file(&dir.join(PRIVATE_KEY_FILE), passphrase)?;
    let path = dir.join(CONFIG_FILE);
    let text = read_config(&path)?;
    let what = path.display().to_string();
    let header = super::inspect(&text, &what)?;
    let plain = open(&text, &key, &what)?;
    Ok((plain, header))
}

/// Read a sealed config file.
pub fn read_config(path: &Path) -> Result<String, ConfigError> {
    let bytes = fs::read(path).map_err(|e| ConfigError::io("read", path, e))?;
    String::from_utf8(bytes).map_err(|_| ConfigError::Modified {
        what: path.display().to_string(),
        detail: "it is not ASCII text".into(),
    })
}

/// What the wizard shows for a saved connection's folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FolderStatus {
    pub dir: PathBuf,
    /// Thumbprint of `publicKey.pem`.
    pub fingerprint: String,
    pub bits: usize,
    /// `kid` of `config.jwe` (equals `fingerprint` in a consistent folder).
    pub config_kid: String,
    pub origin: KeyOrigin,
    /// Whether the private key is passphrase-protected.
    pub passphrase_protected: bool,
    /// The live generation, if the folder uses the rotation layout.
    pub generation: Option<String>,
    /// Archived generations, oldest first.
    pub archived: Vec<String>,
}

/// Describe a folder without opening the config (no passphrase needed).
pub fn status(dir: &Path) -> Result<FolderStatus, ConfigError> {
    let public = PublicKey::from_file(&dir.join(PUBLIC_KEY_FILE))?;
    let cfg_path = dir.join(CONFIG_FILE);
    let header = super::inspect(&read_config(&cfg_path)?, &cfg_path.display().to_string())?;
    let private = dir.join(PRIVATE_KEY_FILE);
    let (origin, passphrase_protected) = match fs::read(&private) {
        Ok(bytes) => (KeyOrigin::Generated, bytes.starts_with(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")),
        Err(_) => (KeyOrigin::Imported, false),
    };
    let generation = fs::read_link(dir.join(CURRENT_LINK))
        .ok()
        .and_then(|t| t.file_name().map(|n| n.to_string_lossy().into_owned()));
    let mut archived: Vec<String> = fs::read_dir(dir.join(ARCHIVE_DIR))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    archived.sort();
    Ok(FolderStatus {
        dir: dir.to_path_buf(),
        fingerprint: public.fingerprint(),
        bits: public.bits(),
        config_kid: header.kid,
        origin,
        passphrase_protected,
        generation,
        archived,
    })
}

// ---------------------------------------------------------------------------------------------
// Rotation.

/// What a rotation needs besides the folder.
#[derive(Default)]
pub struct RotateRequest {
    /// Size of the new key (default: the old key's size, or 3072).
    pub bits: Option<usize>,
    /// The private key's passphrase (the new key gets the same protection).
    pub passphrase: Option<Passphrase>,
    /// For an imported key: the admin's new public key.
    pub new_public_key: Option<PublicKey>,
    /// The plaintext to seal (required with an imported key, where the old config cannot be
    /// opened: the wizard asks for the password again). Otherwise the old config is re-sealed.
    pub new_plaintext: Option<Zeroizing<Vec<u8>>>,
    /// A pre-generated key (the wizard generates it with progress and Cancel first).
    pub new_key: Option<PrivateKey>,
}

impl std::fmt::Debug for RotateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RotateRequest").field("bits", &self.bits).finish_non_exhaustive()
    }
}

/// The result the wizard shows: old and new fingerprints and the new public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RotationReport {
    pub dir: PathBuf,
    pub origin: KeyOrigin,
    pub old_fingerprint: String,
    pub new_fingerprint: String,
    pub bits: usize,
    /// Paste this into the Hire2Retire portal.
    pub public_key_pem: String,
    pub generation: String,
    /// Where the old key and config were archived.
    pub archived_to: Option<PathBuf>,
}

/// Errors specific to a rotation request.
fn bad_request(msg: &str) -> ConfigError {
    ConfigError::BadPayload(msg.to_string())
}

/// Rotate the folder's key: new pair (or the admin's new public key), config re-sealed, old
/// set archived, switched atomically. Blocking (key generation); see [`rotate_async`].
pub fn rotate(dir: &Path, mut req: RotateRequest) -> Result<RotationReport, ConfigError> {
    let _lock = lock_folder(dir)?;
    let old_public = PublicKey::from_file(&dir.join(PUBLIC_KEY_FILE))?;
    let private_path = dir.join(PRIVATE_KEY_FILE);
    let has_private = private_path.exists();
    if has_private {
        if req.new_public_key.is_some() {
            return Err(bad_request("this folder holds a generated key pair; a rotation generates the new pair itself"));
        }
        let old_pem = Zeroizing::new(keys::read_text(&private_path)?);
        let protected = old_pem.trim_start().starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        let old_key = PrivateKey::from_pem(&old_pem, req.passphrase.as_ref(), &private_path.display().to_string())?;
        let cfg_path = dir.join(CONFIG_FILE);
        let what = cfg_path.display().to_string();
        let plaintext = match req.new_plaintext.take() {
            Some(p) => p,
            // Prove the current set opens before replacing it.
            None => open(&read_config(&cfg_path)?, &old_key, &what)?,
        };
        let bits = req.bits.unwrap_or_else(|| {
            let b = old_public.bits();
            if keys::ALLOWED_BITS.contains(&b) {
                b
            } else {
                keys::DEFAULT_BITS
            }
        });
        let new_key = match req.new_key.take() {
            Some(k) => k,
            None => PrivateKey::generate(bits)?,
        };
        let passphrase = if protected { req.passphrase.as_ref() } else { None };
        let source = KeySource::Generated { key: &new_key, passphrase };
        let plaintext = refresh_key_facts(plaintext, &source.public(), KeyOrigin::Generated);
        let sealed = seal(&plaintext, &source.public())?;
        let (generation, archived_to) = install(dir, &source, &sealed)?;
        let new_public = new_key.public_key();
        Ok(RotationReport {
            dir: dir.to_path_buf(),
            origin: KeyOrigin::Generated,
            old_fingerprint: old_public.fingerprint(),
            new_fingerprint: new_public.fingerprint(),
            bits: new_public.bits(),
            public_key_pem: new_public.to_pem(),
            generation,
            archived_to,
        })
    } else {
        let Some(new_public) = req.new_public_key.take() else {
            return Err(bad_request(
                "this folder's key was imported (there is no private key to rotate); give the new public key and the config to seal",
            ));
        };
        let Some(plaintext) = req.new_plaintext.take() else {
            return Err(bad_request("with an imported key the config must be given again (the password is asked again)"));
        };
        if new_public == old_public {
            return Err(bad_request("the new public key is the one already in use"));
        }
        let source = KeySource::Imported { public: &new_public };
        let plaintext = refresh_key_facts(plaintext, &new_public, KeyOrigin::Imported);
        let sealed = seal(&plaintext, &new_public)?;
        let (generation, archived_to) = install(dir, &source, &sealed)?;
        Ok(RotationReport {
            dir: dir.to_path_buf(),
            origin: KeyOrigin::Imported,
            old_fingerprint: old_public.fingerprint(),
            new_fingerprint: new_public.fingerprint(),
            bits: new_public.bits(),
            public_key_pem: new_public.to_pem(),
            generation,
            archived_to,
        })
    }
}

/// When the config is the wizard's payload, the profile inside it names the new key (its
/// fingerprint is the JWE `kid`); any other JSON is sealed exactly as it was.
fn refresh_key_facts(plaintext: Zeroizing<Vec<u8>>, public: &PublicKey, origin: KeyOrigin) -> Zeroizing<Vec<u8>> {
    match super::AgentPayload::from_json(&plaintext) {
        Ok(mut payload) if payload.connection.agent_key.is_some() => {
            payload.connection.agent_key =
                Some(crate::profile::AgentKey { fingerprint: public.fingerprint(), bits: public.bits() as u32, origin });
            payload.to_json()
        }
        _ => plaintext,
    }
}

/// One rotation at a time per folder: an advisory lock on the folder itself (released when
/// the returned handle drops, also when the process dies).
fn lock_folder(dir: &Path) -> Result<Option<std::fs::File>, ConfigError> {
    #[cfg(unix)]
    {
        let f = std::fs::File::open(dir)
            .map_err(|e| ConfigError::Io { action: "open", path: dir.display().to_string(), source: e })?;
        match f.try_lock() {
            Ok(()) => Ok(Some(f)),
            Err(std::fs::TryLockError::WouldBlock) => Err(ConfigError::Busy { path: dir.display().to_string() }),
            Err(std::fs::TryLockError::Error(e)) => Err(ConfigError::Io { action: "lock", path: dir.display().to_string(), source: e }),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}

/// [`rotate`] for the wizard: the new key is generated off the UI thread with progress and
/// Cancel (cancelling before the switch leaves the folder untouched); the switch runs on a
/// blocking thread and is not interrupted once started.
pub async fn rotate_async(
    dir: PathBuf,
    mut req: RotateRequest,
    on_progress: impl FnMut(keys::KeygenProgress) + Send,
    cancel: keys::CancelFlag,
) -> Result<RotationReport, ConfigError> {
    if dir.join(PRIVATE_KEY_FILE).exists() && req.new_key.is_none() {
        let bits = match req.bits {
            Some(b) => b,
            None => PublicKey::from_file(&dir.join(PUBLIC_KEY_FILE))
                .map(|k| k.bits())
                .ok()
                .filter(|b| keys::ALLOWED_BITS.contains(b))
                .unwrap_or(keys::DEFAULT_BITS),
        };
        req.new_key = Some(keys::generate_async(bits, on_progress, cancel.clone()).await?);
    }
    if cancel.is_cancelled() {
        return Err(KeyError::Cancelled.into());
    }
    tokio::task::spawn_blocking(move || rotate(&dir, req))
        .await
        .map_err(|e| ConfigError::BadPayload(format!("the rotation task failed ({e})")))?
}

// ---------------------------------------------------------------------------------------------
// The mechanism.

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> ConfigError + 'a {
    move |e| ConfigError::io(action, path, e)
}

/// Stage and switch in a new generation; returns (generation, archived old generation).
fn install(dir: &Path, source: &KeySource<'_>, sealed: &str) -> Result<(String, Option<PathBuf>), ConfigError> {
    if !dir.exists() {
        files::create_private_dir(dir).map_err(io("create", dir))?;
    }
    recover(dir)?;
    ensure_linked(dir)?;

    // 1. Stage the complete new set.
    let mut set: Vec<(&str, Zeroizing<Vec<u8>>, Access)> = vec![];
    if let KeySource::Generated { key, passphrase } = source {
        let pem = key.to_pem(*passphrase)?;
        set.push((PRIVATE_KEY_FILE, Zeroizing::new(pem.as_bytes().to_vec()), Access::OwnerOnly));
    }
    let public = source.public();
    set.push((PUBLIC_KEY_FILE, Zeroizing::new(public.to_pem().into_bytes()), Access::OwnerOnly));
    set.push((CONFIG_FILE, Zeroizing::new(sealed.as_bytes().to_vec()), Access::OwnerOnly));
    let generation = stage(dir, &public.fingerprint(), &set)?;

    // 2. Switch: one rename of the `current` link.
    let old = current_generation(dir);
    switch_current(dir, &generation)?;

    // 3. Stable names: links into `current` (already there after the first generation).
    let names: Vec<&str> = set.iter().map(|(n, _, _)| *n).collect();
    for name in names.iter() {
        link_stable(dir, name)?;
    }
    for name in STABLE_NAMES {
        if !names.contains(&name) {
            let p = dir.join(name);
            if p.symlink_metadata().is_ok() {
                fs::remove_file(&p).map_err(io("remove", &p))?;
                files::sync_dir(dir).map_err(io("sync", dir))?;
                fault_point("removed-stale-name");
            }
        }
    }

    // 4. Archive the previous generation.
    let archived = match old {
        Some(old) if old != generation => Some(archive(dir, &old)?),
        _ => None,
    };
    Ok((generation, archived))
}

/// The generation `current` points at.
fn current_generation(dir: &Path) -> Option<String> {
    let target = fs::read_link(dir.join(CURRENT_LINK)).ok()?;
    let name = target.file_name()?.to_string_lossy().into_owned();
    Some(name)
}

/// Write `set` into a staging directory, fsync everything, rename it to its generation name.
fn stage(dir: &Path, kid: &str, set: &[(&str, Zeroizing<Vec<u8>>, Access)]) -> Result<String, ConfigError> {
    let gens = dir.join(GENERATIONS_DIR);
    files::create_private_dir(&gens).map_err(io("create", &gens))?;
    let kid8: String = kid.chars().take(8).collect();
    let mut generation = format!("{}_{}", utc_stamp(), kid8);
    if gens.join(&generation).exists() {
        generation = format!("{}_{}", generation, files::unique_suffix());
    }
    let staging = gens.join(format!("{STAGING_PREFIX}{generation}"));
    files::create_private_dir(&staging).map_err(io("create", &staging))?;
    fault_point("staging-dir-created");
    for (name, bytes, access) in set {
        let p = staging.join(name);
        files::write_new(&p, bytes, *access).map_err(io("write", &p))?;
        fault_point("staged-file-written");
    }
    files::sync_dir(&staging).map_err(io("sync", &staging))?;
    let final_path = gens.join(&generation);
    fs::rename(&staging, &final_path).map_err(io("rename", &staging))?;
    files::sync_dir(&gens).map_err(io("sync", &gens))?;
    fault_point("generation-renamed");
    Ok(generation)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(windows)]
fn symlink(target: &Path, link: &Path) -> std::io::Result<()> {
    // Needs Developer Mode or the symlink privilege on Windows (see docs/agent-config.md).
    if link.file_name().map(|n| n == CURRENT_LINK).unwrap_or(false) {
        std::os::windows::fs::symlink_dir(target, link)
    } else {
        std::os::windows::fs::symlink_file(target, link)
    }
}

/// Atomically point `current` at `generations/<generation>`.
fn switch_current(dir: &Path, generation: &str) -> Result<(), ConfigError> {
    let tmp = dir.join(format!(".{CURRENT_LINK}.new-{}", files::unique_suffix()));
    let target = Path::new(GENERATIONS_DIR).join(generation);
    symlink(&target, &tmp).map_err(io("create link", &tmp))?;
    fault_point("new-current-link-created");
    let cur = dir.join(CURRENT_LINK);
    if let Err(e) = fs::rename(&tmp, &cur) {
        let _ = fs::remove_file(&tmp);
        return Err(ConfigError::io("switch", &cur, e));
    }
    files::sync_dir(dir).map_err(io("sync", dir))?;
    fault_point("current-switched");
    Ok(())
}

/// Make `DIR/<name>` the link `current/<name>` (atomically replacing what is there).
fn link_stable(dir: &Path, name: &str) -> Result<(), ConfigError> {
    let p = dir.join(name);
    let target = Path::new(CURRENT_LINK).join(name);
    if let Ok(t) = fs::read_link(&p) {
        if t == target {
            return Ok(());
        }
    }
    let tmp = dir.join(format!(".{name}.link-{}", files::unique_suffix()));
    symlink(&target, &tmp).map_err(io("create link", &tmp))?;
    fault_point("stable-link-created");
    if let Err(e) = fs::rename(&tmp, &p) {
        let _ = fs::remove_file(&tmp);
        return Err(ConfigError::io("replace", &p, e));
    }
    files::sync_dir(dir).map_err(io("sync", dir))?;
    fault_point("stable-link-switched");
    Ok(())
}

/// Convert plain files (or foreign links) at the stable names into links through `current`,
/// keeping every name's content at every step.
fn ensure_linked(dir: &Path) -> Result<(), ConfigError> {
    let present: Vec<&str> = STABLE_NAMES.iter().copied().filter(|n| dir.join(n).symlink_metadata().is_ok()).collect();
    let needs = present.iter().any(|n| fs::read_link(dir.join(n)).ok() != Some(Path::new(CURRENT_LINK).join(n)));
    if !needs {
        return Ok(());
    }
    // Copy what each stable name shows now into a generation, switch `current` to it (names
    // already linked keep showing the same bytes), then link the rest one by one.
    let mut set = vec![];
    for name in &present {
        let p = dir.join(name);
        let bytes = Zeroizing::new(fs::read(&p).map_err(io("read", &p))?);
        set.push((*name, bytes, Access::OwnerOnly));
    }
    let kid = fs::read_to_string(dir.join(PUBLIC_KEY_FILE))
        .ok()
        .and_then(|t| PublicKey::from_pem(&t, "publicKey.pem").ok())
        .map(|k| k.fingerprint())
        .unwrap_or_else(|| "migrated".into());
    let old = current_generation(dir);
    let generation = stage(dir, &kid, &set)?;
    switch_current(dir, &generation)?;
    for name in &present {
        link_stable(dir, name)?;
    }
    if let Some(old) = old {
        if old != generation {
            archive(dir, &old)?;
        }
    }
    Ok(())
}

/// Remove staging leftovers of an interrupted run and archive generations nothing points at.
fn recover(dir: &Path) -> Result<(), ConfigError> {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(&format!(".{CURRENT_LINK}.new-")) || (name.starts_with('.') && name.contains(".link-")) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    let gens = dir.join(GENERATIONS_DIR);
    let current = current_generation(dir);
    if let Ok(rd) = fs::read_dir(&gens) {
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(STAGING_PREFIX) {
                let _ = fs::remove_dir_all(e.path());
            } else if Some(&name) != current.as_ref() {
                archive(dir, &name)?;
            }
        }
    }
    Ok(())
}

/// Move `generations/<generation>` to `archive/<now>_<generation>` (owner-only).
fn archive(dir: &Path, generation: &str) -> Result<PathBuf, ConfigError> {
    let from = dir.join(GENERATIONS_DIR).join(generation);
    let arch = dir.join(ARCHIVE_DIR);
    files::create_private_dir(&arch).map_err(io("create", &arch))?;
    let mut to = arch.join(format!("{}_{}", utc_stamp(), generation));
    if to.exists() {
        to = arch.join(format!("{}_{}_{}", utc_stamp(), generation, files::unique_suffix()));
    }
    fs::rename(&from, &to).map_err(io("archive", &from))?;
    files::sync_dir(&arch).map_err(io("sync", &arch))?;
    files::sync_dir(&dir.join(GENERATIONS_DIR)).map_err(io("sync", dir))?;
    fault_point("archived");
    Ok(to)
}

/// `YYYYMMDDTHHMMSSZ` in UTC (sortable, valid in file names everywhere).
pub fn utc_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
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
    }
}
