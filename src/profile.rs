//! The connection profile: what the wizard saves for one connection, as JSON.
//!
//! No secret is ever part of a profile (passwords, tokens and private keys live in memory and
//! in the sealed agent config only). See `docs/connection-profile.md`.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Default name of an On-Premise service connection (as in the Hire2Retire portal).
pub const DEFAULT_ONPREM_NAME: &str = "Connection-OnPremise Service";
/// Default name of an Azure AD connection.
pub const DEFAULT_AZURE_NAME: &str = "Connection-Azure AD";
/// Default name of an Exchange Online connection.
pub const DEFAULT_EXCHANGE_NAME: &str = "Connection-Exchange Online";
/// LDAPS, the only port family the wizard speaks.
pub const LDAPS_PORT: u16 = 636;
/// Global Catalog over TLS (read-only partial replica).
pub const GC_TLS_PORT: u16 = 3269;

/// One saved connection, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Connection {
    /// Hybrid On-Premise Active Directory with Exchange Online.
    HybridOnprem(HybridConnection),
    /// Azure AD (Microsoft Entra ID) with Exchange Online.
    AzureAd(AzureConnection),
}

impl Connection {
    pub fn name(&self) -> &str {
        match self {
            Connection::HybridOnprem(c) => &c.name,
            Connection::AzureAd(c) => &c.name,
        }
    }
    pub fn kind(&self) -> ConnectionKind {
        match self {
            Connection::HybridOnprem(_) => ConnectionKind::HybridOnprem,
            Connection::AzureAd(_) => ConnectionKind::AzureAd,
        }
    }
    pub fn exchange_online(&self) -> Option<&ExchangeOnline> {
        match self {
            Connection::HybridOnprem(c) => c.exchange_online.as_ref(),
            Connection::AzureAd(c) => c.exchange_online.as_ref(),
        }
    }
}

/// The two connection kinds, as their `kind` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectionKind {
    HybridOnprem,
    AzureAd,
}

/// Hybrid On-Premise with Exchange Online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HybridConnection {
    pub name: String,
    /// One or more domain controllers; each may have several alternative addresses.
    pub domain_controllers: Vec<DomainController>,
    /// The AD service account: a UPN (`svc@example.com`), `DOMAIN\user` or a DN.
    pub service_account: String,
    /// Absent until the Exchange Online step is filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_online: Option<ExchangeOnline>,
    /// The agent key pair, once generated or imported (public facts only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_key: Option<AgentKey>,
    /// Where the agent's `/config` folder was written, once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_folder: Option<PathBuf>,
}

/// One domain controller. Its hosts are alternative addresses of the same DC: the agent fails
/// over between them, and a check passes when one of them passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainController {
    pub hosts: Vec<String>,
    #[serde(default = "default_port")]
    pub port: u16,
    pub base_dn: String,
    /// How the DC's certificate is trusted (not secret; saved with the connection).
    #[serde(default, skip_serializing_if = "TlsTrust::is_default")]
    pub tls: TlsTrust,
}

fn default_port() -> u16 {
    LDAPS_PORT
}

/// Trust settings for one DC's LDAPS certificate. System roots are always used; a CA file
/// adds roots; a pin requires the leaf certificate's SHA-256 to match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsTrust {
    /// PEM file of extra trusted CA certificates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
    /// SHA-256 of the leaf certificate, as `openssl x509 -fingerprint -sha256` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_sha256: Option<String>,
    /// Certificate verification turned off. Explicit, labelled insecure, shown in every report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

impl TlsTrust {
    pub fn is_default(&self) -> bool {
        self == &TlsTrust::default()
    }
}

/// Public facts about the agent's key pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentKey {
    /// RFC 7638 JWK SHA-256 thumbprint (base64url), also the JWE `kid`.
    pub fingerprint: String,
    pub bits: u32,
    /// `generated` (the wizard holds the private key file) or `imported` (public key only).
    pub origin: KeyOrigin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyOrigin {
    Generated,
    Imported,
}

/// Azure AD with Exchange Online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureConnection {
    pub name: String,
    pub application: Application,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_online: Option<ExchangeOnline>,
}

/// The Entra ID application Hire2Retire uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub kind: ApplicationKind,
    #[serde(default)]
    pub cloud: Cloud,
    /// Required for a Customer Owned Application; for the Service Provider Application it is
    /// the provider's application (a setting, never invented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Tenant ID (GUID) or one of the tenant's verified domains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Public facts about a generated certificate credential (Customer Owned Application).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApplicationKind {
    /// Delegated sign-in in the system browser, admin consent.
    ServiceProvider,
    /// The customer's own app registration with application permissions.
    CustomerOwned,
}

/// Microsoft national clouds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    #[default]
    Global,
    UsgovHigh,
    UsgovDod,
    China,
}

impl Cloud {
    pub const ALL: [Cloud; 4] = [
        Cloud::Global,
        Cloud::UsgovHigh,
        Cloud::UsgovDod,
        Cloud::China,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsgovHigh => "usgov-high",
            Cloud::UsgovDod => "usgov-dod",
            Cloud::China => "china",
        }
    }
}

/// Public facts of a certificate credential uploaded to an app registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateInfo {
    /// SHA-1 hex thumbprint, as the Entra portal lists it.
    pub thumbprint_sha1: String,
    pub thumbprint_sha256: String,
    /// RFC 3339 expiry.
    pub not_after: String,
}

/// The Exchange Online connection (both kinds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeOnline {
    pub name: String,
    /// The service account (UPN) that is a member of the role group.
    pub service_account: String,
}

impl Default for HybridConnection {
    fn default() -> Self {
        Self {
            name: DEFAULT_ONPREM_NAME.to_string(),
            domain_controllers: vec![DomainController {
                hosts: vec![],
                port: LDAPS_PORT,
                base_dn: String::new(),
                tls: TlsTrust::default(),
            }],
            service_account: String::new(),
            exchange_online: None,
            agent_key: None,
            agent_folder: None,
        }
    }
}

/// Split a comma-separated host list as typed in the form. Entries are trimmed; empty entries
/// are kept (as `""`) so validation can point at them.
pub fn split_hosts(input: &str) -> Vec<String> {
    if input.trim().is_empty() {
        return vec![];
    }
    input.split(',').map(|h| h.trim().to_string()).collect()
}
