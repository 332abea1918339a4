//! The live check: sign in (as the service account, or as an Exchange administrator), read the
//! account's effective Exchange management roles through the admin API and its active Entra
//! directory roles through Microsoft Graph, and report per role: granted (and through which
//! role group), missing (with the exact fix), or unknown (with why).
//!
//! Tokens live in memory only ([`zeroize::Zeroizing`]) and are dropped when the check ends.

use super::adminapi::AdminApi;
use super::directory::{self, DirectoryRole, Whose};
use super::roles::{
    check_features, checks_for, parse_features, Feature, RequiredBy, RoleCheckItem, RoleSource,
    USER_ADMINISTRATOR_TEMPLATE_ID,
};
use super::script::{
    add_role_line, entra_fix, new_role_group_line, role_group_script, DEFAULT_ROLE_GROUP,
};
use super::ExchangeError;
use crate::error::Diagnostic;
use crate::identity::cloud::{check_override, cloud_endpoints, is_guid, TenantInput};
use crate::identity::signin::{
    delegated_sign_in, resolve_tenant, DelegatedSignIn, SignInEvent, SignInRequest,
};
use crate::identity::{authorize, graph, jws, token, Cancel, Endpoints, IdentityError};
use crate::profile::{Cloud, ConnectionKind};
use oauth2::TokenResponse;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::Duration;
use zeroize::Zeroizing;

/// The public client of Microsoft's Exchange Online PowerShell module ("Microsoft Exchange
/// REST API Based Powershell"): what admins already use for delegated Exchange administration.
pub const EXO_POWERSHELL_CLIENT_ID: &str = "fb78d390-0c51-40cd-8e17-fdbfab77341b";
/// Environment variable choosing another client application (for example the Hire2Retire app
/// with Exchange.Manage) for unattended use; `--client-id` / the request's `client_id` wins.
pub const EXO_CLIENT_ID_ENV: &str = "H2R_EXO_CLIENT_ID";

/// The cmdlet the check runs (read-only).
pub const ROLE_ASSIGNMENT_CMDLET: &str = "Get-ManagementRoleAssignment";

/// The client application: explicit, else `H2R_EXO_CLIENT_ID`, else the Exchange Online
/// PowerShell public client.
pub fn exchange_client_id(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var(EXO_CLIENT_ID_ENV).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| EXO_POWERSHELL_CLIENT_ID.to_string())
}

/// One check, as the CLI and the window ask for it: the sign-in (cloud, tenant, client,
/// method, timeout, overrides, proxy: the very [`SignInRequest`] of the Microsoft sign-in step,
/// flattened into the same JSON object) and what to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRequest {
    pub kind: ConnectionKind,
    pub service_account: String,
    /// Features used; `None` means every feature of the kind.
    #[serde(default)]
    pub features: Option<Vec<Feature>>,
    /// Sign in as an Exchange administrator who reads the service account's assignments.
    #[serde(default)]
    pub as_admin: bool,
    /// Where admin-API requests go instead of the cloud's Exchange host (private endpoints,
    /// tests; never settable from a shipped window).
    #[serde(default)]
    pub exchange_url: Option<String>,
    /// The sign-in. Its `tenant` defaults to the account's home tenant (`organizations`); its
    /// `client_id` to [`exchange_client_id`].
    #[serde(flatten)]
    pub sign_in: SignInRequest,
}

impl CheckRequest {
    pub fn new(kind: ConnectionKind, service_account: impl Into<String>) -> Self {
        CheckRequest {
            kind,
            service_account: service_account.into(),
            features: None,
            as_admin: false,
            exchange_url: None,
            sign_in: SignInRequest::new(Cloud::Global),
        }
    }
}

/// What was checked for one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Granted,
    Missing,
    Unknown,
}

/// One role of one chosen feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleResult {
    /// Feature identifier (`shared-mailboxes`, …).
    pub feature: Feature,
    pub role: String,
    pub source: RoleSource,
    /// `vendor` (on the vendor's pages) or `practice` (also needed in practice).
    pub required_by: RequiredBy,
    pub status: Status,
    /// Granted: the role group (or `direct assignment`, or `directory role`).
    pub via: Option<String>,
    /// Unknown: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Missing: the exact fix (a PowerShell line, or the Entra admin center path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The tenant, as named in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRef {
    pub id: String,
    pub name: String,
}

/// The outcome (the CLI's JSON; the window's result).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub ok: bool,
    /// The service account checked.
    pub account: String,
    /// Who signed in (the service account, or the administrator with `as_admin`).
    pub signed_in_as: Option<String>,
    pub as_admin: bool,
    pub tenant: Option<TenantRef>,
    pub roles: Vec<RoleResult>,
    /// Names of the missing roles (each once).
    pub missing: Vec<String>,
    pub code: String,
    pub message: String,
    pub hint: String,
    /// The role-group script for the chosen features.
    pub script: String,
    /// The fix lines of every missing Exchange role, in order (empty when none is missing).
    pub fix_script: String,
    /// `@adminapi.warnings` Exchange Online returned.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// The features checked (the admin's choice; every feature of the kind by default).
    #[serde(default)]
    pub features: Vec<Feature>,
    /// RFC 3339 time (UTC) the check ended.
    #[serde(default)]
    pub checked_at: String,
    /// What the saved connection keeps of this check (none when the admin cancelled it).
    #[serde(default)]
    pub record: Option<super::ExchangeCheckRecord>,
    /// Whether a failure is an input problem (decides the CLI's exit code; not serialised).
    #[serde(skip)]
    pub class: crate::error::ErrorClass,
}

impl CheckReport {
    /// The CLI's exit code: 0 when every role of the chosen features is granted, 2 for input
    /// problems, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        if self.ok {
            0
        } else {
            self.class.exit_code()
        }
    }
}

/// Progress, for the CLI's stderr and the window's waiting state.
pub type OnEvent<'a> = &'a (dyn Fn(SignInEvent) + Send + Sync);

/// Run the check. Never fails as a call: every failure is a report with a code.
pub async fn check(req: &CheckRequest, on_event: OnEvent<'_>, cancel: &Cancel) -> CheckReport {
    let features = match &req.features {
        None => parse_features(req.kind, None),
        Some(f) => check_features(req.kind, f),
    };
    let account = req.service_account.trim().to_string();
    let cloud = req.sign_in.cloud;
    let script_features = features
        .as_ref()
        .cloned()
        .unwrap_or_else(|_| super::roles::features_of(req.kind));
    let script = role_group_script(cloud, &script_features, &account, DEFAULT_ROLE_GROUP);
    let items = checks_for(&script_features);
    let base = |e: &ExchangeError| {
        let p = e.to_problem();
        CheckReport {
            ok: false,
            account: account.clone(),
            signed_in_as: None,
            as_admin: req.as_admin,
            tenant: None,
            roles: items
                .iter()
                .map(|i| unknown(i, "The check did not get this far."))
                .collect(),
            missing: vec![],
            code: p.code,
            message: p.message,
            hint: p.hint,
            script: script.clone(),
            fix_script: String::new(),
            warnings: vec![],
            features: vec![],
            checked_at: String::new(),
            record: None,
            class: p.class,
        }
    };
    let mut out = match features {
        Err(e) => base(&e),
        Ok(_) => match run(req, &account, on_event, cancel).await {
            Ok(found) => report(req, &account, &items, found, script.clone()),
            Err(e) => base(&e),
        },
    };
    out.features = script_features;
    out.checked_at = crate::agent_config::folder::utc_rfc3339();
    out.record = super::ExchangeCheckRecord::of(&out);
    out
}

/// What the reads found.
struct Found {
    signed_in_as: String,
    tenant: TenantRef,
    /// Exchange: the assignments, or why they are unknown.
    exchange: Result<Vec<Assignment>, ExchangeError>,
    /// Entra: the active directory roles, or why they are unknown.
    entra: Result<Vec<DirectoryRole>, ExchangeError>,
    warnings: Vec<String>,
}

/// One management role assignment, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub role: String,
    /// The role group (or user) the role is assigned to.
    pub assignee: String,
    /// `RoleGroup`, `User`, `SecurityGroup`, `RoleAssignmentPolicy`…
    pub assignee_type: String,
}

/// Assignments that really grant a role: enabled and regular (not "delegating", which only lets
/// one hand the role on).
pub fn parse_assignments(value: &[Value]) -> Vec<Assignment> {
    value
        .iter()
        .filter_map(|v| {
            let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let enabled = v.get("Enabled").and_then(Value::as_bool).unwrap_or(true);
            let delegation = s("RoleAssignmentDelegationType");
            if !enabled || (!delegation.is_empty() && !delegation.eq_ignore_ascii_case("Regular")) {
                return None;
            }
            let role = s("Role");
            if role.is_empty() {
                return None;
            }
            Some(Assignment {
                role,
                assignee: s("RoleAssigneeName"),
                assignee_type: s("RoleAssigneeType"),
            })
        })
        .collect()
}

/// Input errors of the identity helpers become this module's input errors (same field).
fn input_of(e: IdentityError) -> ExchangeError {
    match e {
        IdentityError::Input {
            field,
            message,
            hint,
        } => ExchangeError::Input {
            field,
            message,
            hint,
        },
        other => other.into(),
    }
}

fn check_account(account: &str) -> Result<(), ExchangeError> {
    crate::validate::check_upn(account)
        .map(|_| ())
        .map_err(|i| ExchangeError::input("service_account", i.message, i.hint))
}

fn check_client(id: &str) -> Result<String, ExchangeError> {
    if !is_guid(id) {
        return Err(ExchangeError::input(
            "client_id",
            format!(
                "\"{}\" is not an application (client) ID (a GUID).",
                id.chars().take(60).collect::<String>()
            ),
            "Give the application (client) ID as shown on the app registration's Overview page.",
        ));
    }
    Ok(id.to_ascii_lowercase())
}

/// Where admin-API requests go: the cloud's Exchange host, or the override (https, or http on
/// loopback, as for the Graph override).
pub fn exchange_base(cloud: Cloud, exchange_url: Option<&str>) -> Result<String, ExchangeError> {
    match exchange_url {
        Some(u) => check_override("exchange_url", u).map_err(input_of),
        None => Ok(format!("https://{}", cloud_endpoints(cloud).exchange_host)),
    }
}

/// The Exchange resource whose token is requested (always the cloud's, whatever the override).
pub fn exchange_scope(cloud: Cloud) -> String {
    format!("https://{}/.default", cloud_endpoints(cloud).exchange_host)
}

/// The Graph permission asked for when reading directory roles.
pub fn graph_permission(as_admin: bool) -> &'static str {
    if as_admin {
        "Directory.Read.All"
    } else {
        "User.Read"
    }
}

async fn run(
    req: &CheckRequest,
    account: &str,
    on_event: OnEvent<'_>,
    cancel: &Cancel,
) -> Result<Found, ExchangeError> {
    check_account(account)?;
    let client_id = check_client(&exchange_client_id(req.sign_in.client_id.as_deref()))?;
    let endpoints = Endpoints::with_overrides(
        req.sign_in.cloud,
        req.sign_in.authority_url.as_deref(),
        req.sign_in.graph_url.as_deref(),
    )
    .map_err(input_of)?;
    let exchange = exchange_base(req.sign_in.cloud, req.exchange_url.as_deref())?;
    let tenant = match req
        .sign_in
        .tenant
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(t) => TenantInput::parse(t).map_err(input_of)?,
        None => TenantInput::Organizations,
    };
    let http =
        crate::identity::http::client_with_proxy(req.sign_in.proxy.as_deref()).map_err(input_of)?;
    let expected =
        crate::identity::or_cancel(cancel, resolve_tenant(&http, &endpoints, &tenant)).await?;
    let tenant_path = expected
        .clone()
        .unwrap_or_else(|| tenant.as_path().to_string());
    let scopes = vec![
        "openid".to_string(),
        "profile".to_string(),
        "offline_access".to_string(),
        exchange_scope(req.sign_in.cloud),
    ];
    let resp = delegated_sign_in(
        &http,
        &DelegatedSignIn {
            endpoints: &endpoints,
            tenant_path: &tenant_path,
            client_id: &client_id,
            scopes: &scopes,
            method: req.sign_in.method,
            login_hint: if req.as_admin { None } else { Some(account) },
            timeout: Duration::from_millis(req.sign_in.timeout_ms.max(1)),
        },
        on_event,
        cancel,
    )
    .await?;

    // Who signed in, and where: from the ID token (its audience must be our client).
    let id_token = resp
        .extra_fields()
        .id_token
        .as_ref()
        .ok_or_else(|| IdentityError::bad_response("The sign-in", "no ID token"))?;
    let tid = token::check_id_token(id_token.secret(), &client_id, expected.as_deref())?;
    let claims = jws::unverified_claims(id_token.secret())
        .map_err(|e| IdentityError::bad_response("The ID token", e))?;
    let signed_in_as = ["preferred_username", "upn", "email"]
        .iter()
        .find_map(|k| {
            claims
                .get(*k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        })
        .ok_or_else(|| IdentityError::bad_response("The ID token", "no user name"))?
        .to_string();
    if !req.as_admin && !signed_in_as.eq_ignore_ascii_case(account) {
        return Err(ExchangeError::WrongAccount {
            expected: account.to_string(),
            got: signed_in_as,
        });
    }
    let exo_token = Zeroizing::new(resp.access_token().secret().to_string());
    let refresh = resp.refresh_token().cloned();
    drop(resp);

    // Exchange management roles.
    on_event(SignInEvent::ReadingOrganization);
    let api = AdminApi {
        http: &http,
        base: exchange,
        tenant_id: tid.clone(),
        token: &exo_token,
        anchor_upn: signed_in_as.clone(),
    };
    let mut params = Map::new();
    params.insert("RoleAssignee".into(), Value::String(account.to_string()));
    let mut warnings = Vec::new();
    let exchange = match crate::identity::or_cancel(cancel, async {
        Ok(api.get(ROLE_ASSIGNMENT_CMDLET, params).await)
    })
    .await?
    {
        Ok(out) => {
            warnings = out.warnings;
            Ok(parse_assignments(&out.value))
        }
        Err(ExchangeError::Api { code, .. })
            if req.as_admin && code == "ManagementObjectNotFoundException" =>
        {
            return Err(ExchangeError::AccountNotFound(account.to_string()));
        }
        Err(e @ ExchangeError::Input { .. }) => return Err(e),
        Err(e) => Err(e),
    };
    drop(api);
    drop(exo_token);

    // Entra directory roles and the tenant's name, with a Graph token from the refresh token.
    let mut tenant_name = String::new();
    let entra = match refresh {
        None => Err(ExchangeError::Graph(
            "the sign-in returned no refresh token to ask Microsoft Graph with".into(),
        )),
        Some(rt) => {
            let graph_scopes = vec![endpoints.graph_scope(graph_permission(req.as_admin))];
            let r = crate::identity::or_cancel(
                cancel,
                authorize::refresh(
                    &http,
                    &endpoints.token_url(&tid),
                    &client_id,
                    &rt,
                    &graph_scopes,
                ),
            )
            .await;
            drop(rt);
            match r {
                Err(IdentityError::Cancelled) => return Err(IdentityError::Cancelled.into()),
                Err(e) => Err(ExchangeError::Graph(e.to_problem().message)),
                Ok(g) => {
                    let graph_token = Zeroizing::new(g.access_token().secret().to_string());
                    drop(g);
                    let whose = if req.as_admin {
                        Whose::Account(account)
                    } else {
                        Whose::SignedIn
                    };
                    let roles = crate::identity::or_cancel(cancel, async {
                        Ok(
                            directory::directory_roles(&http, &endpoints, &graph_token, whose)
                                .await,
                        )
                    })
                    .await?;
                    if let Err(ExchangeError::AccountNotFound(a)) = &roles {
                        return Err(ExchangeError::AccountNotFound(a.clone()));
                    }
                    if let Ok(Ok(org)) = crate::identity::or_cancel(cancel, async {
                        Ok(graph::organization(&http, &endpoints, &graph_token).await)
                    })
                    .await
                    {
                        if org.id.eq_ignore_ascii_case(&tid) {
                            tenant_name = org.name;
                        }
                    }
                    roles
                }
            }
        }
    };
    Ok(Found {
        signed_in_as,
        tenant: TenantRef {
            id: tid,
            name: tenant_name,
        },
        exchange,
        entra,
        warnings,
    })
}

fn unknown(i: &RoleCheckItem, why: &str) -> RoleResult {
    RoleResult {
        feature: i.feature,
        role: i.role.to_string(),
        source: i.source,
        required_by: i.required_by,
        status: Status::Unknown,
        via: None,
        reason: Some(why.to_string()),
        fix: None,
    }
}

/// Why Exchange roles are unknown, in words for the role rows.
fn exchange_unknown_reason(e: &ExchangeError, as_admin: bool) -> String {
    match e {
        ExchangeError::NotAllowed { .. } if !as_admin => "The service account may not read role assignments (Get-ManagementRoleAssignment needs a role such as View-Only Configuration or Role Management). Check again signed in as an Exchange administrator.".into(),
        ExchangeError::NotAllowed { .. } => "The administrator who signed in may not read role assignments.".into(),
        other => other.to_string(),
    }
}

fn report(
    req: &CheckRequest,
    account: &str,
    items: &[RoleCheckItem],
    found: Found,
    script: String,
) -> CheckReport {
    let hire2retire_group = match &found.exchange {
        Ok(a) => a
            .iter()
            .find(|x| {
                x.assignee_type.eq_ignore_ascii_case("RoleGroup")
                    && x.assignee.eq_ignore_ascii_case(DEFAULT_ROLE_GROUP)
            })
            .map(|x| x.assignee.clone()),
        Err(_) => None,
    };
    let mut roles = Vec::new();
    for i in items {
        let r = match i.source {
            RoleSource::Exchange => match &found.exchange {
                Err(e) => unknown(i, &exchange_unknown_reason(e, req.as_admin)),
                Ok(assignments) => {
                    let hits: Vec<&Assignment> = assignments
                        .iter()
                        .filter(|a| a.role.eq_ignore_ascii_case(i.role))
                        .collect();
                    let via = hits
                        .iter()
                        .find(|a| a.assignee_type.eq_ignore_ascii_case("RoleGroup"))
                        .map(|a| a.assignee.clone())
                        .or_else(|| {
                            hits.iter()
                                .find(|a| a.assignee_type.eq_ignore_ascii_case("User"))
                                .map(|_| "direct assignment".to_string())
                        })
                        .or_else(|| {
                            hits.first().map(|a| {
                                if a.assignee.is_empty() {
                                    a.assignee_type.clone()
                                } else {
                                    a.assignee.clone()
                                }
                            })
                        });
                    match via {
                        Some(v) => RoleResult {
                            feature: i.feature,
                            role: i.role.into(),
                            source: i.source,
                            required_by: i.required_by,
                            status: Status::Granted,
                            via: Some(v),
                            reason: None,
                            fix: None,
                        },
                        None => {
                            let fix = match &hire2retire_group {
                                Some(g) => add_role_line(g, i.role),
                                None => new_role_group_line(DEFAULT_ROLE_GROUP, &[i.role], account),
                            };
                            RoleResult {
                                feature: i.feature,
                                role: i.role.into(),
                                source: i.source,
                                required_by: i.required_by,
                                status: Status::Missing,
                                via: None,
                                reason: None,
                                fix: Some(fix),
                            }
                        }
                    }
                }
            },
            RoleSource::Entra => match &found.entra {
                Err(e) => unknown(i, &e.to_string()),
                Ok(held) if directory::holds(held, USER_ADMINISTRATOR_TEMPLATE_ID) => RoleResult {
                    feature: i.feature,
                    role: i.role.into(),
                    source: i.source,
                    required_by: i.required_by,
                    status: Status::Granted,
                    via: Some("directory role".into()),
                    reason: None,
                    fix: None,
                },
                Ok(_) => RoleResult {
                    feature: i.feature,
                    role: i.role.into(),
                    source: i.source,
                    required_by: i.required_by,
                    status: Status::Missing,
                    via: None,
                    reason: None,
                    fix: Some(entra_fix(account)),
                },
            },
        };
        roles.push(r);
    }
    let mut missing: Vec<String> = Vec::new();
    for r in roles.iter().filter(|r| r.status == Status::Missing) {
        if !missing.contains(&r.role) {
            missing.push(r.role.clone());
        }
    }
    let missing_exchange: Vec<&str> = items
        .iter()
        .filter(|i| i.source == RoleSource::Exchange && missing.iter().any(|m| m == i.role))
        .map(|i| i.role)
        .fold(Vec::new(), |mut v, r| {
            if !v.contains(&r) {
                v.push(r)
            }
            v
        });
    let fix_script = if missing_exchange.is_empty() {
        String::new()
    } else {
        let mut lines = vec![super::script::connect_line(req.sign_in.cloud)];
        match &hire2retire_group {
            Some(g) => lines.extend(missing_exchange.iter().map(|r| add_role_line(g, r))),
            None => lines.push(new_role_group_line(
                DEFAULT_ROLE_GROUP,
                &missing_exchange,
                account,
            )),
        }
        lines.join("\n") + "\n"
    };
    let unknown_count = roles.iter().filter(|r| r.status == Status::Unknown).count();
    let granted_count = roles
        .iter()
        .filter(|r| r.status == Status::Granted)
        .map(|r| &r.role)
        .fold(Vec::new(), |mut v: Vec<&String>, r| {
            if !v.contains(&r) {
                v.push(r)
            }
            v
        })
        .len();
    let who = if req.as_admin {
        format!("{account} (checked as {})", found.signed_in_as)
    } else {
        account.to_string()
    };
    let (ok, code, message, hint) = if missing.is_empty() && unknown_count == 0 {
        (
            true,
            "exchange.ok".to_string(),
            format!("{who} holds all {granted_count} roles the chosen features need."),
            String::new(),
        )
    } else {
        let mut parts = Vec::new();
        let mut hints = Vec::new();
        if !missing.is_empty() {
            parts.push(format!(
                "{who} lacks {} role{}: {}.",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ));
            if !missing_exchange.is_empty() {
                hints.push("An Exchange administrator runs the fix lines shown (Exchange Online PowerShell)".to_string());
            }
            if missing.iter().any(|m| {
                items
                    .iter()
                    .any(|i| i.role == m && i.source == RoleSource::Entra)
            }) {
                hints.push("a Privileged Role Administrator assigns User Administrator in the Microsoft Entra admin center".to_string());
            }
        }
        let exchange_unknown = roles
            .iter()
            .any(|r| r.status == Status::Unknown && r.source == RoleSource::Exchange);
        let entra_unknown = roles
            .iter()
            .any(|r| r.status == Status::Unknown && r.source == RoleSource::Entra);
        if exchange_unknown {
            if let Err(e) = &found.exchange {
                parts.push(format!(
                    "The Exchange roles are unknown: {}",
                    sentence(&exchange_unknown_reason(e, req.as_admin))
                ));
                hints.push(match e {
                    ExchangeError::NotAllowed { .. } if !req.as_admin => "check again signed in as an Exchange administrator, who can read the service account's role assignments".to_string(),
                    other => lower_first(&other.hint()),
                });
            }
        }
        if entra_unknown {
            if let Err(e) = &found.entra {
                parts.push(format!(
                    "The Entra role is unknown: {}",
                    sentence(&e.to_string())
                ));
            }
        }
        let code = if !missing.is_empty() {
            "exchange.missing_roles".to_string()
        } else if let (true, Err(e)) = (exchange_unknown, &found.exchange) {
            match e {
                ExchangeError::NotAllowed { .. } => "exchange.cannot_read_assignments".to_string(),
                other => other.code().to_string(),
            }
        } else {
            "exchange.graph".to_string()
        };
        if hints.is_empty() {
            hints.push("check again".into());
        }
        let mut hint = hints.join("; ");
        hint = upper_first(&hint) + ", then check again.";
        if hint.ends_with("check again, then check again.") {
            hint = upper_first(&hints.join("; ")) + ".";
        }
        (false, code, parts.join(" "), hint)
    };
    CheckReport {
        ok,
        account: account.to_string(),
        signed_in_as: Some(found.signed_in_as),
        as_admin: req.as_admin,
        tenant: Some(found.tenant),
        roles,
        missing,
        code,
        message,
        hint,
        script,
        fix_script,
        warnings: found.warnings,
        features: vec![],
        checked_at: String::new(),
        record: None,
        class: Default::default(),
    }
}

fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with('.') {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The codes of a check report that are not errors (for the error registry).
pub fn outcomes() -> Vec<crate::error::registry::Entry> {
    use crate::error::registry::outcome;
    vec![
        outcome("exchange", "exchange.ok", "The account holds every role the chosen features need."),
        outcome("exchange", "exchange.missing_roles", "The account lacks at least one role; the report names each and gives the fix."),
        outcome("exchange", "exchange.cannot_read_assignments", "The signed-in account may not read role assignments, so the Exchange roles are unknown; check again signed in as an Exchange administrator."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn assignments_that_grant() {
        let v = vec![
            json!({"Role": "Distribution Groups", "RoleAssigneeName": "Hire2Retire", "RoleAssigneeType": "RoleGroup", "Enabled": true, "RoleAssignmentDelegationType": "Regular"}),
            json!({"Role": "Mail Recipients", "RoleAssigneeName": "Hire2Retire", "RoleAssigneeType": "RoleGroup", "Enabled": false, "RoleAssignmentDelegationType": "Regular"}),
            json!({"Role": "Mail Recipient Creation", "RoleAssigneeName": "Hire2Retire", "RoleAssigneeType": "RoleGroup", "Enabled": true, "RoleAssignmentDelegationType": "DelegatingOrgWide"}),
        ];
        let a = parse_assignments(&v);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].role, "Distribution Groups");
    }

    #[test]
    fn client_and_endpoints() {
        std::env::remove_var(EXO_CLIENT_ID_ENV);
        assert_eq!(exchange_client_id(None), EXO_POWERSHELL_CLIENT_ID);
        assert_eq!(
            exchange_client_id(Some(" 00001111-aaaa-2222-bbbb-3333cccc4444 ")),
            "00001111-aaaa-2222-bbbb-3333cccc4444"
        );
        assert_eq!(
            exchange_base(Cloud::UsgovDod, None).unwrap(),
            "https://webmail.apps.mil"
        );
        assert_eq!(
            exchange_base(Cloud::China, None).unwrap(),
            "https://partner.outlook.cn"
        );
        assert_eq!(
            exchange_scope(Cloud::UsgovHigh),
            "https://outlook.office365.us/.default"
        );
        assert_eq!(
            exchange_base(Cloud::Global, Some("http://127.0.0.1:8080/")).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(exchange_base(Cloud::Global, Some("http://10.1.2.3")).is_err());
        assert!(exchange_base(Cloud::Global, Some("ftp://127.0.0.1")).is_err());
    }
}
