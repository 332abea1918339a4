//! Token responses: the shape Microsoft returns, error mapping, and what a token response says
//! about granted permissions and the tenant. Graph access tokens are opaque to clients
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens>): delegated
//! scopes are read from the response's `scope` field, the tenant from the ID token.

use super::errors::MsError;
use super::{jws, Endpoints, IdentityError};
use crate::sensitive::Sensitive;
use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    ExtraTokenFields, RequestTokenError, StandardRevocableToken, StandardTokenResponse,
    TokenResponse,
};
use serde::{Deserialize, Serialize};

/// An ID token: a secret-ish string whose Debug output is redacted and that is wiped on drop.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(transparent)]
pub struct IdToken(Sensitive);

impl IdToken {
    pub fn secret(&self) -> &str {
        self.0.expose()
    }
}

/// Microsoft's extra token-response fields.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct MsExtraFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<IdToken>,
}
impl ExtraTokenFields for MsExtraFields {}

pub type MsTokenResponse = StandardTokenResponse<MsExtraFields, BasicTokenType>;

/// Microsoft's error body
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1>).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct MsErrorResponse {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Option<Vec<u32>>,
}
impl std::fmt::Display for MsErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}
impl oauth2::ErrorResponse for MsErrorResponse {}

impl From<MsErrorResponse> for MsError {
    fn from(e: MsErrorResponse) -> Self {
        MsError::new(
            e.error,
            e.error_description.unwrap_or_default(),
            e.error_codes.as_deref().unwrap_or(&[]),
        )
    }
}

/// oauth2 client with Microsoft's token and error shapes.
pub type MsClient<HasAuthUrl, HasDeviceAuthUrl, HasTokenUrl> = oauth2::Client<
    MsErrorResponse,
    MsTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    HasDeviceAuthUrl,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    HasTokenUrl,
>;

/// Map a failed token request. The body of an unparsable answer is never echoed (it may hold
/// a token).
pub fn map_request_error<TE: oauth2::ErrorResponse + 'static>(
    e: RequestTokenError<IdentityError, TE>,
    to_ms: impl FnOnce(TE) -> MsError,
) -> IdentityError {
    match e {
        RequestTokenError::ServerResponse(r) => IdentityError::Microsoft(to_ms(r)),
        RequestTokenError::Request(e) => e,
        RequestTokenError::Parse(err, _body) => IdentityError::bad_response(
            "The token endpoint",
            format!("unreadable JSON at {}", err.path()),
        ),
        RequestTokenError::Other(s) => IdentityError::bad_response("The token endpoint", s),
    }
}

/// What a delegated token response grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegatedGrant {
    /// Granted permissions (cloud prefix stripped; OpenID scopes left out).
    pub granted: Vec<String>,
    /// Required permissions not granted, in the order required.
    pub missing: Vec<String>,
    /// The tenant from the ID token's `tid`, when an ID token came back.
    pub tenant_id: Option<String>,
}

/// Compare the response's `scope` with `required`, and read the tenant from the ID token
/// (its `aud` must be `client_id`; its `tid` must be `expected_tenant` when one is known).
pub fn check_delegated(
    endpoints: &Endpoints,
    resp: &MsTokenResponse,
    required: &[&str],
    client_id: &str,
    expected_tenant: Option<&str>,
) -> Result<DelegatedGrant, IdentityError> {
    let mut granted: Vec<String> = Vec::new();
    for s in resp
        .scopes()
        .map(|v| v.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let bare = endpoints.strip_graph_prefix(&s).to_string();
        if matches!(bare.as_str(), "openid" | "profile" | "email") {
            continue;
        }
        if !granted.iter().any(|g| g.eq_ignore_ascii_case(&bare)) {
            granted.push(bare);
        }
    }
    // A refresh token is what offline_access grants; Microsoft does not always list it.
    if resp.refresh_token().is_some() && !granted.iter().any(|g| g == "offline_access") {
        granted.push("offline_access".into());
    }
    let missing = missing_from(required, &granted);
    let tenant_id = match &resp.extra_fields().id_token {
        Some(t) => Some(check_id_token(t.secret(), client_id, expected_tenant)?),
        None => None,
    };
    Ok(DelegatedGrant {
        granted,
        missing,
        tenant_id,
    })
}

/// Required entries absent from `granted` (case-insensitive), in order.
pub fn missing_from(required: &[&str], granted: &[String]) -> Vec<String> {
    required
        .iter()
        .filter(|r| !granted.iter().any(|g| g.eq_ignore_ascii_case(r)))
        .map(|r| r.to_string())
        .collect()
}

/// `tid` of an ID token received from the token endpoint, after checking `aud` and the tenant.
pub fn check_id_token(
    token: &str,
    client_id: &str,
    expected_tenant: Option<&str>,
) -> Result<String, IdentityError> {
    let claims = jws::unverified_claims(token)
        .map_err(|e| IdentityError::bad_response("The ID token", e))?;
    let aud = claims.get("aud").and_then(|v| v.as_str()).unwrap_or("");
    if !aud.eq_ignore_ascii_case(client_id) {
        return Err(IdentityError::WrongAudience {
            expected: client_id.into(),
            got: aud.into(),
        });
    }
    let tid = claims
        .get("tid")
        .and_then(|v| v.as_str())
        .ok_or_else(|| IdentityError::bad_response("The ID token", "no tid claim"))?
        .to_ascii_lowercase();
    check_tenant(expected_tenant, &tid)?;
    Ok(tid)
}

pub fn check_tenant(expected: Option<&str>, got: &str) -> Result<(), IdentityError> {
    match expected {
        Some(e) if !e.eq_ignore_ascii_case(got) => Err(IdentityError::WrongTenant {
            expected: e.into(),
            got: got.into(),
        }),
        _ => Ok(()),
    }
}

/// Application permissions (`roles`) and tenant (`tid`) of an app-only access token. Microsoft
/// documents `roles` as the granted application permissions; when the token cannot be read
/// (encrypted, not a JWT) this says so rather than guessing.
pub fn app_roles(access_token: &str) -> Result<(Vec<String>, Option<String>), IdentityError> {
    let claims = jws::unverified_claims(access_token).map_err(IdentityError::TokenUnreadable)?;
    let roles = claims
        .get("roles")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let tid = claims
        .get("tid")
        .and_then(|v| v.as_str())
        .map(str::to_ascii_lowercase);
    Ok((roles, tid))
}
