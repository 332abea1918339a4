//! The Exchange Online admin API that the `ExchangeOnlineManagement` module itself calls:
//! `POST https://{exchange host}/adminapi/beta/{tenant id}/InvokeCommand` with
//! `{"CmdletInput": {"CmdletName": "…", "Parameters": {…}}}`, a bearer token for the Exchange
//! resource and `X-AnchorMailbox: UPN:{upn}`. Results come in `value`, paged through
//! `@odata.nextLink` (POST the same body there), warnings in `@adminapi.warnings`, errors as
//! `{"error": {"code", "message", "details": [{"message": "Code|ExceptionType|Text"}]}}`, and
//! throttling as HTTP 429 with `Retry-After` (retried a bounded number of times).
//!
//! Only `Get-` cmdlets can be sent: the check never changes anything.

use super::ExchangeError;
use crate::identity::http::{describe, host_of};
use oauth2::url::Url;
use serde_json::{Map, Value};
use std::time::Duration;

/// Attempts per request when throttled (the first one included).
pub const MAX_ATTEMPTS: u32 = 4;
/// Longest single wait honoured from `Retry-After`.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);
/// Pages followed at most (a guard against a server that never ends).
pub const MAX_PAGES: usize = 100;
/// Page size asked for (`Prefer: odata.maxpagesize`).
pub const PAGE_SIZE: u32 = 1000;

/// The output of one cmdlet, every page joined.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CmdletOutput {
    pub value: Vec<Value>,
    pub warnings: Vec<String>,
    /// Requests made (pages and retries), for the tests and the log.
    pub requests: u32,
}

/// A client bound to one tenant, one token and one anchor mailbox.
pub struct AdminApi<'a> {
    pub http: &'a reqwest::Client,
    /// `https://outlook.office365.com`, or the `--exchange-url` override (no trailing slash).
    pub base: String,
    pub tenant_id: String,
    /// Bearer token for the Exchange resource (kept by the caller, never logged).
    pub token: &'a str,
    /// The signed-in account (`X-AnchorMailbox: UPN:{upn}`).
    pub anchor_upn: String,
}

impl AdminApi<'_> {
    pub fn invoke_url(&self) -> String {
        format!(
            "{}/adminapi/beta/{}/InvokeCommand",
            self.base, self.tenant_id
        )
    }

    /// Run a read-only cmdlet (its name must start with `Get-`) and return every page.
    pub async fn get(
        &self,
        cmdlet: &str,
        parameters: Map<String, Value>,
    ) -> Result<CmdletOutput, ExchangeError> {
        if !cmdlet.starts_with("Get-") || !cmdlet[4..].chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ExchangeError::input(
                "cmdlet",
                format!("{cmdlet} is not a read-only cmdlet."),
                "Only Get- cmdlets are ever sent.",
            ));
        }
        let body = serde_json::json!({ "CmdletInput": { "CmdletName": cmdlet, "Parameters": Value::Object(parameters) } });
        let first = self.invoke_url();
        let origin = Url::parse(&first)
            .map_err(|e| {
                ExchangeError::input(
                    "exchange_url",
                    format!("The Exchange URL is not valid ({e})."),
                    "Check the Exchange URL.",
                )
            })?
            .origin();
        let mut out = CmdletOutput::default();
        let mut url = first;
        for _ in 0..MAX_PAGES {
            let page = self
                .post_with_retries(cmdlet, &url, &body, &mut out.requests)
                .await?;
            let value = page.get("value").and_then(Value::as_array).ok_or_else(|| {
                ExchangeError::bad_response("The Exchange admin API", "no value array")
            })?;
            out.value.extend(value.iter().cloned());
            if let Some(w) = page.get("@adminapi.warnings").and_then(Value::as_array) {
                out.warnings.extend(
                    w.iter()
                        .filter_map(|v| v.as_str())
                        .map(|s| truncate(s, 300)),
                );
            }
            match page.get("@odata.nextLink").and_then(Value::as_str) {
                None => return Ok(out),
                Some(next) => {
                    // The token goes only where the first request went.
                    let next_url = Url::parse(next)
                        .or_else(|_| Url::parse(&url).and_then(|u| u.join(next)))
                        .map_err(|_| {
                            ExchangeError::bad_response(
                                "The Exchange admin API",
                                "an unreadable @odata.nextLink",
                            )
                        })?;
                    if next_url.origin() != origin {
                        return Err(ExchangeError::bad_response(
                            "The Exchange admin API",
                            format!(
                                "a next page on another host ({})",
                                next_url.host_str().unwrap_or("?")
                            ),
                        ));
                    }
                    url = next_url.to_string();
                }
            }
        }
        Err(ExchangeError::bad_response(
            "The Exchange admin API",
            format!("more than {MAX_PAGES} pages"),
        ))
    }

    async fn post_with_retries(
        &self,
        cmdlet: &str,
        url: &str,
        body: &Value,
        requests: &mut u32,
    ) -> Result<Value, ExchangeError> {
        let body_bytes = serde_json::to_vec(body).expect("JSON");
        let mut attempt = 0;
        loop {
            attempt += 1;
            *requests += 1;
            let resp = self
                .http
                .post(url)
                .bearer_auth(self.token)
                .header("X-AnchorMailbox", format!("UPN:{}", self.anchor_upn))
                .header("X-CmdletName", cmdlet)
                .header("Prefer", format!("odata.maxpagesize={PAGE_SIZE}"))
                .header("client-request-id", random_guid())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .body(body_bytes.clone())
                .send()
                .await
                .map_err(|e| ExchangeError::Network {
                    host: host_of(url),
                    detail: describe(&e),
                })?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let bytes = resp.bytes().await.map_err(|e| ExchangeError::Network {
                host: host_of(url),
                detail: describe(&e),
            })?;
            let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if status == 429 || (status == 503 && retry_after.is_some()) {
                if attempt >= MAX_ATTEMPTS {
                    return Err(ExchangeError::Throttled { attempts: attempt });
                }
                tokio::time::sleep(retry_wait(retry_after.as_deref(), attempt)).await;
                continue;
            }
            if (200..300).contains(&status) {
                if json.is_object() {
                    return Ok(json);
                }
                return Err(ExchangeError::bad_response(
                    "The Exchange admin API",
                    format!("HTTP {status} without a JSON object"),
                ));
            }
            return Err(classify_error(cmdlet, status, &json));
        }
    }
}

/// How long to wait before the next attempt: `Retry-After` in seconds (an HTTP date counts as
/// the default), capped; without it 1, 2, 4… seconds.
pub fn retry_wait(retry_after: Option<&str>, attempt: u32) -> Duration {
    let default = Duration::from_secs(1u64 << (attempt.saturating_sub(1)).min(4));
    let wait = retry_after
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(default);
    wait.min(MAX_RETRY_WAIT)
}

/// One parsed entry of `error.details`: `Code|ExceptionType|Text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDetail {
    pub code: String,
    pub exception: String,
    pub text: String,
}

pub fn parse_detail(s: &str) -> ErrorDetail {
    let mut parts = s.splitn(3, '|');
    let a = parts.next().unwrap_or("").trim().to_string();
    match (parts.next(), parts.next()) {
        (Some(b), Some(c)) => ErrorDetail {
            code: a,
            exception: b.trim().to_string(),
            text: c.trim().to_string(),
        },
        (Some(b), None) => ErrorDetail {
            code: a,
            exception: b.trim().to_string(),
            text: String::new(),
        },
        _ => ErrorDetail {
            code: String::new(),
            exception: String::new(),
            text: a,
        },
    }
}

/// Map an error answer. A cmdlet outside the caller's roles answers like an unknown command
/// (`CommandNotFoundException`, "is not recognized"): that is [`ExchangeError::NotAllowed`].
pub fn classify_error(cmdlet: &str, status: u16, body: &Value) -> ExchangeError {
    let err = body.get("error");
    let code = err
        .and_then(|e| e.get("code"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let message = err
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    let details: Vec<ErrorDetail> = err
        .and_then(|e| e.get("details"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|d| d.get("message").and_then(Value::as_str))
                .map(parse_detail)
                .collect()
        })
        .unwrap_or_default();
    let text = details
        .iter()
        .map(|d| d.text.as_str())
        .find(|t| !t.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            if message.is_empty() {
                format!("HTTP {status}")
            } else {
                message.clone()
            }
        });
    let not_recognized = details
        .iter()
        .any(|d| d.exception.ends_with("CommandNotFoundException"))
        || text.contains("is not recognized as")
        || message.contains("is not recognized as");
    if not_recognized || status == 403 {
        return ExchangeError::NotAllowed {
            cmdlet: cmdlet.to_string(),
            detail: truncate(&text, 300),
        };
    }
    if status == 401 {
        return ExchangeError::Unauthorized {
            status,
            detail: truncate(&text, 300),
        };
    }
    let exception = details
        .iter()
        .map(|d| d.exception.as_str())
        .find(|e| !e.is_empty())
        .unwrap_or("");
    let shown_code = if exception.is_empty() {
        code
    } else {
        exception
            .rsplit('.')
            .next()
            .unwrap_or(exception)
            .to_string()
    };
    ExchangeError::Api {
        cmdlet: cmdlet.to_string(),
        status,
        code: shown_code,
        message: truncate(&text, 300),
    }
}

fn truncate(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>())
    }
}

/// A random version-4 GUID for `client-request-id`.
pub fn random_guid() -> String {
    let mut b = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;
    use serde_json::json;

    #[test]
    fn details_and_errors() {
        assert_eq!(parse_detail("Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'x' couldn't be found."),
            ErrorDetail { code: "Ex6F9304".into(), exception: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException".into(), text: "The operation couldn't be performed because object 'x' couldn't be found.".into() });
        let body = json!({"error": {"code": "NotFound", "message": "Error executing cmdlet", "details": [{"message": "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Object 'nobody' couldn't be found."}]}});
        let e = classify_error("Get-ManagementRoleAssignment", 404, &body);
        assert_eq!(e.code(), "exchange.api_error");
        assert!(
            e.to_string().contains("ManagementObjectNotFoundException")
                && e.to_string().contains("Object 'nobody' couldn't be found."),
            "{e}"
        );
        let body = json!({"error": {"code": "BadRequest", "message": "x", "details": [{"message": "|System.Management.Automation.CommandNotFoundException|The term 'Get-ManagementRoleAssignment' is not recognized as a name of a cmdlet."}]}});
        assert_eq!(
            classify_error("Get-ManagementRoleAssignment", 400, &body).code(),
            "exchange.not_allowed"
        );
        assert_eq!(
            classify_error("Get-X", 401, &Value::Null).code(),
            "exchange.unauthorized"
        );
    }

    #[test]
    fn retry_waits_are_bounded() {
        assert_eq!(retry_wait(Some("2"), 1), Duration::from_secs(2));
        assert_eq!(retry_wait(Some("3600"), 1), MAX_RETRY_WAIT);
        assert_eq!(
            retry_wait(Some("Wed, 21 Oct 2015 07:28:00 GMT"), 2),
            Duration::from_secs(2)
        );
        assert_eq!(retry_wait(None, 1), Duration::from_secs(1));
        assert_eq!(random_guid().len(), 36);
        assert!(crate::identity::cloud::is_guid(&random_guid()));
    }
}
