//! Key pair, agent config and rotation commands (issue 3). Thin: every command calls
//! `h2r_setup::keys` / `h2r_setup::agent_config`. The generated private key stays in this
//! process's memory (zeroized on drop) until "Create agent config" writes it into the agent
//! folder; the AD password comes from `crate::secrets::AdPassword` and is only ever sealed.

use crate::commands::profile::{draft_to_hybrid, load_settings_async, save_settings_async};
use crate::error::{AppError, CmdResult, ShellError};
use crate::secrets::AdPassword;
use crate::session::{begin, Session};
use h2r_setup::agent_config::connection::{self, RotateConnection};
use h2r_setup::agent_config::folder::{
    self, ArchivePolicy, FolderInfo, FolderStatus, KeySource, RotationReport,
};
use h2r_setup::agent_config::SecretString;
use h2r_setup::keys::{self, Cancel, KeyInfo, KeygenProgress, Passphrase, PrivateKey, PublicKey};
use h2r_setup::profile::{Connection, HybridConnection, KeyOrigin};
use h2r_setup::validate::Draft;
use serde::Serialize;
use std::path::PathBuf;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

/// The key chosen at the key pair step, until the agent folder is written (held in the
/// [`Session`]).
pub enum Pending {
    /// Boxed: a private key is large beside a public one.
    Generated(Box<PrivateKey>),
    Imported(PublicKey),
}

/// Public facts of the pending key, as the key pair step shows them.
#[derive(Debug, Clone, Serialize)]
pub struct PendingKey {
    #[serde(flatten)]
    pub info: KeyInfo,
    pub origin: KeyOrigin,
}

fn pending_info(p: &Pending) -> PendingKey {
    match p {
        Pending::Generated(k) => PendingKey {
            info: k.public_key().info(),
            origin: KeyOrigin::Generated,
        },
        Pending::Imported(k) => PendingKey {
            info: k.info(),
            origin: KeyOrigin::Imported,
        },
    }
}

fn to_passphrase(p: Option<String>) -> Option<Passphrase> {
    p.and_then(|s| Passphrase::new(zeroize::Zeroizing::new(s).as_str()))
}

/// Generate a key pair off the UI thread; progress on `on_progress`; Cancel with `keys_cancel`.
#[tauri::command(rename_all = "snake_case")]
pub async fn keys_generate(
    session: State<'_, Session>,
    bits: usize,
    on_progress: Channel<KeygenProgress>,
) -> CmdResult<PendingKey> {
    let cancel = begin!(session.key_generation, Cancel::new());
    let key = keys::generate_async(
        bits,
        move |p| {
            let _ = on_progress.send(p);
        },
        cancel,
    )
    .await?;
    let info = PendingKey {
        info: key.public_key().info(),
        origin: KeyOrigin::Generated,
    };
    session
        .pending_key
        .replace(Pending::Generated(Box::new(key)));
    Ok(info)
}

/// Stop a running key generation (or rotation's key generation).
#[tauri::command(rename_all = "snake_case")]
pub fn keys_cancel(session: State<'_, Session>) {
    if let Some(c) = session.key_generation.take() {
        c.cancel();
    }
}

/// Use an admin's existing public key (pasted PEM or a picked file's contents).
#[tauri::command(rename_all = "snake_case")]
pub fn keys_import(session: State<'_, Session>, pem: String) -> CmdResult<PendingKey> {
    let key = PublicKey::from_pem(&pem, "The public key")?;
    let info = PendingKey {
        info: key.info(),
        origin: KeyOrigin::Imported,
    };
    session.pending_key.replace(Pending::Imported(key));
    Ok(info)
}

/// Read a public key file the admin picked (off the main thread: it may be on a network share).
#[tauri::command(rename_all = "snake_case")]
pub async fn keys_import_file(session: State<'_, Session>, path: String) -> CmdResult<PendingKey> {
    let key = tauri::async_runtime::spawn_blocking(move || {
        PublicKey::from_file(std::path::Path::new(&path))
    })
    .await
    .map_err(|e| AppError::from(ShellError::stopped("Reading the key file stopped", e)))??;
    let info = PendingKey {
        info: key.info(),
        origin: KeyOrigin::Imported,
    };
    session.pending_key.replace(Pending::Imported(key));
    Ok(info)
}

/// The key held for this wizard run, if any.
#[tauri::command(rename_all = "snake_case")]
pub fn keys_pending(session: State<'_, Session>) -> Option<PendingKey> {
    session.pending_key.lock().as_ref().map(pending_info)
}

/// Forget the pending key (zeroized).
#[tauri::command(rename_all = "snake_case")]
pub fn keys_discard(session: State<'_, Session>) {
    session.pending_key.take();
}

fn hybrid(draft: &Draft) -> CmdResult<HybridConnection> {
    draft_to_hybrid(draft, "The agent folder")
}

fn ad_password(pw: &AdPassword) -> CmdResult<SecretString> {
    pw.with(|s| SecretString::new(s))
        .ok_or_else(AdPassword::missing)
}

/// What "Create agent config" returns: the folder (as before) and the updated profile.
#[derive(Debug, Clone, Serialize)]
pub struct AgentCreated {
    #[serde(flatten)]
    pub folder: FolderInfo,
    /// The profile naming the key and the folder (what the wizard saves).
    pub connection: HybridConnection,
}

/// Write the agent folder for the draft's connection with the pending key and the AD password
/// held in memory. Thin: `h2r_setup::agent_config::connection::create_for_connection` does it
/// (the CLI's `agent-config create` calls the same), on a blocking thread.
#[tauri::command(rename_all = "snake_case")]
pub async fn agent_create(
    session: State<'_, Session>,
    draft: Draft,
    folder: String,
    passphrase: Option<String>,
    replace: bool,
) -> CmdResult<AgentCreated> {
    let dir = PathBuf::from(folder.trim());
    if dir.as_os_str().is_empty() || !dir.is_absolute() {
        return Err(ShellError::FolderNotChosen.into());
    }
    let connection = hybrid(&draft)?;
    let password = ad_password(&session.ad_password)?;
    let passphrase = to_passphrase(passphrase);
    let pending = session
        .pending_key
        .take()
        .ok_or_else(|| AppError::from(ShellError::NoKey))?;
    // Cancel with `keys_cancel` (honoured until the folder changes).
    let cancel = begin!(session.key_generation, Cancel::new());
    let (res, pending) = tauri::async_runtime::spawn_blocking(move || {
        let policy = ArchivePolicy::default();
        let res = match &pending {
            Pending::Generated(k) => connection::create_for_connection_cancellable(
                &connection,
                &dir,
                KeySource::Generated {
                    key: k,
                    passphrase: passphrase.as_ref(),
                },
                password,
                replace,
                &policy,
                &cancel,
            ),
            Pending::Imported(k) => connection::create_for_connection_cancellable(
                &connection,
                &dir,
                KeySource::Imported { public: k },
                password,
                replace,
                &policy,
                &cancel,
            ),
        };
        (res, pending)
    })
    .await
    .map_err(|e| AppError::from(ShellError::stopped("Writing the agent folder stopped", e)))?;
    match res {
        Ok(created) => Ok(AgentCreated {
            folder: created.folder,
            connection: created.connection,
        }),
        Err(e) => {
            // Keep the key so the admin can pick another folder and try again.
            session.pending_key.put_back(pending);
            Err(e.into())
        }
    }
}

/// Describe an agent folder as it is (no passphrase needed; off the main thread).
#[tauri::command(rename_all = "snake_case")]
pub async fn agent_folder_status(folder: String) -> CmdResult<FolderStatus> {
    let status =
        tauri::async_runtime::spawn_blocking(move || folder::status(std::path::Path::new(&folder)))
            .await
            .map_err(|e| {
                AppError::from(ShellError::stopped("Reading the agent folder stopped", e))
            })??;
    Ok(status)
}

/// Rotate the keys of a saved connection's agent folder. Thin: the core's
/// `rotate_for_connection_async` does it (the CLI's `keys rotate` runs the same folder
/// rotation); the saved record gets the returned profile and a new `saved_at`.
// Each argument is one named field of the IPC request; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
#[tauri::command(rename_all = "snake_case")]
pub async fn keys_rotate<R: Runtime>(
    app: AppHandle<R>,
    session: State<'_, Session>,
    connection_id: String,
    bits: Option<usize>,
    passphrase: Option<String>,
    public_key_pem: Option<String>,
    folder: Option<String>,
    on_progress: Channel<KeygenProgress>,
) -> CmdResult<RotationReport> {
    let mut settings = load_settings_async(&app).await?;
    let saved = settings
        .connections
        .iter()
        .find(|c| c.id == connection_id)
        .cloned()
        .ok_or_else(|| AppError::from(ShellError::UnknownConnection))?;
    let Connection::HybridOnprem(conn) = saved.connection.clone() else {
        return Err(ShellError::NotHybrid("Key rotation").into());
    };
    // `folder`: where the admin located a moved folder (the saved profile then records it).
    let folder = folder
        .map(|f| PathBuf::from(f.trim()))
        .filter(|f| !f.as_os_str().is_empty());
    let mut req = RotateConnection {
        bits,
        passphrase: to_passphrase(passphrase),
        folder,
        ..Default::default()
    };
    if let Some(pem) = public_key_pem.filter(|p| !p.trim().is_empty()) {
        req.new_public_key = Some(PublicKey::from_pem(&pem, "The new public key")?);
        req.password = Some(ad_password(&session.ad_password)?);
    }
    let cancel = begin!(session.key_generation, Cancel::new());
    let rotated = connection::rotate_for_connection_async(
        &conn,
        req,
        move |p| {
            let _ = on_progress.send(p);
        },
        cancel,
    )
    .await?;
    let mut updated = saved;
    updated.connection = Connection::HybridOnprem(rotated.connection);
    updated.saved_at = rotated.report.rotated_at.clone();
    settings.upsert(updated);
    save_settings_async(&app, settings).await?;
    log::info!(
        "rotated agent keys of connection {connection_id}: {} -> {}",
        rotated.report.old_fingerprint,
        rotated.report.new_fingerprint
    );
    Ok(rotated.report)
}
