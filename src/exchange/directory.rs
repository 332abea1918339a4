//! The account's active Microsoft Entra directory roles, from Microsoft Graph: the signed-in
//! account's own through `GET /v1.0/me/memberOf` (User.Read is enough), another account's (an
//! administrator checking the service account) through
//! `GET /v1.0/users/{upn}/transitiveMemberOf/microsoft.graph.directoryRole`. Roles are compared
//! by `roleTemplateId`, never only by display name. Pages follow `@odata.nextLink`.

use super::ExchangeError;
use crate::identity::http::{get_json, host_of};
use crate::identity::{Endpoints, IdentityError};
use oauth2::url::Url;
use serde::Serialize;
use serde_json::Value;

/// Pages followed at most.
const MAX_PAGES: usize = 50;

/// One active directory role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryRole {
    pub display_name: String,
    pub role_template_id: String,
}

/// Whose roles to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose<'a> {
    SignedIn,
    Account(&'a str),
}

pub fn roles_url(endpoints: &Endpoints, whose: Whose<'_>) -> Result<String, ExchangeError> {
    let mut u = Url::parse(&endpoints.graph).map_err(|e| {
        ExchangeError::input(
            "graph_url",
            format!("The Graph URL is not valid ({e})."),
            "Check the Graph URL.",
        )
    })?;
    {
        let mut seg = u.path_segments_mut().map_err(|_| {
            ExchangeError::input(
                "graph_url",
                "The Graph URL cannot take a path.",
                "Check the Graph URL.",
            )
        })?;
        seg.pop_if_empty();
        match whose {
            Whose::SignedIn => {
                seg.extend(["v1.0", "me", "memberOf"]);
            }
            Whose::Account(upn) => {
                seg.extend([
                    "v1.0",
                    "users",
                    upn,
                    "transitiveMemberOf",
                    "microsoft.graph.directoryRole",
                ]);
            }
        }
    }
    Ok(u.to_string())
}

/// Read the active directory roles (other memberships, such as groups, are skipped).
pub async fn directory_roles(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    token: &str,
    whose: Whose<'_>,
) -> Result<Vec<DirectoryRole>, ExchangeError> {
    let first = roles_url(endpoints, whose)?;
    let origin = Url::parse(&first)
        .map(|u| u.origin())
        .map_err(|e| ExchangeError::Graph(e.to_string()))?;
    let mut url = first;
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let (status, body) = get_json(http, &url, Some(token))
            .await
            .map_err(|e| match e {
                IdentityError::Network { host, detail } => ExchangeError::Network { host, detail },
                other => ExchangeError::Graph(other.to_string()),
            })?;
        if status == 404 {
            if let Whose::Account(upn) = whose {
                return Err(ExchangeError::AccountNotFound(upn.to_string()));
            }
        }
        if status != 200 {
            let detail = body
                .pointer("/error/message")
                .and_then(Value::as_str)
                .map(|m| {
                    m.trim_end_matches('.')
                        .chars()
                        .take(300)
                        .collect::<String>()
                })
                .unwrap_or_else(|| format!("HTTP {status}"));
            return Err(ExchangeError::Graph(format!(
                "{detail} (HTTP {status} from {})",
                host_of(&url)
            )));
        }
        let value = body
            .get("value")
            .and_then(Value::as_array)
            .ok_or_else(|| ExchangeError::Graph("the answer has no value list".into()))?;
        for v in value {
            let is_role = v
                .get("@odata.type")
                .and_then(Value::as_str)
                .map(|t| t == "#microsoft.graph.directoryRole")
                .unwrap_or(matches!(whose, Whose::Account(_)));
            if !is_role {
                continue;
            }
            let Some(template) = v.get("roleTemplateId").and_then(Value::as_str) else {
                continue;
            };
            out.push(DirectoryRole {
                display_name: v
                    .get("displayName")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                role_template_id: template.to_ascii_lowercase(),
            });
        }
        match body.get("@odata.nextLink").and_then(Value::as_str) {
            None => return Ok(out),
            Some(next) => {
                let n = Url::parse(next)
                    .map_err(|_| ExchangeError::Graph("an unreadable @odata.nextLink".into()))?;
                if n.origin() != origin {
                    return Err(ExchangeError::Graph("a next page on another host".into()));
                }
                url = n.to_string();
            }
        }
    }
    Err(ExchangeError::Graph(format!("more than {MAX_PAGES} pages")))
}

/// Whether `roles` holds the role with `template_id`.
pub fn holds(roles: &[DirectoryRole], template_id: &str) -> bool {
    roles
        .iter()
        .any(|r| r.role_template_id.eq_ignore_ascii_case(template_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Cloud;

    #[test]
    fn urls_escape_the_account() {
        let e =
            Endpoints::with_overrides(Cloud::Global, None, Some("http://127.0.0.1:9/")).unwrap();
        assert_eq!(
            roles_url(&e, Whose::SignedIn).unwrap(),
            "http://127.0.0.1:9/v1.0/me/memberOf"
        );
        assert_eq!(roles_url(&e, Whose::Account("o'brien/x?y#z@contoso.com")).unwrap(),
            "http://127.0.0.1:9/v1.0/users/o'brien%2Fx%3Fy%23z@contoso.com/transitiveMemberOf/microsoft.graph.directoryRole");
        let g = Endpoints::new(Cloud::UsgovDod);
        assert!(roles_url(&g, Whose::SignedIn)
            .unwrap()
            .starts_with("https://dod-graph.microsoft.us/v1.0/me/"));
    }
}
