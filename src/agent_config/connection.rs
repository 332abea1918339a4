//! "Create the agent folder for this connection" and "rotate this connection's keys": the
//! orchestration both the CLI (`agent-config create`, `keys rotate`) and the window call, so a
//! folder and a saved profile are the same whoever made them.
//!
//! The sealed payload holds the connection as the agent needs it: no path of the wizard's
//! computer. A DC trusted through a CA file gets the CA certificates themselves sealed
//! ([`super::SealedCa`]); `agent_folder` stays in the saved profile only (the agent knows its
//! folder: `/config`).

use super::folder::{self, ArchivePolicy, FolderInfo, KeySource, RotateRequest, RotationReport};
use super::{AgentPayload, ConfigError, SealedCa, SecretString};
use crate::cancel::Cancel;
use crate::keys::{self, KeygenProgress, PublicKey};
use crate::profile::{AgentKey, HybridConnection, KeyOrigin, TlsTrust};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Largest CA file sealed (a bundle of a few certificates is a few KB).
pub const MAX_CA_FILE_LEN: u64 = 1 << 20;

/// The connection as sealed for the agent, and the CA certificates read from its CA files.
pub fn sealed_connection(
    conn: &HybridConnection,
) -> Result<(HybridConnection, Vec<SealedCa>), ConfigError> {
    let mut sealed = conn.clone();
    sealed.agent_folder = None;
    let mut cas = vec![];
    for (i, dc) in sealed.domain_controllers.iter_mut().enumerate() {
        if let Some(path) = dc.tls.ca_file().map(Path::to_path_buf) {
            // The CA travels sealed beside the connection; the agent's copy gets a new path.
            dc.tls = TlsTrust::System;
            cas.push(SealedCa {
                domain_controller: i,
                hosts: dc.hosts.clone(),
                pem: read_ca_pem(&path)?,
            });
        }
    }
    Ok((sealed, cas))
}

fn read_ca_pem(path: &Path) -> Result<String, ConfigError> {
    let text = crate::keys::files::read_limited_text(path, MAX_CA_FILE_LEN).map_err(|e| {
        if crate::keys::files::is_too_large(&e) {
            ConfigError::BadPayload(format!(
                "the CA file {} is larger than any certificate bundle",
                path.display()
            ))
        } else {
            ConfigError::io("read", path, e)
        }
    })?;
    if !text.contains("-----BEGIN CERTIFICATE-----") {
        return Err(ConfigError::BadPayload(format!(
            "the CA file {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(text.to_string())
}

/// The payload the agent gets for `conn` (which should name its key in `agent_key`).
pub fn payload_for(
    conn: &HybridConnection,
    password: SecretString,
) -> Result<AgentPayload, ConfigError> {
    let (sealed, cas) = sealed_connection(conn)?;
    let mut payload = AgentPayload::new(sealed, password);
    payload.ca_certificates = cas;
    Ok(payload)
}

/// A folder written for a connection: the updated profile (key facts, folder) and the folder.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedForConnection {
    pub connection: HybridConnection,
    pub folder: FolderInfo,
    /// The connection file (no secret) beside the folder, for the preflight on the agent host.
    pub connection_file: Option<PathBuf>,
    /// The CA certificates beside the folder (for that preflight), when a DC uses a CA file.
    pub ca_file: Option<PathBuf>,
}

/// `<parent>/<name>.connection.json` beside the agent folder.
pub fn connection_file_for(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "agent".into());
    crate::keys::files::parent_of(dir).join(format!("{name}.connection.json"))
}

/// `<parent>/<name>.ca.pem` beside the agent folder.
pub fn ca_file_for(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "agent".into());
    crate::keys::files::parent_of(dir).join(format!("{name}.ca.pem"))
}

/// Write the connection file (the sealed form: no secret, no local path) and the CA bundle
/// beside the folder, owner-only. Returns their paths.
pub fn write_connection_files(
    conn: &HybridConnection,
    dir: &Path,
) -> Result<(PathBuf, Option<PathBuf>), ConfigError> {
    use crate::keys::files::{write_atomic, Access};
    let (sealed, cas) = sealed_connection(conn)?;
    let file = connection_file_for(dir);
    let json = serde_json::to_vec_pretty(&crate::profile::Connection::HybridOnprem(sealed))
        .expect("profile serialises");
    write_atomic(&file, &json, Access::OwnerOnly)
        .map_err(|e| ConfigError::io("write", &file, e))?;
    let ca = if cas.is_empty() {
        None
    } else {
        let p = ca_file_for(dir);
        let bundle: String = cas
            .iter()
            .map(|c| c.pem.trim_end().to_string() + "\n")
            .collect();
        write_atomic(&p, bundle.as_bytes(), Access::OwnerOnly)
            .map_err(|e| ConfigError::io("write", &p, e))?;
        Some(p)
    };
    Ok((file, ca))
}

/// Create the agent folder for `conn` at `dir`: the profile gets `agent_key` and
/// `agent_folder`, the payload (profile without local paths + password + CA certificates) is
/// sealed, the folder written. Blocking (file I/O, key encryption): run it off the UI thread.
pub fn create_for_connection(
    conn: &HybridConnection,
    dir: &Path,
    source: KeySource<'_>,
    password: SecretString,
    replace: bool,
    policy: &ArchivePolicy,
) -> Result<CreatedForConnection, ConfigError> {
    create_for_connection_cancellable(conn, dir, source, password, replace, policy, &Cancel::new())
}

/// [`create_for_connection`] with Cancel, honoured until the folder changes (see
/// [`folder::create_with`]): a cancelled create leaves the folder and the profile as they were.
pub fn create_for_connection_cancellable(
    conn: &HybridConnection,
    dir: &Path,
    source: KeySource<'_>,
    password: SecretString,
    replace: bool,
    policy: &ArchivePolicy,
    cancel: &Cancel,
) -> Result<CreatedForConnection, ConfigError> {
    let public = source.public();
    let mut updated = conn.clone();
    updated.agent_key = Some(AgentKey {
        fingerprint: public.fingerprint(),
        bits: public.bits() as u32,
        origin: source.origin(),
    });
    updated.agent_folder = Some(dir.to_path_buf());
    let payload = payload_for(&updated, password)?;
    let mut info = folder::create_with(dir, source, &payload.to_json(), replace, policy, cancel)?;
    // The folder is written; a problem with the files beside it is a warning.
    let (connection_file, ca_file) = match write_connection_files(&updated, dir) {
        Ok((f, ca)) => (Some(f), ca),
        Err(e) => {
            info.warnings.push(format!(
                "The connection file for the agent host could not be written ({e})."
            ));
            (None, None)
        }
    };
    Ok(CreatedForConnection {
        connection: updated,
        folder: info,
        connection_file,
        ca_file,
    })
}

/// A rotation of a connection's keys: the updated profile and what the wizard shows.
#[derive(Debug, Clone, Serialize)]
pub struct RotatedConnection {
    pub connection: HybridConnection,
    pub report: RotationReport,
}

/// The connection's folder, or a typed error with the way out.
pub fn folder_of(conn: &HybridConnection) -> Result<PathBuf, ConfigError> {
    conn.agent_folder.clone().ok_or(ConfigError::NoFolder)
}

/// What a rotation of a connection needs: for an imported key the admin's new public key and
/// the password (the old config cannot be opened here).
#[derive(Default)]
pub struct RotateConnection {
    pub bits: Option<usize>,
    pub passphrase: Option<keys::Passphrase>,
    pub new_public_key: Option<PublicKey>,
    pub password: Option<SecretString>,
    /// The folder, when it moved since the profile was saved (else the profile's).
    pub folder: Option<PathBuf>,
    pub archive: ArchivePolicy,
}

fn request_for(
    conn: &HybridConnection,
    r: RotateConnection,
) -> Result<(PathBuf, RotateRequest), ConfigError> {
    let dir = match r.folder {
        Some(d) => d,
        None => folder_of(conn)?,
    };
    let mut req = RotateRequest {
        bits: r.bits,
        passphrase: r.passphrase,
        archive: r.archive,
        ..Default::default()
    };
    if let Some(new_key) = r.new_public_key {
        let password = r.password.ok_or_else(|| {
            ConfigError::BadPayload(
                "the AD password is needed to seal the config to an imported key".into(),
            )
        })?;
        let mut c = conn.clone();
        c.agent_key = Some(AgentKey {
            fingerprint: new_key.fingerprint(),
            bits: new_key.bits() as u32,
            origin: KeyOrigin::Imported,
        });
        req.new_plaintext = Some(payload_for(&c, password)?.to_json());
        req.new_public_key = Some(new_key);
    }
    Ok((dir, req))
}

fn updated_after(
    conn: &HybridConnection,
    dir: PathBuf,
    report: &RotationReport,
) -> HybridConnection {
    let mut c = conn.clone();
    c.agent_key = Some(AgentKey {
        fingerprint: report.new_fingerprint.clone(),
        bits: report.bits as u32,
        origin: report.origin,
    });
    c.agent_folder = Some(dir);
    c
}

/// Rotate `conn`'s keys (blocking). The returned profile names the new key and the folder.
pub fn rotate_for_connection(
    conn: &HybridConnection,
    r: RotateConnection,
) -> Result<RotatedConnection, ConfigError> {
    let (dir, req) = request_for(conn, r)?;
    let report = folder::rotate(&dir, req)?;
    Ok(RotatedConnection {
        connection: updated_after(conn, dir, &report),
        report,
    })
}

/// [`rotate_for_connection`] for the window: key generation with progress and Cancel, file
/// work on a blocking thread.
pub async fn rotate_for_connection_async(
    conn: &HybridConnection,
    r: RotateConnection,
    on_progress: impl FnMut(KeygenProgress) + Send,
    cancel: Cancel,
) -> Result<RotatedConnection, ConfigError> {
    let (dir, req) = request_for(conn, r)?;
    let report = folder::rotate_async(dir.clone(), req, on_progress, cancel).await?;
    Ok(RotatedConnection {
        connection: updated_after(conn, dir, &report),
        report,
    })
}

/// The folder of a saved connection as it is, compared with the saved record.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectionFolder {
    pub status: folder::FolderStatus,
    /// The fingerprint the saved profile names.
    pub saved_fingerprint: Option<String>,
    /// Whether the folder holds that key and is ready.
    pub matches_saved: bool,
}

/// Read a connection's folder (blocking). A missing folder is [`ConfigError::FolderMissing`].
pub fn folder_for_connection(
    conn: &HybridConnection,
    dir: Option<&Path>,
) -> Result<ConnectionFolder, ConfigError> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => folder_of(conn)?,
    };
    let status = folder::status(&dir)?;
    let saved_fingerprint = conn.agent_key.as_ref().map(|k| k.fingerprint.clone());
    let matches_saved = saved_fingerprint
        .as_deref()
        .map(|f| status.matches(f))
        .unwrap_or(false);
    Ok(ConnectionFolder {
        status,
        saved_fingerprint,
        matches_saved,
    })
}
