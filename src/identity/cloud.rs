//! The national-cloud table, in one place
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/authentication-national-cloud>,
//! <https://learn.microsoft.com/en-us/graph/deployments>,
//! <https://learn.microsoft.com/en-us/powershell/module/exchange/connect-exchangeonline>).

use super::IdentityError;
use crate::profile::Cloud;
use oauth2::url::Url;
use serde::Serialize;

/// Hosts and names of one national cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CloudEndpoints {
    pub cloud: Cloud,
    /// Display name.
    pub name: &'static str,
    /// Sign-in authority, e.g. `https://login.microsoftonline.com`.
    pub authority: &'static str,
    /// Microsoft Graph, e.g. `https://graph.microsoft.com` (also the Graph resource identifier).
    pub graph: &'static str,
    /// Exchange Online host.
    pub exchange_host: &'static str,
    /// `Connect-ExchangeOnline -ExchangeEnvironmentName`.
    pub exchange_environment: &'static str,
}

pub const CLOUDS: [CloudEndpoints; 4] = [
    CloudEndpoints {
        cloud: Cloud::Global,
        name: "Global (including GCC)",
        authority: "https://login.microsoftonline.com",
        graph: "https://graph.microsoft.com",
        exchange_host: "outlook.office365.com",
        exchange_environment: "O365Default",
    },
    CloudEndpoints {
        cloud: Cloud::UsgovHigh,
        name: "US Government GCC High (L4)",
        authority: "https://login.microsoftonline.us",
        graph: "https://graph.microsoft.us",
        exchange_host: "outlook.office365.us",
        exchange_environment: "O365USGovGCCHigh",
    },
    CloudEndpoints {
        cloud: Cloud::UsgovDod,
        name: "US Government DoD (L5)",
        authority: "https://login.microsoftonline.us",
        graph: "https://dod-graph.microsoft.us",
        exchange_host: "webmail.apps.mil",
        exchange_environment: "O365USGovDoD",
    },
    CloudEndpoints {
        cloud: Cloud::China,
        name: "China (operated by 21Vianet)",
        authority: "https://login.partner.microsoftonline.cn",
        graph: "https://microsoftgraph.chinacloudapi.cn",
        exchange_host: "partner.outlook.cn",
        exchange_environment: "O365China",
    },
];

/// The table row of `cloud`.
pub fn cloud_endpoints(cloud: Cloud) -> &'static CloudEndpoints {
    CLOUDS
        .iter()
        .find(|c| c.cloud == cloud)
        .expect("every cloud is in the table")
}

/// Where requests actually go: the cloud's hosts unless overridden (private endpoints, tests).
/// The Graph *resource* named in scopes stays the cloud's, whatever the override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub cloud: Cloud,
    /// Base of the sign-in authority, without a trailing slash.
    pub authority: String,
    /// Base of Microsoft Graph, without a trailing slash.
    pub graph: String,
    /// The Graph resource identifier used in scopes (`https://graph.microsoft.us`, …).
    pub graph_resource: &'static str,
}

impl Endpoints {
    pub fn new(cloud: Cloud) -> Self {
        let c = cloud_endpoints(cloud);
        Endpoints {
            cloud,
            authority: c.authority.into(),
            graph: c.graph.into(),
            graph_resource: c.graph,
        }
    }

    /// Apply `--authority-url` / `--graph-url`. `https` anywhere; plain `http` only to a
    /// loopback address (tests and local proxies).
    pub fn with_overrides(
        cloud: Cloud,
        authority: Option<&str>,
        graph: Option<&str>,
    ) -> Result<Self, IdentityError> {
        let mut e = Endpoints::new(cloud);
        if let Some(a) = authority {
            e.authority = check_override("authority_url", a)?;
        }
        if let Some(g) = graph {
            e.graph = check_override("graph_url", g)?;
        }
        Ok(e)
    }

    pub fn authorize_url(&self, tenant: &str) -> String {
        format!("{}/{}/oauth2/v2.0/authorize", self.authority, tenant)
    }
    pub fn token_url(&self, tenant: &str) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.authority, tenant)
    }
    pub fn devicecode_url(&self, tenant: &str) -> String {
        format!("{}/{}/oauth2/v2.0/devicecode", self.authority, tenant)
    }
    pub fn adminconsent_url(&self, tenant: &str) -> String {
        format!("{}/{}/v2.0/adminconsent", self.authority, tenant)
    }
    pub fn openid_configuration_url(&self, tenant: &str) -> String {
        format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            self.authority, tenant
        )
    }
    pub fn organization_url(&self) -> String {
        format!("{}/v1.0/organization", self.graph)
    }

    /// A Graph permission as a scope of this cloud: bare in the global cloud, prefixed with
    /// the cloud's Graph resource elsewhere (`https://graph.microsoft.us/User.ReadWrite.All`).
    /// OpenID Connect scopes and `offline_access` are never prefixed.
    pub fn graph_scope(&self, permission: &str) -> String {
        if is_oidc_scope(permission) || self.cloud == Cloud::Global {
            permission.to_string()
        } else {
            format!("{}/{}", self.graph_resource, permission)
        }
    }

    /// `{graph}/.default` for application permissions and admin consent.
    pub fn graph_default_scope(&self) -> String {
        format!("{}/.default", self.graph_resource)
    }

    /// A granted scope as a bare permission name: strips this cloud's Graph prefix (and the
    /// global one, which Microsoft also returns), compared case-insensitively.
    pub fn strip_graph_prefix<'a>(&self, scope: &'a str) -> &'a str {
        for prefix in [
            self.graph_resource,
            "https://graph.microsoft.com",
            "00000003-0000-0000-c000-000000000000",
        ] {
            if scope.len() > prefix.len() + 1
                && scope[..prefix.len()].eq_ignore_ascii_case(prefix)
                && scope.as_bytes()[prefix.len()] == b'/'
            {
                return &scope[prefix.len() + 1..];
            }
        }
        scope
    }
}

pub(crate) fn is_oidc_scope(s: &str) -> bool {
    matches!(s, "openid" | "profile" | "email" | "offline_access")
}

pub(crate) fn check_override(field: &'static str, value: &str) -> Result<String, IdentityError> {
    let bad = |why: &str| {
        IdentityError::input(field, format!("The {} override \"{value}\" {why}.", field.replace('_', " ")),
            "Give an https URL, or an http URL on a loopback address such as http://127.0.0.1:8080.")
    };
    let url = Url::parse(value).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(oauth2::url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(oauth2::url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(oauth2::url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                None => false,
            };
            if !loopback {
                return Err(bad("uses plain http on a non-loopback host"));
            }
        }
        _ => return Err(bad("is neither https nor http")),
    }
    Ok(value.trim_end_matches('/').to_string())
}

/// A tenant as typed: a GUID, a verified domain, `organizations` or `common`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantInput {
    Id(String),
    Domain(String),
    Organizations,
    Common,
}

impl TenantInput {
    pub fn parse(value: &str) -> Result<Self, IdentityError> {
        let v = value.trim();
        if v.eq_ignore_ascii_case("organizations") {
            return Ok(TenantInput::Organizations);
        }
        if v.eq_ignore_ascii_case("common") {
            return Ok(TenantInput::Common);
        }
        if is_guid(v) {
            return Ok(TenantInput::Id(v.to_ascii_lowercase()));
        }
        let ok_domain = v.contains('.')
            && !v.starts_with('.')
            && !v.ends_with('.')
            && v.len() <= 253
            && v.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if ok_domain {
            Ok(TenantInput::Domain(v.to_ascii_lowercase()))
        } else {
            Err(IdentityError::input("tenant_id",
                format!("\"{v}\" is neither a tenant ID (GUID) nor a domain."),
                "Copy the Directory (tenant) ID from the Entra admin center's Overview page, or type a verified domain such as contoso.onmicrosoft.com."))
        }
    }

    /// The path segment used in endpoint URLs.
    pub fn as_path(&self) -> &str {
        match self {
            TenantInput::Id(s) | TenantInput::Domain(s) => s,
            TenantInput::Organizations => "organizations",
            TenantInput::Common => "common",
        }
    }
}

/// The one GUID test (validation's).
pub use crate::validate::is_guid;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_cloud() {
        for c in Cloud::ALL {
            let e = cloud_endpoints(c);
            assert!(e.authority.starts_with("https://login."));
        }
        assert_eq!(
            cloud_endpoints(Cloud::UsgovDod).graph,
            "https://dod-graph.microsoft.us"
        );
        assert_eq!(
            cloud_endpoints(Cloud::China).exchange_environment,
            "O365China"
        );
    }

    #[test]
    fn scopes_are_prefixed_outside_global() {
        let g = Endpoints::new(Cloud::Global);
        assert_eq!(g.graph_scope("User.ReadWrite.All"), "User.ReadWrite.All");
        let us = Endpoints::new(Cloud::UsgovHigh);
        assert_eq!(
            us.graph_scope("User.ReadWrite.All"),
            "https://graph.microsoft.us/User.ReadWrite.All"
        );
        assert_eq!(us.graph_scope("offline_access"), "offline_access");
        assert_eq!(
            us.strip_graph_prefix("https://graph.microsoft.us/User.ReadWrite.All"),
            "User.ReadWrite.All"
        );
        assert_eq!(
            g.strip_graph_prefix("https://graph.microsoft.com/Group.ReadWrite.All"),
            "Group.ReadWrite.All"
        );
        assert_eq!(
            us.graph_default_scope(),
            "https://graph.microsoft.us/.default"
        );
    }

    #[test]
    fn overrides_are_https_or_loopback() {
        assert!(
            Endpoints::with_overrides(Cloud::Global, Some("http://127.0.0.1:9/"), None).is_ok()
        );
        assert!(
            Endpoints::with_overrides(Cloud::Global, Some("https://login.example.com"), None)
                .is_ok()
        );
        assert!(Endpoints::with_overrides(Cloud::Global, Some("http://10.0.0.1"), None).is_err());
        assert!(Endpoints::with_overrides(Cloud::Global, None, Some("ftp://127.0.0.1")).is_err());
    }

    #[test]
    fn tenants() {
        assert!(
            matches!(TenantInput::parse("72F988BF-86F1-41AF-91AB-2D7CD011DB47").unwrap(), TenantInput::Id(s) if s == "72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        assert!(matches!(
            TenantInput::parse("contoso.onmicrosoft.com").unwrap(),
            TenantInput::Domain(_)
        ));
        assert!(matches!(
            TenantInput::parse("organizations").unwrap(),
            TenantInput::Organizations
        ));
        assert!(TenantInput::parse("not a tenant").is_err());
        assert!(TenantInput::parse("contoso").is_err());
    }
}
