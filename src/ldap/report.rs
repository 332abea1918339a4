//! What a check reports: per host, per DC and as a whole, plus the live progress events.

use super::{CertificateInfo, Stage, TrustMode};
use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Values read from the rootDSE.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootDse {
    pub default_naming_context: Option<String>,
    pub root_domain_naming_context: Option<String>,
    pub naming_contexts: Vec<String>,
    pub dns_host_name: Option<String>,
    pub supported_ldap_version: Vec<String>,
    pub current_time: Option<String>,
    /// DC clock minus this computer's clock, in seconds.
    pub clock_skew_seconds: Option<i64>,
    pub domain_functionality: Option<String>,
    pub forest_functionality: Option<String>,
}

/// Yes / no / cannot be told over LDAP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

/// Effective rights of the bound account on the Base DN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rights {
    pub create_user: Tri,
    pub create_group: Tri,
    pub create_organizational_unit: Tri,
    /// Whether every attribute of [`PROVISIONING_ATTRIBUTES`](super::PROVISIONING_ATTRIBUTES) is writable on `sample_user`.
    pub write_user_attributes: Tri,
    /// The existing user the attribute rights were read on.
    pub sample_user: Option<String>,
    pub missing_attributes: Vec<String>,
    /// The Reset Password extended right is not visible through LDAP attributes: always unknown.
    pub reset_password: Tri,
}

/// The result for one host of one DC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointReport {
    pub dc_index: usize,
    pub host_index: usize,
    pub host: String,
    pub port: u16,
    pub base_dn: String,
    pub ok: bool,
    /// The stage reached (`done` when it passed) or failed.
    pub stage: Stage,
    /// Stable code of the failure; `null` when the host passed.
    pub code: Option<String>,
    pub message: String,
    pub hint: String,
    pub warnings: Vec<Problem>,
    pub elapsed_ms: u64,
    /// The address connected to.
    pub address: Option<String>,
    pub trust: TrustMode,
    pub certificate: Option<CertificateInfo>,
    pub root_dse: Option<RootDse>,
    pub rights: Option<Rights>,
    /// The Base DN to use instead (from `defaultNamingContext`), when the given one is wrong.
    pub suggested_base_dn: Option<String>,
    /// A host name the certificate carries, when the typed name does not match it.
    pub suggested_host: Option<String>,
}

/// One DC's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DcSummary {
    pub dc_index: usize,
    pub ok: bool,
    pub base_dn: String,
    pub passing_hosts: Vec<String>,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// Every DC has at least one passing host.
    pub ok: bool,
    /// Verification was turned off for at least one DC.
    pub insecure: bool,
    pub warnings: Vec<Problem>,
    pub endpoints: Vec<EndpointReport>,
    pub domain_controllers: Vec<DcSummary>,
    pub elapsed_ms: u64,
}

/// Live progress of one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Progress {
    /// The host entered `stage`.
    Stage {
        dc_index: usize,
        host_index: usize,
        host: String,
        stage: Stage,
    },
    /// The host is finished (passed or failed).
    Finished { endpoint: Box<EndpointReport> },
}

/// Receives progress events; called from several tasks at once.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// A progress callback that ignores everything.
pub fn no_progress() -> ProgressFn {
    Arc::new(|_| {})
}
