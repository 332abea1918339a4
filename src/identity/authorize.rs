//! Authorization code + PKCE (S256) for a public client
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow>,
//! RFC 7636, RFC 8252). Generic over the endpoint URLs, so the same code runs against
//! Microsoft, the tests' local identity server and an independent OAuth 2.0 server.

use super::http;
use super::token::{map_request_error, MsClient, MsTokenResponse};
use super::IdentityError;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointNotSet, EndpointSet,
    HttpRequest, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenUrl,
};

/// Where and what to ask.
#[derive(Debug, Clone)]
pub struct AuthCodeSetup {
    pub auth_url: String,
    pub token_url: String,
    pub client_id: String,
    /// Scopes, already in the cloud's form.
    pub scopes: Vec<String>,
    /// Extra authorize parameters (`prompt`, `login_hint`, `domain_hint`).
    pub extra: Vec<(String, String)>,
}

/// A started sign-in: the URL to open, and what the callback and the exchange need.
/// The state and verifier are oauth2 secret types (redacted in Debug).
#[derive(Debug)]
pub struct PendingAuth {
    pub url: String,
    pub state: CsrfToken,
    pub verifier: PkceCodeVerifier,
    pub redirect_uri: String,
}

fn url_err(field: &'static str, e: impl std::fmt::Display) -> IdentityError {
    IdentityError::input(
        field,
        format!("The {field} is not a valid URL ({e})."),
        "Check the authority URL override.",
    )
}

fn client(
    setup: &AuthCodeSetup,
    redirect_uri: &str,
) -> Result<MsClient<EndpointSet, EndpointNotSet, EndpointSet>, IdentityError> {
    Ok(oauth2::Client::new(ClientId::new(setup.client_id.clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_auth_uri(
            AuthUrl::new(setup.auth_url.clone()).map_err(|e| url_err("authority_url", e))?,
        )
        .set_token_uri(
            TokenUrl::new(setup.token_url.clone()).map_err(|e| url_err("authority_url", e))?,
        )
        .set_redirect_uri(
            RedirectUrl::new(redirect_uri.to_string()).map_err(|e| url_err("redirect_uri", e))?,
        ))
}

/// Build the authorize URL with a fresh PKCE S256 challenge and a random `state`.
pub fn start(setup: &AuthCodeSetup, redirect_uri: &str) -> Result<PendingAuth, IdentityError> {
    let client = client(setup, redirect_uri)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut req = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge)
        .add_scopes(setup.scopes.iter().map(|s| Scope::new(s.clone())));
    for (k, v) in &setup.extra {
        req = req.add_extra_param(k.clone(), v.clone());
    }
    let (url, state) = req.url();
    Ok(PendingAuth {
        url: url.to_string(),
        state,
        verifier,
        redirect_uri: redirect_uri.to_string(),
    })
}

/// Exchange the code (with the PKCE verifier) for tokens.
pub async fn exchange(
    http_client: &reqwest::Client,
    setup: &AuthCodeSetup,
    pending: PendingAuth,
    code: String,
) -> Result<MsTokenResponse, IdentityError> {
    let client = client(setup, &pending.redirect_uri)?;
    let send = |req: HttpRequest| async move { http::send(http_client, req).await };
    client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(pending.verifier)
        .request_async(&send)
        .await
        .map_err(|e| map_request_error(e, Into::into))
}

/// Redeem a refresh token for another resource's scopes (public client, no secret): how one
/// interactive sign-in yields tokens for both Exchange Online and Microsoft Graph
/// (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token>).
pub async fn refresh(
    http_client: &reqwest::Client,
    token_url: &str,
    client_id: &str,
    refresh_token: &oauth2::RefreshToken,
    scopes: &[String],
) -> Result<MsTokenResponse, IdentityError> {
    let client: MsClient<EndpointNotSet, EndpointNotSet, EndpointSet> =
        oauth2::Client::new(ClientId::new(client_id.to_string()))
            .set_auth_type(AuthType::RequestBody)
            .set_token_uri(
                TokenUrl::new(token_url.to_string()).map_err(|e| url_err("authority_url", e))?,
            );
    let send = |req: HttpRequest| async move { http::send(http_client, req).await };
    client
        .exchange_refresh_token(refresh_token)
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .request_async(&send)
        .await
        .map_err(|e| map_request_error(e, Into::into))
}
