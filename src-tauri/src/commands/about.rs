//! The About view (issue 10): version, build commit, the third-party licence notice shipped in
//! the package (a bundle resource), and the log folder with an "Open log folder" action.

use crate::error::{AppError, CmdResult, ShellError};
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_opener::OpenerExt;

/// File name of the notice among the bundle's resources (tauri.conf.json `bundle.resources`).
pub const NOTICE_FILE: &str = "THIRD-PARTY-NOTICES.txt";

#[derive(Debug, Serialize)]
pub struct AboutInfo {
    pub product: String,
    pub version: &'static str,
    /// The git commit the app was built from (`unknown` outside a git checkout).
    pub commit: &'static str,
    pub tauri_version: &'static str,
    pub identifier: String,
    /// Where the logs are written (the OS log folder of the app).
    pub log_dir: String,
    /// Where the notice was read from (the installed package's resources).
    pub notice_path: String,
    /// The notice's text; `None` when the file is missing (said so in the view).
    pub notice: Option<String>,
}

fn notice_path<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.path().resource_dir().ok().map(|d| d.join(NOTICE_FILE))
}

/// Version, commit and the shipped notice for the About view (async: the notice is ~1 MB,
/// read off the main thread).
#[tauri::command(rename_all = "snake_case")]
pub async fn about_info<R: Runtime>(app: AppHandle<R>) -> AboutInfo {
    let path = notice_path(&app);
    let read = path.clone();
    let notice = tauri::async_runtime::spawn_blocking(move || {
        read.and_then(|p| std::fs::read_to_string(p).ok())
    })
    .await
    .ok()
    .flatten();
    let cfg = app.config();
    AboutInfo {
        product: cfg
            .product_name
            .clone()
            .unwrap_or_else(|| "Hire2Retire Setup".into()),
        version: env!("CARGO_PKG_VERSION"),
        commit: env!("H2R_BUILD_COMMIT"),
        tauri_version: tauri::VERSION,
        identifier: cfg.identifier.clone(),
        log_dir: app
            .path()
            .app_log_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
        notice_path: path.map(|p| p.display().to_string()).unwrap_or_default(),
        notice,
    }
}

/// Open the app's log folder in the system file manager (created first if it does not exist
/// yet, so the action never fails just because nothing was logged). Async: off the main thread.
#[tauri::command(rename_all = "snake_case")]
pub async fn open_log_folder<R: Runtime>(app: AppHandle<R>) -> CmdResult<String> {
    let dir = app.path().app_log_dir().map_err(|e| {
        AppError::from(ShellError::LogFolder {
            path: "(unknown)".into(),
            detail: e.to_string(),
        })
    })?;
    std::fs::create_dir_all(&dir).map_err(|e| {
        AppError::from(ShellError::LogFolder {
            path: dir.display().to_string(),
            detail: e.to_string(),
        })
    })?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| {
            AppError::from(ShellError::OpenLogFolder {
                path: dir.display().to_string(),
                detail: e.to_string(),
            })
        })?;
    Ok(dir.display().to_string())
}
