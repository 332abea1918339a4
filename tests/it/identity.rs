//! Integration tests: Microsoft identity (issue 5), against a local identity server
//! (`identity/server.rs`) that speaks the documented protocol on 127.0.0.1, plus a conformance
//! run against an independent OAuth 2.0 server (`identity/conformance.rs`).

mod conformance;
pub mod server;

use h2r_setup::identity::certificate::{self, CertificateRequest, Credential};
use h2r_setup::identity::signin::{self, SignInEvent, SignInMethod, SignInReport, SignInRequest};
use h2r_setup::identity::Cancel;
use h2r_setup::profile::{ApplicationKind, Cloud};
use h2r_setup::Diagnostic;
use server::*;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The "browser": follows the authorize redirect to the wizard's loopback listener.
pub async fn browse(url: &str) -> (u16, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .unwrap();
    let resp = client.get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

fn request(srv: &IdServer) -> SignInRequest {
    let mut r = SignInRequest::new(Cloud::Global);
    r.client_id = Some(CLIENT_ID.into());
    r.authority_url = Some(srv.base.clone());
    r.graph_url = Some(srv.base.clone());
    r.timeout_ms = 20_000;
    r
}

pub type Pages = Arc<Mutex<Vec<(u16, String)>>>;

/// A browser that opens every URL the flow asks to open; the pages it got back.
pub fn browser() -> (Pages, impl Fn(SignInEvent) + Send + Sync) {
    let pages: Pages = Arc::new(Mutex::new(Vec::new()));
    let p2 = pages.clone();
    let f = move |ev: SignInEvent| {
        if let SignInEvent::OpenUrl { url } = &ev {
            let url = url.clone();
            let p = p2.clone();
            tokio::spawn(async move {
                let r = browse(&url).await;
                p.lock().unwrap().push(r);
            });
        }
    };
    (pages, f)
}

async fn sp_sign_in(req: &SignInRequest) -> (SignInReport, Vec<(u16, String)>) {
    let (pages, on_event) = browser();
    let report = signin::sign_in_service_provider(req, &on_event, &Cancel::new()).await;
    // The browser task reads the listener's page; give it a moment when the flow finished first.
    for _ in 0..100 {
        if !pages.lock().unwrap().is_empty()
            || report.code == "identity.timeout"
            || report.code == "identity.invalid_input"
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let p = pages.lock().unwrap().clone();
    (report, p)
}

#[tokio::test]
async fn service_provider_sign_in_reads_tenant_and_scopes() {
    let srv = IdServer::start(Config::default()).await;
    let (r, pages) = sp_sign_in(&request(&srv)).await;
    assert!(r.ok, "{r:?}");
    assert_eq!(r.code, "identity.ok");
    let t = r.tenant.unwrap();
    assert_eq!(t.id, TENANT_ID);
    assert_eq!(t.name, "Contoso");
    assert_eq!(t.domains, [TENANT_DOMAIN, "contoso.onmicrosoft.com"]);
    assert!(r.missing.is_empty());
    for s in [
        "User.ReadWrite.All",
        "Group.ReadWrite.All",
        "Directory.AccessAsUser.All",
        "offline_access",
    ] {
        assert!(r.granted.iter().any(|g| g == s), "{s} in {:?}", r.granted);
    }
    let log = srv.log();
    assert!(log.contains(&"pkce:ok".to_string()), "{log:?}");
    assert!(log.contains(&"graph:organization".to_string()));
    assert!(
        log.iter()
            .any(|l| l.starts_with("authorize:scope=openid profile User.ReadWrite.All")),
        "{log:?}"
    );
    assert_eq!(pages[0].0, 200);
    assert!(pages[0].1.contains("Signed in"));
}

#[tokio::test]
async fn national_cloud_scopes_name_the_clouds_graph() {
    let srv = IdServer::start(Config::default()).await;
    let mut req = request(&srv);
    req.cloud = Cloud::UsgovHigh;
    let _ = sp_sign_in(&req).await;
    let log = srv.log();
    assert!(
        log.iter()
            .any(|l| l.contains("https://graph.microsoft.us/User.ReadWrite.All")),
        "{log:?}"
    );
}

#[tokio::test]
async fn pkce_verifier_is_checked_by_the_server() {
    use h2r_setup::identity::{authorize, loopback::Listener};
    use h2r_setup::Diagnostic;
    let srv = IdServer::start(Config::default()).await;
    let listener = Listener::bind().await.unwrap();
    let setup = authorize::AuthCodeSetup {
        auth_url: format!("{}/organizations/oauth2/v2.0/authorize", srv.base),
        token_url: format!("{}/organizations/oauth2/v2.0/token", srv.base),
        client_id: CLIENT_ID.into(),
        scopes: vec!["openid".into(), "User.ReadWrite.All".into()],
        extra: vec![],
    };
    let mut pending = authorize::start(&setup, &listener.redirect_uri()).unwrap();
    assert!(pending.url.contains("code_challenge_method=S256"));
    let url = pending.url.clone();
    tokio::spawn(async move { browse(&url).await });
    let cb = listener
        .wait(
            pending.state.secret(),
            Duration::from_secs(10),
            &Cancel::new(),
        )
        .await
        .unwrap();
    // Swap in another verifier: the server must refuse it (AADSTS501481).
    pending.verifier = oauth2::PkceCodeVerifier::new("x".repeat(64));
    let http = h2r_setup::identity::http::client();
    let err = authorize::exchange(&http, &setup, pending, cb.get("code").unwrap().into())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "identity.pkce_mismatch");
    assert!(srv.log().contains(&"pkce:mismatch".to_string()));
}

#[tokio::test]
async fn wrong_state_is_refused() {
    let srv = IdServer::start(Config {
        authorize: Authorize::WrongState,
        ..Default::default()
    })
    .await;
    let mut req = request(&srv);
    req.timeout_ms = 1500;
    let (r, pages) = sp_sign_in(&req).await;
    assert_eq!(r.code, "identity.state_mismatch", "{r:?}");
    assert!(!r.ok);
    assert_eq!(pages[0].0, 400);
    assert!(
        !srv.log().contains(&"pkce:ok".to_string()),
        "no code may be redeemed"
    );
}

#[tokio::test]
async fn consent_required_offers_admin_consent_then_sign_in_again_works() {
    let srv = IdServer::start(Config {
        authorize: Authorize::ConsentRequired,
        granted_scopes: vec![],
        ..Default::default()
    })
    .await;
    let req = request(&srv);
    let (r, pages) = sp_sign_in(&req).await;
    assert_eq!(r.code, "identity.consent_required", "{r:?}");
    assert_eq!(r.aadsts, Some(65001));
    assert!(!r.hint.is_empty());
    let link = r.admin_consent_url.clone().expect("consent link");
    assert!(
        link.starts_with(&format!(
            "{}/organizations/v2.0/adminconsent?client_id={CLIENT_ID}",
            srv.base
        )),
        "{link}"
    );
    assert!(link.contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"));
    assert!(pages[0].1.contains("Sign-in did not complete"));

    // An admin grants consent through /adminconsent; the return carries admin_consent=True.
    let (_p, on_event) = browser();
    let granted = signin::admin_consent(
        &req,
        ApplicationKind::ServiceProvider,
        &on_event,
        &Cancel::new(),
    )
    .await
    .unwrap();
    assert_eq!(granted.tenant.as_deref(), Some(TENANT_ID));
    assert!(
        srv.log().iter().any(|l| l.starts_with(
            "adminconsent:tenant=organizations:scope=https://graph.microsoft.com/.default"
        )),
        "{:?}",
        srv.log()
    );

    let (r, _) = sp_sign_in(&req).await;
    assert!(r.ok, "{r:?}");
}

#[tokio::test]
async fn admin_consent_declined_is_reported() {
    let srv = IdServer::start(Config {
        admin_consent: AdminConsent::Deny,
        ..Default::default()
    })
    .await;
    let (_p, on_event) = browser();
    let err = signin::admin_consent(
        &request(&srv),
        ApplicationKind::ServiceProvider,
        &on_event,
        &Cancel::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "identity.user_declined", "{err:?}");
    assert!(!err.hint().is_empty());
}

#[tokio::test]
async fn user_declining_consent_is_reported() {
    let srv = IdServer::start(Config {
        authorize: Authorize::Declined,
        ..Default::default()
    })
    .await;
    let (r, _) = sp_sign_in(&request(&srv)).await;
    assert_eq!(r.code, "identity.user_declined", "{r:?}");
    assert!(r.admin_consent_url.is_none());
}

#[tokio::test]
async fn missing_scopes_are_each_reported() {
    let srv = IdServer::start(Config {
        granted_scopes: ["User.ReadWrite.All", "offline_access"]
            .map(String::from)
            .to_vec(),
        ..Default::default()
    })
    .await;
    let (r, _) = sp_sign_in(&request(&srv)).await;
    assert!(!r.ok);
    assert_eq!(r.code, "identity.missing_permissions");
    assert_eq!(
        r.missing,
        ["Group.ReadWrite.All", "Directory.AccessAsUser.All"]
    );
    assert!(
        r.message
            .contains("2 delegated permissions are not granted"),
        "{}",
        r.message
    );
    assert!(r.admin_consent_url.is_some());
    assert_eq!(r.tenant.unwrap().id, TENANT_ID);
}

#[tokio::test]
async fn token_from_another_tenant_is_refused() {
    let srv = IdServer::start(Config {
        token_tenant: OTHER_TENANT_ID.into(),
        ..Default::default()
    })
    .await;
    let mut req = request(&srv);
    req.tenant = Some(TENANT_ID.into());
    let (r, _) = sp_sign_in(&req).await;
    assert_eq!(r.code, "identity.wrong_tenant", "{r:?}");
    assert!(r.tenant.is_none());
}

#[tokio::test]
async fn domain_tenant_is_resolved_and_enforced() {
    let srv = IdServer::start(Config::default()).await;
    let mut req = request(&srv);
    req.tenant = Some(TENANT_DOMAIN.into());
    let (r, _) = sp_sign_in(&req).await;
    assert!(r.ok, "{r:?}");

    srv.with(|c| c.token_tenant = OTHER_TENANT_ID.into());
    let (r, _) = sp_sign_in(&req).await;
    assert_eq!(r.code, "identity.wrong_tenant");

    req.tenant = Some("unknown.example".into());
    let (r, _) = sp_sign_in(&req).await;
    assert_eq!(r.code, "identity.tenant_not_found", "{r:?}");
    assert_eq!(r.aadsts, Some(90002));
}

#[tokio::test]
async fn listener_times_out_and_cancels() {
    let srv = IdServer::start(Config::default()).await;
    let mut req = request(&srv);
    req.timeout_ms = 300;
    // Nobody opens the browser.
    let r = signin::sign_in_service_provider(&req, &|_| {}, &Cancel::new()).await;
    assert_eq!(r.code, "identity.timeout", "{r:?}");

    req.timeout_ms = 60_000;
    let cancel = Cancel::new();
    let c2 = cancel.clone();
    let on_event = move |ev: SignInEvent| {
        if matches!(ev, SignInEvent::Waiting) {
            c2.cancel();
        }
    };
    let r = signin::sign_in_service_provider(&req, &on_event, &cancel).await;
    assert_eq!(r.code, "identity.cancelled");
}

#[tokio::test]
async fn request_approval_page_returns_nothing_and_the_wizard_stops_waiting() {
    // AADSTS90095: the browser shows "Request approval"; nothing comes back to the app.
    // The wizard's "I have sent the request" is a Cancel of the waiting sign-in.
    let srv = IdServer::start(Config {
        authorize: Authorize::RequestApproval,
        ..Default::default()
    })
    .await;
    let mut req = request(&srv);
    req.timeout_ms = 60_000;
    let cancel = Cancel::new();
    let pages: Pages = Arc::new(Mutex::new(Vec::new()));
    let (c2, p2) = (cancel.clone(), pages.clone());
    let on_event = move |ev: SignInEvent| {
        if let SignInEvent::OpenUrl { url } = ev {
            let (c3, p3) = (c2.clone(), p2.clone());
            tokio::spawn(async move {
                let page = browse(&url).await;
                p3.lock().unwrap().push(page);
                c3.cancel(); // "I have sent the request"
            });
        }
    };
    let r = signin::sign_in_service_provider(&req, &on_event, &cancel).await;
    assert_eq!(r.code, "identity.cancelled");
    assert!(pages.lock().unwrap()[0].1.contains("AADSTS90095"));
}

#[tokio::test]
async fn token_endpoint_aadsts_codes_map_to_plain_advice() {
    let srv = IdServer::start(Config::default()).await;
    for (err, n, code) in [
        ("invalid_grant", 50076, "identity.mfa_required"),
        ("invalid_grant", 53003, "identity.conditional_access"),
        ("invalid_grant", 65001, "identity.consent_required"),
        ("invalid_grant", 65004, "identity.user_declined"),
        ("invalid_grant", 90094, "identity.admin_consent_required"),
        ("invalid_grant", 90095, "identity.admin_consent_request"),
        ("unauthorized_client", 700016, "identity.app_not_found"),
        ("invalid_client", 7000218, "identity.public_client_disabled"),
        ("invalid_request", 50011, "identity.reply_url_mismatch"),
        ("invalid_request", 90002, "identity.tenant_not_found"),
    ] {
        srv.with(|c| c.token_error = Some((err, n)));
        let (r, _) = sp_sign_in(&request(&srv)).await;
        assert_eq!(r.code, code, "{n}: {r:?}");
        assert_eq!(r.aadsts, Some(n));
        assert!(r.message.contains(&format!("AADSTS{n}")), "{}", r.message);
        assert!(!r.hint.is_empty());
        assert_eq!(
            r.admin_consent_url.is_some(),
            matches!(n, 65001 | 90094 | 90095),
            "{n}"
        );
    }
}

#[tokio::test]
async fn device_code_polls_through_pending_and_slow_down() {
    let srv = IdServer::start(Config {
        polls: vec![Poll::Pending, Poll::SlowDown],
        ..Default::default()
    })
    .await;
    let mut req = request(&srv);
    req.method = SignInMethod::DeviceCode;
    let prompts = Arc::new(Mutex::new(Vec::new()));
    let p2 = prompts.clone();
    let on_event = move |ev: SignInEvent| {
        if let SignInEvent::DeviceCode(p) = ev {
            p2.lock().unwrap().push(p);
        }
    };
    let r = signin::sign_in_service_provider(&req, &on_event, &Cancel::new()).await;
    assert!(r.ok, "{r:?}");
    assert_eq!(prompts.lock().unwrap()[0].user_code, "FJHKDS7NA");
    let polls: Vec<_> = srv
        .log()
        .into_iter()
        .filter(|l| l.starts_with("poll:"))
        .collect();
    assert_eq!(
        polls,
        ["poll:authorization_pending", "poll:slow_down", "poll:token"]
    );

    srv.with(|c| c.polls = vec![Poll::Declined]);
    let r = signin::sign_in_service_provider(&req, &|_| {}, &Cancel::new()).await;
    assert_eq!(r.code, "identity.access_denied", "{r:?}");
}

// --- Customer Owned Application ------------------------------------------------------------

fn credential() -> &'static Credential {
    static C: OnceLock<Credential> = OnceLock::new();
    C.get_or_init(|| {
        certificate::generate(&CertificateRequest {
            common_name: "Hire2Retire".into(),
            days: 30,
            bits: 2048,
        })
        .unwrap()
    })
}

fn register(cfg: &mut Config, cred: &Credential) {
    let cert =
        <x509_cert::Certificate as x509_cert::der::Decode>::from_der(cred.cert_der()).unwrap();
    cfg.certificates
        .insert(cred.x5t_s256(), certificate::public_key_of(&cert).unwrap());
}

fn co_request(srv: &IdServer) -> SignInRequest {
    let mut r = request(srv);
    r.tenant = Some(TENANT_ID.into());
    r
}

#[tokio::test]
async fn customer_owned_client_assertion_is_verified_and_roles_compared() {
    let mut cfg = Config::default();
    register(&mut cfg, credential());
    let srv = IdServer::start(cfg).await;
    let r = signin::verify_customer_owned(&co_request(&srv), credential(), &|_| {}, &Cancel::new())
        .await;
    assert!(r.ok, "{r:?}");
    assert_eq!(r.tenant.as_ref().unwrap().name, "Contoso");
    assert!(srv.log().contains(&"assertion:ok".to_string()));

    srv.with(|c| {
        c.granted_roles = vec![
            "User.ReadWrite.All".into(),
            "Directory.ReadWrite.All".into(),
        ]
    });
    let r = signin::verify_customer_owned(&co_request(&srv), credential(), &|_| {}, &Cancel::new())
        .await;
    assert_eq!(r.code, "identity.missing_permissions");
    assert_eq!(
        r.missing,
        ["Group.ReadWrite.All", "User.EnableDisableAccount.All"]
    );
    assert!(r.message.contains("application permissions"));

    // Tenant given as a domain resolves; a token for another tenant is refused.
    let mut req = co_request(&srv);
    req.tenant = Some(TENANT_DOMAIN.into());
    srv.with(|c| c.token_tenant = OTHER_TENANT_ID.into());
    let r = signin::verify_customer_owned(&req, credential(), &|_| {}, &Cancel::new()).await;
    assert_eq!(r.code, "identity.wrong_tenant", "{r:?}");
}

#[tokio::test]
async fn unregistered_certificate_is_rejected_by_signature_check() {
    let srv = IdServer::start(Config::default()).await; // no certificate registered
    let r = signin::verify_customer_owned(&co_request(&srv), credential(), &|_| {}, &Cancel::new())
        .await;
    assert_eq!(r.code, "identity.bad_client_assertion", "{r:?}");
    assert_eq!(r.aadsts, Some(700027));
    assert!(srv
        .log()
        .iter()
        .any(|l| l == "assertion:unknown certificate"));

    // Registered under the right thumbprint but with another key: the signature check fails.
    let other = certificate::generate(&CertificateRequest {
        common_name: "Other".into(),
        days: 1,
        bits: 2048,
    })
    .unwrap();
    let cert =
        <x509_cert::Certificate as x509_cert::der::Decode>::from_der(other.cert_der()).unwrap();
    srv.with(|c| {
        c.certificates.insert(
            credential().x5t_s256(),
            certificate::public_key_of(&cert).unwrap(),
        );
    });
    let r = signin::verify_customer_owned(&co_request(&srv), credential(), &|_| {}, &Cancel::new())
        .await;
    assert_eq!(r.code, "identity.bad_client_assertion");
    assert!(
        srv.log().iter().any(|l| l == "assertion:bad signature"),
        "{:?}",
        srv.log()
    );
}

#[tokio::test]
async fn customer_owned_input_is_checked_before_any_request() {
    let srv = IdServer::start(Config::default()).await;
    let mut req = co_request(&srv);
    req.tenant = Some("organizations".into());
    let r = signin::verify_customer_owned(&req, credential(), &|_| {}, &Cancel::new()).await;
    assert_eq!(r.code, "identity.invalid_input");
    req.tenant = Some(TENANT_ID.into());
    req.client_id = Some("not-a-guid".into());
    let r = signin::verify_customer_owned(&req, credential(), &|_| {}, &Cancel::new()).await;
    assert_eq!(r.code, "identity.invalid_input");
    req.client_id = Some(CLIENT_ID.into());
    req.authority_url = Some("http://192.0.2.1".into());
    let r = signin::verify_customer_owned(&req, credential(), &|_| {}, &Cancel::new()).await;
    assert_eq!(r.code, "identity.invalid_input");
    assert!(srv.log().is_empty());
}

#[test]
fn certificate_files_thumbprints_and_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let cred = credential();
    let pass = "correct horse battery staple";
    assert_eq!(
        certificate::save(cred, dir.path(), "h2r", "short")
            .unwrap_err()
            .to_string(),
        "The passphrase must have at least 12 characters."
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "bad input writes nothing"
    );
    let saved = certificate::save(cred, dir.path(), "h2r", pass).unwrap();
    assert!(
        certificate::save(cred, dir.path(), "h2r", pass).is_err(),
        "never overwrites"
    );
    let info = cred.info();
    assert_eq!(info.thumbprint_sha1.len(), 40);
    assert_eq!(info.thumbprint_sha256.len(), 64);
    assert_eq!(
        &certificate::info_of_public(&std::fs::read(&saved.cer).unwrap()).unwrap(),
        info
    );
    assert_eq!(
        &certificate::info_of_public(&std::fs::read(&saved.pem).unwrap()).unwrap(),
        info
    );
    let key_text = std::fs::read_to_string(&saved.key).unwrap();
    assert!(key_text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert!(!key_text.contains("-----BEGIN PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&saved.key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let loaded = certificate::load(&saved.key, pass).unwrap();
    assert_eq!(loaded.info(), info);
    assert!(matches!(
        certificate::load(&saved.key, "wrong passphrase!!").unwrap_err(),
        h2r_setup::identity::IdentityError::WrongPassphrase
    ));
    // An unencrypted key is refused.
    let plain = format!(
        "{}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        cred.cert_pem()
    );
    assert!(certificate::parse_bundle(&plain, pass)
        .unwrap_err()
        .to_string()
        .contains("not passphrase-protected"));

    // OpenSSL agrees on the thumbprint, opens the key with the passphrase, verifies the signature.
    if let Ok(out) = std::process::Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-fingerprint",
            "-sha1",
            "-inform",
            "DER",
            "-in",
        ])
        .arg(&saved.cer)
        .output()
    {
        let s = String::from_utf8_lossy(&out.stdout).replace(':', "");
        assert!(s.contains(&info.thumbprint_sha1), "{s}");
        let ok = std::process::Command::new("openssl")
            .args(["pkey", "-noout", "-passin", &format!("pass:{pass}"), "-in"])
            .arg(&saved.key)
            .status()
            .unwrap();
        assert!(ok.success());
        let out = std::process::Command::new("openssl")
            .args(["verify", "-CAfile"])
            .arg(&saved.pem)
            .arg(&saved.pem)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "self-signed signature verifies: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn certificate_request_is_validated() {
    for (cn, days, bits) in [
        ("", 30, 2048),
        ("a,b", 30, 2048),
        ("ok", 0, 2048),
        ("ok", 2000, 2048),
        ("ok", 30, 1024),
    ] {
        assert!(
            CertificateRequest {
                common_name: cn.into(),
                days,
                bits
            }
            .validate()
            .is_err(),
            "{cn} {days} {bits}"
        );
    }
}

// --- CLI -------------------------------------------------------------------------------------

mod cli {
    use super::*;
    use tokio::io::{AsyncBufReadExt, BufReader};
    use tokio::process::Command;

    fn bin() -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_h2r-setup"));
        c.env_remove("H2R_SP_CLIENT_ID")
            .env_remove("H2R_CERT_PASSPHRASE");
        c
    }

    /// Run `sign-in --no-browser`, read the first stderr line, open the URL; (exit, stdout JSON, first line).
    async fn sign_in(srv: &IdServer, extra: &[&str]) -> (i32, serde_json::Value, String) {
        let mut cmd = bin();
        cmd.args([
            "azure",
            "sign-in",
            "--app",
            "service-provider",
            "--cloud",
            "global",
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
        ]);
        cmd.args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next_line().await.unwrap().unwrap_or_default();
        if let Some(url) = first.strip_prefix("Open this URL to sign in: ") {
            browse(url).await;
        }
        while let Ok(Some(_)) = lines.next_line().await {}
        let out = child.wait_with_output().await.unwrap();
        let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (out.status.code().unwrap(), json, first)
    }

    #[tokio::test]
    async fn sign_in_no_browser_prints_the_url_first_and_json() {
        let srv = IdServer::start(Config::default()).await;
        let (code, json, first) = sign_in(&srv, &[]).await;
        assert!(
            first.starts_with(&format!(
                "Open this URL to sign in: {}/organizations/oauth2/v2.0/authorize?",
                srv.base
            )),
            "{first}"
        );
        assert_eq!(code, 0, "{json}");
        assert_eq!(json["ok"], true);
        assert_eq!(json["tenant"]["id"], TENANT_ID);
        assert_eq!(json["tenant"]["name"], "Contoso");
        assert_eq!(json["tenant"]["domains"][0], TENANT_DOMAIN);
        assert_eq!(json["missing"], serde_json::json!([]));
        for k in ["granted", "code", "message", "hint"] {
            assert!(json.get(k).is_some(), "{k}");
        }
    }

    #[tokio::test]
    async fn missing_permissions_exit_1_and_usage_exit_2() {
        let srv = IdServer::start(Config {
            granted_scopes: vec!["User.ReadWrite.All".into()],
            ..Default::default()
        })
        .await;
        let (code, json, _) = sign_in(&srv, &[]).await;
        assert_eq!(code, 1);
        assert_eq!(
            json["missing"],
            serde_json::json!([
                "Group.ReadWrite.All",
                "Directory.AccessAsUser.All",
                "offline_access"
            ])
        );

        let (code, json, _) = sign_in(&srv, &["--tenant", "not a tenant"]).await;
        assert_eq!(code, 2, "{json}");
        assert_eq!(json["code"], "identity.invalid_input");

        let out = bin()
            .args([
                "azure",
                "sign-in",
                "--app",
                "service-provider",
                "--no-browser",
                "--authority-url",
                &srv.base,
            ])
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "no client ID configured");
        assert!(String::from_utf8_lossy(&out.stderr).contains("H2R_SP_CLIENT_ID"));

        let out = bin()
            .args(["azure", "sign-in", "--app", "nope"])
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
    }

    #[tokio::test]
    async fn certificate_then_customer_owned_sign_in() {
        let dir = tempfile::tempdir().unwrap();
        let pass_file = dir.path().join("pass");
        std::fs::write(&pass_file, "a long enough passphrase\n").unwrap();
        let out = bin()
            .args([
                "azure",
                "certificate",
                "--days",
                "30",
                "--format",
                "json",
                "--out",
            ])
            .arg(dir.path())
            .arg("--passphrase-file")
            .arg(&pass_file)
            .output()
            .await
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let saved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let key = saved["key"].as_str().unwrap().to_string();
        assert_eq!(saved["info"]["thumbprint_sha1"].as_str().unwrap().len(), 40);

        let cred =
            certificate::load(std::path::Path::new(&key), "a long enough passphrase").unwrap();
        let mut cfg = Config::default();
        register(&mut cfg, &cred);
        let srv = IdServer::start(cfg).await;
        let out = bin()
            .args([
                "azure",
                "sign-in",
                "--app",
                "customer-owned",
                "--cloud",
                "global",
                "--tenant",
                TENANT_DOMAIN,
                "--client-id",
                CLIENT_ID,
                "--authority-url",
                &srv.base,
                "--graph-url",
                &srv.base,
                "--format",
                "json",
                "--certificate",
                &key,
            ])
            .env("H2R_CERT_PASSPHRASE", "a long enough passphrase")
            .output()
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{json}");
        assert_eq!(json["granted"].as_array().unwrap().len(), 4);

        let out = bin()
            .args([
                "azure",
                "sign-in",
                "--app",
                "customer-owned",
                "--tenant",
                TENANT_ID,
                "--client-id",
                CLIENT_ID,
                "--authority-url",
                &srv.base,
                "--certificate",
                &key,
            ])
            .env("H2R_CERT_PASSPHRASE", "wrong passphrase")
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("passphrase does not open"));
    }

    #[tokio::test]
    async fn consent_url_and_clouds() {
        let out = bin()
            .args([
                "azure",
                "consent-url",
                "--app",
                "customer-owned",
                "--cloud",
                "usgov-dod",
                "--tenant",
                TENANT_ID,
                "--client-id",
                CLIENT_ID,
            ])
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let url = String::from_utf8_lossy(&out.stdout);
        assert!(url.starts_with(&format!("https://login.microsoftonline.us/{TENANT_ID}/v2.0/adminconsent?client_id={CLIENT_ID}&scope=https%3A%2F%2Fdod-graph.microsoft.us%2F.default")), "{url}");
        let out = bin()
            .args(["azure", "clouds", "--format", "json"])
            .output()
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 4);
        assert_eq!(
            v[3]["authority"],
            "https://login.partner.microsoftonline.cn"
        );
    }
}

/// Issue 11: a certificate generation is cancelled at once (nothing kept), and a cancelled save
/// writes no file (the cancel is honoured after the key derivation, before any write).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_certificate_generation_or_save_keeps_and_writes_nothing() {
    let req = |bits| CertificateRequest {
        common_name: "Hire2Retire".into(),
        days: 30,
        bits,
    };
    let cancel = Cancel::new();
    let c2 = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        c2.cancel();
    });
    let e = certificate::generate_async(req(4096), &cancel)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "identity.cancelled", "{e}");
    let done = certificate::generate_async(req(2048), &Cancel::new())
        .await
        .unwrap();
    assert_eq!(done.info().thumbprint_sha1.len(), 40);

    let dir = tempfile::tempdir().unwrap();
    let cancelled = Cancel::new();
    cancelled.cancel();
    let e = certificate::save_cancellable(
        credential(),
        dir.path(),
        "hire2retire",
        "a long enough passphrase",
        &cancelled,
    )
    .unwrap_err();
    assert_eq!(e.code(), "identity.cancelled", "{e}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file written"
    );
    certificate::save_cancellable(
        credential(),
        dir.path(),
        "hire2retire",
        "a long enough passphrase",
        &Cancel::new(),
    )
    .unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}
