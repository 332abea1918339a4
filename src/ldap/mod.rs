//! Live LDAPS checks of domain controllers (issue 4).
//!
//! [`check`] tests every host of every DC concurrently, each within one bounded timeout, through
//! the stages resolve → connect → TLS → bind → rootDSE → Base DN → rights, stopping at the first
//! failure. The hosts of one DC are alternative addresses: the DC passes when one of them passes.
//! Progress is reported per host through a callback; a [`CancellationToken`] stops the check.
//! See `docs/ldap-check.md`.

pub mod diagnose;
pub mod tls;

use crate::error::Problem;
use crate::profile::{DomainController, TlsTrust};
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
    trust: Result<tls::Trust, Problem>,
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
                    let problem = internal_failure(&rep.host, rep.port, e.is_panic());
                    fail(&mut rep, problem);
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
        warnings.push(insecure_warning());
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
                warnings.push(Problem::new(
                    "ldap.alternative_host_failed",
                    format!("Domain controller {} passes through {}, but its alternative address {}:{} failed: {}", i + 1, passing.join(", "), e.host, e.port, e.message),
                    e.hint.clone(),
                ));
            }
        } else if mine.is_empty() {
            warnings.push(Problem::new(
                "ldap.no_hosts",
                format!("Domain controller {} has no host to check.", i + 1),
                "Enter at least one host name or address for it.",
            ));
        }
        for e in mine.iter().filter(|e| e.ok) {
            for w in &e.warnings {
                if w.code != "ldap.tls.insecure"
                    && !warnings
                        .iter()
                        .any(|x: &Problem| x.code == w.code && x.message == w.message)
                {
                    warnings.push(w.clone());
                }
            }
        }
        if dc.port == crate::profile::GC_TLS_PORT {
            warnings.push(Problem::new(
                "ldap.global_catalog",
                format!("Domain controller {} is checked on port 3269, the Global Catalog: a read-only partial replica of every domain.", i + 1),
                "Lookups work there, but provisioning writes need the domain's own LDAPS port 636.",
            ));
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

fn insecure_warning() -> Problem {
    Problem::new(
        "ldap.tls.insecure",
        "INSECURE: certificate verification is turned off; anyone on the network path could read the service account's password.",
        "Trust your CA's certificate (CA file) or pin the DC's certificate instead, then turn 'insecure' off.",
    )
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

fn internal_failure(host: &str, port: u16, panicked: bool) -> Problem {
    Problem::new(
        "ldap.internal",
        format!(
            "The check of {host}:{port} stopped on an internal error{}; the domain controller's answer could not be handled.",
            if panicked { "" } else { " (it was stopped)" }
        ),
        "Test again; if it happens again, save a support report and send it to Hire2Retire support. The other hosts' results are unaffected.",
    )
}

async fn check_host(job: HostJob) -> EndpointReport {
    let started = Instant::now();
    let mut rep = blank_report(&job);
    if rep.trust == TrustMode::Insecure {
        rep.warnings.push(insecure_warning());
    }
    let outcome = {
        let run = run_stages(&job, &mut rep);
        tokio::select! {
            r = run => Some(r),
            _ = tokio::time::sleep(job.timeout) => None,
            _ = job.cancel.cancelled() => Some(Err(Problem::new("ldap.cancelled", "The check was cancelled.", "Start the test again when ready."))),
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
        Some(Err(p)) => fail(&mut rep, p),
        None => {
            let p = diagnose::timeout(rep.stage, &job.host, job.port, job.timeout.as_secs_f64());
            fail(&mut rep, p)
        }
    }
    rep.elapsed_ms = started.elapsed().as_millis() as u64;
    (job.progress)(Progress::Finished {
        endpoint: Box::new(rep.clone()),
    });
    rep
}

fn fail(rep: &mut EndpointReport, p: Problem) {
    rep.ok = false;
    rep.code = Some(p.code);
    rep.message = p.message;
    rep.hint = p.hint;
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

async fn run_stages(job: &HostJob, rep: &mut EndpointReport) -> Result<(), Problem> {
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
        return Err(Problem::new(
            "ldap.dns",
            "The host name is empty.",
            "Enter the DC's DNS name (e.g. dc1.example.com) or address.",
        ));
    }
    let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host.as_str(), job.port)).await {
        Ok(a) => a.collect(),
        Err(e) => {
            return Err(Problem::new(
                "ldap.dns",
                format!("The name '{host}' could not be resolved ({e})."),
                "Check the spelling and this computer's DNS server (it must resolve the AD domain), or type the DC's fully qualified name.",
            ))
        }
    };
    if addrs.is_empty() {
        return Err(Problem::new(
            "ldap.dns",
            format!("The name '{host}' has no address."),
            "Check the DNS records of the DC.",
        ));
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
                Problem::new(
                    "ldap.refused",
                    format!("{}:{} refused the connection ({a}).", job.host, job.port),
                    "Nothing listens on this port: check the port (LDAPS is 636) and that the DC's LDAP service runs and has an LDAPS certificate.",
                )
            } else {
                Problem::new(
                    "ldap.connect_failed",
                    format!("{}:{} cannot be reached ({e}).", job.host, job.port),
                    "Check the network route and firewalls between this computer and the DC (TCP 636).",
                )
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
        Problem::new(
            "ldap.connect_failed",
            format!("Socket error: {e}."),
            "Check that this computer may open network connections to the DC, then test again.",
        )
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
            let p = match verify_err {
                Some(ve) => {
                    diagnose::tls_failure(&ve, &job.host, job.port, rep.certificate.as_ref())
                }
                None => {
                    tls_io_failure(&e, &job.host, job.port, peer, rep.certificate.as_ref()).await
                }
            };
            if p.code == "ldap.tls.name_mismatch" {
                rep.suggested_host = rep
                    .certificate
                    .as_ref()
                    .and_then(|c| c.names().into_iter().next());
            }
            return Err(p);
        }
    };
    ldap3::drive!(conn);
    if let Some(c) = &rep.certificate {
        if trust.mode == TrustMode::Pin && c.expired {
            rep.warnings.push(Problem::new(
                "ldap.tls.pinned_expired",
                format!(
                    "The pinned certificate of {} expired on {}.",
                    job.host, c.not_after
                ),
                "Renew the DC's LDAPS certificate soon, then pin the new one.",
            ));
        }
    }

    // bind
    enter(job, rep, Stage::Bind);
    if job.account.is_empty() {
        return Err(Problem::new(
            "ldap.bind.no_account",
            "No service account was given.",
            "Enter the AD service account (svc@example.com, DOMAIN\\user or its DN).",
        ));
    }
    if job.password.is_empty() {
        return Err(Problem::new(
            "ldap.bind.empty_password",
            "The password is empty, so nothing was sent: Active Directory treats an empty password as an anonymous bind that 'succeeds' without checking anything.",
            "Enter the service account's password.",
        ));
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
            .ok_or_else(|| {
                Problem::new(
                    "ldap.root_dse.unreadable",
                    format!(
                        "{} returned no rootDSE ({}).",
                        job.host,
                        diagnose::clip(&sr.1.text, MAX_VALUE_CHARS)
                    ),
                    "Check that this server is an Active Directory domain controller.",
                )
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
            rep.warnings.push(Problem::new(
                "ldap.clock_skew",
                format!("{}'s clock differs from this computer's by {} s.", job.host, skew),
                "Synchronise both clocks (w32tm /resync on the DC; NTP here): Kerberos fails beyond 5 minutes.",
            ));
        }
    }
    let default_nc = dse.default_naming_context.clone();
    rep.root_dse = Some(dse);

    // Base DN
    enter(job, rep, Stage::BaseDn);
    let not_found = |rep: &mut EndpointReport, why: &str| {
        rep.suggested_base_dn = default_nc.clone();
        Problem::new(
            "ldap.base_dn.not_found",
            format!(
                "The Base DN '{}' does not exist on {} ({why}).",
                job.base_dn, job.host
            ),
            match &default_nc {
                Some(d) => format!("Use the domain's naming context '{d}' (or an OU inside it)."),
                None => "Check the Base DN: it looks like DC=example,DC=com.".to_string(),
            },
        )
    };
    if job.base_dn.is_empty() {
        let mut p = not_found(rep, "it is empty");
        p.code = "ldap.base_dn.empty".into();
        p.message = "No Base DN was given.".into();
        return Err(p);
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
            return Err(Problem::new(
                "ldap.base_dn.invalid",
                format!("'{}' is not a valid distinguished name.", job.base_dn),
                format!(
                    "Write it like DC=example,DC=com{}.",
                    default_nc
                        .as_deref()
                        .map(|d| format!(" (this domain: {d})"))
                        .unwrap_or_default()
                ),
            ));
        }
        rc => {
            return Err(Problem::new(
                "ldap.base_dn.failed",
                format!(
                    "Looking up '{}' failed with LDAP result {rc} ({}).",
                    job.base_dn,
                    diagnose::clip(sr.1.text.trim(), MAX_VALUE_CHARS)
                ),
                "Check the Base DN and the account's read rights.",
            ))
        }
    }

    // rights
    enter(job, rep, Stage::Rights);
    let rights = read_rights(&mut ldap, &job.base_dn)
        .await
        .map_err(|e| lost(&job.host, "reading effective rights", &e))?;
    if rights.create_user == Tri::No {
        rep.warnings.push(Problem::new(
            "ldap.rights.cannot_create_users",
            format!("{} may not create user objects in {}.", job.account, job.base_dn),
            "Delegate 'Create, delete and manage user accounts' on this OU to the service account (Delegation of Control wizard).",
        ));
    }
    if rights.create_group == Tri::No {
        rep.warnings.push(Problem::new(
            "ldap.rights.cannot_create_groups",
            format!(
                "{} may not create group objects in {}.",
                job.account, job.base_dn
            ),
            "Delegate 'Create, delete and manage groups' on this OU to the service account.",
        ));
    }
    match rights.write_user_attributes {
        Tri::No => rep.warnings.push(Problem::new(
            "ldap.rights.missing_attributes",
            format!("{} may not write {} on users in {}.", job.account, rights.missing_attributes.join(", "), job.base_dn),
            "Delegate 'Read and write all properties' on user objects in this OU to the service account.",
        )),
        Tri::Unknown => rep.warnings.push(Problem::new(
            "ldap.rights.no_sample_user",
            format!("No user exists under {} to read attribute rights on, so they are unknown.", job.base_dn),
            "Test again once the OU holds a user, or check the delegation in Active Directory.",
        )),
        Tri::Yes => {}
    }
    rep.rights = Some(rights);
    let _ = ldap.unbind().await;
    Ok(())
}

fn lost(host: &str, during: &str, e: &ldap3::LdapError) -> Problem {
    Problem::new(
        "ldap.connection_lost",
        format!(
            "The connection to {host} failed during {during} ({}).",
            diagnose::clip(&e.to_string(), MAX_VALUE_CHARS)
        ),
        "Check the network and the DC's state, then test again.",
    )
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
) -> Problem {
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
