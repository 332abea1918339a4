//! Exchange Online live check (issue 9). Thin: calls `h2r_setup::exchange::check`. Tokens
//! never reach the webview (the report holds none).
//!
//! The webview cannot set the sign-in authority, Graph or Exchange URLs: the input has no such
//! fields. Debug builds (tests of the window against the local stand-ins) read them from
//! `H2R_TEST_AUTHORITY_URL`, `H2R_TEST_GRAPH_URL` and `H2R_TEST_EXCHANGE_URL`; a release build
//! ignores those variables.

use crate::commands::identity::{forwarder, off_thread};
use crate::error::CmdResult;
use crate::session::{begin, Session};
use h2r_setup::exchange::roles::Feature;
use h2r_setup::exchange::{self, CheckReport, CheckRequest};
use h2r_setup::identity::signin::{SignInEvent, SignInMethod};
use h2r_setup::identity::Cancel;
use h2r_setup::profile::{Cloud, ConnectionKind};
use serde::Deserialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

/// What the window may ask for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeCheckInput {
    pub kind: ConnectionKind,
    pub service_account: String,
    pub features: Vec<Feature>,
    #[serde(default)]
    pub cloud: Cloud,
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub as_admin: bool,
    #[serde(default)]
    pub method: SignInMethod,
    /// The client application (a GUID, validated by the core); none or empty: the default.
    #[serde(default)]
    pub client_id: Option<String>,
}

/// The request the core runs: the window's input, plus (debug builds only) the test overrides.
pub fn request(input: ExchangeCheckInput) -> CheckRequest {
    let mut r = CheckRequest::new(input.kind, input.service_account);
    r.features = Some(input.features);
    r.sign_in.cloud = input.cloud;
    r.sign_in.tenant = input.tenant.filter(|t| !t.trim().is_empty());
    r.as_admin = input.as_admin;
    r.sign_in.method = input.method;
    r.sign_in.client_id = input.client_id.filter(|c| !c.trim().is_empty());
    test_overrides(&mut r);
    r
}

#[cfg(debug_assertions)]
fn test_overrides(r: &mut CheckRequest) {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    r.sign_in.authority_url = var("H2R_TEST_AUTHORITY_URL");
    r.sign_in.graph_url = var("H2R_TEST_GRAPH_URL");
    r.exchange_url = var("H2R_TEST_EXCHANGE_URL");
    if let Some(t) = var("H2R_TEST_TIMEOUT_MS").and_then(|t| t.parse().ok()) {
        r.sign_in.timeout_ms = t;
    }
}

#[cfg(not(debug_assertions))]
fn test_overrides(_r: &mut CheckRequest) {}

/// Sign in (browser or device code) and check the service account's roles. Cancel with
/// `exchange_cancel`.
#[tauri::command(rename_all = "snake_case")]
pub async fn exchange_check<R: Runtime>(
    app: AppHandle<R>,
    input: ExchangeCheckInput,
    on_event: Channel<SignInEvent>,
) -> CmdResult<CheckReport> {
    let cancel = begin!(app.state::<Session>().exchange_check, Cancel::new());
    let mut req = request(input);
    req.sign_in.proxy = crate::commands::network::saved_proxy(&app).await?;
    off_thread(move || {
        let on_event = forwarder(app, on_event);
        tauri::async_runtime::block_on(exchange::check(&req, &on_event, &cancel))
    })
    .await
}

/// Stop the running check's sign-in.
#[tauri::command(rename_all = "snake_case")]
pub fn exchange_cancel(session: State<'_, Session>) {
    if let Some(c) = session.exchange_check.take() {
        c.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_webview_cannot_set_endpoints() {
        let json = serde_json::json!({"kind": "azure-ad", "service_account": "svc@contoso.com", "features": ["distribution-lists"],
            "exchange_url": "http://127.0.0.1:1"});
        assert!(
            serde_json::from_value::<ExchangeCheckInput>(json).is_err(),
            "unknown fields are refused"
        );
        let input: ExchangeCheckInput = serde_json::from_value(serde_json::json!({"kind": "azure-ad", "service_account": "svc@contoso.com", "features": ["distribution-lists"]})).unwrap();
        let r = request(input);
        assert_eq!(r.features, Some(vec![Feature::DistributionLists]));
    }
}
