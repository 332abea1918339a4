//! Agent setup, "Change the AD password" and the support report, for the window (issues 11, 14).
//! Thin: every command calls the core (`h2r_setup::agent_config::{instructions, password}`,
//! `h2r_setup::support_report`), the same code the CLI runs.

use crate::commands::profile::{
    draft_to_connection, draft_to_hybrid, load_settings_async, save_settings_async,
};
use crate::error::{AppError, CmdResult, ShellError};
use crate::secrets::AdPassword;
use h2r_setup::agent_config::connection::{
    ca_file_for, connection_file_for, write_connection_files,
};
use h2r_setup::agent_config::folder::{self, ArchivePolicy};
use h2r_setup::agent_config::instructions::{self, Input, Instructions, Shell, Target};
use h2r_setup::agent_config::password;
use h2r_setup::agent_config::SecretString;
use h2r_setup::keys::Passphrase;
use h2r_setup::profile::{Connection, HybridConnection, KeyOrigin};
use h2r_setup::support_report::{self, Redactor, ReportInput};
use h2r_setup::validate::Draft;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime};

/// Every code this file produces besides the core's (for the lead's registry test).
pub const ALL_CODES: &[&str] = &[
    "agent.not_hybrid",
    "agent.no_folder",
    "agent.internal",
    "agent.unknown_connection",
];

fn hybrid(draft: &Draft) -> CmdResult<HybridConnection> {
    draft_to_hybrid(draft, "The on-prem agent")
}

fn folder_path(folder: &str) -> CmdResult<PathBuf> {
    let dir = PathBuf::from(folder.trim());
    if dir.as_os_str().is_empty() || !dir.is_absolute() {
        return Err(ShellError::NoAgentFolder.into());
    }
    Ok(dir)
}

/// The generated commands and where the preflight's connection file is.
#[derive(Debug, Clone, Serialize)]
pub struct InstructionsView {
    #[serde(flatten)]
    pub instructions: Instructions,
    /// The connection file (no secret) saved beside the agent folder for the preflight.
    pub connection_file: String,
    /// The preflight command as the admin runs it on the agent host, beside the copied file.
    pub preflight: String,
    /// The container (and ACI container group) name the commands use.
    pub container_name: String,
}

/// Agent commands for the admin's choice of target and shell, every known value filled in.
#[tauri::command(rename_all = "snake_case")]
pub async fn agent_instructions(
    draft: Draft,
    folder: String,
    target: Target,
    shell: Shell,
) -> CmdResult<InstructionsView> {
    let conn = hybrid(&draft)?;
    let dir = folder_path(&folder)?;
    tauri::async_runtime::spawn_blocking(move || -> CmdResult<InstructionsView> {
        let status = folder::status(&dir)?;
        let mut connection_file = connection_file_for(&dir);
        let mut ca_file = Some(ca_file_for(&dir)).filter(|p| p.is_file());
        if !connection_file.is_file() {
            // The connection file holds no secret; written beside the folder for the preflight.
            let (file, ca) = write_connection_files(&conn, &dir)?;
            connection_file = file;
            ca_file = ca;
        }
        let input = Input {
            connection_name: &conn.name,
            dir: &dir,
            has_private_key: status.origin == KeyOrigin::Generated,
            connection_file: &connection_file,
            ca_file: ca_file.as_deref(),
        };
        let ins = instructions::generate(&input, target, shell);
        let file_name = connection_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let preflight = match shell {
            Shell::Bash => format!(
                "h2r-setup ldap check --connection {}",
                instructions::bash_quote(&file_name)
            ),
            Shell::Powershell => format!(
                "h2r-setup ldap check --connection {}",
                instructions::ps_quote(&file_name)
            ),
        };
        let container_name = instructions::sanitised_name(&conn.name);
        Ok(InstructionsView {
            instructions: ins,
            connection_file: connection_file.display().to_string(),
            preflight,
            container_name,
        })
    })
    .await
    .map_err(|e| AppError::from(ShellError::stopped("Making the agent commands stopped", e)))?
}

/// What the window shows after a password change.
#[derive(Debug, Clone, Serialize)]
pub struct PasswordChange {
    pub dir: PathBuf,
    pub fingerprint: String,
    pub changed_at: String,
    pub warnings: Vec<String>,
    pub next_step: String,
}

/// "Change the AD password": the password held in memory is checked by a bind against the
/// connection's DCs (with its sealed trust settings) and only then re-sealed into `config.jwe`
/// with the current key. A refused password changes nothing on disk.
#[tauri::command(rename_all = "snake_case")]
pub async fn agent_set_password<R: Runtime>(
    app: AppHandle<R>,
    session: tauri::State<'_, crate::session::Session>,
    connection_id: String,
    passphrase: Option<String>,
) -> CmdResult<PasswordChange> {
    let settings = load_settings_async(&app).await?;
    let saved = settings
        .connections
        .iter()
        .find(|c| c.id == connection_id)
        .cloned()
        .ok_or_else(|| AppError::from(ShellError::UnknownConnection))?;
    let Connection::HybridOnprem(conn) = &saved.connection else {
        return Err(ShellError::NotHybrid("The on-prem agent").into());
    };
    let dir = conn
        .agent_folder
        .clone()
        .ok_or_else(|| AppError::from(ShellError::NoAgentFolder))?;
    let password = session
        .ad_password
        .with(|s| SecretString::new(s))
        .ok_or_else(AdPassword::missing)?;
    let passphrase = passphrase.and_then(|s| Passphrase::new(zeroize::Zeroizing::new(s).as_str()));
    let changed = password::set_password(
        dir.clone(),
        passphrase,
        ArchivePolicy::default(),
        password,
        None,
    )
    .await?;
    // The saved record says when it was last changed (no secret).
    let mut settings = load_settings_async(&app).await?;
    if let Some(s) = settings
        .connections
        .iter_mut()
        .find(|c| c.id == connection_id)
    {
        s.saved_at = changed.resealed.resealed_at.clone();
        save_settings_async(&app, settings).await?;
    }
    Ok(PasswordChange {
        dir: changed.resealed.dir.clone(),
        fingerprint: changed.resealed.fingerprint.clone(),
        changed_at: changed.resealed.resealed_at.clone(),
        warnings: changed.resealed.warnings.clone(),
        next_step: changed.next_step.clone(),
    })
}

/// "Save a support report": asks where (the system's save dialog, from here so the window needs
/// no save-dialog permission), then writes the redacted ZIP. `checks`: this session's latest
/// results by name (`ldap`, …). Returns the path written, or null when the admin cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn support_report_save<R: Runtime>(
    app: AppHandle<R>,
    session: tauri::State<'_, crate::session::Session>,
    draft: Option<Draft>,
    checks: Option<serde_json::Map<String, Value>>,
) -> CmdResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let mut redactor = Redactor::new();
    session.ad_password.with(|p| {
        redactor.secret(p);
    });
    let connection = match &draft {
        Some(d) => Some(serde_json::to_value(draft_to_connection(d)?).map_err(|e| {
            AppError::from(ShellError::stopped("The connection could not be read", e))
        })?),
        None => None,
    };
    let input = ReportInput {
        connection,
        checks: checks.unwrap_or_default().into_iter().collect(),
        log_files: support_report::default_log_dir()
            .map(|d| support_report::log_files_in(&d))
            .unwrap_or_default(),
    };
    const FILE_NAME: &str = "h2r-setup-support-report.zip";
    let chosen = match test_save_dir() {
        Some(dir) => Some(dir.join(FILE_NAME)),
        None => tauri::async_runtime::spawn_blocking(move || {
            app.dialog()
                .file()
                .set_title("Save a support report (no secret in it)")
                .set_file_name(FILE_NAME)
                .add_filter("ZIP archive", &["zip"])
                .blocking_save_file()
        })
        .await
        .map_err(|e| AppError::from(ShellError::stopped("The save dialog stopped", e)))?
        .and_then(|p| p.as_path().map(Path::to_path_buf)),
    };
    let Some(out) = chosen else {
        return Ok(None);
    };
    let out = if out.extension().is_none() {
        out.with_extension("zip")
    } else {
        out
    };
    let written = out.clone();
    tauri::async_runtime::spawn_blocking(move || support_report::write(&out, &input, &redactor))
        .await
        .map_err(|e| {
            AppError::from(ShellError::stopped("Writing the support report stopped", e))
        })??;
    Ok(Some(written.display().to_string()))
}

/// The end-to-end tests cannot drive the system's save dialog: a debug build takes the folder
/// from `H2R_TEST_SAVE_DIR` instead. A shipped (release) build always asks.
#[cfg(debug_assertions)]
fn test_save_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("H2R_TEST_SAVE_DIR")
        .filter(|v| !v.is_empty())
        .map(Into::into)
}

#[cfg(not(debug_assertions))]
fn test_save_dir() -> Option<std::path::PathBuf> {
    None
}

/// Files this process creates are owner-only from the start (settings.json and the app log hold
/// the directory's hosts and account names; WebKit's data and caches may hold what was typed):
/// the process umask is set to 077 before any plugin opens a file. Explicit modes the core sets
/// (the agent folder) are unaffected; nothing else the app writes needs group or world access.
pub fn owner_only_new_files() {
    h2r_setup::platform::owner_only_new_files();
}
