//! Network settings of this computer (issue 9): the explicit proxy for Microsoft sign-in, Graph
//! and Exchange Online, saved with the settings (not a secret; an address with a password is
//! refused). The sign-in and check commands take the proxy from the saved settings, never from
//! the request the webview sends.

use crate::commands::profile::{load_settings_async, save_settings_async};
use crate::error::CmdResult;
use h2r_setup::settings::NetworkSettings;
use tauri::{AppHandle, Runtime};

/// The saved network settings.
#[tauri::command(rename_all = "snake_case")]
pub async fn network_settings<R: Runtime>(app: AppHandle<R>) -> CmdResult<NetworkSettings> {
    Ok(load_settings_async(&app).await?.network)
}

/// Save the proxy (empty: use the system's proxy settings). An invalid address is an
/// `identity.invalid_input` error and nothing is saved.
#[tauri::command(rename_all = "snake_case")]
pub async fn network_set_proxy<R: Runtime>(
    app: AppHandle<R>,
    proxy: String,
) -> CmdResult<NetworkSettings> {
    let mut settings = load_settings_async(&app).await?;
    settings.set_proxy(Some(&proxy))?;
    let network = settings.network.clone();
    save_settings_async(&app, settings).await?;
    Ok(network)
}

/// The proxy a sign-in or check of the window uses: the saved one (none: the system proxy).
pub async fn saved_proxy<R: Runtime>(app: &AppHandle<R>) -> CmdResult<Option<String>> {
    Ok(load_settings_async(app).await?.network.proxy)
}
