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

/// How one DC's LDAPS certificate is trusted: exactly one way, so "insecure" cannot coexist with
/// a pin or a CA file.
///
/// Saved as it always was, `{"ca_file": …}`, `{"pin_sha256": …}`, `{"insecure": true}` or
/// nothing (the system's roots). A profile saved before this was an enum may hold several of
/// them; it loads with the precedence the check always applied: insecure, then the pin, then
/// the CA file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "TlsTrustFields", into = "TlsTrustFields")]
pub enum TlsTrust {
    /// The system's trusted roots.
    #[default]
    System,
    /// The system's roots plus the CA certificates of this PEM file.
    CaFile(PathBuf),
    /// Only the leaf certificate with this SHA-256 (as `openssl x509 -fingerprint -sha256`
    /// prints it); the handshake signature is still verified.
    Pin(String),
    /// Certificate verification turned off. Explicit, labelled insecure, shown in every report.
    Insecure,
}

impl TlsTrust {
    pub fn is_default(&self) -> bool {
        matches!(self, TlsTrust::System)
    }

    pub fn is_insecure(&self) -> bool {
        matches!(self, TlsTrust::Insecure)
    }

    /// The CA file, when the trust is one.
    pub fn ca_file(&self) -> Option<&std::path::Path> {
        match self {
            TlsTrust::CaFile(p) => Some(p),
            _ => None,
        }
    }

    /// From separately given settings (the saved fields, the CLI's options): insecure wins over
    /// a pin, a pin over a CA file.
    pub fn from_parts(
        ca_file: Option<PathBuf>,
        pin_sha256: Option<String>,
        insecure: bool,
    ) -> Self {
        if insecure {
            TlsTrust::Insecure
        } else if let Some(pin) = pin_sha256 {
            TlsTrust::Pin(pin)
        } else if let Some(path) = ca_file {
            TlsTrust::CaFile(path)
        } else {
            TlsTrust::System
        }
    }
}

/// The saved form of [`TlsTrust`] (unchanged since the first format).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsTrustFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_file: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pin_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    insecure: bool,
}

impl From<TlsTrustFields> for TlsTrust {
    fn from(f: TlsTrustFields) -> Self {
        TlsTrust::from_parts(f.ca_file, f.pin_sha256, f.insecure)
    }
}

impl From<TlsTrust> for TlsTrustFields {
    fn from(t: TlsTrust) -> Self {
        let mut f = TlsTrustFields {
            ca_file: None,
            pin_sha256: None,
            insecure: false,
        };
        match t {
            TlsTrust::System => {}
            TlsTrust::CaFile(p) => f.ca_file = Some(p),
            TlsTrust::Pin(pin) => f.pin_sha256 = Some(pin),
            TlsTrust::Insecure => f.insecure = true,
        }
        f
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
    /// The client application the live check signs in with (a GUID; not a secret). None: the
    /// default (`H2R_EXO_CLIENT_ID`, else the Exchange Online PowerShell public client; see
    /// `exchange::check::exchange_client_id`). Set it when the tenant blocks that client, for
    /// example to the Hire2Retire application with Exchange.Manage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn trust_of(tls: serde_json::Value) -> Result<TlsTrust, serde_json::Error> {
        serde_json::from_value::<DomainController>(json!({
            "hosts": ["dc1.example.com"], "port": 636, "base_dn": "DC=example,DC=com", "tls": tls
        }))
        .map(|dc| dc.tls)
    }

    /// A profile saved when the trust settings were three independent fields still loads, with
    /// the precedence the check always applied (insecure, then pin, then CA file).
    #[test]
    fn old_saved_trust_settings_load() {
        let pin = "AB:".repeat(31) + "AB";
        assert_eq!(trust_of(json!({})).unwrap(), TlsTrust::System);
        assert_eq!(
            trust_of(json!({"ca_file": "/etc/ca.pem"})).unwrap(),
            TlsTrust::CaFile("/etc/ca.pem".into())
        );
        assert_eq!(
            trust_of(json!({"pin_sha256": pin})).unwrap(),
            TlsTrust::Pin(pin.clone())
        );
        assert_eq!(
            trust_of(json!({"insecure": true})).unwrap(),
            TlsTrust::Insecure
        );
        assert_eq!(
            trust_of(json!({"insecure": false, "ca_file": "/etc/ca.pem"})).unwrap(),
            TlsTrust::CaFile("/etc/ca.pem".into())
        );
        assert_eq!(
            trust_of(json!({"ca_file": "/etc/ca.pem", "pin_sha256": pin})).unwrap(),
            TlsTrust::Pin(pin.clone())
        );
        assert_eq!(
            trust_of(json!({"ca_file": "/etc/ca.pem", "pin_sha256": pin, "insecure": true}))
                .unwrap(),
            TlsTrust::Insecure
        );
        assert!(
            trust_of(json!({"verify": false})).is_err(),
            "unknown fields stay refused"
        );
    }

    #[test]
    fn an_old_saved_profile_loads_and_saves_unchanged() {
        let saved = json!({
            "kind": "hybrid-onprem",
            "name": "Connection-OnPremise Service",
            "domain_controllers": [
                {"hosts": ["dc1.example.com", "10.0.0.5"], "port": 636, "base_dn": "DC=example,DC=com",
                 "tls": {"ca_file": "/home/admin/ca.pem"}},
                {"hosts": ["dc2.example.com"], "port": 636, "base_dn": "DC=example,DC=com",
                 "tls": {"pin_sha256": "AB:CD"}},
                {"hosts": ["dc3.example.com"], "port": 636, "base_dn": "DC=example,DC=com",
                 "tls": {"insecure": true}},
                {"hosts": ["dc4.example.com"], "port": 636, "base_dn": "DC=example,DC=com"}
            ],
            "service_account": "svc-h2r@example.com"
        });
        let conn: Connection = serde_json::from_value(saved.clone()).unwrap();
        let Connection::HybridOnprem(h) = &conn else {
            panic!("hybrid")
        };
        let trusts: Vec<&TlsTrust> = h.domain_controllers.iter().map(|d| &d.tls).collect();
        assert_eq!(
            trusts,
            [
                &TlsTrust::CaFile("/home/admin/ca.pem".into()),
                &TlsTrust::Pin("AB:CD".into()),
                &TlsTrust::Insecure,
                &TlsTrust::System
            ]
        );
        assert_eq!(serde_json::to_value(&conn).unwrap(), saved);
    }
}
