//! The one HTTP client of the identity flows: reqwest 0.13 (rustls), redirects disabled (an
//! OAuth endpoint answering a redirect is an error, never followed), bounded time, and an
//! adapter for oauth2's `AsyncHttpClient`.

use super::IdentityError;
use oauth2::{HttpRequest, HttpResponse};
use std::time::Duration;

/// Build the client: no redirects, 30 s per request, 10 s to connect, the system proxy
/// (see [`super::proxy`]).
pub fn client() -> reqwest::Client {
    builder().build().expect("the TLS backend initialises")
}

/// The client for Microsoft traffic with the admin's proxy choice: `None` or empty is the
/// system proxy (environment variables, then the OS settings), else the explicit proxy
/// (checked by [`super::proxy::check`]; an invalid one is a field error on `proxy`).
pub fn client_with_proxy(proxy: Option<&str>) -> Result<reqwest::Client, IdentityError> {
    let b = match super::proxy::check(proxy)? {
        None if !super::proxy::env_proxy_set() => builder(),
        // Through a proxy, no connection is reused: some proxies (tinyproxy, for one) close the
        // connection after each forwarded answer without saying so, and a request sent on it
        // meanwhile fails half-way. A sign-in or check is a handful of requests.
        None => builder().pool_max_idle_per_host(0),
        Some(url) => builder()
            .proxy(super::proxy::explicit(&url)?)
            .pool_max_idle_per_host(0),
    };
    Ok(b.build().expect("the TLS backend initialises"))
}

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("h2r-setup/", env!("CARGO_PKG_VERSION")))
}

/// oauth2's HTTP client: `|req| send(&client, req)`. A transport failure is the identity
/// area's own [`IdentityError::Network`] naming the host, so oauth2 hands back the one error
/// type the flows report.
pub async fn send(
    client: &reqwest::Client,
    request: HttpRequest,
) -> Result<HttpResponse, IdentityError> {
    let host = request.uri().host().unwrap_or_default().to_string();
    let network = |detail: String| IdentityError::Network {
        host: host.clone(),
        detail,
    };
    let req = reqwest::Request::try_from(request).map_err(|e| network(describe(&e)))?;
    let resp = client
        .execute(req)
        .await
        .map_err(|e| network(describe(&e)))?;
    let mut builder = oauth2::http::Response::builder().status(resp.status());
    for (name, value) in resp.headers() {
        builder = builder.header(name, value);
    }
    let body = resp.bytes().await.map_err(|e| network(describe(&e)))?;
    builder
        .body(body.to_vec())
        .map_err(|e| network(e.to_string()))
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
