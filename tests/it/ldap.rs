//! Integration tests: the live LDAPS check against a real AD (Samba AD DC on loopback).
//!
//! The DC is started once per test process (see `ldap/fixture.rs`). Every target is loopback.

pub mod fixture;

use fixture::*;
use h2r_setup::ldap::{
    self, CancellationToken, CheckOptions, CheckReport, Password, Progress, Stage, Tri, TrustMode,
};
use h2r_setup::profile::{DomainController, TlsTrust};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

fn dc(hosts: &[&str], port: u16, base_dn: &str, tls: TlsTrust) -> DomainController {
    DomainController {
        hosts: hosts.iter().map(|s| s.to_string()).collect(),
        port,
        base_dn: base_dn.into(),
        tls,
    }
}

fn ca_trust(ad: &Samba) -> TlsTrust {
    TlsTrust::CaFile(ad.ca())
}

async fn run(
    dcs: &[DomainController],
    account: &str,
    password: &str,
    timeout_ms: u64,
) -> CheckReport {
    let opts = CheckOptions {
        timeout_ms,
        trust_override: None,
    };
    ldap::check(
        dcs,
        account,
        &Password::new(password),
        &opts,
        ldap::no_progress(),
        CancellationToken::new(),
    )
    .await
}

async fn one(ad: &Samba, account: &str, password: &str, base_dn: &str) -> ldap::EndpointReport {
    let r = run(
        &[dc(&["127.0.0.1"], 636, base_dn, ca_trust(ad))],
        account,
        password,
        10_000,
    )
    .await;
    r.endpoints.into_iter().next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn success_reports_every_stage_certificate_root_dse_and_rights() {
    let Some(ad) = samba() else { return };
    let events = Arc::new(Mutex::new(Vec::new()));
    let ev = events.clone();
    let progress: ldap::ProgressFn = Arc::new(move |p| ev.lock().unwrap().push(p));
    let opts = CheckOptions::default();
    let r = ldap::check(
        &[dc(&["127.0.0.1"], 636, OU_DN, ca_trust(ad))],
        SVC,
        &Password::new(SVC_PASS),
        &opts,
        progress,
        CancellationToken::new(),
    )
    .await;
    assert!(r.ok, "{r:#?}");
    assert!(!r.insecure);
    let e = &r.endpoints[0];
    assert!(e.ok && e.stage == Stage::Done && e.code.is_none(), "{e:#?}");
    assert_eq!(e.trust, TrustMode::CaFile);
    let cert = e.certificate.as_ref().expect("certificate captured");
    assert!(cert.verified);
    assert!(
        cert.sans.contains(&"IP:127.0.0.1".to_string())
            && cert.sans.contains(&"DNS:localhost".to_string())
    );
    assert_eq!(
        format!("sha256 Fingerprint={}", cert.sha256),
        openssl_fingerprint(&ad.server_cert())
    );
    let dse = e.root_dse.as_ref().unwrap();
    assert_eq!(dse.default_naming_context.as_deref(), Some(BASE_DN));
    assert_eq!(dse.dns_host_name.as_deref(), Some("dc1.example.test"));
    assert!(dse.supported_ldap_version.contains(&"3".to_string()));
    assert!(dse.clock_skew_seconds.is_some());
    let rights = e.rights.as_ref().unwrap();
    assert_eq!(rights.create_user, Tri::Yes);
    assert_eq!(rights.create_group, Tri::Yes);
    assert_eq!(rights.write_user_attributes, Tri::Yes, "{rights:?}");
    assert_eq!(
        rights.reset_password,
        Tri::Unknown,
        "extended rights are never reported as fine"
    );
    // live progress: every stage in order, then the finished row
    let events = events.lock().unwrap();
    let stages: Vec<Stage> = events
        .iter()
        .filter_map(|p| match p {
            Progress::Stage { stage, .. } => Some(*stage),
            _ => None,
        })
        .collect();
    assert_eq!(
        stages,
        vec![
            Stage::Resolve,
            Stage::Connect,
            Stage::Tls,
            Stage::Bind,
            Stage::RootDse,
            Stage::BaseDn,
            Stage::Rights
        ]
    );
    assert!(matches!(events.last(), Some(Progress::Finished { endpoint }) if endpoint.ok));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_forms_upn_dn_and_down_level_all_bind() {
    let Some(ad) = samba() else { return };
    for account in [
        SVC,
        "CN=svc-h2r,CN=Users,DC=example,DC=test",
        "EXAMPLE\\svc-h2r",
    ] {
        let e = one(ad, account, SVC_PASS, OU_DN).await;
        assert!(e.ok, "{account}: {e:#?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_failures_are_named_by_their_ad_subcode() {
    let Some(ad) = samba() else { return };
    let cases = [
        (SVC, "wrong-password", "ldap.bind.invalid_credentials"),
        (
            "disabled-user@example.test",
            "Dis-Pass-2026!",
            "ldap.bind.account_disabled",
        ),
        (
            "mustchange@example.test",
            "Chg-Pass-2026!",
            "ldap.bind.must_change_password",
        ),
        (
            "expired-user@example.test",
            "Exp-Pass-2026!",
            "ldap.bind.account_expired",
        ),
    ];
    for (account, pw, code) in cases {
        let e = one(ad, account, pw, OU_DN).await;
        assert!(!e.ok);
        assert_eq!(e.stage, Stage::Bind, "{account}");
        assert_eq!(e.code.as_deref(), Some(code), "{account}: {e:#?}");
        assert!(!e.hint.is_empty());
        assert!(e.certificate.as_ref().unwrap().verified);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_password_is_refused_before_sending() {
    let Some(ad) = samba() else { return };
    let e = one(ad, SVC, "", OU_DN).await;
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Bind, Some("ldap.bind.empty_password"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_base_dn_suggests_default_naming_context() {
    let Some(ad) = samba() else { return };
    for wrong in ["OU=Nope,DC=example,DC=test", "DC=other,DC=test"] {
        let e = one(ad, SVC, SVC_PASS, wrong).await;
        assert_eq!(e.stage, Stage::BaseDn, "{wrong}");
        assert_eq!(
            e.code.as_deref(),
            Some("ldap.base_dn.not_found"),
            "{wrong}: {e:#?}"
        );
        assert_eq!(e.suggested_base_dn.as_deref(), Some(BASE_DN));
        assert!(e.hint.contains(BASE_DN));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_without_delegation_passes_with_rights_warnings() {
    let Some(ad) = samba() else { return };
    let e = one(ad, "svc-norights@example.test", "Plain-Pass-2026!", OU_DN).await;
    assert!(e.ok, "{e:#?}");
    let rights = e.rights.as_ref().unwrap();
    assert_eq!(rights.create_user, Tri::No);
    assert_eq!(rights.write_user_attributes, Tri::No);
    assert!(rights.missing_attributes.contains(&"givenName".to_string()));
    let codes: Vec<&str> = e.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(
        codes.contains(&"ldap.rights.cannot_create_users"),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"ldap.rights.cannot_create_groups"),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"ldap.rights.missing_attributes"),
        "{codes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_ca_is_diagnosed_with_the_certificate_then_trusted_by_ca_file() {
    let Some(ad) = samba() else { return };
    let r = run(
        &[dc(&["127.0.0.1"], 636, OU_DN, TlsTrust::default())],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    let e = &r.endpoints[0];
    assert!(!r.ok);
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.tls.unknown_issuer"))
    );
    let cert = e
        .certificate
        .as_ref()
        .expect("certificate captured though verification failed");
    assert!(!cert.verified);
    assert!(cert.issuer.contains("H2R Test CA"));
    assert!(
        e.hint.contains(&cert.sha256),
        "the hint shows the fingerprint to pin"
    );
    // the same DC, trusting the CA file
    let r = run(
        &[dc(&["127.0.0.1"], 636, OU_DN, ca_trust(ad))],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    assert!(r.ok, "{r:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_fingerprint_accepts_that_certificate_only() {
    let Some(ad) = samba() else { return };
    let pin = openssl_fingerprint(&ad.server_cert());
    let trust = TlsTrust::Pin(pin);
    let r = run(
        &[dc(&["127.0.0.1"], 636, OU_DN, trust)],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    assert!(r.ok, "{r:#?}");
    assert_eq!(r.endpoints[0].trust, TrustMode::Pin);
    // a different certificate for the same names must fail
    let tmp = tempfile::tempdir().unwrap();
    let other = openssl_fingerprint(&impostor_cert(tmp.path()));
    let trust = TlsTrust::Pin(other);
    let r = run(
        &[dc(&["127.0.0.1"], 636, OU_DN, trust)],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    let e = &r.endpoints[0];
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.tls.pin_mismatch")),
        "{e:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insecure_is_explicit_and_marked_everywhere() {
    let Some(_ad) = samba() else { return };
    let trust = TlsTrust::Insecure;
    let r = run(
        &[dc(&["127.0.0.1"], 636, OU_DN, trust)],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    assert!(r.ok && r.insecure, "{r:#?}");
    assert!(r.warnings.iter().any(|w| w.code == "ldap.tls.insecure"));
    assert!(r.endpoints[0]
        .warnings
        .iter()
        .any(|w| w.code == "ldap.tls.insecure"));
    assert_eq!(r.endpoints[0].trust, TrustMode::Insecure);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn name_mismatch_suggests_the_name_the_certificate_carries() {
    let Some(ad) = samba() else { return };
    // The DC reached through 127.0.0.2, an address its certificate does not name (as when an
    // admin types an IP the certificate lacks).
    let (fwd, _h) = forwarder("127.0.0.2", "127.0.0.1:636".parse().unwrap()).await;
    let r = run(
        &[dc(&["127.0.0.2"], fwd.port(), OU_DN, ca_trust(ad))],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    let e = &r.endpoints[0];
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.tls.name_mismatch")),
        "{e:#?}"
    );
    assert_eq!(e.suggested_host.as_deref(), Some("localhost"));
    assert!(e.message.contains("dc1.example.test"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_ldap_port_is_recognised() {
    let Some(ad) = samba() else { return };
    let r = run(
        &[dc(&["127.0.0.1"], 389, OU_DN, ca_trust(ad))],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    let e = &r.endpoints[0];
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.tls.plain_ldap")),
        "{e:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_port_is_refused() {
    let port = closed_port();
    let r = run(
        &[dc(&["127.0.0.1"], port, OU_DN, TlsTrust::default())],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    let e = &r.endpoints[0];
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Connect, Some("ldap.refused")),
        "{e:#?}"
    );
    assert!(!r.ok);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unresolvable_name_is_a_dns_failure() {
    let r = run(
        &[dc(&["dc1.invalid"], 636, OU_DN, TlsTrust::default())],
        SVC,
        SVC_PASS,
        10_000,
    )
    .await;
    let e = &r.endpoints[0];
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Resolve, Some("ldap.dns")),
        "{e:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listener_that_never_answers_hits_the_bounded_timeout() {
    let (addr, _h) = silent_listener().await;
    let r = run(
        &[dc(&["127.0.0.1"], addr.port(), OU_DN, TlsTrust::default())],
        SVC,
        SVC_PASS,
        800,
    )
    .await;
    let e = &r.endpoints[0];
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.timeout")),
        "{e:#?}"
    );
    assert!(e.message.contains("TLS handshake"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_every_host() {
    let (addr, _h) = silent_listener().await;
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    let opts = CheckOptions {
        timeout_ms: 600_000,
        trust_override: None,
    };
    let dcs = [dc(
        &["127.0.0.1", "127.0.0.1"],
        addr.port(),
        OU_DN,
        TlsTrust::default(),
    )];
    let pw = Password::new("x");
    let progress: ldap::ProgressFn = Arc::new(move |p| {
        if matches!(
            p,
            Progress::Stage {
                stage: Stage::Tls,
                ..
            }
        ) {
            c.cancel();
        }
    });
    let r = ldap::check(&dcs, SVC, &pw, &opts, progress, cancel).await;
    assert!(!r.ok);
    assert!(
        r.endpoints
            .iter()
            .all(|e| e.code.as_deref() == Some("ldap.cancelled")),
        "{r:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_list_dc_passes_through_one_host_and_failing_alternatives_warn() {
    let Some(ad) = samba() else { return };
    let (silent, _h) = silent_listener().await;
    let closed = closed_port();
    let dc1 = DomainController {
        hosts: vec!["127.0.0.1".into(), "localhost".into()],
        port: 636,
        base_dn: OU_DN.into(),
        tls: ca_trust(ad),
    };
    // DC 2: every host fails (refused, never answering)
    let dc2 = dc(&["127.0.0.1"], closed, OU_DN, ca_trust(ad));
    let dc3 = dc(&["127.0.0.1"], silent.port(), OU_DN, ca_trust(ad));
    // DC 4: one live host, one alternative that does not resolve
    let mut dc4 = dc(&["127.0.0.1"], 636, BASE_DN, ca_trust(ad));
    dc4.hosts.push("dc-gone.invalid".into());
    let r = run(&[dc1.clone(), dc2, dc3, dc4.clone()], SVC, SVC_PASS, 4000).await;
    assert!(!r.ok);
    let oks: Vec<bool> = r.domain_controllers.iter().map(|d| d.ok).collect();
    assert_eq!(oks, vec![true, false, false, true]);
    assert_eq!(r.endpoints.len(), 6);
    assert_eq!(r.endpoints[2].code.as_deref(), Some("ldap.refused"));
    assert_eq!(r.endpoints[3].code.as_deref(), Some("ldap.timeout"));
    // passing DCs only: the check passes, the failing alternative is a warning
    let r = run(&[dc1, dc4], SVC, SVC_PASS, 5000).await;
    assert!(r.ok, "{r:#?}");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == "ldap.alternative_host_failed"
                && w.message.contains("dc-gone.invalid"))
    );
}

// ---- CLI ------------------------------------------------------------------------------------

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_h2r-setup"))
}

fn profile(dir: &std::path::Path, hosts: &[&str], port: u16, base_dn: &str) -> PathBuf {
    let p = dir.join("conn.json");
    let v = serde_json::json!({
        "kind": "hybrid-onprem",
        "name": "Connection-OnPremise Service",
        "service_account": SVC,
        "domain_controllers": [{"hosts": hosts, "port": port, "base_dn": base_dn}],
    });
    std::fs::write(&p, serde_json::to_string(&v).unwrap()).unwrap();
    p
}

#[test]
fn cli_json_report_and_exit_codes() {
    let Some(ad) = samba() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let conn = profile(tmp.path(), &["127.0.0.1"], 636, OU_DN);
    let out = Command::new(bin())
        .args(["ldap", "check", "--connection"])
        .arg(&conn)
        .args(["--password-env", "H2R_TEST_PW", "--ca-file"])
        .arg(ad.ca())
        .args(["--format", "json"])
        .env("H2R_TEST_PW", SVC_PASS)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert!(v["warnings"].is_array());
    let e = &v["endpoints"][0];
    for key in [
        "host",
        "port",
        "base_dn",
        "ok",
        "stage",
        "code",
        "message",
        "hint",
        "warnings",
        "elapsed_ms",
        "certificate",
        "root_dse",
    ] {
        assert!(e.get(key).is_some(), "missing {key}");
    }
    assert_eq!(e["stage"], "done");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(SVC_PASS),
        "the password never appears"
    );

    // wrong password: exit 1, text table names the failure
    let out = Command::new(bin())
        .args(["ldap", "check", "--connection"])
        .arg(&conn)
        .args(["--password-env", "H2R_TEST_PW", "--ca-file"])
        .arg(ad.ca())
        .env("H2R_TEST_PW", "nope")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FAILED")
            && text.contains("ldap.bind.invalid_credentials")
            && !text.contains('\x1b'),
        "{text}"
    );
}

#[test]
fn cli_usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = profile(tmp.path(), &["127.0.0.1"], 636, OU_DN);
    let run = |extra: &[&str]| {
        Command::new(bin())
            .args(["ldap", "check", "--connection"])
            .arg(&conn)
            .args(extra)
            .env("PW", "x")
            .output()
            .unwrap()
    };
    let out = run(&["--password-env", "PW", "--pin", "not-a-fingerprint"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SHA-256"));
    let out = run(&["--password-env", "PW", "--ca-file", "/nonexistent/ca.pem"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--password-env", "H2R_UNSET_VARIABLE_XYZ"]);
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(bin())
        .args([
            "ldap",
            "check",
            "--connection",
            "/nonexistent.json",
            "--password-env",
            "PW",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one clear sentence: {stderr}");
}

// ---- TLS setups of old AD certificate authorities, served by `openssl s_server` -------------

async fn tls_only(dir: &std::path::Path, port: u16) -> ldap::EndpointReport {
    let trust = TlsTrust::CaFile(dir.join("ca.pem"));
    let r = run(&[dc(&["127.0.0.1"], port, OU_DN, trust)], SVC, "x", 5000).await;
    r.endpoints.into_iter().next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_1_1_only_server_is_old_protocol() {
    let tmp = tempfile::tempdir().unwrap();
    make_pki(tmp.path(), "sha256", "sha256", "30");
    let s = openssl_server(tmp.path(), &["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"]);
    let e = tls_only(tmp.path(), s.port).await;
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.tls.old_protocol")),
        "{e:#?}"
    );
    assert!(e.hint.contains("TLS 1.2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sha1_signed_chain_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    make_pki(tmp.path(), "sha1", "sha1", "30");
    let s = openssl_server(tmp.path(), &["-cipher", "DEFAULT:@SECLEVEL=0"]);
    let e = tls_only(tmp.path(), s.port).await;
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.tls.sha1_signature")),
        "{e:#?}"
    );
    assert_eq!(
        e.certificate.as_ref().unwrap().signature_algorithm,
        "sha1WithRSAEncryption"
    );
    assert!(e.hint.contains("SHA-256"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_certificate_is_named_with_its_date() {
    let tmp = tempfile::tempdir().unwrap();
    make_pki(tmp.path(), "sha256", "sha256", "-1");
    let s = openssl_server(tmp.path(), &[]);
    let e = tls_only(tmp.path(), s.port).await;
    assert_eq!(
        (e.stage, e.code.as_deref()),
        (Stage::Tls, Some("ldap.tls.expired")),
        "{e:#?}"
    );
    let cert = e.certificate.as_ref().unwrap();
    assert!(cert.expired);
    assert!(e.message.contains(&cert.not_after));
}

// ---------------------------------------------------------------------------------------------
// Issue 12: a domain controller cannot crash a check.

pub mod standin;

fn ca_file(dir: &std::path::Path) -> TlsTrust {
    TlsTrust::CaFile(dir.join("ca.pem"))
}

fn chain(dir: &std::path::Path) -> PathBuf {
    let both = format!(
        "{}{}",
        std::fs::read_to_string(dir.join("leaf.pem")).unwrap(),
        std::fs::read_to_string(dir.join("ca.pem")).unwrap()
    );
    std::fs::write(dir.join("chain.pem"), both).unwrap();
    dir.join("chain.pem")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_root_dse_values_never_crash_the_check_nor_lose_the_host() {
    use standin::attr;
    let dir = tempfile::tempdir().unwrap();
    make_pki(dir.path(), "sha256", "sha256", "30");
    let chain = chain(dir.path());
    let key = dir.path().join("leaf.key");
    let base = "DC=example,DC=test";
    // 1. currentTime with a non-ASCII character where the seconds end (used to panic: byte slicing)
    let non_ascii = standin::start(
        &chain,
        &key,
        vec![
            attr("currentTime", &["2026112605313€.0Z"]),
            attr("defaultNamingContext", &[base]),
        ],
    );
    // 2. huge values: a 2 MiB host name and 5000 naming contexts
    let huge_name = "a".repeat(2 << 20);
    let many: Vec<String> = (0..5000).map(|i| format!("DC=d{i},DC=test")).collect();
    let many_refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let huge = standin::start(
        &chain,
        &key,
        vec![
            attr("dnsHostName", &[&huge_name]),
            attr("namingContexts", &many_refs),
            attr("currentTime", &["\u{202e}€€€€€€€€€€€€€€Z"]),
        ],
    );
    // 3. no attribute at all
    let empty = standin::start(&chain, &key, vec![]);
    let dcs: Vec<DomainController> = [non_ascii, huge, empty]
        .iter()
        .map(|p| dc(&["127.0.0.1"], *p, base, ca_file(dir.path())))
        .collect();
    let r = run(&dcs, "svc@example.test", "any-password", 20_000).await;
    assert_eq!(r.endpoints.len(), 3, "every host is reported: {r:#?}");
    assert!(
        !r.warnings.iter().any(|w| w.code == "ldap.no_hosts"),
        "{:?}",
        r.warnings
    );
    for e in &r.endpoints {
        assert!(e.ok, "the stand-in passes every stage: {e:#?}");
    }
    let dse = |i: usize| r.endpoints[i].root_dse.clone().expect("rootDSE read");
    assert_eq!(dse(0).current_time.as_deref(), Some("2026112605313€.0Z"));
    assert_eq!(
        dse(0).clock_skew_seconds,
        None,
        "an unparseable time gives no skew"
    );
    let name = dse(1).dns_host_name.unwrap();
    assert!(
        name.chars().count() <= ldap::MAX_VALUE_CHARS + 1,
        "bounded: {} chars",
        name.chars().count()
    );
    assert!(dse(1).naming_contexts.len() <= ldap::MAX_VALUES);
    assert_eq!(dse(2), ldap::RootDse::default());
    assert!(
        serde_json::to_string(&r).unwrap().len() < 200_000,
        "the report stays small"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_ca_certificate_given_as_the_ca_file_is_explained_with_the_pin_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = Command::new("openssl")
        .current_dir(d)
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-days",
            "30",
            "-subj",
            "/CN=localhost",
        ])
        .args([
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        .args(["-keyout", "dc.key", "-out", "dc.pem"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = standin::start(&d.join("dc.pem"), &d.join("dc.key"), vec![]);
    let trust = TlsTrust::CaFile(d.join("dc.pem"));
    let r = run(
        &[dc(&["localhost"], port, "DC=example,DC=test", trust)],
        "svc@example.test",
        "x",
        10_000,
    )
    .await;
    let e = &r.endpoints[0];
    assert_eq!(
        e.code.as_deref(),
        Some("ldap.tls.ca_as_server_certificate"),
        "{e:#?}"
    );
    assert!(
        !e.message.contains('(') && !e.message.contains("Other"),
        "{}",
        e.message
    );
    let fp = e
        .certificate
        .as_ref()
        .expect("the chain is shown")
        .sha256
        .clone();
    assert!(
        e.hint.contains(&fp) && e.hint.contains("pin it"),
        "{}",
        e.hint
    );
}

/// With the test hook, a host named `panic.h2r-test.invalid` panics inside its task: the check
/// still reports it, as a failed host with the internal-error code.
#[cfg(feature = "test-hooks")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_host_task_is_a_failed_host_with_an_internal_error_code() {
    let r = run(
        &[dc(
            &["panic.h2r-test.invalid", "127.0.0.1"],
            closed_port(),
            "DC=x",
            TlsTrust::default(),
        )],
        "svc@x",
        "pw",
        5_000,
    )
    .await;
    assert_eq!(r.endpoints.len(), 2, "{r:#?}");
    let e = &r.endpoints[0];
    assert_eq!(
        (e.host.as_str(), e.ok, e.code.as_deref()),
        ("panic.h2r-test.invalid", false, Some("ldap.internal")),
        "{e:#?}"
    );
    assert!(!e.hint.is_empty());
    assert!(!r.warnings.iter().any(|w| w.code == "ldap.no_hosts"));
}
