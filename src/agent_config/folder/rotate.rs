//! Key rotation and re-sealing (a new AD password) of an agent folder.

use super::change;
use super::recovery;
use super::safety::{self, Folder};
use super::{
    key_set, utc_rfc3339, ArchivePolicy, ConfigError, KeySource, MAX_FILE_LEN, MAX_KEY_FILE_LEN,
    STABLE_NAMES,
};
use crate::agent_config::{open, seal, AgentPayload, SecretString, CONFIG_FILE};
use crate::keys::{
    self, KeyError, Passphrase, PrivateKey, PublicKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE,
};
use crate::profile::KeyOrigin;
use serde::Serialize;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

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
    /// Archive retention (default: keep the last replaced set).
    pub archive: ArchivePolicy,
}

impl std::fmt::Debug for RotateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RotateRequest")
            .field("bits", &self.bits)
            .field("archive", &self.archive)
            .finish_non_exhaustive()
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
    /// Where the old key and config were archived (outside the agent folder).
    pub archived_to: Option<PathBuf>,
    /// When the new set went live (UTC, RFC 3339).
    pub rotated_at: String,
    /// Problems after the new key went live (the rotation succeeded; these need attention).
    pub warnings: Vec<String>,
}

fn bad_request(msg: &str) -> ConfigError {
    ConfigError::BadPayload(msg.to_string())
}

fn read_public(folder: &Folder) -> Result<PublicKey, ConfigError> {
    let dir = folder.path();
    let p = dir.join(PUBLIC_KEY_FILE);
    let Some(bytes) = safety::read_entry(&folder.dir, PUBLIC_KEY_FILE, MAX_KEY_FILE_LEN)? else {
        return Err(ConfigError::FolderIncomplete {
            path: dir.display().to_string(),
            missing: PUBLIC_KEY_FILE.into(),
        });
    };
    Ok(PublicKey::from_pem(
        &String::from_utf8_lossy(&bytes),
        &p.display().to_string(),
    )?)
}

fn read_private_pem(folder: &Folder) -> Result<Option<Zeroizing<String>>, ConfigError> {
    let p = folder.path().join(PRIVATE_KEY_FILE);
    match safety::read_entry(&folder.dir, PRIVATE_KEY_FILE, MAX_KEY_FILE_LEN)? {
        None => Ok(None),
        Some(b) => String::from_utf8(b.to_vec())
            .map(|s| Some(Zeroizing::new(s)))
            .map_err(|_| {
                KeyError::MalformedPem {
                    what: p.display().to_string(),
                    detail: "it is not text".into(),
                }
                .into()
            }),
    }
}

fn read_sealed(folder: &Folder) -> Result<String, ConfigError> {
    let dir = folder.path();
    let p = dir.join(CONFIG_FILE);
    let Some(b) = safety::read_entry(&folder.dir, CONFIG_FILE, MAX_FILE_LEN)? else {
        return Err(ConfigError::FolderIncomplete {
            path: dir.display().to_string(),
            missing: CONFIG_FILE.into(),
        });
    };
    String::from_utf8(b.to_vec()).map_err(|_| ConfigError::Modified {
        what: p.display().to_string(),
        detail: "it is not ASCII text".into(),
    })
}

/// Rotate the folder's key: new pair (or the admin's new public key), config re-sealed, old
/// set archived outside the folder, switched crash-safely. Blocking (key generation); see
/// [`rotate_async`].
pub fn rotate(dir: &Path, mut req: RotateRequest) -> Result<RotationReport, ConfigError> {
    let folder = Folder::open(dir)?;
    change::lock_folder(&folder)?;
    recovery::recover_locked(&folder, &req.archive)?;
    let old_public = read_public(&folder)?;
    let old_pem = read_private_pem(&folder)?;
    let source_key: Option<PrivateKey>;
    let source_public: PublicKey;
    let plaintext: Zeroizing<Vec<u8>>;
    let protected: bool;
    if let Some(old_pem) = old_pem {
        if req.new_public_key.is_some() {
            return Err(bad_request(
                "this folder holds a generated key pair; a rotation generates the new pair itself",
            ));
        }
        protected = old_pem
            .trim_start()
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        let what = dir.join(PRIVATE_KEY_FILE).display().to_string();
        let old_key = PrivateKey::from_pem(&old_pem, req.passphrase.as_ref(), &what)?;
        let cfg_what = dir.join(CONFIG_FILE).display().to_string();
        plaintext = match req.new_plaintext.take() {
            Some(p) => p,
            // Prove the current set opens before replacing it.
            None => open(&read_sealed(&folder)?, &old_key, &cfg_what)?,
        };
        let bits = req.bits.unwrap_or_else(|| {
            let b = old_public.bits();
            if keys::ALLOWED_BITS.contains(&b) {
                b
            } else {
                keys::DEFAULT_BITS
            }
        });
        let key = match req.new_key.take() {
            Some(k) => k,
            None => PrivateKey::generate(bits)?,
        };
        source_public = key.public_key();
        source_key = Some(key);
    } else {
        let Some(new_public) = req.new_public_key.take() else {
            return Err(bad_request(
                "this folder's key was imported (there is no private key to rotate); give the new public key and the config to seal",
            ));
        };
        let Some(p) = req.new_plaintext.take() else {
            return Err(bad_request(
                "with an imported key the config must be given again (the password is asked again)",
            ));
        };
        if new_public == old_public {
            return Err(bad_request("the new public key is the one already in use"));
        }
        plaintext = p;
        protected = false;
        source_public = new_public;
        source_key = None;
    }
    let source = match &source_key {
        Some(key) => KeySource::Generated {
            key,
            passphrase: if protected {
                req.passphrase.as_ref()
            } else {
                None
            },
        },
        None => KeySource::Imported {
            public: &source_public,
        },
    };
    let plaintext = refresh_key_facts(plaintext, &source_public, source.origin());
    let sealed = seal(&plaintext, &source_public)?;
    let set = key_set(&source, &sealed)?;
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
        &source_public.fingerprint(),
        Some(old_public.fingerprint()),
        &req.archive,
    )?;
    Ok(RotationReport {
        dir: dir.to_path_buf(),
        origin: source.origin(),
        old_fingerprint: old_public.fingerprint(),
        new_fingerprint: source_public.fingerprint(),
        bits: source_public.bits(),
        public_key_pem: source_public.to_pem(),
        archived_to: applied.archived_to,
        rotated_at: utc_rfc3339(),
        warnings: applied.warnings,
    })
}

/// When the config is the wizard's payload, the profile inside it names the new key (its
/// fingerprint is the JWE `kid`); any other JSON is sealed exactly as it was.
fn refresh_key_facts(
    plaintext: Zeroizing<Vec<u8>>,
    public: &PublicKey,
    origin: KeyOrigin,
) -> Zeroizing<Vec<u8>> {
    match AgentPayload::from_json(&plaintext) {
        Ok(mut payload) if payload.connection.agent_key.is_some() => {
            payload.connection.agent_key = Some(crate::profile::AgentKey {
                fingerprint: public.fingerprint(),
                bits: public.bits() as u32,
                origin,
            });
            payload.to_json()
        }
        _ => plaintext,
    }
}

/// [`rotate`] for the wizard: the new key is generated off the UI thread with progress and
/// Cancel (cancelling before the switch leaves the folder untouched); the switch runs on a
/// blocking thread and is not interrupted once started.
pub async fn rotate_async(
    dir: PathBuf,
    mut req: RotateRequest,
    on_progress: impl FnMut(keys::KeygenProgress) + Send,
    cancel: crate::cancel::Cancel,
) -> Result<RotationReport, ConfigError> {
    let probe = dir.clone();
    let (has_private, old_bits) =
        tokio::task::spawn_blocking(move || -> Result<(bool, Option<usize>), ConfigError> {
            let folder = Folder::open(&probe)?;
            let has_private = safety::entry(&folder.dir, PRIVATE_KEY_FILE)?.exists();
            Ok((has_private, read_public(&folder).ok().map(|k| k.bits())))
        })
        .await
        .map_err(|e| ConfigError::BadPayload(format!("the rotation task failed ({e})")))??;
    if has_private && req.new_key.is_none() {
        let bits = req.bits.unwrap_or_else(|| {
            old_bits
                .filter(|b| keys::ALLOWED_BITS.contains(b))
                .unwrap_or(keys::DEFAULT_BITS)
        });
        req.new_key = Some(keys::generate_async(bits, on_progress, cancel.clone()).await?);
    }
    if cancel.is_cancelled() {
        return Err(KeyError::Cancelled.into());
    }
    tokio::task::spawn_blocking(move || rotate(&dir, req))
        .await
        .map_err(|e| ConfigError::BadPayload(format!("the rotation task failed ({e})")))?
}

/// What a new password re-seal reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResealReport {
    pub dir: PathBuf,
    /// The key the config is sealed to (unchanged).
    pub fingerprint: String,
    /// Where the previous config was archived.
    pub archived_to: Option<PathBuf>,
    pub resealed_at: String,
    pub warnings: Vec<String>,
}

/// Re-seal the folder's config with its current key after `edit` edits the opened payload
/// (e.g. a new AD password), crash-safely like a rotation. The caller checks the new values
/// first (a bind with the new password); nothing is written when `edit` fails.
pub fn reseal(
    dir: &Path,
    passphrase: Option<&Passphrase>,
    policy: &ArchivePolicy,
    edit: impl FnOnce(&mut AgentPayload) -> Result<(), ConfigError>,
) -> Result<ResealReport, ConfigError> {
    let folder = Folder::open(dir)?;
    change::lock_folder(&folder)?;
    recovery::recover_locked(&folder, policy)?;
    let public = read_public(&folder)?;
    let Some(pem) = read_private_pem(&folder)? else {
        return Err(ConfigError::ImportedKey {
            path: dir.display().to_string(),
        });
    };
    let key = PrivateKey::from_pem(
        &pem,
        passphrase,
        &dir.join(PRIVATE_KEY_FILE).display().to_string(),
    )?;
    if key.public_key() != public {
        return Err(ConfigError::WrongKey {
            what: dir.join(PUBLIC_KEY_FILE).display().to_string(),
            sealed_to: public.fingerprint(),
            key_id: key.public_key().fingerprint(),
        });
    }
    let cfg_what = dir.join(CONFIG_FILE).display().to_string();
    let plain = open(&read_sealed(&folder)?, &key, &cfg_what)?;
    let mut payload = AgentPayload::from_json(&plain)?;
    edit(&mut payload)?;
    let sealed = seal(&payload.to_json(), &public)?;
    let set = vec![(CONFIG_FILE, Zeroizing::new(sealed.into_bytes()))];
    let applied = change::apply(
        &folder,
        &set,
        &[],
        &public.fingerprint(),
        Some(public.fingerprint()),
        policy,
    )?;
    Ok(ResealReport {
        dir: dir.to_path_buf(),
        fingerprint: public.fingerprint(),
        archived_to: applied.archived_to,
        resealed_at: utc_rfc3339(),
        warnings: applied.warnings,
    })
}

/// [`reseal`] replacing the AD service account password (no check; see
/// [`crate::agent_config::password::set_password`], which binds with it first).
pub fn replace_password(
    dir: &Path,
    passphrase: Option<&Passphrase>,
    policy: &ArchivePolicy,
    password: SecretString,
) -> Result<ResealReport, ConfigError> {
    reseal(dir, passphrase, policy, move |p| {
        p.secrets.ad_service_account_password = password;
        Ok(())
    })
}
