//! A local identity server for the tests: speaks the documented Microsoft identity platform
//! protocol (v2.0 endpoints) and Microsoft Graph `/organization`, on 127.0.0.1 only.
//! Each response is modelled on the Microsoft Learn example cited beside it.
//!
//! Dev-dependency: axum (routing, query/form extraction) on tokio, so the fixtures stay short.

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use h2r_setup::identity::jws;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

pub const TENANT_ID: &str = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
pub const OTHER_TENANT_ID: &str = "99999999-8888-7777-6666-555555555555";
pub const TENANT_DOMAIN: &str = "contoso.example";
pub const CLIENT_ID: &str = "00001111-aaaa-2222-bbbb-3333cccc4444";
pub const GRAPH: &str = "https://graph.microsoft.com";

/// What the "user" does in the browser at the authorize endpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum Authorize {
    /// Signs in and consents: redirect with `code`.
    Approve,
    /// Redirect with `error=consent_required` (AADSTS65001).
    ConsentRequired,
    /// The user declines: `error=access_denied` (AADSTS65004).
    Declined,
    /// Redirect carrying a state other than the one sent.
    WrongState,
    /// AADSTS90095: Microsoft shows "Request approval" in the browser; nothing comes back.
    RequestApproval,
}

/// What the admin does on the `/adminconsent` page.
#[derive(Clone, Debug, PartialEq)]
pub enum AdminConsent {
    Grant,
    Deny,
}

/// The scripted answers of the device code polls before success.
#[derive(Clone, Debug, PartialEq)]
pub enum Poll {
    Pending,
    SlowDown,
    Declined,
}

pub struct Config {
    pub authorize: Authorize,
    pub admin_consent: AdminConsent,
    /// Delegated scopes the tenant has granted (bare names).
    pub granted_scopes: Vec<String>,
    /// Application permissions granted to the Customer Owned app.
    pub granted_roles: Vec<String>,
    /// Tenant put in tokens (`tid`): another tenant simulates an account of the wrong tenant.
    pub token_tenant: String,
    /// Error the token endpoint returns for the code grant, as (error, AADSTS).
    pub token_error: Option<(&'static str, u32)>,
    /// Device code polls answered before the token.
    pub polls: Vec<Poll>,
    /// Certificates registered on the app (x5t#S256 → public key).
    pub certificates: HashMap<String, RsaPublicKey>,
    /// The account that signs in (`preferred_username` of the ID token, `upn` of access tokens).
    pub user: String,
    /// Error the token endpoint returns for the refresh-token grant, as (error, AADSTS).
    pub refresh_error: Option<(&'static str, u32)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            authorize: Authorize::Approve,
            admin_consent: AdminConsent::Grant,
            granted_scopes: [
                "User.ReadWrite.All",
                "Group.ReadWrite.All",
                "Directory.AccessAsUser.All",
                "offline_access",
            ]
            .map(String::from)
            .to_vec(),
            granted_roles: [
                "User.ReadWrite.All",
                "Group.ReadWrite.All",
                "Directory.ReadWrite.All",
                "User.EnableDisableAccount.All",
            ]
            .map(String::from)
            .to_vec(),
            token_tenant: TENANT_ID.into(),
            token_error: None,
            polls: vec![],
            certificates: HashMap::new(),
            user: "megan@contoso.example".into(),
            refresh_error: None,
        }
    }
}

struct CodeGrant {
    challenge: String,
    redirect_uri: String,
    client_id: String,
    scope: String,
}

#[derive(Default)]
pub struct Shared {
    pub config: Config,
    codes: HashMap<String, CodeGrant>,
    /// Device code → scope asked for.
    device_codes: HashMap<String, String>,
    refresh_tokens: HashSet<String>,
    seen_jti: HashSet<String>,
    /// What the server checked, in order (e.g. `pkce:ok`, `assertion:ok`, `poll:slow_down`).
    pub log: Vec<String>,
    /// Every token it issued (access, ID, refresh), for scans that no file holds one.
    pub issued: Vec<String>,
}

type S = Arc<AppState>;
pub struct AppState {
    pub shared: Mutex<Shared>,
    pub base: String,
    key: &'static RsaPrivateKey,
}

/// The server's token-signing key (one per test process).
pub fn server_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap())
}

pub struct IdServer {
    pub base: String,
    pub state: S,
}

impl IdServer {
    pub async fn start(config: Config) -> IdServer {
        Self::start_with(config, Router::new()).await
    }

    /// Start with more routes on the same address (e.g. the Graph endpoints of another
    /// area's stand-in).
    pub async fn start_with(config: Config, extra: Router) -> IdServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(AppState {
            shared: Mutex::new(Shared {
                config,
                ..Default::default()
            }),
            base: base.clone(),
            key: server_key(),
        });
        let app = Router::new()
            .route("/{tenant}/oauth2/v2.0/authorize", get(authorize))
            .route("/{tenant}/oauth2/v2.0/token", post(token))
            .route("/{tenant}/oauth2/v2.0/devicecode", post(devicecode))
            .route("/{tenant}/v2.0/adminconsent", get(adminconsent))
            .route(
                "/{tenant}/v2.0/.well-known/openid-configuration",
                get(openid_configuration),
            )
            .route("/v1.0/organization", get(organization))
            .with_state(state.clone())
            .merge(extra);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        IdServer { base, state }
    }

    pub fn log(&self) -> Vec<String> {
        self.state.shared.lock().unwrap().log.clone()
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut Config) -> R) -> R {
        f(&mut self.state.shared.lock().unwrap().config)
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn random_token() -> String {
    let mut b = [0u8; 24];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut b);
    jws::b64url(&b)
}

fn known_tenant(t: &str) -> bool {
    [
        TENANT_ID,
        TENANT_DOMAIN,
        "organizations",
        "common",
        OTHER_TENANT_ID,
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(t))
}

/// Error body of the v2.0 endpoints, e.g.
/// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1
/// `{"error": "invalid_scope", "error_description": "AADSTS70011: …", "error_codes": [70011], "timestamp": …, "trace_id": …, "correlation_id": …}`
fn ms_error(status: StatusCode, error: &str, aadsts: u32, text: &str) -> Response {
    (status, Json(json!({
        "error": error,
        "error_description": format!("AADSTS{aadsts}: {text} Trace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333 Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd Timestamp: 2026-11-26 05:00:00Z"),
        "error_codes": [aadsts],
        "timestamp": "2026-11-26 05:00:00Z",
        "trace_id": "0000aaaa-11bb-cccc-dd22-eeeeee333333",
        "correlation_id": "aaaa0000-bb11-2222-33cc-444444dddddd",
    }))).into_response()
}

fn append_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut u = reqwest::Url::parse(uri).unwrap();
    {
        let mut q = u.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    u.to_string()
}

/// Authorize request: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
/// Successful response `GET {redirect_uri}?code=…&state=…`: same page, "Successful response";
/// error response `GET {redirect_uri}?error=access_denied&error_description=…&state=…`: "Error response".
async fn authorize(
    State(st): State<S>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut sh = st.shared.lock().unwrap();
    let p = |k: &str| q.get(k).cloned().unwrap_or_default();
    if !known_tenant(&tenant) {
        return (
            StatusCode::BAD_REQUEST,
            Html("AADSTS90002: Tenant not found."),
        )
            .into_response();
    }
    if p("client_id") != CLIENT_ID {
        // Shown in the browser, no redirect (AADSTS700016).
        return (
            StatusCode::BAD_REQUEST,
            Html("AADSTS700016: Application not found in the directory."),
        )
            .into_response();
    }
    let redirect = p("redirect_uri");
    if !(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback")) {
        return (
            StatusCode::BAD_REQUEST,
            Html("AADSTS50011: The redirect URI specified in the request does not match."),
        )
            .into_response();
    }
    if p("response_type") != "code"
        || p("code_challenge_method") != "S256"
        || p("code_challenge").len() != 43
        || p("state").is_empty()
    {
        sh.log.push("authorize:bad_request".into());
        return Redirect::to(&append_query(
            &redirect,
            &[
                ("error", "invalid_request"),
                (
                    "error_description",
                    "AADSTS900144: PKCE S256 and state are required.",
                ),
                ("state", &p("state")),
            ],
        ))
        .into_response();
    }
    sh.log.push(format!("authorize:scope={}", p("scope")));
    let state = p("state");
    match sh.config.authorize {
        Authorize::Approve => {
            let code = random_token();
            sh.codes.insert(code.clone(), CodeGrant { challenge: p("code_challenge"), redirect_uri: redirect.clone(), client_id: p("client_id"), scope: p("scope") });
            Redirect::to(&append_query(&redirect, &[("code", &code), ("state", &state)])).into_response()
        }
        Authorize::WrongState => {
            let code = random_token();
            Redirect::to(&append_query(&redirect, &[("code", &code), ("state", "not-the-state-that-was-sent")])).into_response()
        }
        Authorize::ConsentRequired => Redirect::to(&append_query(&redirect, &[
            ("error", "consent_required"),
            ("error_description", "AADSTS65001: The user or administrator has not consented to use the application with ID '00001111-aaaa-2222-bbbb-3333cccc4444'. Send an interactive authorization request for this user and resource."),
            ("state", &state),
        ])).into_response(),
        Authorize::Declined => Redirect::to(&append_query(&redirect, &[
            ("error", "access_denied"),
            ("error_description", "AADSTS65004: User declined to consent to access the app."),
            ("state", &state),
        ])).into_response(),
        // https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-admin-consent-workflow#how-users-request-admin-consent
        Authorize::RequestApproval => Html("<h1>Approval required</h1><p>AADSTS90095: Admin consent is required. <button>Request approval</button></p>").into_response(),
    }
}

fn graph_scopes(scopes: &[String]) -> String {
    scopes
        .iter()
        .map(|s| {
            if s == "offline_access" {
                s.clone()
            } else {
                format!("{GRAPH}/{s}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Access token claims: https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
/// (`aud`, `iss`, `tid`, `scp` for delegated, `roles` for application permissions, `exp`).
fn access_token(
    st: &AppState,
    tid: &str,
    scp: Option<&[String]>,
    roles: Option<&[String]>,
) -> String {
    resource_token(st, tid, GRAPH, None, scp, roles)
}

/// An access token for `aud` (Graph, or the Exchange resource), with the user's `upn` when delegated.
fn resource_token(
    st: &AppState,
    tid: &str,
    aud: &str,
    upn: Option<&str>,
    scp: Option<&[String]>,
    roles: Option<&[String]>,
) -> String {
    let n = now();
    let mut claims = json!({ "aud": aud, "iss": format!("https://sts.windows.net/{tid}/"), "tid": tid, "iat": n, "nbf": n, "exp": n + 3600, "ver": "1.0", "appid": CLIENT_ID });
    if let Some(u) = upn {
        claims["upn"] = json!(u);
        claims["unique_name"] = json!(u);
    }
    if let Some(s) = scp {
        claims["scp"] = json!(s
            .iter()
            .filter(|s| *s != "offline_access")
            .cloned()
            .collect::<Vec<_>>()
            .join(" "));
    }
    if let Some(r) = roles {
        claims["roles"] = json!(r);
    }
    jws::sign(
        st.key,
        jws::Alg::RS256,
        json!({"typ": "JWT", "kid": "test-key"}),
        &claims,
    )
    .unwrap()
}

/// ID token claims: https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference
fn id_token(st: &AppState, tid: &str, user: &str) -> String {
    let n = now();
    let claims = json!({ "aud": CLIENT_ID, "iss": format!("{}/{tid}/v2.0", st.base), "tid": tid, "iat": n, "nbf": n, "exp": n + 3600,
        "name": "Megan Bowen", "preferred_username": user, "oid": "00000000-0000-0000-66f3-3332eca7ea81", "ver": "2.0" });
    jws::sign(
        st.key,
        jws::Alg::RS256,
        json!({"typ": "JWT", "kid": "test-key"}),
        &claims,
    )
    .unwrap()
}

/// Successful token response: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2
/// The token's resource: a non-Graph `…/.default` scope (the Exchange Online resource) names it,
/// else Graph.
fn requested_resource(scope: &str) -> Option<String> {
    scope
        .split(' ')
        .filter_map(|s| s.strip_suffix("/.default"))
        .find(|r| r.starts_with("https://") && !r.contains("graph"))
        .map(str::to_string)
}

fn delegated_tokens(st: &AppState, sh: &mut Shared, scope: &str) -> Response {
    let granted = sh.config.granted_scopes.clone();
    let tid = sh.config.token_tenant.clone();
    let user = sh.config.user.clone();
    let (scope_out, access) = match requested_resource(scope) {
        // Exchange Online: https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth (scopes of the resource)
        Some(resource) => (
            format!("{resource}/Exchange.Manage openid profile"),
            resource_token(
                st,
                &tid,
                &resource,
                Some(&user),
                Some(&["Exchange.Manage".to_string()]),
                None,
            ),
        ),
        None => (
            format!("{} openid profile", graph_scopes(&granted)),
            resource_token(st, &tid, GRAPH, Some(&user), Some(&granted), None),
        ),
    };
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope_out,
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": access,
        "id_token": id_token(st, &tid, &user),
    });
    if granted.iter().any(|g| g == "offline_access") {
        let rt = random_token();
        sh.refresh_tokens.insert(rt.clone());
        sh.issued.push(rt.clone());
        body["refresh_token"] = json!(rt);
    }
    for k in ["access_token", "id_token"] {
        if let Some(t) = body[k].as_str() {
            sh.issued.push(t.to_string());
        }
    }
    Json(body).into_response()
}

async fn token(
    State(st): State<S>,
    Path(tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let mut sh = st.shared.lock().unwrap();
    let p = |k: &str| f.get(k).cloned().unwrap_or_default();
    if !known_tenant(&tenant) {
        return ms_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            &format!("Tenant '{tenant}' not found."),
        );
    }
    if p("client_id") != CLIENT_ID {
        return ms_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{}' was not found in the directory.",
                p("client_id")
            ),
        );
    }
    match p("grant_type").as_str() {
        // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token
        "authorization_code" => {
            if f.contains_key("client_secret") || f.contains_key("client_assertion") {
                return ms_error(StatusCode::UNAUTHORIZED, "invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
            }
            let Some(grant) = sh.codes.remove(&p("code")) else {
                return ms_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70000,
                    "The provided authorization code is invalid or has expired.",
                );
            };
            if grant.redirect_uri != p("redirect_uri") || grant.client_id != p("client_id") {
                return ms_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    50011,
                    "The redirect URI does not match the one of the authorization request.",
                );
            }
            let computed = jws::b64url(&Sha256::digest(p("code_verifier").as_bytes()));
            if computed != grant.challenge {
                sh.log.push("pkce:mismatch".into());
                return ms_error(StatusCode::BAD_REQUEST, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
            }
            sh.log.push("pkce:ok".into());
            if let Some((err, n)) = sh.config.token_error {
                return ms_error(StatusCode::BAD_REQUEST, err, n, "Scripted failure.");
            }
            let scope = grant.scope.clone();
            delegated_tokens(&st, &mut sh, &scope)
        }
        // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
        "refresh_token" => {
            if !sh.refresh_tokens.contains(&p("refresh_token")) {
                return ms_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    9002313,
                    "Invalid request. Request is malformed or invalid.",
                );
            }
            sh.log.push(format!("refresh:scope={}", p("scope")));
            if let Some((err, n)) = sh.config.refresh_error {
                return ms_error(StatusCode::BAD_REQUEST, err, n, "Scripted failure.");
            }
            let scopes: Vec<String> = p("scope")
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
                .collect();
            let tid = sh.config.token_tenant.clone();
            let user = sh.config.user.clone();
            let access = resource_token(&st, &tid, GRAPH, Some(&user), Some(&scopes), None);
            sh.issued.push(access.clone());
            Json(json!({ "token_type": "Bearer", "scope": graph_scopes(&scopes), "expires_in": 3599, "ext_expires_in": 3599,
                "access_token": access })).into_response()
        }
        // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code#authenticating-the-user
        "urn:ietf:params:oauth:grant-type:device_code" => {
            if !sh.device_codes.contains_key(&p("device_code")) {
                return ms_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    70000,
                    "Unknown device code.",
                );
            }
            if !sh.config.polls.is_empty() {
                let next = sh.config.polls.remove(0);
                let (err, n, text) = match next {
                    Poll::Pending => (
                        "authorization_pending",
                        70016,
                        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                    ),
                    Poll::SlowDown => ("slow_down", 70016, "Polling too fast."),
                    Poll::Declined => (
                        "authorization_declined",
                        70000,
                        "The end user denied the authorization request.",
                    ),
                };
                sh.log.push(format!("poll:{err}"));
                return ms_error(StatusCode::BAD_REQUEST, err, n, text);
            }
            sh.log.push("poll:token".into());
            let scope = sh
                .device_codes
                .remove(&p("device_code"))
                .unwrap_or_default();
            delegated_tokens(&st, &mut sh, &scope)
        }
        // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#second-case-access-token-request-with-a-certificate
        "client_credentials" => {
            let token_url = format!("{}/{}/oauth2/v2.0/token", st.base, tenant);
            match check_assertion(
                &mut sh,
                &p("client_assertion_type"),
                &p("client_assertion"),
                &token_url,
            ) {
                Ok(()) => sh.log.push("assertion:ok".into()),
                Err(why) => {
                    sh.log.push(format!("assertion:{why}"));
                    return ms_error(
                        StatusCode::UNAUTHORIZED,
                        "invalid_client",
                        700027,
                        &format!("Client assertion failed signature validation ({why})."),
                    );
                }
            }
            if p("scope") != format!("{GRAPH}/.default") {
                return ms_error(StatusCode::BAD_REQUEST, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
            }
            let tid = sh.config.token_tenant.clone();
            let roles = sh.config.granted_roles.clone();
            // Successful response: same page, "Successful response".
            Json(json!({ "token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": access_token(&st, &tid, None, Some(&roles)) })).into_response()
        }
        other => ms_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        ),
    }
}

/// Certificate credential checks: https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials
/// (header `alg` PS256, `typ` JWT, `x5t#S256`; claims `aud` = token endpoint, `iss` = `sub` = client ID, `jti`, `nbf`, `exp`).
fn check_assertion(
    sh: &mut Shared,
    kind: &str,
    assertion: &str,
    token_url: &str,
) -> Result<(), String> {
    if kind != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
        return Err("client_assertion_type".into());
    }
    let parts = jws::parse(assertion)?;
    if parts.header["typ"] != "JWT" {
        return Err("typ".into());
    }
    let x5t = parts.header["x5t#S256"].as_str().ok_or("no x5t#S256")?;
    let key = sh
        .config
        .certificates
        .get(x5t)
        .ok_or("unknown certificate")?;
    jws::verify(assertion, key, jws::Alg::PS256)?;
    let c = &parts.claims;
    if c["aud"] != token_url {
        return Err(format!("aud {} is not {token_url}", c["aud"]));
    }
    if c["iss"] != CLIENT_ID || c["sub"] != CLIENT_ID {
        return Err("iss/sub".into());
    }
    let (n, nbf, exp) = (
        now(),
        c["nbf"].as_u64().ok_or("nbf")?,
        c["exp"].as_u64().ok_or("exp")?,
    );
    if nbf > n + 300 || exp <= n || exp - nbf > 3600 {
        return Err("lifetime".into());
    }
    let jti = c["jti"].as_str().ok_or("jti")?.to_string();
    if !sh.seen_jti.insert(jti) {
        return Err("replayed jti".into());
    }
    Ok(())
}

/// Device authorization response: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-device-code#device-authorization-response
async fn devicecode(
    State(st): State<S>,
    Path(_tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let mut sh = st.shared.lock().unwrap();
    if f.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return ms_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            "Application not found in the directory.",
        );
    }
    sh.log.push(format!(
        "devicecode:scope={}",
        f.get("scope").cloned().unwrap_or_default()
    ));
    let device_code = random_token();
    sh.device_codes.insert(
        device_code.clone(),
        f.get("scope").cloned().unwrap_or_default(),
    );
    Json(json!({
        "device_code": device_code,
        "user_code": "FJHKDS7NA",
        "verification_uri": format!("{}/devicelogin", st.base),
        "expires_in": 900,
        "interval": 1,
        "message": format!("To sign in, use a web browser to open the page {}/devicelogin and enter the code FJHKDS7NA to authenticate.", st.base),
    })).into_response()
}

/// Admin consent: https://learn.microsoft.com/en-us/entra/identity-platform/v2-admin-consent#successful-response
/// `GET {redirect}?admin_consent=True&tenant=…&scope=…&state=…`; "Error response": `?error=…&error_description=…&state=…`.
async fn adminconsent(
    State(st): State<S>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut sh = st.shared.lock().unwrap();
    let p = |k: &str| q.get(k).cloned().unwrap_or_default();
    if tenant == "common" {
        return (
            StatusCode::BAD_REQUEST,
            Html("AADSTS50194: use a tenant-specific endpoint or organizations."),
        )
            .into_response();
    }
    if p("client_id") != CLIENT_ID {
        return (
            StatusCode::BAD_REQUEST,
            Html("AADSTS700016: Application not found in the directory."),
        )
            .into_response();
    }
    sh.log
        .push(format!("adminconsent:tenant={tenant}:scope={}", p("scope")));
    let redirect = p("redirect_uri");
    match sh.config.admin_consent {
        AdminConsent::Grant => {
            sh.config.granted_scopes = [
                "User.ReadWrite.All",
                "Group.ReadWrite.All",
                "Directory.AccessAsUser.All",
                "offline_access",
            ]
            .map(String::from)
            .to_vec();
            sh.config.authorize = Authorize::Approve;
            Redirect::to(&append_query(
                &redirect,
                &[
                    ("admin_consent", "True"),
                    ("tenant", TENANT_ID),
                    ("scope", &p("scope")),
                    ("state", &p("state")),
                ],
            ))
            .into_response()
        }
        AdminConsent::Deny => Redirect::to(&append_query(
            &redirect,
            &[
                ("error", "access_denied"),
                (
                    "error_description",
                    "AADSTS65004: The resource owner or authorization server denied the request.",
                ),
                ("state", &p("state")),
            ],
        ))
        .into_response(),
    }
}

/// OpenID configuration: https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
/// (`issuer` is `https://login.microsoftonline.com/{tenant id}/v2.0`); unknown tenant: 400 with AADSTS90002.
async fn openid_configuration(State(st): State<S>, Path(tenant): Path<String>) -> Response {
    if tenant.eq_ignore_ascii_case(TENANT_DOMAIN) || tenant.eq_ignore_ascii_case(TENANT_ID) {
        let b = &st.base;
        Json(json!({
            "issuer": format!("{b}/{TENANT_ID}/v2.0"),
            "authorization_endpoint": format!("{b}/{TENANT_ID}/oauth2/v2.0/authorize"),
            "token_endpoint": format!("{b}/{TENANT_ID}/oauth2/v2.0/token"),
            "device_authorization_endpoint": format!("{b}/{TENANT_ID}/oauth2/v2.0/devicecode"),
            "tenant_region_scope": "EU",
        }))
        .into_response()
    } else {
        ms_error(StatusCode::BAD_REQUEST, "invalid_tenant", 90002, &format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."))
    }
}

/// List organization: https://learn.microsoft.com/en-us/graph/api/organization-list?view=graph-rest-1.0&tabs=http#response-1
async fn organization(State(st): State<S>, headers: HeaderMap) -> Response {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = auth.strip_prefix("Bearer ").unwrap_or("");
    let claims = match jws::verify(token, &st.key.to_public_key(), jws::Alg::RS256) {
        Ok(p) => p.claims,
        Err(_) => {
            // https://learn.microsoft.com/en-us/graph/errors#json-representation
            return (StatusCode::UNAUTHORIZED, Json(json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token validation failure. Invalid audience."}}))).into_response();
        }
    };
    st.shared
        .lock()
        .unwrap()
        .log
        .push("graph:organization".into());
    let tid = claims["tid"].as_str().unwrap_or("").to_string();
    let (name, domains) = if tid == TENANT_ID {
        (
            "Contoso",
            vec![
                json!({"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": false, "isInitial": true, "name": "contoso.onmicrosoft.com", "type": "Managed"}),
                json!({"capabilities": "Email", "isDefault": true, "isInitial": false, "name": TENANT_DOMAIN, "type": "Managed"}),
            ],
        )
    } else {
        (
            "Fabrikam",
            vec![
                json!({"capabilities": "Email", "isDefault": true, "isInitial": true, "name": "fabrikam.onmicrosoft.com", "type": "Managed"}),
            ],
        )
    };
    Json(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization",
        "value": [{ "id": tid, "displayName": name, "verifiedDomains": domains, "tenantType": "AAD" }]
    })).into_response()
}
