//! Admin consent: the `/adminconsent` URL and its return
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/v2-admin-consent>).
//! Success comes back as `admin_consent=True&tenant=…&state=…`, failure as `error` +
//! `error_description`. When the tenant's admin consent request workflow is on (AADSTS90095),
//! "Request approval" ends in the browser and nothing comes back: the wizard offers
//! "I have sent the request" and "Check again" instead of waiting.

use super::errors::MsError;
use super::loopback::{Listener, CALLBACK_PATH};
use super::{Cancel, Endpoints, IdentityError};
use oauth2::url::Url;
use serde::Serialize;
use std::time::Duration;

/// Build `{authority}/{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri&state`.
/// `tenant` is the tenant ID or a domain; `organizations` when unknown (never `common`).
pub fn admin_consent_url(
    endpoints: &Endpoints,
    tenant: Option<&str>,
    client_id: &str,
    scope: &str,
    redirect_uri: &str,
    state: &str,
) -> String {
    let tenant = match tenant {
        Some(t) if !t.eq_ignore_ascii_case("common") => t,
        _ => "organizations",
    };
    let mut url =
        Url::parse(&endpoints.adminconsent_url(tenant)).expect("authority is a checked URL");
    url.query_pairs_mut()
        .append_pair("client_id", client_id)
        .append_pair("scope", scope)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state);
    url.to_string()
}

/// The admin consent link to hand to an administrator on another computer: it redirects to
/// the portless loopback URI (Microsoft ignores the port for loopback); consent is recorded
/// before the redirect, so a page that does not load there is harmless.
pub fn shareable_admin_consent_url(
    endpoints: &Endpoints,
    tenant: Option<&str>,
    client_id: &str,
    scope: &str,
) -> String {
    let state = oauth2::CsrfToken::new_random();
    admin_consent_url(
        endpoints,
        tenant,
        client_id,
        scope,
        &format!("http://127.0.0.1{CALLBACK_PATH}"),
        state.secret(),
    )
}

/// What came back after an administrator consented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentGranted {
    /// The tenant Microsoft reported.
    pub tenant: Option<String>,
}

/// Open the admin consent URL (through `on_url`) and wait for its return on the loopback.
pub async fn run(
    endpoints: &Endpoints,
    tenant: Option<&str>,
    client_id: &str,
    scope: &str,
    on_url: impl FnOnce(&str),
    timeout: Duration,
    cancel: &Cancel,
) -> Result<ConsentGranted, IdentityError> {
    let listener = Listener::bind().await?;
    let state = oauth2::CsrfToken::new_random();
    let url = admin_consent_url(
        endpoints,
        tenant,
        client_id,
        scope,
        &listener.redirect_uri(),
        state.secret(),
    );
    on_url(&url);
    let cb = listener.wait(state.secret(), timeout, cancel).await?;
    interpret(&cb.params)
}

pub fn interpret(
    params: &std::collections::HashMap<String, String>,
) -> Result<ConsentGranted, IdentityError> {
    if let Some(err) = params.get("error") {
        return Err(IdentityError::Microsoft(MsError::new(
            err.as_str(),
            params.get("error_description").cloned().unwrap_or_default(),
            &[],
        )));
    }
    match params.get("admin_consent") {
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(ConsentGranted {
            tenant: params.get("tenant").cloned(),
        }),
        _ => Err(IdentityError::bad_response(
            "The admin consent page",
            "neither admin_consent=True nor an error came back",
        )),
    }
}
