//! Conformance: the generic authorization code + PKCE path (`identity::authorize` and the
//! loopback listener) against an independent OAuth 2.0 server, npm `oauth2-mock-server`
//! (installed by scripts/setup-identity.sh into tests/identity-tools/). It verifies the
//! S256 code challenge server-side.

use h2r_setup::identity::{authorize, http, loopback::Listener, Cancel};
use oauth2::TokenResponse;
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

fn tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/identity-tools/node_modules/oauth2-mock-server/dist/oauth2-mock-server.mjs")
}

/// Start the server on 127.0.0.1 with an OS-chosen port; None (skip) when not installed,
/// except under CI where it must be.
async fn start() -> Option<(tokio::process::Child, String)> {
    let script = tools();
    if !script.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "oauth2-mock-server is not installed: run scripts/setup-identity.sh"
        );
        eprintln!("skipped: oauth2-mock-server not installed (scripts/setup-identity.sh)");
        return None;
    }
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .args(["-a", "127.0.0.1", "-p", "0"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(url) = line.strip_prefix("OAuth 2 server listening on ") {
                return url.trim().to_string();
            }
        }
        panic!("oauth2-mock-server did not start");
    })
    .await
    .expect("oauth2-mock-server starts");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Some((child, base))
}

fn setup(base: &str) -> authorize::AuthCodeSetup {
    authorize::AuthCodeSetup {
        auth_url: format!("{base}/authorize"),
        token_url: format!("{base}/token"),
        client_id: "h2r-conformance".into(),
        scopes: vec!["openid".into(), "profile".into(), "offline_access".into()],
        extra: vec![],
    }
}

async fn authorize_code(setup: &authorize::AuthCodeSetup) -> (authorize::PendingAuth, String) {
    let listener = Listener::bind().await.unwrap();
    let pending = authorize::start(setup, &listener.redirect_uri()).unwrap();
    let url = pending.url.clone();
    tokio::spawn(async move { super::browse(&url).await });
    let cb = listener
        .wait(
            pending.state.secret(),
            Duration::from_secs(20),
            &Cancel::new(),
        )
        .await
        .unwrap();
    let code = cb.get("code").expect("code").to_string();
    (pending, code)
}

#[tokio::test]
async fn auth_code_pkce_against_oauth2_mock_server() {
    let Some((_child, base)) = start().await else {
        return;
    };
    let setup = setup(&base);
    let client = http::client();

    let (pending, code) = authorize_code(&setup).await;
    let resp = authorize::exchange(&client, &setup, pending, code)
        .await
        .expect("token exchange");
    assert!(!resp.access_token().secret().is_empty());
    assert!(resp.refresh_token().is_some());
    let id = resp.extra_fields().id_token.as_ref().expect("id_token");
    let claims = h2r_setup::identity::jws::unverified_claims(id.secret()).unwrap();
    assert_eq!(claims["aud"], "h2r-conformance");

    // The independent server refuses a verifier that does not match the S256 challenge.
    let (mut pending, code) = authorize_code(&setup).await;
    pending.verifier = oauth2::PkceCodeVerifier::new("y".repeat(64));
    let err = authorize::exchange(&client, &setup, pending, code)
        .await
        .unwrap_err();
    let s = err.to_string();
    assert!(!s.is_empty());
    assert!(
        matches!(
            err,
            h2r_setup::identity::IdentityError::Microsoft(_)
                | h2r_setup::identity::IdentityError::BadResponse { .. }
        ),
        "{err:?}"
    );
}
