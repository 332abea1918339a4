//! The one HTTP client of the identity flows: reqwest 0.13 (rustls), redirects disabled (an
//! OAuth endpoint answering a redirect is an error, never followed), bounded time, and an
//! adapter for oauth2's `AsyncHttpClient`.

use super::IdentityError;
use oauth2::{HttpRequest, HttpResponse};
use std::time::Duration;

/// Build the client: no redirects, 30 s per request, 10 s to connect.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("h2r-setup/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the TLS backend initialises")
}

/// Failure of one HTTP exchange (transport level).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(pub String);

/// oauth2's HTTP client: `|req| send(&client, req)`.
pub async fn send(
    client: &reqwest::Client,
    request: HttpRequest,
) -> Result<HttpResponse, HttpError> {
    let req = reqwest::Request::try_from(request).map_err(|e| HttpError(describe(&e)))?;
    let resp = client
        .execute(req)
        .await
        .map_err(|e| HttpError(describe(&e)))?;
    let mut builder = oauth2::http::Response::builder().status(resp.status());
    for (name, value) in resp.headers() {
        builder = builder.header(name, value);
    }
    let body = resp.bytes().await.map_err(|e| HttpError(describe(&e)))?;
    builder
        .body(body.to_vec())
        .map_err(|e| HttpError(e.to_string()))
}

/// The innermost cause, which is what a person can act on ("connection refused", a TLS error).
pub fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        last = s.to_string();
        src = s.source();
    }
    last
}

pub(crate) fn host_of(url: &str) -> String {
    oauth2::url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string())
}

pub(crate) fn network(url: &str, e: &(dyn std::error::Error + 'static)) -> IdentityError {
    IdentityError::Network {
        host: host_of(url),
        detail: describe(e),
    }
}

/// GET a JSON document (optionally with a bearer token). Non-2xx answers come back as
/// `(status, body)` for the caller to interpret.
pub async fn get_json(
    client: &reqwest::Client,
    url: &str,
    bearer: Option<&str>,
) -> Result<(u16, serde_json::Value), IdentityError> {
    let mut req = client.get(url).header("accept", "application/json");
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.map_err(|e| network(url, &e))?;
    let status = resp.status().as_u16();
    let body = resp.bytes().await.map_err(|e| network(url, &e))?;
    let value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    Ok((status, value))
}
