//! Client credentials with a certificate: a JWT client assertion
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials>,
//! <https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow#second-case-access-token-request-with-a-certificate>).
//! Header `alg: PS256`, `typ: JWT`, `x5t#S256`; claims `aud` = token endpoint, `iss` = `sub` =
//! client ID, `jti`, `nbf`, `iat`, `exp` (10 minutes).

use super::certificate::Credential;
use super::http;
use super::token::{map_request_error, MsClient, MsTokenResponse};
use super::{jws, IdentityError};
use oauth2::{AuthType, ClientId, HttpRequest, Scope, TokenUrl};
use std::time::{SystemTime, UNIX_EPOCH};

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Lifetime of one assertion.
pub const LIFETIME_SECS: u64 = 600;

/// Build and sign the client assertion for `token_url`.
pub fn client_assertion(
    cred: &Credential,
    client_id: &str,
    token_url: &str,
) -> Result<String, IdentityError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut jti = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut jti);
    let header = serde_json::json!({ "typ": "JWT", "x5t#S256": cred.x5t_s256() });
    let claims = serde_json::json!({
        "aud": token_url,
        "iss": client_id,
        "sub": client_id,
        "jti": jws::b64url(&jti),
        "nbf": now,
        "iat": now,
        "exp": now + LIFETIME_SECS,
    });
    jws::sign(cred.key(), jws::Alg::PS256, header, &claims).map_err(|e| {
        IdentityError::Certificate(format!("Signing the client assertion failed ({e})."))
    })
}

/// The client credentials grant for `scope` (`{graph}/.default`).
pub async fn client_credentials(
    http_client: &reqwest::Client,
    token_url: &str,
    client_id: &str,
    cred: &Credential,
    scope: &str,
) -> Result<MsTokenResponse, IdentityError> {
    let client: MsClient<oauth2::EndpointNotSet, oauth2::EndpointNotSet, oauth2::EndpointSet> =
        oauth2::Client::new(ClientId::new(client_id.into()))
            .set_auth_type(AuthType::RequestBody)
            .set_token_uri(TokenUrl::new(token_url.into()).map_err(|e| {
                IdentityError::input(
                    "authority_url",
                    format!("The authority URL is not valid ({e})."),
                    "Check the authority URL override.",
                )
            })?);
    let assertion = zeroize::Zeroizing::new(client_assertion(cred, client_id, token_url)?);
    let send = |req: HttpRequest| async move { http::send(http_client, req).await };
    client
        .exchange_client_credentials()
        .add_scope(Scope::new(scope.into()))
        .add_extra_param("client_assertion_type", ASSERTION_TYPE)
        .add_extra_param("client_assertion", assertion.as_str())
        .request_async(&send)
        .await
        .map_err(|e| map_request_error(e, Into::into))
}
