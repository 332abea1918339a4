//! Benchmark of the live LDAPS check against a Samba AD DC on loopback (started by
//! `scripts/samba-ad.sh`, as in the tests). Run: `cargo bench --bench ldap`.
//!
//! 1. A 16-host list (8 live, 4 refused, 4 never answering; 2 s bound per host) checked at once,
//!    against the sum of the same 16 hosts checked one by one.
//! 2. One connect + TLS + bind + rootDSE through the check's own TLS config and ldap3, against
//!    `ldapsearch` doing the same on the same server in the same run (median of N).
//!
//! Prints a Markdown table; the committed numbers are in docs/bench-ldap.md.

use h2r_setup::ldap::{self, tls::Trust, CancellationToken, CheckOptions, Password};
use h2r_setup::profile::{DomainController, TlsTrust};
use ldap3::{LdapConnAsync, LdapConnSettings, Scope};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const SVC: &str = "svc-h2r@example.test";
const PW: &str = "Svc-Pass-2026!";
const OU: &str = "OU=Hire2Retire,DC=example,DC=test";
const N: usize = 20;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/samba-test/dc1");
    let st = Command::new("bash")
        .arg(root.join("scripts/samba-ad.sh"))
        .arg("start")
        .arg(&dir)
        .status();
    if !matches!(st, Ok(s) if s.success()) {
        eprintln!(
            "ldap bench: samba could not be started (scripts/setup-ldap.sh installs it); skipped"
        );
        return;
    }
    let ca = dir.join("ca/ca.pem");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let trust = TlsTrust::CaFile(ca.clone());
        // never-answering listeners and refused ports
        let mut silent = Vec::new();
        let mut held = Vec::new();
        for _ in 0..4 {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            silent.push(l.local_addr().unwrap().port());
            held.push(tokio::spawn(async move {
                let mut keep = Vec::new();
                while let Ok((s, _)) = l.accept().await {
                    keep.push(s);
                }
            }));
        }
        let refused: Vec<u16> = (0..4)
            .map(|_| {
                std::net::TcpListener::bind("127.0.0.1:0")
                    .unwrap()
                    .local_addr()
                    .unwrap()
                    .port()
            })
            .collect();
        let mut dcs = Vec::new();
        for _ in 0..8 {
            dcs.push(DomainController {
                hosts: vec!["127.0.0.1".into()],
                port: 636,
                base_dn: OU.into(),
                tls: trust.clone(),
            });
        }
        for p in refused.iter().chain(silent.iter()) {
            dcs.push(DomainController {
                hosts: vec!["127.0.0.1".into()],
                port: *p,
                base_dn: OU.into(),
                tls: trust.clone(),
            });
        }
        let opts = CheckOptions {
            timeout_ms: 2000,
            trust_override: None,
        };
        let pw = Password::new(PW);
        // warm-up (system roots, CA file parse, Samba caches)
        let _ = ldap::check(
            &dcs[..1],
            SVC,
            &pw,
            &opts,
            ldap::no_progress(),
            CancellationToken::new(),
        )
        .await;

        let t = Instant::now();
        let all = ldap::check(
            &dcs,
            SVC,
            &pw,
            &opts,
            ldap::no_progress(),
            CancellationToken::new(),
        )
        .await;
        let together = t.elapsed();
        let mut sum = Duration::ZERO;
        let mut slowest = Duration::ZERO;
        for d in &dcs {
            let t = Instant::now();
            let _ = ldap::check(
                std::slice::from_ref(d),
                SVC,
                &pw,
                &opts,
                ldap::no_progress(),
                CancellationToken::new(),
            )
            .await;
            let e = t.elapsed();
            sum += e;
            slowest = slowest.max(e);
        }
        let codes: Vec<String> = all
            .endpoints
            .iter()
            .map(|e| e.code.clone().unwrap_or_else(|| "ok".into()))
            .collect();
        let count = |c: &str| codes.iter().filter(|x| x.as_str() == c).count();
        println!("## 16-host list (8 live, 4 refused, 4 never answering; 2 s bound per host)\n");
        println!("| measure | time |\n|---|---|");
        println!(
            "| all 16 hosts concurrently (one `check`) | {} |",
            ms(together)
        );
        println!(
            "| sum of the 16 single-host checks, one after another | {} |",
            ms(sum)
        );
        println!("| slowest single host | {} |", ms(slowest));
        println!(
            "| speed-up | {:.1}x |",
            sum.as_secs_f64() / together.as_secs_f64()
        );
        println!(
            "\noutcomes: {} ok, {} refused, {} timeout\n",
            count("ok"),
            count("ldap.refused"),
            count("ldap.timeout")
        );

        // one full single-host check (all stages)
        let mut full = Vec::new();
        for _ in 0..N {
            let t = Instant::now();
            let r = ldap::check(
                &dcs[..1],
                SVC,
                &pw,
                &opts,
                ldap::no_progress(),
                CancellationToken::new(),
            )
            .await;
            full.push(t.elapsed());
            assert!(r.ok);
        }

        // connect + TLS + bind + rootDSE, with the check's own TLS config
        let tr = Trust::from_settings(&trust).unwrap();
        let mut ours = Vec::new();
        let mut nagle = Vec::new();
        for i in 0..2 * N {
            let nodelay = i % 2 == 0;
            let t = Instant::now();
            let (cfg, _) = tr.client_config();
            // as the check does: our own socket with TCP_NODELAY
            let sock = std::net::TcpStream::connect("127.0.0.1:636").unwrap();
            sock.set_nodelay(nodelay).unwrap();
            let settings = LdapConnSettings::new()
                .set_config(cfg)
                .set_std_stream(ldap3::StdStream::Tcp(sock));
            let (conn, mut l) = LdapConnAsync::with_settings(settings, "ldaps://127.0.0.1:636")
                .await
                .unwrap();
            ldap3::drive!(conn);
            l.simple_bind(SVC, PW).await.unwrap().success().unwrap();
            let (rs, _) = l
                .search(
                    "",
                    Scope::Base,
                    "(objectClass=*)",
                    vec!["defaultNamingContext", "dnsHostName", "currentTime"],
                )
                .await
                .unwrap()
                .success()
                .unwrap();
            assert_eq!(rs.len(), 1);
            let _ = l.unbind().await;
            if nodelay {
                ours.push(t.elapsed())
            } else {
                nagle.push(t.elapsed())
            }
        }
        // the same with ldapsearch (includes starting the process, as an admin would run it)
        let mut theirs = Vec::new();
        let mut ldapsearch_ok = true;
        for _ in 0..N {
            let t = Instant::now();
            let out = Command::new("ldapsearch")
                .args([
                    "-LLL",
                    "-x",
                    "-H",
                    "ldaps://127.0.0.1:636",
                    "-D",
                    SVC,
                    "-w",
                    PW,
                    "-b",
                    "",
                    "-s",
                    "base",
                    "defaultNamingContext",
                    "dnsHostName",
                    "currentTime",
                ])
                .env("LDAPTLS_CACERT", &ca)
                .output();
            theirs.push(t.elapsed());
            ldapsearch_ok &= matches!(out, Ok(o) if o.status.success());
        }
        println!("## One host: connect + TLS + bind + rootDSE (median of {N})\n");
        println!("| client | median | min |\n|---|---|---|");
        println!(
            "| h2r-setup (ldap3 + rustls/aws-lc-rs, the check's TLS config) | {} | {} |",
            ms(median(ours.clone())),
            ms(*ours.iter().min().unwrap())
        );
        println!(
            "| same, without TCP_NODELAY (ldap3's default socket) | {} | {} |",
            ms(median(nagle.clone())),
            ms(*nagle.iter().min().unwrap())
        );
        println!(
            "| `ldapsearch` (OpenLDAP 2.5 + GnuTLS, incl. process start) | {} | {} |{}",
            ms(median(theirs.clone())),
            ms(*theirs.iter().min().unwrap()),
            if ldapsearch_ok {
                ""
            } else {
                " (some runs failed!)"
            }
        );
        println!(
            "| h2r-setup full check, all stages (adds Base DN + rights) | {} | {} |",
            ms(median(full.clone())),
            ms(*full.iter().min().unwrap())
        );
        for h in held {
            h.abort();
        }
    });
}
