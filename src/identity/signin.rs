//! The calls the CLI and the desktop shell make: Service Provider sign-in (browser or device
//! code), Customer Owned verification (client credentials with the certificate), admin consent.
//! Each returns a [`SignInReport`] (the CLI's JSON) and never keeps a token: tokens are
//! dropped as soon as the permissions and tenant are read.

use super::certificate::Credential;
use super::cloud::TenantInput;
use super::device::DeviceCodePrompt;
use super::loopback::{Listener, DEFAULT_TIMEOUT};
use super::permissions::{CUSTOMER_OWNED_ROLES, SERVICE_PROVIDER_SCOPES};
use super::{
    assertion, authorize, consent, device, graph, token, Cancel, Endpoints, IdentityError,
};
use crate::error::Diagnostic;
use crate::profile::{ApplicationKind, Cloud};
use oauth2::TokenResponse;
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub use super::graph::Tenant;

/// Environment variable (read at run time, else at build time) naming the Service Provider
/// Application's client ID. Nothing invents one.
pub const SP_CLIENT_ID_ENV: &str = "H2R_SP_CLIENT_ID";

/// The Service Provider Application's client ID: the explicit value, else `H2R_SP_CLIENT_ID`
/// at run time, else the one baked in at build time, else none.
pub fn service_provider_client_id(explicit: Option<&str>) -> Option<String> {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var(SP_CLIENT_ID_ENV).ok())
        .or_else(|| option_env!("H2R_SP_CLIENT_ID").map(str::to_string))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignInMethod {
    /// Authorization code + PKCE in the system browser, loopback redirect.
    #[default]
    Browser,
    /// Device code, for machines without a browser.
    DeviceCode,
}

/// One sign-in or verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    #[serde(default)]
    pub cloud: Cloud,
    /// Tenant ID (GUID), verified domain, or none (`organizations`, Service Provider only).
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub method: SignInMethod,
    /// How long to wait for the browser or device sign-in.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Override of the cloud's sign-in authority (private endpoints, tests).
    #[serde(default)]
    pub authority_url: Option<String>,
    /// Override of the cloud's Graph endpoint.
    #[serde(default)]
    pub graph_url: Option<String>,
    /// Pre-fills the account in the browser.
    #[serde(default)]
    pub login_hint: Option<String>,
    /// Explicit proxy for every request to Microsoft (`http(s)://host:port`); none: the system
    /// proxy (see [`super::proxy`]).
    #[serde(default)]
    pub proxy: Option<String>,
}

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT.as_millis() as u64
}

impl SignInRequest {
    pub fn new(cloud: Cloud) -> Self {
        SignInRequest {
            cloud,
            tenant: None,
            client_id: None,
            method: SignInMethod::Browser,
            timeout_ms: default_timeout_ms(),
            authority_url: None,
            graph_url: None,
            login_hint: None,
            proxy: None,
        }
    }
    fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.max(1))
    }
    fn endpoints(&self) -> Result<Endpoints, IdentityError> {
        Endpoints::with_overrides(
            self.cloud,
            self.authority_url.as_deref(),
            self.graph_url.as_deref(),
        )
    }
}

/// Progress of a sign-in, for the wizard's waiting state and the CLI's stderr.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum SignInEvent {
    /// Open this URL in the browser (sign-in or admin consent).
    OpenUrl { url: String },
    /// Show this code and address (device code flow).
    DeviceCode(DeviceCodePrompt),
    /// Waiting for the browser or the device sign-in.
    Waiting,
    /// Exchanging the code / reading the token.
    Exchanging,
    /// Reading the tenant from Microsoft Graph.
    ReadingOrganization,
}

/// The outcome shown by the wizard and printed by the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInReport {
    pub ok: bool,
    pub tenant: Option<Tenant>,
    pub granted: Vec<String>,
    pub missing: Vec<String>,
    pub code: String,
    pub message: String,
    pub hint: String,
    /// When an administrator must consent: the link to open (or send to them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_consent_url: Option<String>,
    /// The AADSTS number behind a Microsoft error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aadsts: Option<u32>,
    /// Whether a failure is an input problem (decides the CLI's exit code; not serialised).
    #[serde(skip)]
    pub class: crate::error::ErrorClass,
}

impl SignInReport {
    /// The CLI's exit code: 0 when connected with every permission, else the failure's.
    pub fn exit_code(&self) -> u8 {
        if self.ok {
            0
        } else {
            self.class.exit_code()
        }
    }

    fn from_error(e: &IdentityError, consent_url: Option<String>) -> Self {
        let p = e.to_problem();
        let needs_consent = e.ms().is_some_and(|m| m.needs_admin_consent());
        SignInReport {
            ok: false,
            tenant: None,
            granted: vec![],
            missing: vec![],
            code: p.code,
            message: p.message,
            hint: p.hint,
            admin_consent_url: if needs_consent { consent_url } else { None },
            aadsts: e.ms().and_then(|m| m.aadsts),
            class: p.class,
        }
    }

    fn from_grant(
        tenant: Tenant,
        granted: Vec<String>,
        missing: Vec<String>,
        kind: ApplicationKind,
        consent_url: String,
    ) -> Self {
        let who = if tenant.name.is_empty() {
            tenant.id.clone()
        } else {
            format!("{} ({})", tenant.name, tenant.id)
        };
        if missing.is_empty() {
            SignInReport {
                ok: true,
                message: format!(
                    "Connected to {who}; all {} permissions are granted.",
                    granted_count(&granted, kind)
                ),
                tenant: Some(tenant),
                granted,
                missing,
                code: "identity.ok".into(),
                hint: String::new(),
                admin_consent_url: None,
                aadsts: None,
                class: Default::default(),
            }
        } else {
            let (what, hint) = match kind {
                ApplicationKind::ServiceProvider => ("delegated permission", "An administrator grants them with the admin consent link; then sign in again."),
                ApplicationKind::CustomerOwned => ("application permission", "In the app registration's API permissions, add the missing Microsoft Graph application permissions and select \"Grant admin consent\"; then check again."),
            };
            SignInReport {
                ok: false,
                message: format!(
                    "Connected to {who}, but {} {what}{} {} not granted: {}.",
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    if missing.len() == 1 { "is" } else { "are" },
                    missing.join(", ")
                ),
                tenant: Some(tenant),
                granted,
                missing,
                code: "identity.missing_permissions".into(),
                hint: hint.into(),
                admin_consent_url: Some(consent_url),
                aadsts: None,
                class: Default::default(),
            }
        }
    }
}

fn granted_count(granted: &[String], kind: ApplicationKind) -> usize {
    let required: &[&str] = match kind {
        ApplicationKind::ServiceProvider => &SERVICE_PROVIDER_SCOPES,
        ApplicationKind::CustomerOwned => &CUSTOMER_OWNED_ROLES,
    };
    required
        .iter()
        .filter(|r| granted.iter().any(|g| g.eq_ignore_ascii_case(r)))
        .count()
}

pub(crate) fn check_client_id(
    client_id: Option<&str>,
    app: ApplicationKind,
) -> Result<String, IdentityError> {
    let Some(id) = client_id.map(str::trim).filter(|s| !s.is_empty()) else {
        return Err(match app {
            ApplicationKind::ServiceProvider => IdentityError::input("client_id", "No client ID is configured for the Service Provider Application.",
                format!("Set {SP_CLIENT_ID_ENV} to the application (client) ID Hire2Retire gave you (the CLI also takes --client-id).")),
            ApplicationKind::CustomerOwned => IdentityError::input("client_id", "The application (client) ID is missing.",
                "Copy the Application (client) ID from the app registration's Overview page."),
        });
    };
    if !super::cloud::is_guid(id) {
        return Err(IdentityError::input(
            "client_id",
            format!("\"{id}\" is not an application (client) ID (a GUID)."),
            "Copy the Application (client) ID from the app registration's Overview page.",
        ));
    }
    Ok(id.to_ascii_lowercase())
}

/// Tenant path segment and, when known, the tenant ID the sign-in must end in.
pub(crate) async fn resolve_tenant(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    tenant: &TenantInput,
) -> Result<Option<String>, IdentityError> {
    Ok(match tenant {
        TenantInput::Id(id) => Some(id.clone()),
        TenantInput::Domain(d) => Some(graph::resolve_tenant_id(http, endpoints, d).await?),
        TenantInput::Organizations | TenantInput::Common => None,
    })
}

/// One delegated sign-in for some scopes, by any of the sign-in methods.
#[derive(Debug, Clone, Copy)]
pub struct DelegatedSignIn<'a> {
    pub endpoints: &'a Endpoints,
    /// Tenant path segment (`organizations`, a tenant ID or a domain).
    pub tenant_path: &'a str,
    pub client_id: &'a str,
    /// Scopes in the cloud's form.
    pub scopes: &'a [String],
    pub method: SignInMethod,
    /// Pre-fills the account in the browser.
    pub login_hint: Option<&'a str>,
    pub timeout: Duration,
}

/// Sign in (system browser + PKCE on a loopback redirect, or device code) and return the token
/// response. Used by the Service Provider sign-in and the Exchange Online check; the caller
/// reads what it needs and drops the response.
pub async fn delegated_sign_in(
    http: &reqwest::Client,
    s: &DelegatedSignIn<'_>,
    on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    cancel: &Cancel,
) -> Result<token::MsTokenResponse, IdentityError> {
    match s.method {
        SignInMethod::Browser => {
            let listener = Listener::bind().await?;
            let mut extra = vec![("prompt".to_string(), "select_account".to_string())];
            if let Some(h) = s.login_hint {
                extra.push(("login_hint".into(), h.to_string()));
            }
            let setup = authorize::AuthCodeSetup {
                auth_url: s.endpoints.authorize_url(s.tenant_path),
                token_url: s.endpoints.token_url(s.tenant_path),
                client_id: s.client_id.to_string(),
                scopes: s.scopes.to_vec(),
                extra,
            };
            let pending = authorize::start(&setup, &listener.redirect_uri())?;
            on_event(SignInEvent::OpenUrl {
                url: pending.url.clone(),
            });
            on_event(SignInEvent::Waiting);
            let cb = listener
                .wait(pending.state.secret(), s.timeout, cancel)
                .await?;
            if let Some(err) = cb.get("error") {
                return Err(IdentityError::Microsoft(super::errors::MsError::new(
                    err,
                    cb.get("error_description").unwrap_or(""),
                    &[],
                )));
            }
            let code = cb
                .get("code")
                .ok_or_else(|| {
                    IdentityError::bad_response("The sign-in redirect", "no code and no error")
                })?
                .to_string();
            on_event(SignInEvent::Exchanging);
            super::or_cancel(cancel, authorize::exchange(http, &setup, pending, code)).await
        }
        SignInMethod::DeviceCode => {
            let r = device::run(
                http,
                &s.endpoints.devicecode_url(s.tenant_path),
                &s.endpoints.token_url(s.tenant_path),
                s.client_id,
                s.scopes,
                |p| {
                    on_event(SignInEvent::DeviceCode(p));
                    on_event(SignInEvent::Waiting);
                },
                s.timeout,
                cancel,
            )
            .await?;
            on_event(SignInEvent::Exchanging);
            Ok(r)
        }
    }
}

/// Service Provider Application: delegated sign-in, then permissions and tenant.
pub async fn sign_in_service_provider(
    req: &SignInRequest,
    on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    cancel: &Cancel,
) -> SignInReport {
    let mut consent_url = None;
    match sp_inner(req, on_event, cancel, &mut consent_url).await {
        Ok(r) => r,
        Err(e) => SignInReport::from_error(&e, consent_url),
    }
}

async fn sp_inner(
    req: &SignInRequest,
    on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    cancel: &Cancel,
    consent_url: &mut Option<String>,
) -> Result<SignInReport, IdentityError> {
    let client_id = check_client_id(req.client_id.as_deref(), ApplicationKind::ServiceProvider)?;
    let endpoints = req.endpoints()?;
    let tenant = match &req.tenant {
        Some(t) => TenantInput::parse(t)?,
        None => TenantInput::Organizations,
    };
    *consent_url = Some(consent::shareable_admin_consent_url(
        &endpoints,
        Some(tenant.as_path()),
        &client_id,
        &endpoints.graph_default_scope(),
    ));
    let http = super::http::client_with_proxy(req.proxy.as_deref())?;
    let expected = super::or_cancel(cancel, resolve_tenant(&http, &endpoints, &tenant)).await?;
    if let Some(id) = &expected {
        *consent_url = Some(consent::shareable_admin_consent_url(
            &endpoints,
            Some(id),
            &client_id,
            &endpoints.graph_default_scope(),
        ));
    }
    let mut scopes: Vec<String> = vec!["openid".into(), "profile".into()];
    scopes.extend(
        SERVICE_PROVIDER_SCOPES
            .iter()
            .map(|s| endpoints.graph_scope(s)),
    );
    let tenant_path = tenant.as_path().to_string();
    let resp = delegated_sign_in(
        &http,
        &DelegatedSignIn {
            endpoints: &endpoints,
            tenant_path: &tenant_path,
            client_id: &client_id,
            scopes: &scopes,
            method: req.method,
            login_hint: req.login_hint.as_deref(),
            timeout: req.timeout(),
        },
        on_event,
        cancel,
    )
    .await?;

    let grant = token::check_delegated(
        &endpoints,
        &resp,
        &SERVICE_PROVIDER_SCOPES,
        &client_id,
        expected.as_deref(),
    )?;
    on_event(SignInEvent::ReadingOrganization);
    let org = super::or_cancel(
        cancel,
        graph::organization(&http, &endpoints, resp.access_token().secret()),
    )
    .await;
    drop(resp);
    let tenant_id = grant.tenant_id.clone().or(expected.clone());
    let org = finish_org(
        org,
        tenant_id.as_deref(),
        expected.as_deref(),
        &grant.missing,
    )?;
    let consent = consent::shareable_admin_consent_url(
        &endpoints,
        Some(&org.id),
        &client_id,
        &endpoints.graph_default_scope(),
    );
    Ok(SignInReport::from_grant(
        org,
        grant.granted,
        grant.missing,
        ApplicationKind::ServiceProvider,
        consent,
    ))
}

/// The organization read must agree with the token's tenant; when it fails but permissions
/// are missing, the missing permissions are the story.
fn finish_org(
    org: Result<Tenant, IdentityError>,
    tid: Option<&str>,
    expected: Option<&str>,
    missing: &[String],
) -> Result<Tenant, IdentityError> {
    match org {
        Ok(t) => {
            token::check_tenant(tid, &t.id)?;
            token::check_tenant(expected, &t.id)?;
            Ok(t)
        }
        Err(e) if !missing.is_empty() => match tid {
            Some(id) => Ok(Tenant {
                id: id.into(),
                name: String::new(),
                domains: vec![],
            }),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Customer Owned Application: client credentials with the certificate, then roles and tenant.
pub async fn verify_customer_owned(
    req: &SignInRequest,
    cred: &Credential,
    on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    cancel: &Cancel,
) -> SignInReport {
    let mut consent_url = None;
    match co_inner(req, cred, on_event, cancel, &mut consent_url).await {
        Ok(r) => r,
        Err(e) => SignInReport::from_error(&e, consent_url),
    }
}

fn co_tenant(req: &SignInRequest) -> Result<TenantInput, IdentityError> {
    let t = req.tenant.as_deref().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| IdentityError::input("tenant_id", "The tenant ID is missing.",
        "Copy the Directory (tenant) ID from the Entra admin center's Overview page, or type a verified domain."))?;
    match TenantInput::parse(t)? {
        TenantInput::Organizations | TenantInput::Common => Err(IdentityError::input(
            "tenant_id",
            "A Customer Owned Application needs its own tenant, not organizations or common.",
            "Type the Directory (tenant) ID or a verified domain of your tenant.",
        )),
        other => Ok(other),
    }
}

async fn co_inner(
    req: &SignInRequest,
    cred: &Credential,
    on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    cancel: &Cancel,
    consent_url: &mut Option<String>,
) -> Result<SignInReport, IdentityError> {
    let client_id = check_client_id(req.client_id.as_deref(), ApplicationKind::CustomerOwned)?;
    let endpoints = req.endpoints()?;
    let tenant = co_tenant(req)?;
    *consent_url = Some(consent::shareable_admin_consent_url(
        &endpoints,
        Some(tenant.as_path()),
        &client_id,
        &endpoints.graph_default_scope(),
    ));
    let http = super::http::client_with_proxy(req.proxy.as_deref())?;
    let expected = super::or_cancel(cancel, resolve_tenant(&http, &endpoints, &tenant)).await?;
    on_event(SignInEvent::Exchanging);
    let token_url = endpoints.token_url(tenant.as_path());
    let resp = super::or_cancel(
        cancel,
        assertion::client_credentials(
            &http,
            &token_url,
            &client_id,
            cred,
            &endpoints.graph_default_scope(),
        ),
    )
    .await?;
    let (roles, tid) = token::app_roles(resp.access_token().secret())?;
    if let Some(t) = &tid {
        token::check_tenant(expected.as_deref(), t)?;
    }
    let missing = token::missing_from(&CUSTOMER_OWNED_ROLES, &roles);
    on_event(SignInEvent::ReadingOrganization);
    let org = super::or_cancel(
        cancel,
        graph::organization(&http, &endpoints, resp.access_token().secret()),
    )
    .await;
    drop(resp);
    let org = finish_org(org, tid.as_deref(), expected.as_deref(), &missing)?;
    let consent = consent::shareable_admin_consent_url(
        &endpoints,
        Some(&org.id),
        &client_id,
        &endpoints.graph_default_scope(),
    );
    Ok(SignInReport::from_grant(
        org,
        roles,
        missing,
        ApplicationKind::CustomerOwned,
        consent,
    ))
}

/// The admin consent link for `app` (no listener: to open elsewhere or send to an admin).
pub fn admin_consent_link(
    req: &SignInRequest,
    app: ApplicationKind,
) -> Result<String, IdentityError> {
    let run = || -> Result<String, IdentityError> {
        let client_id = check_client_id(req.client_id.as_deref(), app)?;
        let endpoints = req.endpoints()?;
        let tenant = match (app, &req.tenant) {
            (ApplicationKind::CustomerOwned, _) => Some(co_tenant(req)?),
            (_, Some(t)) => Some(TenantInput::parse(t)?),
            _ => None,
        };
        Ok(consent::shareable_admin_consent_url(
            &endpoints,
            tenant.as_ref().map(|t| t.as_path()),
            &client_id,
            &endpoints.graph_default_scope(),
        ))
    };
    run()
}

/// An administrator grants consent now: open `/adminconsent` and wait for its return.
pub async fn admin_consent(
    req: &SignInRequest,
    app: ApplicationKind,
    on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    cancel: &Cancel,
) -> Result<consent::ConsentGranted, IdentityError> {
    let run = async {
        let client_id = check_client_id(req.client_id.as_deref(), app)?;
        let endpoints = req.endpoints()?;
        let tenant = match (app, &req.tenant) {
            (ApplicationKind::CustomerOwned, _) => Some(co_tenant(req)?),
            (_, Some(t)) => Some(TenantInput::parse(t)?),
            _ => None,
        };
        let r = consent::run(
            &endpoints,
            tenant.as_ref().map(|t| t.as_path()),
            &client_id,
            &endpoints.graph_default_scope(),
            |url| {
                on_event(SignInEvent::OpenUrl {
                    url: url.to_string(),
                });
                on_event(SignInEvent::Waiting);
            },
            req.timeout(),
            cancel,
        )
        .await?;
        if let (Some(TenantInput::Id(want)), Some(got)) = (&tenant, &r.tenant) {
            token::check_tenant(Some(want), &got.to_ascii_lowercase())?;
        }
        Ok::<_, IdentityError>(r)
    };
    run.await
}

/// The codes of a sign-in report that are not errors (for the error registry).
pub fn outcomes() -> Vec<crate::error::registry::Entry> {
    use crate::error::registry::outcome;
    vec![
        outcome("identity", "identity.ok", "Signed in, and every permission the connection needs is granted."),
        outcome("identity", "identity.missing_permissions", "Signed in, but some permissions are not granted yet; the report links the admin consent page."),
    ]
}
