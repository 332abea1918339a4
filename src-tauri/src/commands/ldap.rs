//! Live LDAPS checks of the domain controllers (issue 4). Thin: parse the draft, take the AD
//! password from `crate::secrets::AdPassword`, call `h2r_setup::ldap::check`, stream per-host
//! progress on a channel. Cancel with `ldap_cancel`.

use crate::error::{CmdResult, ShellError};
use crate::secrets::AdPassword;
use crate::session::{begin, Session};
use h2r_setup::ldap::{self, CancellationToken, CheckOptions, CheckReport, Password, Progress};
use h2r_setup::profile::DomainController;
use h2r_setup::validate::{Draft, LdapTarget};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;

/// Check every host of every domain controller of the draft, with the password held in memory.
/// `timeout_ms`: bound per host (default 10 s). Progress events: `{event: "stage" | "finished"}`.
#[tauri::command(rename_all = "snake_case")]
pub async fn ldap_check(
    session: State<'_, Session>,
    draft: Draft,
    timeout_ms: Option<u64>,
    on_progress: Channel<Progress>,
) -> CmdResult<CheckReport> {
    let (dcs, account) = from_draft(&draft)?;
    let password = session
        .ad_password
        .with(|s| Password::new(s))
        .ok_or_else(AdPassword::missing)?;
    let cancel = begin!(session.ldap_check, CancellationToken::new());
    let options = CheckOptions {
        timeout_ms: timeout_ms
            .unwrap_or(ldap::DEFAULT_TIMEOUT_MS)
            .clamp(1_000, 120_000),
        trust_override: None,
    };
    let progress: ldap::ProgressFn = Arc::new(move |p| {
        let _ = on_progress.send(p);
    });
    let report = ldap::check(&dcs, &account, &password, &options, progress, cancel).await;
    // For support and for docs/startup-entropy.md (the first check of a session pays no extra
    // wait): how long it took, and how it ended. No host name, account or secret.
    log::info!(
        "ldap check: {} host(s), {} passed, {} ms",
        report.endpoints.len(),
        report.endpoints.iter().filter(|e| e.ok).count(),
        report.elapsed_ms
    );
    Ok(report)
}

/// Stop a running check: unfinished hosts end with `ldap.cancelled`.
#[tauri::command(rename_all = "snake_case")]
pub fn ldap_cancel(session: State<'_, Session>) {
    if let Some(c) = session.ldap_check.take() {
        c.cancel();
    }
}

/// The domain controllers and the service account of the wizard's draft, by the core's one
/// validation (only the fields this step depends on: Exchange Online etc. come later).
fn from_draft(draft: &Draft) -> CmdResult<(Vec<DomainController>, String)> {
    match draft.validate::<LdapTarget>() {
        Ok(t) => Ok((t.domain_controllers, t.service_account)),
        Err(report) => {
            let (detail, hint) = match report.errors.first() {
                Some(f) => (format!("{} ({})", f.message, f.field()), f.hint.clone()),
                None => (
                    "a field is not valid".to_string(),
                    "Correct the highlighted fields.".to_string(),
                ),
            };
            Err(ShellError::InvalidDomainControllers { detail, hint }.into())
        }
    }
}
