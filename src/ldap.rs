//! Live LDAPS checks of domain controllers (issue 4).
//!
//! [`check`] tests every host of every DC concurrently, each within one bounded timeout, through
//! the stages resolve → connect → TLS → bind → rootDSE → Base DN → rights, stopping at the first
//! failure. The hosts of one DC are alternative addresses: the DC passes when one of them passes.
//! Progress is reported per host through a callback; a [`CancellationToken`] stops the check.
//! See `docs/ldap-check.md`.

pub mod diagnose;
pub mod errors;
pub mod tls;

use crate::error::{Diagnostic, Problem};
use crate::profile::{DomainController, TlsTrust};
pub use errors::{ConnectFailure, DnsFailure, LdapError};
use ldap3::{LdapConnAsync, LdapConnSettings, Scope, SearchEntry, StdStream};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
pub use tls::{CertificateInfo, ChainCert, TrustMode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
pub use tokio_util::sync::CancellationToken;
use zeroize::Zeroizing;

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

/// The service account's password: zeroized on drop, never shown by `Debug`.
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(s: impl Into<String>) -> Self {
        Password(Zeroizing::new(s.into()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

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
    /// Whether every attribute of [`PROVISIONING_ATTRIBUTES`] is writable on `sample_user`.
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

struct HostJob {
    dc_index: usize,
    host_index: usize,
    host: String,
    port: u16,
    base_dn: String,
    account: String,
    password: Password,
    trust: Result<tls::Trust, LdapError>,
    timeout: Duration,
    progress: ProgressFn,
    cancel: CancellationToken,
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
        insecure |= settings.insecure;
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
            let blank = blank_report(&job);
            let handle = set.spawn(check_host(job));
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
                    fail(&mut rep, &problem);
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

/// What a host's report says before anything ran.
fn blank_report(job: &HostJob) -> EndpointReport {
    EndpointReport {
        dc_index: job.dc_index,
        host_index: job.host_index,
        host: job.host.clone(),
        port: job.port,
        base_dn: job.base_dn.clone(),
        ok: false,
        stage: Stage::Resolve,
        code: None,
        message: String::new(),
        hint: String::new(),
        warnings: Vec::new(),
        elapsed_ms: 0,
        address: None,
        trust: job
            .trust
            .as_ref()
            .map(|t| t.mode)
            .unwrap_or(TrustMode::System),
        certificate: None,
        root_dse: None,
        rights: None,
        suggested_base_dn: None,
        suggested_host: None,
    }
}

async fn check_host(job: HostJob) -> EndpointReport {
    let started = Instant::now();
    let mut rep = blank_report(&job);
    if rep.trust == TrustMode::Insecure {
        rep.warnings.push(LdapError::Insecure.to_problem());
    }
    let outcome = {
        let run = run_stages(&job, &mut rep);
        tokio::select! {
            r = run => Some(r),
            _ = tokio::time::sleep(job.timeout) => None,
            _ = job.cancel.cancelled() => Some(Err(LdapError::Cancelled)),
        }
    };
    match outcome {
        Some(Ok(())) => {
            rep.ok = true;
            rep.stage = Stage::Done;
            rep.message = format!(
                "{}:{} passed: LDAPS, bind as {}, Base DN found.",
                job.host, job.port, job.account
            );
        }
        Some(Err(e)) => fail(&mut rep, &e),
        None => {
            let e = diagnose::timeout(rep.stage, &job.host, job.port, job.timeout.as_secs_f64());
            fail(&mut rep, &e)
        }
    }
    rep.elapsed_ms = started.elapsed().as_millis() as u64;
    (job.progress)(Progress::Finished {
        endpoint: Box::new(rep.clone()),
    });
    rep
}

fn fail(rep: &mut EndpointReport, e: &LdapError) {
    rep.ok = false;
    rep.code = Some(e.code().to_string());
    rep.message = e.to_string();
    rep.hint = e.hint();
}

fn enter(job: &HostJob, rep: &mut EndpointReport, stage: Stage) {
    rep.stage = stage;
    (job.progress)(Progress::Stage {
        dc_index: job.dc_index,
        host_index: job.host_index,
        host: job.host.clone(),
        stage,
    });
}

async fn run_stages(job: &HostJob, rep: &mut EndpointReport) -> Result<(), LdapError> {
    // resolve
    enter(job, rep, Stage::Resolve);
    #[cfg(feature = "test-hooks")]
    if job.host == "panic.h2r-test.invalid" {
        panic!("test hook: a host task panics");
    }
    let host = job
        .host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    if host.is_empty() {
        return Err(LdapError::Dns(DnsFailure::EmptyHost));
    }
    let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host.as_str(), job.port)).await {
        Ok(a) => a.collect(),
        Err(e) => {
            return Err(LdapError::Dns(DnsFailure::Unresolved {
                host: host.clone(),
                detail: e.to_string(),
            }))
        }
    };
    if addrs.is_empty() {
        return Err(LdapError::Dns(DnsFailure::NoAddress { host }));
    }

    // connect: each address in turn
    enter(job, rep, Stage::Connect);
    let mut last_err = None;
    let mut stream = None;
    for a in &addrs {
        match tokio::net::TcpStream::connect(a).await {
            Ok(s) => {
                rep.address = Some(a.to_string());
                stream = Some(s);
                break;
            }
            Err(e) => last_err = Some((a, e)),
        }
    }
    let stream = match stream {
        Some(s) => s,
        None => {
            let (a, e) = last_err.expect("at least one address");
            return Err(if e.kind() == std::io::ErrorKind::ConnectionRefused {
                LdapError::Refused {
                    host: job.host.clone(),
                    port: job.port,
                    address: a.to_string(),
                }
            } else {
                LdapError::ConnectFailed(ConnectFailure::Unreachable {
                    host: job.host.clone(),
                    port: job.port,
                    detail: e.to_string(),
                })
            });
        }
    };
    let peer = stream.peer_addr().ok();
    // Small request/response exchanges: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms
    // after the TLS Finished message (measured in docs/bench-ldap.md).
    let _ = stream.set_nodelay(true);

    // TLS (inside ldap3, over our stream, with our recording verifier)
    enter(job, rep, Stage::Tls);
    let trust = job.trust.clone()?;
    let (config, captured) = trust.client_config();
    let std_stream = stream.into_std().map_err(|e| {
        LdapError::ConnectFailed(ConnectFailure::Socket {
            detail: e.to_string(),
        })
    })?;
    let settings = LdapConnSettings::new()
        .set_config(config)
        .set_std_stream(StdStream::Tcp(std_stream));
    let url_host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.clone()
    };
    let url = format!("ldaps://{url_host}:{}", job.port);
    let conn = LdapConnAsync::with_settings(settings, &url).await;
    {
        let c = captured
            .lock()
            .map(|c| (c.chain.clone(), c.error.clone()))
            .unwrap_or_default();
        rep.certificate = tls::describe(&c.0, c.1.is_none() && conn.is_ok());
    }
    let (conn, mut ldap) = match conn {
        Ok(pair) => pair,
        Err(e) => {
            let verify_err = captured.lock().ok().and_then(|c| c.error.clone());
            let err = match verify_err {
                Some(ve) => {
                    diagnose::tls_failure(&ve, &job.host, job.port, rep.certificate.as_ref())
                }
                None => {
                    tls_io_failure(&e, &job.host, job.port, peer, rep.certificate.as_ref()).await
                }
            };
            if let LdapError::NameMismatch { names, .. } = &err {
                rep.suggested_host = names.first().cloned();
            }
            return Err(err);
        }
    };
    ldap3::drive!(conn);
    if let Some(c) = &rep.certificate {
        if trust.mode == TrustMode::Pin && c.expired {
            let w = LdapError::PinnedExpired {
                host: job.host.clone(),
                not_after: c.not_after.clone(),
            };
            rep.warnings.push(w.to_problem());
        }
    }

    // bind
    enter(job, rep, Stage::Bind);
    if job.account.is_empty() {
        return Err(LdapError::NoAccount);
    }
    if job.password.is_empty() {
        return Err(LdapError::EmptyPassword);
    }
    let res = ldap
        .simple_bind(&job.account, job.password.expose())
        .await
        .map_err(|e| lost(&job.host, "the bind", &e))?;
    if res.rc != 0 {
        return Err(diagnose::bind_failure(
            &job.account,
            res.rc,
            &diagnose::clip(&res.text, MAX_VALUE_CHARS),
        ));
    }

    // rootDSE
    enter(job, rep, Stage::RootDse);
    let attrs = [
        "defaultNamingContext",
        "rootDomainNamingContext",
        "namingContexts",
        "dnsHostName",
        "supportedLDAPVersion",
        "currentTime",
        "domainFunctionality",
        "forestFunctionality",
    ];
    let sr = ldap
        .search("", Scope::Base, "(objectClass=*)", attrs.to_vec())
        .await
        .map_err(|e| lost(&job.host, "reading the rootDSE", &e))?;
    let entry =
        sr.0.into_iter()
            .next()
            .map(SearchEntry::construct)
            .ok_or_else(|| LdapError::RootDseUnreadable {
                host: job.host.clone(),
                detail: diagnose::clip(&sr.1.text, MAX_VALUE_CHARS),
            })?;
    // Untrusted values: bounded in length and number before they reach a report (issue 12).
    let one = |k: &str| {
        entry
            .attrs
            .get(k)
            .and_then(|v| v.first())
            .map(|v| diagnose::clip(v, MAX_VALUE_CHARS))
    };
    let many = |k: &str| -> Vec<String> {
        entry
            .attrs
            .get(k)
            .map(|v| {
                v.iter()
                    .take(MAX_VALUES)
                    .map(|x| diagnose::clip(x, MAX_VALUE_CHARS))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut dse = RootDse {
        default_naming_context: one("defaultNamingContext"),
        root_domain_naming_context: one("rootDomainNamingContext"),
        naming_contexts: many("namingContexts"),
        dns_host_name: one("dnsHostName"),
        supported_ldap_version: many("supportedLDAPVersion"),
        current_time: one("currentTime"),
        clock_skew_seconds: None,
        domain_functionality: one("domainFunctionality"),
        forest_functionality: one("forestFunctionality"),
    };
    if let Some(t) = dse
        .current_time
        .as_deref()
        .and_then(diagnose::parse_generalized_time)
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let skew = t - now;
        dse.clock_skew_seconds = Some(skew);
        if skew.abs() > MAX_CLOCK_SKEW_SECS {
            let w = LdapError::ClockSkew {
                host: job.host.clone(),
                skew,
            };
            rep.warnings.push(w.to_problem());
        }
    }
    let default_nc = dse.default_naming_context.clone();
    rep.root_dse = Some(dse);

    // Base DN
    enter(job, rep, Stage::BaseDn);
    let not_found = |rep: &mut EndpointReport, why: &'static str| {
        rep.suggested_base_dn = default_nc.clone();
        LdapError::BaseDnNotFound {
            base_dn: job.base_dn.clone(),
            host: job.host.clone(),
            why,
            suggested: default_nc.clone(),
        }
    };
    if job.base_dn.is_empty() {
        rep.suggested_base_dn = default_nc.clone();
        return Err(LdapError::BaseDnEmpty {
            suggested: default_nc.clone(),
        });
    }
    let sr = ldap
        .search(
            &job.base_dn,
            Scope::Base,
            "(objectClass=*)",
            vec!["distinguishedName"],
        )
        .await
        .map_err(|e| lost(&job.host, "looking up the Base DN", &e))?;
    match sr.1.rc {
        0 if !sr.0.is_empty() => {}
        0 => return Err(not_found(rep, "the account cannot see it")),
        32 => return Err(not_found(rep, "no such object")),
        10 => return Err(not_found(rep, "it belongs to another domain")),
        34 => {
            rep.suggested_base_dn = default_nc.clone();
            return Err(LdapError::BaseDnInvalid {
                base_dn: job.base_dn.clone(),
                suggested: default_nc.clone(),
            });
        }
        rc => {
            return Err(LdapError::BaseDnFailed {
                base_dn: job.base_dn.clone(),
                rc,
                detail: diagnose::clip(sr.1.text.trim(), MAX_VALUE_CHARS),
            })
        }
    }

    // rights
    enter(job, rep, Stage::Rights);
    let rights = read_rights(&mut ldap, &job.base_dn)
        .await
        .map_err(|e| lost(&job.host, "reading effective rights", &e))?;
    if rights.create_user == Tri::No {
        let w = LdapError::CannotCreateUsers {
            account: job.account.clone(),
            base_dn: job.base_dn.clone(),
        };
        rep.warnings.push(w.to_problem());
    }
    if rights.create_group == Tri::No {
        let w = LdapError::CannotCreateGroups {
            account: job.account.clone(),
            base_dn: job.base_dn.clone(),
        };
        rep.warnings.push(w.to_problem());
    }
    let attributes_warning = match rights.write_user_attributes {
        Tri::No => Some(LdapError::MissingAttributes {
            account: job.account.clone(),
            attributes: rights.missing_attributes.join(", "),
            base_dn: job.base_dn.clone(),
        }),
        Tri::Unknown => Some(LdapError::NoSampleUser {
            base_dn: job.base_dn.clone(),
        }),
        Tri::Yes => None,
    };
    if let Some(w) = attributes_warning {
        rep.warnings.push(w.to_problem());
    }
    rep.rights = Some(rights);
    let _ = ldap.unbind().await;
    Ok(())
}

fn lost(host: &str, during: &'static str, e: &ldap3::LdapError) -> LdapError {
    LdapError::ConnectionLost {
        host: host.to_string(),
        during,
        detail: diagnose::clip(&e.to_string(), MAX_VALUE_CHARS),
    }
}

async fn read_rights(ldap: &mut ldap3::Ldap, base_dn: &str) -> Result<Rights, ldap3::LdapError> {
    let sr = ldap
        .search(
            base_dn,
            Scope::Base,
            "(objectClass=*)",
            vec!["allowedChildClassesEffective"],
        )
        .await?;
    let classes: Vec<String> =
        sr.0.into_iter()
            .next()
            .map(SearchEntry::construct)
            .and_then(|e| {
                e.attrs
                    .into_iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("allowedChildClassesEffective"))
                    .map(|(_, v)| v)
            })
            .unwrap_or_default();
    let has = |c: &str| {
        if classes.iter().any(|x| x.eq_ignore_ascii_case(c)) {
            Tri::Yes
        } else {
            Tri::No
        }
    };
    let (create_user, create_group, create_ou) =
        (has("user"), has("group"), has("organizationalUnit"));

    ldap.with_search_options(ldap3::SearchOptions::new().sizelimit(1));
    let sr = ldap
        .search(
            base_dn,
            Scope::Subtree,
            "(&(objectCategory=person)(objectClass=user))",
            vec!["allowedAttributesEffective"],
        )
        .await?;
    let sample = sr.0.into_iter().next().map(SearchEntry::construct);
    let (write, sample_user, missing) = match sample {
        None => (Tri::Unknown, None, vec![]),
        Some(e) => {
            let allowed: Vec<String> = e
                .attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("allowedAttributesEffective"))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let missing: Vec<String> = PROVISIONING_ATTRIBUTES
                .iter()
                .filter(|a| !allowed.iter().any(|x| x.eq_ignore_ascii_case(a)))
                .map(|s| s.to_string())
                .collect();
            (
                if missing.is_empty() {
                    Tri::Yes
                } else {
                    Tri::No
                },
                Some(diagnose::clip(&e.dn, MAX_VALUE_CHARS)),
                missing,
            )
        }
    };
    Ok(Rights {
        create_user,
        create_group,
        create_organizational_unit: create_ou,
        write_user_attributes: write,
        sample_user,
        missing_attributes: missing,
        reset_password: Tri::Unknown,
    })
}

/// A TLS failure that the verifier did not see: alerts, protocol errors, or a peer that closed.
async fn tls_io_failure(
    e: &ldap3::LdapError,
    host: &str,
    port: u16,
    peer: Option<SocketAddr>,
    cert: Option<&CertificateInfo>,
) -> LdapError {
    let io = match e {
        ldap3::LdapError::Io { source } => Some(source),
        _ => None,
    };
    if let Some(rerr) = io
        .and_then(|s| s.get_ref())
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return diagnose::tls_failure(rerr, host, port, cert);
    }
    // The server closed or reset: maybe it speaks plain LDAP. Ask it, briefly.
    if let Some(addr) = peer {
        if speaks_plain_ldap(addr).await {
            return diagnose::plain_ldap(host, port);
        }
    }
    diagnose::not_tls(host, port, &e.to_string())
}

/// Send a plain LDAP rootDSE search and see whether an LDAP message (a BER SEQUENCE) comes back.
async fn speaks_plain_ldap(addr: SocketAddr) -> bool {
    const ROOT_DSE_SEARCH: &[u8] = &[
        0x30, 0x25, 0x02, 0x01, 0x01, 0x63, 0x20, 0x04, 0x00, 0x0a, 0x01, 0x00, 0x0a, 0x01, 0x00,
        0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x01, 0x01, 0x00, 0x87, 0x0b, b'o', b'b', b'j', b'e',
        b'c', b't', b'C', b'l', b'a', b's', b's', 0x30, 0x00,
    ];
    let probe = async {
        let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
        s.write_all(ROOT_DSE_SEARCH).await.ok()?;
        let mut buf = [0u8; 2];
        s.read_exact(&mut buf).await.ok()?;
        Some(buf[0] == 0x30)
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), probe).await,
        Ok(Some(true))
    )
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
