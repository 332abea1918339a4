//! A local Exchange Online admin API stand-in, written from the protocol the
//! `ExchangeOnlineManagement` module speaks (see docs/exchange-online.md), on 127.0.0.1 only:
//! `POST /adminapi/beta/{tenant}/InvokeCommand` with `{"CmdletInput": {"CmdletName", "Parameters"}}`,
//! bearer token for the Exchange resource (verified: signature of the identity stand-in, `aud`,
//! `tid` = the tenant in the path), `X-AnchorMailbox: UPN:{upn}` of the caller, `value` +
//! `@odata.nextLink` paging, `@adminapi.warnings`, error bodies with `details`
//! (`Code|ExceptionType|Text`), 429 with `Retry-After`. It serves read-only cmdlets only and
//! records any other cmdlet name as a violation.
//!
//! Plus the Microsoft Graph directory-role reads (`/v1.0/me/memberOf`,
//! `/v1.0/users/{upn}/transitiveMemberOf/microsoft.graph.directoryRole`), mounted on the
//! identity stand-in's address (where `--graph-url` points).

use crate::identity::server::{server_key, GRAPH};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use h2r_setup::identity::jws;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const EXO_RESOURCE: &str = "https://outlook.office365.com";
pub const USER_ADMIN_TEMPLATE: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
pub const SVC: &str = "svc-h2r@contoso.example";
pub const ADMIN: &str = "exo-admin@contoso.example";

#[derive(Clone, Default)]
pub struct ExoConfig {
    /// Accounts whose roles include Get-ManagementRoleAssignment (View-Only Configuration,
    /// Role Management, Organization Management…). Others get "not recognized".
    pub readers: Vec<String>,
    /// Role assignments per role assignee (lower-case UPN), as the cmdlet returns them.
    pub assignments: HashMap<String, Vec<Value>>,
    /// Rows per page (0: everything on one page).
    pub page_size: usize,
    /// 429 answers before the real one.
    pub throttle: u32,
    pub retry_after: &'static str,
    /// An error answered to every cmdlet: (HTTP status, body).
    pub error: Option<(u16, Value)>,
    pub warnings: Vec<String>,
    /// Active directory roles per account (lower-case UPN), as Graph returns them.
    pub directory_roles: HashMap<String, Vec<Value>>,
}

#[derive(Default)]
pub struct ExoShared {
    pub config: ExoConfig,
    /// What the stand-in saw, in order (`invoke:Get-…`, `anchor:UPN:…`, `page:2`, `throttled`, `graph:me`…).
    pub log: Vec<String>,
}

pub type Shared = Arc<Mutex<ExoShared>>;

pub struct ExoServer {
    pub base: String,
    pub shared: Shared,
}

impl ExoServer {
    pub async fn start(config: ExoConfig) -> ExoServer {
        let shared: Shared = Arc::new(Mutex::new(ExoShared {
            config,
            log: vec![],
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new()
            .route("/adminapi/beta/{tenant}/InvokeCommand", post(invoke))
            .with_state((shared.clone(), base.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        ExoServer { base, shared }
    }

    /// The Graph directory-role routes, sharing this stand-in's fixtures.
    pub fn graph_routes(&self) -> Router {
        Router::new()
            .route("/v1.0/me/memberOf", get(me_member_of))
            .route(
                "/v1.0/users/{upn}/transitiveMemberOf/microsoft.graph.directoryRole",
                get(user_roles),
            )
            .with_state(self.shared.clone())
    }

    pub fn log(&self) -> Vec<String> {
        self.shared.lock().unwrap().log.clone()
    }
}

/// Verify a bearer token of the identity stand-in; its claims.
fn claims(headers: &HeaderMap) -> Option<Value> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = auth.strip_prefix("Bearer ")?;
    jws::verify(token, &server_key().to_public_key(), jws::Alg::RS256)
        .ok()
        .map(|p| p.claims)
}

/// Error body of the admin API: `{"error": {"code", "message", "details": [{"message": "Code|ExceptionType|Text"}]}}`.
pub fn exo_error(code: &str, message: &str, detail: &str) -> Value {
    json!({"error": {"code": code, "message": message, "details": [{"message": detail}]}})
}

/// One row of `Get-ManagementRoleAssignment`, with the properties the cmdlet returns
/// (https://learn.microsoft.com/powershell/module/exchange/get-managementroleassignment).
pub fn assignment(role: &str, assignee: &str, assignee_type: &str) -> Value {
    json!({
        "Name": format!("{role}-{assignee}"),
        "Identity": format!("{role}-{assignee}"),
        "Role": role,
        "RoleAssigneeName": assignee,
        "RoleAssigneeType": assignee_type,
        "AssignmentMethod": "Direct",
        "RoleAssignmentDelegationType": "Regular",
        "RecipientWriteScope": "Organization",
        "ConfigWriteScope": "OrganizationConfig",
        "CustomRecipientWriteScope": null,
        "Enabled": true,
        "IsValid": true,
    })
}

/// A directory role as Graph lists it (https://learn.microsoft.com/graph/api/resources/directoryrole).
pub fn directory_role(name: &str, template: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.directoryRole", "id": "2ab8cb6c-0000-4d5a-9b5d-0f8c8d6a1111", "displayName": name,
        "description": "Can manage all aspects of users and groups.", "roleTemplateId": template, "deletedDateTime": null})
}

async fn invoke(
    State((st, base)): State<(Shared, String)>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let mut sh = st.lock().unwrap();
    if sh.config.throttle > 0 {
        sh.config.throttle -= 1;
        sh.log.push("throttled".into());
        let mut r = (StatusCode::TOO_MANY_REQUESTS, Json(exo_error("TooManyRequests", "Too many concurrent requests for this tenant.",
            "|Microsoft.Exchange.Admin.OData.Core.ODataServiceException|The maximum number of concurrent requests per tenant has been exceeded."))).into_response();
        r.headers_mut()
            .insert("retry-after", sh.config.retry_after.parse().unwrap());
        return r;
    }
    let Some(c) = claims(&headers).filter(|c| c["aud"] == EXO_RESOURCE) else {
        sh.log.push("unauthorized".into());
        return (
            StatusCode::UNAUTHORIZED,
            Json(exo_error(
                "Unauthorized",
                "The token is not valid for Exchange Online.",
                "|System.UnauthorizedAccessException|The token is not valid for Exchange Online.",
            )),
        )
            .into_response();
    };
    let caller = c["upn"].as_str().unwrap_or("").to_ascii_lowercase();
    if c["tid"].as_str() != Some(tenant.as_str()) {
        sh.log.push(format!("wrong-tenant:{tenant}"));
        return (
            StatusCode::UNAUTHORIZED,
            Json(exo_error(
                "Unauthorized",
                "Tenant mismatch.",
                "|System.UnauthorizedAccessException|Tenant mismatch.",
            )),
        )
            .into_response();
    }
    let anchor = headers
        .get("x-anchormailbox")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    sh.log.push(format!("anchor:{anchor}"));
    if !anchor.eq_ignore_ascii_case(&format!("UPN:{caller}")) {
        return (
            StatusCode::BAD_REQUEST,
            Json(exo_error(
                "BadRequest",
                "The anchor mailbox does not match the caller.",
                "|System.ArgumentException|X-AnchorMailbox",
            )),
        )
            .into_response();
    }
    if headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.starts_with("application/json"))
        != Some(true)
    {
        sh.log.push("bad-content-type".into());
    }
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let name = body
        .pointer("/CmdletInput/CmdletName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let params = body
        .pointer("/CmdletInput/Parameters")
        .cloned()
        .unwrap_or(Value::Null);
    let page: usize = q
        .get("$skiptoken")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    sh.log.push(format!("invoke:{name}:{params}:page={page}"));
    if !name.starts_with("Get-") {
        sh.log.push(format!("VIOLATION:{name}"));
        return (
            StatusCode::BAD_REQUEST,
            Json(exo_error(
                "BadRequest",
                "Only read-only cmdlets are served here.",
                "|System.NotSupportedException|read-only stand-in",
            )),
        )
            .into_response();
    }
    if let Some((status, err)) = sh.config.error.clone() {
        return (StatusCode::from_u16(status).unwrap(), Json(err)).into_response();
    }
    if name != "Get-ManagementRoleAssignment"
        || !sh
            .config
            .readers
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&caller))
    {
        // A cmdlet outside the caller's roles answers like an unknown command.
        let text = format!("The term '{name}' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
        return (
            StatusCode::BAD_REQUEST,
            Json(exo_error(
                "BadRequest",
                &text,
                &format!("|System.Management.Automation.CommandNotFoundException|{text}"),
            )),
        )
            .into_response();
    }
    let assignee = params["RoleAssignee"]
        .as_str()
        .unwrap_or("")
        .to_ascii_lowercase();
    let Some(rows) = sh.config.assignments.get(&assignee).cloned() else {
        let text = format!("The operation couldn't be performed because object '{assignee}' couldn't be found on 'AM0PR01A001DC01.EURPR01A001.prod.outlook.com'.");
        return (StatusCode::NOT_FOUND, Json(exo_error("NotFound", &text, &format!("Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|{text}")))).into_response();
    };
    let size = if sh.config.page_size == 0 {
        rows.len().max(1)
    } else {
        sh.config.page_size
    };
    let start = page * size;
    let chunk: Vec<Value> = rows.iter().skip(start).take(size).cloned().collect();
    let mut out = json!({
        "@odata.context": format!("{EXO_RESOURCE}/adminapi/beta/{tenant}/$metadata#Collection(Exchange.GenericHashTable)"),
        "@adminapi.warnings": sh.config.warnings,
        "value": chunk,
    });
    if start + size < rows.len() {
        out["@odata.nextLink"] = json!(format!(
            "{base}/adminapi/beta/{tenant}/InvokeCommand?$skiptoken={}",
            page + 1
        ));
    }
    Json(out).into_response()
}

fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    // https://learn.microsoft.com/graph/errors#json-representation
    (status, Json(json!({"error": {"code": code, "message": message, "innerError": {"request-id": "b4d0a1c2-0000-4a6e-9f0e-5d3c2b1a0000", "date": "2026-12-02T00:00:00"}}}))).into_response()
}

fn graph_claims(headers: &HeaderMap, need: &str) -> Result<Value, Box<Response>> {
    let c = claims(headers)
        .filter(|c| c["aud"] == GRAPH)
        .ok_or_else(|| {
            Box::new(graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "Access token validation failure. Invalid audience.",
            ))
        })?;
    let scp = c["scp"].as_str().unwrap_or("");
    if !scp.split(' ').any(|s| s == need) {
        return Err(Box::new(graph_error(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )));
    }
    Ok(c)
}

/// `GET /me/memberOf`: https://learn.microsoft.com/graph/api/user-list-memberof (groups and directory roles, mixed).
async fn me_member_of(State(st): State<Shared>, headers: HeaderMap) -> Response {
    let c = match graph_claims(&headers, "User.Read") {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let mut sh = st.lock().unwrap();
    let me = c["upn"].as_str().unwrap_or("").to_ascii_lowercase();
    sh.log.push(format!("graph:me/memberOf:{me}"));
    let mut value = vec![
        json!({"@odata.type": "#microsoft.graph.group", "id": "45b7d2e7-0000-4e6b-8d1c-000000000001", "displayName": "All Company", "groupTypes": ["Unified"]}),
    ];
    value.extend(
        sh.config
            .directory_roles
            .get(&me)
            .cloned()
            .unwrap_or_default(),
    );
    Json(json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects", "value": value})).into_response()
}

/// `GET /users/{upn}/transitiveMemberOf/microsoft.graph.directoryRole`:
/// https://learn.microsoft.com/graph/api/user-list-transitivememberof (cast to directoryRole).
async fn user_roles(
    State(st): State<Shared>,
    Path(upn): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = graph_claims(&headers, "Directory.Read.All") {
        return *r;
    }
    let mut sh = st.lock().unwrap();
    let upn = upn.to_ascii_lowercase();
    sh.log.push(format!("graph:users/{upn}/transitiveMemberOf"));
    match sh.config.directory_roles.get(&upn) {
        Some(roles) => Json(json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryRoles", "value": roles})).into_response(),
        None => graph_error(StatusCode::NOT_FOUND, "Request_ResourceNotFound", &format!("Resource '{upn}' does not exist or one of its queried reference-property objects are not present.")),
    }
}
