//! Dev-only: the local Microsoft stand-ins of the test suite as one process, for the real-window
//! end-to-end run (`scripts/e2e.sh`, `ui/e2e/run.mjs`). Never shipped: an example of the core
//! crate, built with `cargo build --example ms-standin`.
//!
//! It serves, on 127.0.0.1 only, exactly the fixtures the integration tests use (the files are
//! compiled in from `tests/it/`, so the window and `cargo test` face the same stand-ins):
//! - the identity platform v2.0 endpoints and Graph `/organization`
//!   (`tests/it/identity/server.rs`), plus Graph's directory-role reads and the Exchange Online
//!   admin API `InvokeCommand` (`tests/it/exchange/server.rs`), written from the protocol in
//!   `docs/exchange-online.md`.
//!
//! On start it prints one JSON line: `{"authority", "graph", "exchange", "client_id", "account"}`.
//! The run switches scenarios with `POST {authority}/__standin/scenario/{name}`:
//! - `consent-required` (the start): the service account has not consented yet; an
//!   administrator grants consent on `/adminconsent`, then sign-in succeeds. Exchange: every
//!   role of the four features through the role group "Hire2Retire"; Entra: User Administrator.
//! - `all-granted`: the Exchange fixture only (consent as it stands): every role granted.
//! - `role-missing`: the role group lacks "Distribution Groups".
//! - `not-reader`: the service account may not read role assignments (only an Exchange
//!   administrator may): the Exchange roles are unknown and the check says who can read them.
//! - `as-admin`: as `not-reader`, and the browser signs in as that administrator: a check as the
//!   service account meets a token for another account; the administrator's check passes.
//! - `throttled`: the admin API answers 429 with `Retry-After: 1` twice, then the roles.
//! - `error-body`: every cmdlet fails with Exchange's error body and its `details`.
//!
//! Every scenario but `as-admin` signs in as the service account again.
//!
//! `GET {authority}/__standin/log` returns what the stand-ins saw and every token issued (for
//! assertions, and the scan that no file the app wrote holds one).
//! It serves until killed.

#[allow(dead_code)]
#[path = "../tests/it/exchange/server.rs"]
mod exchange_server;
#[allow(dead_code)]
#[path = "../tests/it/identity/server.rs"]
mod identity_server;
/// The module paths the stand-ins use among themselves (`crate::identity::server`).
mod identity {
    pub(crate) use super::identity_server as server;
}
mod exchange {
    pub(crate) use super::exchange_server as server;
}

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use exchange::server::{
    assignment, directory_role, exo_error, ExoConfig, ExoServer, Shared as ExoShared, ADMIN, SVC,
    USER_ADMIN_TEMPLATE,
};
use identity::server::{AppState, Authorize, Config, IdServer, CLIENT_ID};
use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};

/// The Exchange management roles of the four features (vendor + "also needed in practice").
const EXCHANGE_ROLES: [&str; 4] = [
    "Distribution Groups",
    "Mail Recipients",
    "Security Group Creation and Membership",
    "Mail Recipient Creation",
];

fn exo_config(without: Option<&str>) -> ExoConfig {
    let rows: Vec<Value> = EXCHANGE_ROLES
        .iter()
        .filter(|r| Some(**r) != without)
        .map(|r| assignment(r, "Hire2Retire", "RoleGroup"))
        .collect();
    ExoConfig {
        readers: vec![SVC.into()],
        assignments: [(SVC.to_string(), rows)].into(),
        directory_roles: [(
            SVC.to_string(),
            vec![directory_role("User Administrator", USER_ADMIN_TEMPLATE)],
        )]
        .into(),
        retry_after: "1",
        ..Default::default()
    }
}

/// The service account signs in; nobody has consented to the application yet.
fn id_config() -> Config {
    Config {
        user: SVC.into(),
        authorize: Authorize::ConsentRequired,
        granted_scopes: vec![],
        ..Default::default()
    }
}

struct Control {
    exo: ExoShared,
    id: OnceLock<Arc<AppState>>,
}

type Ctl = Arc<Control>;

async fn scenario(State(ctl): State<Ctl>, Path(name): Path<String>) -> Response {
    if let Some(id) = ctl.id.get() {
        id.shared.lock().unwrap().config.user = if name == "as-admin" { ADMIN } else { SVC }.into();
    }
    let only_admin_reads = || ExoConfig {
        readers: vec![ADMIN.into()],
        ..exo_config(None)
    };
    let exo = match name.as_str() {
        "consent-required" => {
            if let Some(id) = ctl.id.get() {
                id.shared.lock().unwrap().config = id_config();
            }
            exo_config(None)
        }
        "all-granted" => exo_config(None),
        "role-missing" => exo_config(Some("Distribution Groups")),
        "not-reader" | "as-admin" => only_admin_reads(),
        "throttled" => ExoConfig {
            throttle: 2,
            ..exo_config(None)
        },
        "error-body" => ExoConfig {
            error: Some((
                500,
                exo_error(
                    "InternalServerError",
                    "Error executing request.",
                    "Ex2F3B1A|Microsoft.Exchange.Data.Directory.ADTransientException|Active Directory operation failed on AM0PR01A001DC01. This error is not retriable.",
                ),
            )),
            ..exo_config(None)
        },
        _ => return (StatusCode::NOT_FOUND, format!("no scenario {name}")).into_response(),
    };
    let mut sh = ctl.exo.lock().unwrap();
    sh.config = exo;
    sh.log.push(format!("scenario:{name}"));
    Json(json!({"scenario": name})).into_response()
}

async fn log(State(ctl): State<Ctl>) -> Response {
    let exo = ctl.exo.lock().unwrap().log.clone();
    let (id, tokens) = ctl
        .id
        .get()
        .map(|s| {
            let sh = s.shared.lock().unwrap();
            (sh.log.clone(), sh.issued.clone())
        })
        .unwrap_or_default();
    Json(json!({"identity": id, "exchange": exo, "tokens": tokens})).into_response()
}

#[tokio::main]
async fn main() {
    let exo = ExoServer::start(exo_config(None)).await;
    let ctl: Ctl = Arc::new(Control {
        exo: exo.shared.clone(),
        id: OnceLock::new(),
    });
    let control = Router::new()
        .route("/__standin/scenario/{name}", post(scenario))
        .route("/__standin/log", get(log))
        .with_state(ctl.clone());
    let id = IdServer::start_with(id_config(), exo.graph_routes().merge(control)).await;
    let _ = ctl.id.set(id.state.clone());
    println!(
        "{}",
        json!({"authority": id.base, "graph": id.base, "exchange": exo.base, "client_id": CLIENT_ID, "account": SVC})
    );
    // Serve until killed (scripts/e2e.sh stops it with the other processes it started).
    std::future::pending::<()>().await;
}
