//! One host's check: the stages resolve → connect → TLS → bind → rootDSE → Base DN → rights,
//! one function each, run in order within the host's timeout, stopping at the first failure.

use super::errors::{ConnectFailure, DnsFailure, LdapError};
use super::{
    diagnose, rights, tls, CancellationToken, CertificateInfo, EndpointReport, Password, Progress,
    ProgressFn, RootDse, Stage, TrustMode, MAX_CLOCK_SKEW_SECS, MAX_VALUES, MAX_VALUE_CHARS,
};
use crate::error::Diagnostic;
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, Scope, SearchEntry, StdStream};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Everything one host's check needs (owned: it runs in its own task).
pub(super) struct HostJob {
    pub dc_index: usize,
    pub host_index: usize,
    pub host: String,
    pub port: u16,
    pub base_dn: String,
    pub account: String,
    pub password: Password,
    pub trust: Result<tls::Trust, LdapError>,
    pub timeout: Duration,
    pub progress: ProgressFn,
    pub cancel: CancellationToken,
}

/// What a host's report says before anything ran.
pub(super) fn blank_report(job: &HostJob) -> EndpointReport {
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

/// Run one host's check within its timeout (or until cancelled) and report it as finished.
pub(super) async fn check_host(job: HostJob) -> EndpointReport {
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

/// Record a host's failure, with what to use instead when the failure names it.
pub(super) fn fail(rep: &mut EndpointReport, e: &LdapError) {
    rep.ok = false;
    rep.code = Some(e.code().to_string());
    rep.message = e.to_string();
    rep.hint = e.hint();
    if let Some(h) = e.suggested_host() {
        rep.suggested_host = Some(h.to_string());
    }
    if let Some(dn) = e.suggested_base_dn() {
        rep.suggested_base_dn = Some(dn.to_string());
    }
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
    enter(job, rep, Stage::Resolve);
    let addrs = resolve(job).await?;

    enter(job, rep, Stage::Connect);
    let stream = connect(job, rep, &addrs).await?;

    enter(job, rep, Stage::Tls);
    let mut ldap = start_tls(job, rep, stream).await?;

    enter(job, rep, Stage::Bind);
    bind(job, &mut ldap).await?;

    enter(job, rep, Stage::RootDse);
    let dse = read_root_dse(job, &mut ldap).await?;
    if let Some(w) = clock_skew_warning(job, &dse) {
        rep.warnings.push(w.to_problem());
    }
    let default_nc = dse.default_naming_context.clone();
    rep.root_dse = Some(dse);

    enter(job, rep, Stage::BaseDn);
    find_base_dn(job, &mut ldap, default_nc).await?;

    enter(job, rep, Stage::Rights);
    let rights = rights::read(&mut ldap, &job.base_dn)
        .await
        .map_err(|e| lost(&job.host, "reading effective rights", &e))?;
    for w in rights::warnings(&rights, &job.account, &job.base_dn) {
        rep.warnings.push(w.to_problem());
    }
    rep.rights = Some(rights);
    let _ = ldap.unbind().await;
    Ok(())
}

/// The host as typed, without the brackets of an IPv6 literal.
fn bare_host(job: &HostJob) -> &str {
    job.host.trim_start_matches('[').trim_end_matches(']')
}

/// Resolve: the host's addresses (brackets of an IPv6 literal removed).
async fn resolve(job: &HostJob) -> Result<Vec<SocketAddr>, LdapError> {
    #[cfg(feature = "test-hooks")]
    if job.host == "panic.h2r-test.invalid" {
        panic!("test hook: a host task panics");
    }
    let host = bare_host(job).to_string();
    if host.is_empty() {
        return Err(LdapError::Dns(DnsFailure::EmptyHost));
    }
    let looked_up: std::io::Result<Vec<SocketAddr>> =
        tokio::net::lookup_host((host.as_str(), job.port))
            .await
            .map(Iterator::collect);
    let addrs = match looked_up {
        Ok(a) => a,
        Err(e) => {
            return Err(LdapError::Dns(DnsFailure::Unresolved {
                host,
                detail: e.to_string(),
            }))
        }
    };
    if addrs.is_empty() {
        return Err(LdapError::Dns(DnsFailure::NoAddress { host }));
    }
    Ok(addrs)
}

/// Connect: each address in turn; the first that accepts wins.
async fn connect(
    job: &HostJob,
    rep: &mut EndpointReport,
    addrs: &[SocketAddr],
) -> Result<TcpStream, LdapError> {
    let mut last_err = None;
    for a in addrs {
        match TcpStream::connect(a).await {
            Ok(s) => {
                rep.address = Some(a.to_string());
                // Small request/response exchanges: without TCP_NODELAY, Nagle + delayed ACK
                // add ~40 ms after the TLS Finished message (measured in docs/bench-ldap.md).
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last_err = Some((a, e)),
        }
    }
    let (a, e) = last_err.expect("resolve returns at least one address");
    Err(if e.kind() == std::io::ErrorKind::ConnectionRefused {
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
    })
}

/// TLS: the handshake inside ldap3, over our stream, with our recording verifier. The
/// presented certificate is described even when the handshake fails.
async fn start_tls(
    job: &HostJob,
    rep: &mut EndpointReport,
    stream: TcpStream,
) -> Result<Ldap, LdapError> {
    let trust = job.trust.clone()?;
    let (config, captured) = trust.client_config();
    let peer = stream.peer_addr().ok();
    let std_stream = stream.into_std().map_err(|e| {
        LdapError::ConnectFailed(ConnectFailure::Socket {
            detail: e.to_string(),
        })
    })?;
    let settings = LdapConnSettings::new()
        .set_config(config)
        .set_std_stream(StdStream::Tcp(std_stream));
    let host = bare_host(job);
    let url_host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
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
    let (conn, ldap) = match conn {
        Ok(pair) => pair,
        Err(e) => {
            let verify_err = captured.lock().ok().and_then(|c| c.error.clone());
            return Err(match verify_err {
                Some(ve) => {
                    diagnose::tls_failure(&ve, &job.host, job.port, rep.certificate.as_ref())
                }
                None => {
                    tls_io_failure(&e, &job.host, job.port, peer, rep.certificate.as_ref()).await
                }
            });
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
    Ok(ldap)
}

/// Bind: a simple bind as the service account; never with an empty account or password.
async fn bind(job: &HostJob, ldap: &mut Ldap) -> Result<(), LdapError> {
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
    Ok(())
}

/// RootDSE: the naming contexts, the DC's name and clock. Untrusted values are bounded in
/// length and number before they reach a report (issue 12).
async fn read_root_dse(job: &HostJob, ldap: &mut Ldap) -> Result<RootDse, LdapError> {
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
        let now = crate::utc::now_unix();
        dse.clock_skew_seconds = Some(t - now);
    }
    Ok(dse)
}

/// A warning when the DC's clock is further off than Kerberos tolerates.
fn clock_skew_warning(job: &HostJob, dse: &RootDse) -> Option<LdapError> {
    let skew = dse.clock_skew_seconds?;
    (skew.abs() > MAX_CLOCK_SKEW_SECS).then(|| LdapError::ClockSkew {
        host: job.host.clone(),
        skew,
    })
}

/// Base DN: it must exist and be visible to the account. A wrong one suggests the domain's
/// naming context (`default_nc`).
async fn find_base_dn(
    job: &HostJob,
    ldap: &mut Ldap,
    default_nc: Option<String>,
) -> Result<(), LdapError> {
    let not_found = |why: &'static str| LdapError::BaseDnNotFound {
        base_dn: job.base_dn.clone(),
        host: job.host.clone(),
        why,
        suggested: default_nc.clone(),
    };
    if job.base_dn.is_empty() {
        return Err(LdapError::BaseDnEmpty {
            suggested: default_nc,
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
        0 if !sr.0.is_empty() => Ok(()),
        0 => Err(not_found("the account cannot see it")),
        32 => Err(not_found("no such object")),
        10 => Err(not_found("it belongs to another domain")),
        34 => Err(LdapError::BaseDnInvalid {
            base_dn: job.base_dn.clone(),
            suggested: default_nc,
        }),
        rc => Err(LdapError::BaseDnFailed {
            base_dn: job.base_dn.clone(),
            rc,
            detail: diagnose::clip(sr.1.text.trim(), MAX_VALUE_CHARS),
        }),
    }
}

/// The connection broke during a stage.
fn lost(host: &str, during: &'static str, e: &ldap3::LdapError) -> LdapError {
    LdapError::ConnectionLost {
        host: host.to_string(),
        during,
        detail: diagnose::clip(&e.to_string(), MAX_VALUE_CHARS),
    }
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
        let mut s = TcpStream::connect(addr).await.ok()?;
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
