//! Live LDAPS checks of the domain controllers (issue 4). Thin: parse the draft, take the AD
//! password from `crate::secrets::AdPassword`, call `h2r_setup::ldap::check`, stream per-host
//! progress on a channel. Cancel with `ldap_cancel`.

use crate::error::{AppError, CmdResult};
use crate::secrets::AdPassword;
use h2r_setup::ldap::{self, CancellationToken, CheckOptions, CheckReport, Password, Progress};
use h2r_setup::profile::{split_hosts, DomainController, TlsTrust, LDAPS_PORT};
use h2r_setup::validate;
use serde_json::Value;
use std::sync::{Arc, Mutex, OnceLock};
use tauri::ipc::Channel;

/// The running check's cancel token (a process global so registering is the only lib.rs edit).
fn running() -> &'static Mutex<Option<CancellationToken>> {
    static R: OnceLock<Mutex<Option<CancellationToken>>> = OnceLock::new();
    R.get_or_init(|| Mutex::new(None))
}

/// Check every host of every domain controller of the draft, with the password held in memory.
/// `timeout_ms`: bound per host (default 10 s). Progress events: `{event: "stage" | "finished"}`.
#[tauri::command(rename_all = "snake_case")]
pub async fn ldap_check(
    pw: tauri::State<'_, AdPassword>,
    draft: Value,
    timeout_ms: Option<u64>,
    on_progress: Channel<Progress>,
) -> CmdResult<CheckReport> {
    let (dcs, account) = from_draft(&draft)?;
    let password = pw.with(|s| Password::new(s)).ok_or_else(AdPassword::missing)?;
    let cancel = CancellationToken::new();
    if let Some(old) = running().lock().unwrap_or_else(|e| e.into_inner()).replace(cancel.clone()) {
        old.cancel();
    }
    let options = CheckOptions { timeout_ms: timeout_ms.unwrap_or(ldap::DEFAULT_TIMEOUT_MS).clamp(1_000, 120_000), trust_override: None };
    let progress: ldap::ProgressFn = Arc::new(move |p| {
        let _ = on_progress.send(p);
    });
    let report = ldap::check(&dcs, &account, &password, &options, progress, cancel).await;
    Ok(report)
}

/// Stop a running check: unfinished hosts end with `ldap.cancelled`.
#[tauri::command(rename_all = "snake_case")]
pub fn ldap_cancel() {
    if let Some(c) = running().lock().unwrap_or_else(|e| e.into_inner()).take() {
        c.cancel();
    }
}

/// The domain controllers and the service account of the wizard's draft. Only the fields this
/// step depends on are validated (Exchange Online etc. are filled in later steps).
fn from_draft(draft: &Value) -> CmdResult<(Vec<DomainController>, String)> {
    let report = validate::validate_value(draft);
    if let Some(f) = report
        .errors
        .iter()
        .find(|f| f.field.starts_with("domain_controllers") || f.field.starts_with("service_account") || f.field == "kind")
    {
        return Err(AppError::new("ldap.invalid_draft", format!("{} ({})", f.message, f.field), f.hint.clone()));
    }
    if draft.get("kind").and_then(Value::as_str) != Some("hybrid-onprem") {
        return Err(AppError::new(
            "ldap.not_onprem",
            "Only an On-Premise connection has domain controllers to test.",
            "Choose Hybrid On-Premise on the first step.",
        ));
    }
    let mut dcs = Vec::new();
    for dc in draft.get("domain_controllers").and_then(Value::as_array).into_iter().flatten() {
        let hosts = match dc.get("hosts") {
            Some(Value::String(s)) => split_hosts(s),
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            _ => vec![],
        };
        let port = match dc.get("port") {
            Some(Value::Number(n)) => n.as_u64().and_then(|p| u16::try_from(p).ok()),
            Some(Value::String(s)) if s.trim().is_empty() => Some(LDAPS_PORT),
            Some(Value::String(s)) => s.trim().parse::<u16>().ok(),
            None => Some(LDAPS_PORT),
            _ => None,
        }
        .ok_or_else(|| AppError::new("ldap.invalid_draft", "The port is not a number from 1 to 65535.", "LDAPS uses 636."))?;
        let base_dn = dc.get("base_dn").and_then(Value::as_str).unwrap_or_default().to_string();
        let tls = match dc.get("tls") {
            Some(t) if !t.is_null() => serde_json::from_value::<TlsTrust>(t.clone())
                .map_err(|e| AppError::new("ldap.invalid_draft", format!("The trust settings are not valid ({e})."), "Trust the certificate again."))?,
            _ => TlsTrust::default(),
        };
        dcs.push(DomainController { hosts, port, base_dn, tls });
    }
    let account = draft.get("service_account").and_then(Value::as_str).unwrap_or_default().trim().to_string();
    Ok((dcs, account))
}
