//! Integration tests: Microsoft traffic through a real proxy on loopback (issue 9).
//!
//! Each test starts Debian's `tinyproxy` (package `tinyproxy-bin`, installed by
//! `scripts/install-deps.sh`) with its own configuration on 127.0.0.1 and a free port, runs the
//! sign-in or the Exchange check against the local stand-ins, and reads tinyproxy's log: every
//! request it forwarded is logged as `Request (file descriptor N): METHOD URL HTTP/1.1` (plain
//! http, as the stand-ins speak) or `CONNECT host:port HTTP/1.1` (https, tunnelled).
//! Environment variables are only ever set on a child process (the CLI), never in this test
//! process.

use crate::exchange::server::{ExoServer, SVC};
use crate::exchange::{all_in_group, fixture, run, stand_ins, user_admin};
use crate::identity::browse;
use crate::identity::server::{Config, IdServer, CLIENT_ID};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// A tinyproxy on 127.0.0.1, stopped (by its process id) when dropped.
struct Tinyproxy {
    child: Child,
    log: PathBuf,
    url: String,
    _dir: tempfile::TempDir,
}

impl Tinyproxy {
    fn start() -> Tinyproxy {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = dir.path().join("tinyproxy.log");
        let conf = dir.path().join("tinyproxy.conf");
        std::fs::write(
            &conf,
            format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 60\nLogFile \"{}\"\nLogLevel Connect\n\
                 MaxClients 50\nAllow 127.0.0.1\nDisableViaHeader Yes\n",
                log.display()
            ),
        )
        .unwrap();
        let child = std::process::Command::new("tinyproxy")
            .arg("-d")
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tinyproxy runs (Debian package tinyproxy-bin; scripts/install-deps.sh installs it)");
        let mut p = Tinyproxy {
            child,
            log,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        // Ready when it accepts connections (it exits at once on a bad configuration).
        for _ in 0..1000 {
            if let Some(status) = p.child.try_wait().unwrap() {
                panic!("tinyproxy stopped ({status}): {}", p.raw_log());
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return p;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("tinyproxy did not listen on {port}: {}", p.raw_log());
    }

    fn raw_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The requests it forwarded: `METHOD URL` (or `CONNECT host:port`).
    fn requests(&self) -> Vec<String> {
        self.raw_log()
            .lines()
            .filter_map(|l| l.split_once("]: Request (file descriptor ").map(|x| x.1))
            .filter_map(|l| l.split_once("): ").map(|x| x.1))
            .map(|l| l.trim_end_matches(" HTTP/1.1").to_string())
            .collect()
    }

    fn went_through(&self, method: &str, prefix: &str, contains: &str) -> bool {
        self.requests().iter().any(|r| {
            r.strip_prefix(method)
                .and_then(|r| r.strip_prefix(' '))
                .is_some_and(|u| u.starts_with(prefix) && u.contains(contains))
        })
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A CLI child with no proxy variables inherited, plus `env`.
fn cli(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_h2r-setup"));
    for k in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "REQUEST_METHOD",
        "H2R_SP_CLIENT_ID",
        "H2R_EXO_CLIENT_ID",
    ] {
        c.env_remove(k);
    }
    c.envs(env.iter().copied());
    c.args(args);
    c
}

/// Run it; when the first stderr line is a sign-in URL, follow it as the browser would.
/// (exit code, stdout JSON, stderr).
async fn run_cli(mut cmd: Command) -> (i32, Value, String) {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut err = String::new();
    if let Ok(Some(first)) = lines.next_line().await {
        if let Some(url) = first.strip_prefix("Open this URL to sign in: ") {
            browse(url).await;
        }
        err.push_str(&first);
        err.push('\n');
    }
    while let Ok(Some(l)) = lines.next_line().await {
        err.push_str(&l);
        err.push('\n');
    }
    let out = child.wait_with_output().await.unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), json, err)
}

fn sign_in_args<'a>(srv: &'a IdServer, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "azure",
        "sign-in",
        "--app",
        "service-provider",
        "--no-browser",
        "--format",
        "json",
        "--client-id",
        CLIENT_ID,
        "--authority-url",
        &srv.base,
        "--graph-url",
        &srv.base,
        "--timeout-ms",
        "20000",
    ];
    v.extend_from_slice(extra);
    v
}

fn check_args<'a>(id: &'a IdServer, exo: &'a ExoServer, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = crate::exchange::check_args(id, exo, "--no-browser");
    v.extend_from_slice(extra);
    v
}

/// The sign-in token request, the Graph reads and the Exchange admin API calls of one check.
fn assert_check_went_through(tp: &Tinyproxy, id: &IdServer, exo: &ExoServer) {
    let reqs = tp.requests();
    assert!(
        tp.went_through("POST", &id.base, "/oauth2/v2.0/token"),
        "token request: {reqs:?}"
    );
    assert!(
        tp.went_through("GET", &id.base, "/v1.0/"),
        "Graph: {reqs:?}"
    );
    assert!(
        tp.went_through("POST", &exo.base, "/adminapi/beta/"),
        "Exchange admin API: {reqs:?}"
    );
}

#[tokio::test]
async fn exchange_check_goes_through_the_explicit_proxy() {
    let tp = Tinyproxy::start();
    let (id, exo) = stand_ins(fixture(all_in_group("Hire2Retire"), user_admin()), SVC).await;
    let mut req = crate::exchange::request(&id, &exo);
    req.sign_in.proxy = Some(tp.url.clone());
    let r = run(&req).await;
    assert!(r.ok, "{r:?}");
    assert_check_went_through(&tp, &id, &exo);
}

#[tokio::test]
async fn exchange_check_cli_proxy_flag_and_no_proxy() {
    let (id, exo) = stand_ins(fixture(all_in_group("Hire2Retire"), user_admin()), SVC).await;

    let tp = Tinyproxy::start();
    let (code, json, err) = run_cli(cli(&check_args(&id, &exo, &["--proxy", &tp.url]), &[])).await;
    assert_eq!(code, 0, "{json} {err}");
    assert_check_went_through(&tp, &id, &exo);

    // NO_PROXY names the stand-ins' host: the same check goes direct.
    let tp = Tinyproxy::start();
    let (code, json, err) = run_cli(cli(
        &check_args(&id, &exo, &["--proxy", &tp.url]),
        &[("NO_PROXY", "127.0.0.1")],
    ))
    .await;
    assert_eq!(code, 0, "{json} {err}");
    assert_eq!(tp.requests(), Vec::<String>::new());
}

#[tokio::test]
async fn sign_in_cli_honours_the_proxy_environment_and_no_proxy() {
    let srv = IdServer::start(Config::default()).await;

    // http URLs (the loopback stand-ins) follow HTTP_PROXY.
    let tp = Tinyproxy::start();
    let (code, json, err) = run_cli(cli(
        &sign_in_args(&srv, &[]),
        &[("HTTP_PROXY", &tp.url), ("HTTPS_PROXY", &tp.url)],
    ))
    .await;
    assert_eq!(code, 0, "{json} {err}");
    assert!(
        tp.went_through("POST", &srv.base, "/oauth2/v2.0/token"),
        "{:?}",
        tp.requests()
    );
    assert!(
        tp.went_through("GET", &srv.base, "/v1.0/organization"),
        "{:?}",
        tp.requests()
    );

    let tp = Tinyproxy::start();
    let (code, json, err) = run_cli(cli(
        &sign_in_args(&srv, &[]),
        &[
            ("HTTP_PROXY", &tp.url),
            ("HTTPS_PROXY", &tp.url),
            ("no_proxy", "localhost,127.0.0.1"),
        ],
    ))
    .await;
    assert_eq!(code, 0, "{json} {err}");
    assert_eq!(tp.requests(), Vec::<String>::new());

    // The explicit flag works for the sign-in too.
    let tp = Tinyproxy::start();
    let (code, json, err) = run_cli(cli(&sign_in_args(&srv, &["--proxy", &tp.url]), &[])).await;
    assert_eq!(code, 0, "{json} {err}");
    assert!(
        tp.went_through("POST", &srv.base, "/oauth2/v2.0/token"),
        "{:?}",
        tp.requests()
    );
}

/// https (every real Microsoft endpoint) follows HTTPS_PROXY and is tunnelled with CONNECT. The
/// loopback "authority" here speaks plain http, so TLS fails after the tunnel: the tunnel in the
/// proxy's log is what is checked.
#[tokio::test]
async fn https_follows_https_proxy_through_a_connect_tunnel() {
    let srv = IdServer::start(Config::default()).await;
    let https = srv.base.replace("http://", "https://");
    let hostport = https.trim_start_matches("https://").to_string();
    let args = |https: &str| -> Vec<String> {
        [
            "azure",
            "sign-in",
            "--app",
            "service-provider",
            "--device-code",
            "--format",
            "json",
            "--client-id",
            CLIENT_ID,
            "--authority-url",
            https,
            "--graph-url",
            https,
            "--timeout-ms",
            "20000",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let a = args(&https);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();

    let tp = Tinyproxy::start();
    let (code, json, err) = run_cli(cli(&a, &[("HTTPS_PROXY", &tp.url)])).await;
    assert_eq!(code, 1, "{json} {err}");
    assert_eq!(json["code"], "identity.network", "{json}");
    assert!(
        tp.requests().contains(&format!("CONNECT {hostport}")),
        "{:?}",
        tp.requests()
    );

    let tp = Tinyproxy::start();
    let (code, json, err) = run_cli(cli(
        &a,
        &[("HTTPS_PROXY", &tp.url), ("NO_PROXY", "127.0.0.1")],
    ))
    .await;
    assert_eq!(code, 1, "{json} {err}");
    assert_eq!(tp.requests(), Vec::<String>::new());
}

#[tokio::test]
async fn a_bad_proxy_is_a_usage_error_that_never_echoes_a_password() {
    let srv = IdServer::start(Config::default()).await;
    let (id, exo) = stand_ins(fixture(vec![], user_admin()), SVC).await;
    for bad in [
        "http://admin:Pr0xy-S3cret@127.0.0.1:3128",
        "socks5://127.0.0.1:1080",
        "http://127.0.0.1:3128/path",
    ] {
        for args in [
            sign_in_args(&srv, &["--proxy", bad]),
            check_args(&id, &exo, &["--proxy", bad]),
        ] {
            let (code, json, err) = run_cli(cli(&args, &[])).await;
            assert_eq!(code, 2, "{bad}: {json} {err}");
            assert!(err.contains("--proxy"), "{err}");
            assert!(!err.contains("Pr0xy-S3cret"), "{err}");
            assert!(!json.to_string().contains("Pr0xy-S3cret"), "{json}");
        }
    }
    // Nothing reached the stand-ins.
    assert!(exo.log().is_empty(), "{:?}", exo.log());

    // The library refuses it as a field error too, before any request.
    let mut req = crate::exchange::request(&id, &exo);
    req.sign_in.proxy = Some("http://admin:Pr0xy-S3cret@127.0.0.1:3128".into());
    let r = run(&req).await;
    assert!(!r.ok);
    assert_eq!(r.code, "exchange.invalid_input", "{r:?}");
    assert!(!format!("{r:?}").contains("Pr0xy-S3cret"));
}

#[test]
fn the_proxy_is_saved_with_the_settings_and_never_with_a_password() {
    use h2r_setup::settings;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(settings::STORE_FILE);
    let mut s = settings::load_file(&path).unwrap();
    s.set_proxy(Some(" proxy.corp.example:3128 ")).unwrap();
    settings::save_file(&path, &s).unwrap();
    let back = settings::load_file(&path).unwrap();
    assert_eq!(
        back.network.proxy.as_deref(),
        Some("http://proxy.corp.example:3128")
    );

    // A password is refused as a field error, and nothing changes.
    let mut s2 = back.clone();
    let e = s2
        .set_proxy(Some("http://admin:Pr0xy-S3cret@proxy.corp.example:3128"))
        .unwrap_err();
    assert!(matches!(
        e,
        h2r_setup::identity::IdentityError::Input { field: "proxy", .. }
    ));
    assert!(!e.to_string().contains("Pr0xy-S3cret"));
    assert_eq!(s2, back);

    // Empty clears it; the file then has no network section at all.
    s2.set_proxy(Some("")).unwrap();
    settings::save_file(&path, &s2).unwrap();
    assert_eq!(settings::load_file(&path).unwrap().network.proxy, None);
    assert!(!std::fs::read_to_string(&path).unwrap().contains("network"));
}
