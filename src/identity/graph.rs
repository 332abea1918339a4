//! `GET /v1.0/organization`: the tenant's name, ID and verified domains
//! (<https://learn.microsoft.com/en-us/graph/api/organization-list>).

use super::{http, Endpoints, IdentityError};
use serde::{Deserialize, Serialize};

/// The tenant as shown to the admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    /// Verified domains, the default one first.
    pub domains: Vec<String>,
}

/// Read the signed-in tenant's organization.
pub async fn organization(
    client: &reqwest::Client,
    endpoints: &Endpoints,
    access_token: &str,
) -> Result<Tenant, IdentityError> {
    let url = endpoints.organization_url();
    let (status, body) = http::get_json(client, &url, Some(access_token)).await?;
    if status != 200 {
        let detail = body
            .pointer("/error/message")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("HTTP {status}"));
        return Err(IdentityError::Graph(
            detail.trim_end_matches('.').to_string(),
        ));
    }
    parse_organization(&body)
}

pub fn parse_organization(body: &serde_json::Value) -> Result<Tenant, IdentityError> {
    let org = body
        .pointer("/value/0")
        .ok_or_else(|| IdentityError::Graph("the answer lists no organization".into()))?;
    let id = org
        .get("id")
        .and_then(|v| v.as_str())
        .ok_or_else(|| IdentityError::Graph("the organization has no id".into()))?;
    let name = org
        .get("displayName")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let mut domains: Vec<(bool, String)> = org
        .get("verifiedDomains")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|d| {
                    Some((
                        d.get("isDefault")
                            .and_then(|v| v.as_bool())
                            .unwrap_or(false),
                        d.get("name")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    domains.sort_by_key(|(default, _)| !*default);
    Ok(Tenant {
        id: id.to_ascii_lowercase(),
        name,
        domains: domains.into_iter().map(|(_, n)| n).collect(),
    })
}

/// Resolve a verified domain to its tenant ID through the tenant's OpenID configuration
/// (`issuer` is `https://login.microsoftonline.com/{tid}/v2.0`).
pub async fn resolve_tenant_id(
    client: &reqwest::Client,
    endpoints: &Endpoints,
    domain: &str,
) -> Result<String, IdentityError> {
    let url = endpoints.openid_configuration_url(domain);
    let (status, body) = http::get_json(client, &url, None).await?;
    if status != 200 {
        if let Some(err) = body.get("error").and_then(|v| v.as_str()) {
            let desc = body
                .get("error_description")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let codes: Vec<u32> = body
                .get("error_codes")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_u64().map(|c| c as u32))
                        .collect()
                })
                .unwrap_or_default();
            return Err(IdentityError::Microsoft(super::errors::MsError::new(
                err, desc, &codes,
            )));
        }
        return Err(IdentityError::bad_response(
            "The tenant's OpenID configuration",
            format!("HTTP {status}"),
        ));
    }
    let issuer = body.get("issuer").and_then(|v| v.as_str()).unwrap_or("");
    issuer
        .split('/')
        .find(|seg| super::cloud::is_guid(seg))
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| {
            IdentityError::bad_response(
                "The tenant's OpenID configuration",
                "no tenant ID in its issuer",
            )
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn organization_default_domain_first() {
        let body = serde_json::json!({"value": [{"id": "AB", "displayName": "Contoso",
            "verifiedDomains": [{"name": "contoso.onmicrosoft.com", "isDefault": false}, {"name": "contoso.com", "isDefault": true}]}]});
        let t = super::parse_organization(&body).unwrap();
        assert_eq!(t.id, "ab");
        assert_eq!(t.domains, ["contoso.com", "contoso.onmicrosoft.com"]);
        assert!(super::parse_organization(&serde_json::json!({"value": []})).is_err());
    }
}
