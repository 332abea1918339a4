//! Live LDAPS checks of domain controllers (issue 4).
//!
//! [`check`] tests every host of every DC concurrently, each within one bounded timeout, through
//! the stages resolve → connect → TLS → bind → rootDSE → Base DN → rights, stopping at the first
//! failure. The hosts of one DC are alternative addresses: the DC passes when one of them passes.
//! Progress is reported per host through a callback; a [`CancellationToken`] stops the check.
//! See `docs/ldap-check.md`.

pub mod diagnose;
pub mod errors;
mod report;
mod rights;
mod stages;
pub mod tls;

/// The crate's one cancel switch ([`crate::cancel::Cancel`]), under the name callers know.
pub use crate::cancel::Cancel as CancellationToken;
use crate::error::Diagnostic;
use crate::profile::{DomainController, TlsTrust};
pub use errors::{ConnectFailure, DnsFailure, LdapError};
pub use report::{
    no_progress, CheckReport, DcSummary, EndpointReport, Progress, ProgressFn, Rights, RootDse, Tri,
};
use serde::{Deserialize, Serialize};
use stages::HostJob;
use std::time::{Duration, Instant};
pub use tls::{CertificateInfo, ChainCert, TrustMode};

/// Most characters kept of one attribute value or diagnostic text a DC sends (issue 12).
pub const MAX_VALUE_CHARS: usize = 512;
/// Most values kept of one multi-valued rootDSE attribute.
pub const MAX_VALUES: usize = 64;

/// Default bound for one host, from connect to done.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// Clock skew beyond which a warning is given (Kerberos' default tolerance).
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// Attributes provisioning writes on user objects; the check reports which the account may not.
pub const PROVISIONING_ATTRIBUTES: &[&str] = &[
    "givenName",
    "sn",
    "displayName",
    "mail",
    "title",
    "department",
    "company",
    "manager",
    "telephoneNumber",
    "mobile",
    "physicalDeliveryOfficeName",
    "employeeID",
    "description",
    "userAccountControl",
    "accountExpires",
    "userPrincipalName",
    "sAMAccountName",
];

/// The service account's password: the crate's one secret string (zeroized on drop, never
/// shown by `Debug`).
pub use crate::sensitive::Sensitive as Password;

/// The stages of one host's check, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Resolve,
    Connect,
    Tls,
    Bind,
    RootDse,
    BaseDn,
    Rights,
    Done,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Resolve => "resolve",
            Stage::Connect => "connect",
            Stage::Tls => "tls",
            Stage::Bind => "bind",
            Stage::RootDse => "root_dse",
            Stage::BaseDn => "base_dn",
            Stage::Rights => "rights",
            Stage::Done => "done",
        }
    }
}

/// Options of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckOptions {
    /// One bound per host, covering connect to done.
    pub timeout_ms: u64,
    /// Replaces every DC's saved trust settings when set (the CLI's `--ca-file/--pin/--insecure`,
    /// or the wizard's "Trust this certificate" before saving).
    pub trust_override: Option<TlsTrust>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            timeout_ms: DEFAULT_TIMEOUT_MS,
            trust_override: None,
        }
    }
}

/// Check every host of every DC. Never fails as a whole: each host's outcome is in the report.
pub async fn check(
    dcs: &[DomainController],
    service_account: &str,
    password: &Password,
    options: &CheckOptions,
    progress: ProgressFn,
    cancel: CancellationToken,
) -> CheckReport {
    let started = Instant::now();
    let timeout = Duration::from_millis(options.timeout_ms.max(1));
    let mut set = tokio::task::JoinSet::new();
    let mut spawned = std::collections::HashMap::new();
    let mut insecure = false;
    for (dc_index, dc) in dcs.iter().enumerate() {
        let settings = options.trust_override.as_ref().unwrap_or(&dc.tls);
        insecure |= settings.is_insecure();
        let trust = tls::Trust::from_settings(settings);
        for (host_index, host) in dc.hosts.iter().enumerate() {
            let job = HostJob {
                dc_index,
                host_index,
                host: host.trim().to_string(),
                port: dc.port,
                base_dn: dc.base_dn.trim().to_string(),
                account: service_account.trim().to_string(),
                password: password.clone(),
                trust: trust.clone(),
                timeout,
                progress: progress.clone(),
                cancel: cancel.clone(),
            };
            let blank = stages::blank_report(&job);
            let handle = set.spawn(stages::check_host(job));
            spawned.insert(handle.id(), blank);
        }
    }
    let mut endpoints = Vec::new();
    while let Some(res) = set.join_next_with_id().await {
        match res {
            Ok((_, rep)) => endpoints.push(rep),
            // A host whose task panicked (a bug, or a DC's hostile answer) is a failed host with
            // an internal-error code, never dropped (issue 12).
            Err(e) => {
                if let Some(mut rep) = spawned.remove(&e.id()) {
                    let problem = LdapError::Internal {
                        host: rep.host.clone(),
                        port: rep.port,
                        panicked: e.is_panic(),
                    };
                    stages::fail(&mut rep, &problem);
                    progress(Progress::Finished {
                        endpoint: Box::new(rep.clone()),
                    });
                    endpoints.push(rep);
                }
            }
        }
    }
    endpoints.sort_by_key(|e| (e.dc_index, e.host_index));
    summarize(dcs, endpoints, insecure, started.elapsed())
}

fn summarize(
    dcs: &[DomainController],
    endpoints: Vec<EndpointReport>,
    insecure: bool,
    elapsed: Duration,
) -> CheckReport {
    let mut warnings = Vec::new();
    let mut summaries = Vec::new();
    if insecure {
        warnings.push(LdapError::Insecure.to_problem());
    }
    for (i, dc) in dcs.iter().enumerate() {
        let mine: Vec<&EndpointReport> = endpoints.iter().filter(|e| e.dc_index == i).collect();
        let passing: Vec<String> = mine
            .iter()
            .filter(|e| e.ok)
            .map(|e| e.host.clone())
            .collect();
        let ok = !passing.is_empty();
        if ok {
            for e in mine.iter().filter(|e| !e.ok) {
                let w = LdapError::AlternativeHostFailed {
                    dc: i + 1,
                    passing: passing.join(", "),
                    host: e.host.clone(),
                    port: e.port,
                    reason: e.message.clone(),
                    hint: e.hint.clone(),
                };
                warnings.push(w.to_problem());
            }
        } else if mine.is_empty() {
            warnings.push(LdapError::NoHosts { dc: i + 1 }.to_problem());
        }
        // Each warning once: the same warning from several hosts (or the insecure warning
        // every host carries, already given above) is not repeated.
        for e in mine.iter().filter(|e| e.ok) {
            for w in &e.warnings {
                if !warnings.contains(w) {
                    warnings.push(w.clone());
                }
            }
        }
        if dc.port == crate::profile::GC_TLS_PORT {
            warnings.push(LdapError::GlobalCatalog { dc: i + 1 }.to_problem());
        }
        summaries.push(DcSummary {
            dc_index: i,
            ok,
            base_dn: dc.base_dn.clone(),
            passing_hosts: passing,
        });
    }
    CheckReport {
        ok: !dcs.is_empty() && summaries.iter().all(|s| s.ok),
        insecure,
        warnings,
        endpoints,
        domain_controllers: summaries,
        elapsed_ms: elapsed.as_millis() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_debug_is_redacted() {
        let p = Password::new("hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn stage_names_match_json() {
        for s in [
            Stage::Resolve,
            Stage::Connect,
            Stage::Tls,
            Stage::Bind,
            Stage::RootDse,
            Stage::BaseDn,
            Stage::Rights,
            Stage::Done,
        ] {
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
    }
}
