//! "Change the AD password" of a saved connection: the new password is checked by a bind
//! against every domain controller with the connection's own trust settings (read from the
//! sealed config), and only then re-sealed into `config.jwe` with the current key, crash-safely
//! like a rotation. A password the DCs refuse changes nothing on disk.

use super::folder::{self, ArchivePolicy, ResealReport};
use super::{AgentPayload, ConfigError, SecretString};
use crate::keys::files::{self, Access};
use crate::keys::Passphrase;
use crate::ldap::{self, CheckOptions, CheckReport, Password};
use crate::profile::TlsTrust;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What a password change reports.
#[derive(Debug, Clone, Serialize)]
pub struct PasswordChanged {
    #[serde(flatten)]
    pub resealed: ResealReport,
    /// The bind check that proved the new password.
    pub check: CheckReport,
    /// What is left to do.
    pub next_step: String,
}

/// A private temporary folder holding the sealed CA certificates as files for the check
/// (the LDAP trust settings take a file); removed on drop.
struct CaFiles(Option<PathBuf>);

impl Drop for CaFiles {
    fn drop(&mut self) {
        if let Some(d) = self.0.take() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// The DCs with their trust settings as the agent will use them (sealed CA certificates written
/// to private temporary files).
fn dcs_for_check(
    payload: &AgentPayload,
) -> Result<(Vec<crate::profile::DomainController>, CaFiles), ConfigError> {
    let mut dcs = payload.connection.domain_controllers.clone();
    let mut guard = CaFiles(None);
    for ca in &payload.ca_certificates {
        let dir = match &guard.0 {
            Some(d) => d.clone(),
            None => {
                let d =
                    std::env::temp_dir().join(format!("h2r-setup-ca-{}", files::unique_suffix()));
                files::create_private_dir(&d).map_err(|e| ConfigError::io("create", &d, e))?;
                guard.0 = Some(d.clone());
                d
            }
        };
        let p = dir.join(format!("dc{}.pem", ca.domain_controller));
        files::write_new(&p, ca.pem.as_bytes(), Access::OwnerOnly)
            .map_err(|e| ConfigError::io("write", &p, e))?;
        if let Some(dc) = dcs.get_mut(ca.domain_controller) {
            dc.tls = TlsTrust::CaFile(p);
        }
    }
    Ok((dcs, guard))
}

/// Bind with `password` against the DCs of the sealed payload. Never writes the folder.
pub async fn check_password(
    payload: &AgentPayload,
    password: &Password,
    timeout_ms: Option<u64>,
) -> Result<CheckReport, ConfigError> {
    let (dcs, _ca) = dcs_for_check(payload)?;
    let mut options = CheckOptions::default();
    if let Some(t) = timeout_ms {
        options.timeout_ms = t;
    }
    Ok(ldap::check(
        &dcs,
        &payload.connection.service_account,
        password,
        &options,
        ldap::no_progress(),
        ldap::CancellationToken::new(),
    )
    .await)
}

/// Open the folder's config (blocking) and return its payload.
pub fn read_payload(
    dir: &Path,
    passphrase: Option<&Passphrase>,
) -> Result<AgentPayload, ConfigError> {
    let (plain, _) = folder::open_folder(dir, passphrase)?;
    AgentPayload::from_json(&plain)
}

/// Check `password` against the connection's DCs, then re-seal it into the folder. A refused
/// password is [`ConfigError::PasswordNotAccepted`] and nothing is written.
pub async fn set_password(
    dir: PathBuf,
    passphrase: Option<Passphrase>,
    policy: ArchivePolicy,
    password: SecretString,
    timeout_ms: Option<u64>,
) -> Result<PasswordChanged, ConfigError> {
    if password.expose().is_empty() {
        return Err(ConfigError::BadPayload("the new password is empty".into()));
    }
    let (d, p) = (dir.clone(), passphrase.clone());
    let payload = tokio::task::spawn_blocking(move || read_payload(&d, p.as_ref()))
        .await
        .map_err(|e| ConfigError::BadPayload(format!("reading the folder stopped ({e})")))??;
    let check = check_password(&payload, &Password::new(password.expose()), timeout_ms).await?;
    if !check.ok {
        let first = check.endpoints.iter().find(|e| !e.ok);
        return Err(ConfigError::PasswordNotAccepted {
            detail: first
                .map(|e| format!("{}:{}: {}", e.host, e.port, e.message))
                .unwrap_or_else(|| "no domain controller answered".into()),
        });
    }
    let resealed = tokio::task::spawn_blocking(move || {
        folder::replace_password(&dir, passphrase.as_ref(), &policy, password)
    })
    .await
    .map_err(|e| ConfigError::BadPayload(format!("writing the folder stopped ({e})")))??;
    Ok(PasswordChanged {
        resealed,
        check,
        next_step: "Copy config.jwe to the agent's folder if the agent uses a copy, then restart the agent; nothing else changes (the key and the portal stay the same).".into(),
    })
}
