//! Profile commands: validation of the wizard's draft, the step sequence, the roles and
//! permissions tables, and the saved settings (one typed struct, read and written by the core).

use crate::error::{AppError, CmdResult, ShellError};
use h2r_setup::exchange::{self, RoleRequirement};
use h2r_setup::identity::permissions::{self, Permission};
use h2r_setup::profile::{self, ApplicationKind, Connection, ConnectionKind, HybridConnection};
use h2r_setup::settings::{self, SavedConnection, Settings, STORE_FILE};
use h2r_setup::validate::{Draft, ValidationReport};
use h2r_setup::wizard::{self, Step};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};

/// Validate the wizard's draft (hosts may be the typed comma-separated string, port as typed).
#[tauri::command(rename_all = "snake_case")]
pub fn validate_draft(draft: Draft) -> ValidationReport {
    draft.report()
}

/// The ordered steps for a connection kind (and, for Azure AD, the application kind).
#[tauri::command(rename_all = "snake_case")]
pub fn wizard_steps(kind: ConnectionKind, application_kind: Option<ApplicationKind>) -> Vec<Step> {
    wizard::steps(kind, application_kind)
}

#[derive(Debug, Serialize)]
pub struct ExchangeInfo {
    pub roles: Vec<RoleRequirement>,
    /// PowerShell that creates the role group with the service account as member.
    pub command: String,
    /// The client application the check signs in with when the connection names none.
    pub default_client_id: String,
    /// Whether that is Microsoft's Exchange Online PowerShell public client.
    pub default_client_is_exo_powershell: bool,
}

/// The required Exchange Online roles of a kind (the vendor's table) and the role-group script
/// for an account, the chosen features (default: all) and the cloud (default: global).
#[tauri::command(rename_all = "snake_case")]
pub fn exchange_roles(
    kind: ConnectionKind,
    service_account: String,
    features: Option<Vec<exchange::Feature>>,
    cloud: Option<h2r_setup::profile::Cloud>,
) -> ExchangeInfo {
    let features = features
        .map(|f| {
            f.into_iter()
                .filter(|f| f.available(kind))
                .collect::<Vec<_>>()
        })
        .unwrap_or_else(|| exchange::roles::features_of(kind));
    let default_client = exchange::check::exchange_client_id(None);
    ExchangeInfo {
        roles: exchange::required_roles(kind),
        command: exchange::role_group_script(
            cloud.unwrap_or_default(),
            &features,
            service_account.trim(),
            exchange::DEFAULT_ROLE_GROUP,
        ),
        default_client_is_exo_powershell: default_client
            == exchange::check::EXO_POWERSHELL_CLIENT_ID,
        default_client_id: default_client,
    }
}

/// The Microsoft Graph permissions an application kind needs, and what each is for.
#[tauri::command(rename_all = "snake_case")]
pub fn graph_permissions(application_kind: ApplicationKind) -> Vec<Permission> {
    permissions::required_permissions(application_kind)
}

#[derive(Debug, Serialize)]
pub struct Defaults {
    pub onprem_name: &'static str,
    pub azure_name: &'static str,
    pub exchange_name: &'static str,
    pub ldaps_port: u16,
}

#[derive(Debug, Serialize)]
pub struct CloudInfo {
    pub id: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub defaults: Defaults,
    /// The national clouds, in the core's order, with the core's display names.
    pub clouds: Vec<CloudInfo>,
    /// RSA key sizes offered, and the default (the core's `keys::ALLOWED_BITS`/`DEFAULT_BITS`).
    pub key_sizes: Vec<usize>,
    pub default_bits: usize,
    /// Where settings are stored (shown on the start screen; no secrets there).
    pub settings_path: String,
}

#[tauri::command(rename_all = "snake_case")]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    let settings_path = app
        .path()
        .app_data_dir()
        .map(|d| d.join(STORE_FILE).display().to_string())
        .unwrap_or_default();
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        defaults: Defaults {
            onprem_name: profile::DEFAULT_ONPREM_NAME,
            azure_name: profile::DEFAULT_AZURE_NAME,
            exchange_name: profile::DEFAULT_EXCHANGE_NAME,
            ldaps_port: profile::LDAPS_PORT,
        },
        clouds: h2r_setup::identity::cloud::CLOUDS
            .iter()
            .map(|c| CloudInfo {
                id: c.cloud.as_str(),
                name: c.name,
            })
            .collect(),
        key_sizes: h2r_setup::keys::ALLOWED_BITS.to_vec(),
        default_bits: h2r_setup::keys::DEFAULT_BITS,
        settings_path,
    }
}

/// Where the settings live: `settings.json` in the app's data directory (where
/// tauri-plugin-store kept it, so existing settings load).
pub fn settings_path<R: Runtime>(app: &AppHandle<R>) -> CmdResult<std::path::PathBuf> {
    app.path()
        .app_data_dir()
        .map(|d| d.join(STORE_FILE))
        .map_err(|e| AppError::from(ShellError::SettingsFolder(e.to_string())))
}

/// Run file work (the settings file, an agent folder that may be on a network share, key
/// derivation) on a blocking thread, never on the window's main thread (issue 12).
pub async fn blocking<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::from(ShellError::stopped(what, e)))?
}

/// Load the saved settings through the core (issue 12), on a blocking thread: a missing file is
/// empty settings; a damaged, unreadable or newer file is an error and is left untouched.
pub async fn load_settings_async<R: Runtime>(app: &AppHandle<R>) -> CmdResult<Settings> {
    let path = settings_path(app)?;
    blocking("Reading the settings stopped", move || {
        settings::load_file(&path).map_err(AppError::from)
    })
    .await
}

/// Write the settings durably and atomically, on a blocking thread (the core refuses to replace
/// a file it cannot read).
pub async fn save_settings_async<R: Runtime>(app: &AppHandle<R>, value: Settings) -> CmdResult<()> {
    let path = settings_path(app)?;
    blocking("Writing the settings stopped", move || {
        settings::save_file(&path, &value).map_err(AppError::from)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn settings_load<R: Runtime>(app: AppHandle<R>) -> CmdResult<Settings> {
    load_settings_async(&app).await
}

/// Save the draft as a connection (no secrets are part of it). Refused while it has field
/// errors. `id` is the saved connection's id when it was reopened; a new id otherwise.
#[tauri::command(rename_all = "snake_case")]
pub async fn settings_save<R: Runtime>(
    app: AppHandle<R>,
    id: Option<String>,
    draft: Draft,
    complete: bool,
    ldap_check: Option<h2r_setup::settings::CheckRecord>,
    exchange_check: Option<h2r_setup::exchange::ExchangeCheckRecord>,
) -> CmdResult<SavedConnection> {
    let connection = draft_to_connection(&draft)?;
    let mut settings = load_settings_async(&app).await?;
    let saved = SavedConnection::new(id, connection, complete, ldap_check, exchange_check);
    settings.upsert(saved.clone());
    save_settings_async(&app, settings).await?;
    log::info!(
        "saved connection {} ({:?})",
        saved.id,
        saved.connection.kind()
    );
    Ok(saved)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn settings_remove<R: Runtime>(app: AppHandle<R>, id: String) -> CmdResult<bool> {
    let mut settings = load_settings_async(&app).await?;
    let removed = settings.remove(&id);
    if removed {
        save_settings_async(&app, settings).await?;
    }
    Ok(removed)
}

/// The wizard's draft as a typed [`Connection`], by the core's one validation
/// ([`Draft::validate`]); the first field error becomes the IPC error.
pub fn draft_to_connection(draft: &Draft) -> CmdResult<Connection> {
    draft.validate::<Connection>().map_err(|report| {
        AppError::from(ShellError::ProfileInvalid(match report.errors.first() {
            Some(f) => format!("{} ({})", f.message, f.field()),
            None => "it is not valid".to_string(),
        }))
    })
}

/// The draft as an On-Premise connection, for a step only that kind has (`what` names it in
/// the error: "The on-prem agent", "The agent folder").
pub fn draft_to_hybrid(draft: &Draft, what: &'static str) -> CmdResult<HybridConnection> {
    match draft_to_connection(draft)? {
        Connection::HybridOnprem(c) => Ok(c),
        Connection::AzureAd(_) => Err(ShellError::NotHybrid(what).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A draft argument never fails to deserialize at the IPC boundary (that would reach the
    /// window as a bare string): whatever JSON the window sends, the answer is the core's
    /// field-level validation, as a coded error.
    #[test]
    fn any_json_is_a_draft_and_a_bad_one_is_a_coded_error() {
        for v in [
            json!(42),
            json!(null),
            json!([1]),
            json!({"kind": "hybrid-onprem", "domain_controllers": [{"port": {}}]}),
        ] {
            let draft: Draft = serde_json::from_value(v.clone()).expect("always a draft");
            let e = draft_to_connection(&draft).unwrap_err();
            assert_eq!(e.0.code, "app.invalid_connection", "{v}");
            assert!(!e.0.hint.is_empty());
            assert!(!validate_draft(draft).ok);
        }
        let azure: Draft = serde_json::from_value(json!({"kind": "azure-ad", "name": "A",
            "application": {"kind": "service-provider"}}))
        .unwrap();
        assert_eq!(
            draft_to_hybrid(&azure, "The agent folder")
                .unwrap_err()
                .0
                .code,
            "app.not_hybrid"
        );
    }
}
