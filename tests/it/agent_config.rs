//! Integration tests: agent_config (issue 3): the JWE format, `fail_*` vectors, interop with an
//! independent JOSE implementation, the agent folder, rotation and crash safety.

mod connection;
#[cfg(feature = "test-hooks")]
mod crash;
mod folder;

/// Without the `test-hooks` feature (a shipped build) the crash-test pause does not exist.
#[cfg(not(feature = "test-hooks"))]
#[test]
fn the_crash_test_pause_hook_is_not_compiled_in_without_the_test_feature() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    h2r_setup::agent_config::folder::create(
        &dir,
        h2r_setup::agent_config::folder::KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        PLAIN,
        false,
    )
    .unwrap();
    let o = std::process::Command::new(crate::keys::BIN)
        .args([
            "keys",
            "rotate",
            "--dir",
            dir.to_str().unwrap(),
            "--bits",
            "2048",
        ])
        .env(h2r_setup::agent_config::folder::PAUSE_ENV, "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("H2R_SETUP_PAUSED"));
}

use crate::keys::{assert_one_error_line, cli, jose, other_key, shared_key, stderr};
use h2r_setup::agent_config::{self, AgentPayload, SecretString};
use h2r_setup::keys::{Passphrase, PrivateKey};
use h2r_setup::profile::HybridConnection;
use h2r_setup::Diagnostic;

/// `h2r-setup agent-config create --dir DIR --profile PROFILE --password-file - --bits 2048`,
/// the AD password on standard input (shared by the CLI create tests).
pub(crate) fn cli_create(
    dir: &std::path::Path,
    profile: &std::path::Path,
    password: &[u8],
) -> std::process::Output {
    cli(
        &[
            "agent-config",
            "create",
            "--dir",
            dir.to_str().unwrap(),
            "--profile",
            profile.to_str().unwrap(),
            "--password-file",
            "-",
            "--bits",
            "2048",
        ],
        Some(password),
    )
}

const PLAIN: &[u8] = br#"{"version":1,"connection":{"name":"x"},"secrets":{"ad_service_account_password":"p\u00e4ss w0rd"}}"#;

fn b64(s: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

#[test]
fn seal_then_open_returns_exactly_the_bytes() {
    let key = shared_key();
    // Whitespace and key order are kept byte for byte.
    let plain = b"{ \"b\": 1,\n  \"a\": [true, null] }\n";
    let jwe = agent_config::seal(plain, &key.public_key()).unwrap();
    assert_eq!(jwe.split('.').count(), 5);
    let h = agent_config::inspect(&jwe, "t").unwrap();
    assert_eq!(h.alg, "RSA-OAEP-256");
    assert_eq!(h.enc, "A256GCM");
    assert_eq!(h.kid, key.public_key().fingerprint());
    assert_eq!(h.cty, agent_config::CONFIG_CTY);
    assert_eq!(&agent_config::open(&jwe, key, "t").unwrap()[..], plain);
    // The header carries no `crit` (stock libraries reject unknown critical headers).
    assert!(!jwe.split('.').next().unwrap().is_empty());
    use base64::Engine as _;
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(jwe.split('.').next().unwrap())
        .unwrap();
    assert!(!String::from_utf8(header).unwrap().contains("crit"));
    // Two seals of the same plaintext differ (fresh CEK and IV).
    assert_ne!(jwe, agent_config::seal(plain, &key.public_key()).unwrap());
}

#[test]
fn cli_seal_from_stdin_and_open_prints_exactly_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let key = shared_key();
    let pubf = dir.path().join("publicKey.pem");
    let privf = dir.path().join("privateKey.pem");
    std::fs::write(&pubf, key.public_key().to_pem()).unwrap();
    std::fs::write(&privf, key.to_pem(None).unwrap().as_bytes()).unwrap();
    let out = dir.path().join("config.jwe");
    let o = cli(
        &[
            "agent-config",
            "seal",
            "--public-key",
            pubf.to_str().unwrap(),
            "--in",
            "-",
            "--out",
            out.to_str().unwrap(),
        ],
        Some(PLAIN),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kid"], key.public_key().fingerprint());
    #[cfg(unix)]
    assert_eq!(crate::keys::mode(&out), 0o600);
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            privf.to_str().unwrap(),
            "--in",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, PLAIN);
    // From a file too.
    let plainf = dir.path().join("plain.json");
    std::fs::write(&plainf, PLAIN).unwrap();
    let o = cli(
        &[
            "agent-config",
            "seal",
            "--public-key",
            pubf.to_str().unwrap(),
            "--in",
            plainf.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Not JSON is refused before anything is written.
    let out2 = dir.path().join("never.jwe");
    let o = cli(
        &[
            "agent-config",
            "seal",
            "--public-key",
            pubf.to_str().unwrap(),
            "--in",
            "-",
            "--out",
            out2.to_str().unwrap(),
        ],
        Some(b"password=hunter2"),
    );
    assert_one_error_line(&o, 2, "not valid JSON");
    assert!(!stderr(&o).contains("hunter2"));
    assert!(!out2.exists());
    // Unreadable input.
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            privf.to_str().unwrap(),
            "--in",
            "/nonexistent/c.jwe",
        ],
        None,
    );
    assert_one_error_line(&o, 2, "Could not read");
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            pubf.to_str().unwrap(),
            "--in",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_one_error_line(&o, 2, "public key");
}

#[test]
fn any_modified_byte_is_detected_and_nothing_panics() {
    let key = shared_key();
    let jwe = agent_config::seal(br#"{"a":"b"}"#, &key.public_key()).unwrap();
    let bytes = jwe.as_bytes();
    let mut codes = std::collections::BTreeMap::<&'static str, usize>::new();
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x20] {
            let mut m = bytes.to_vec();
            m[i] ^= flip;
            let Ok(s) = String::from_utf8(m) else {
                continue;
            };
            let err = agent_config::open(&s, key, "config.jwe")
                .expect_err(&format!("byte {i} ^ {flip:#x} accepted"));
            let code = err.code();
            // A flipped header byte may still decode to a well-formed header naming an unknown
            // algorithm or parameter; everything else is "modified or corrupted".
            assert!(
                matches!(
                    code,
                    "agent_config.modified"
                        | "agent_config.unknown_alg"
                        | "agent_config.unknown_enc"
                        | "agent_config.unknown_version"
                        | "agent_config.unknown_content_type"
                        | "agent_config.unsupported_header"
                ),
                "byte {i}: {code}: {err}"
            );
            *codes.entry(code).or_default() += 1;
            if code == "agent_config.modified" {
                assert!(err.to_string().contains("modified or corrupted"), "{err}");
            }
        }
    }
    let modified = codes["agent_config.modified"];
    let total: usize = codes.values().sum();
    assert!(
        modified * 10 >= total * 9,
        "most flips say modified: {codes:?}"
    );
    // Truncation and extension.
    for cut in [0, 1, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(agent_config::open(&jwe[..cut], key, "c").is_err());
    }
    assert!(agent_config::open(&format!("{jwe}AA"), key, "c").is_err());
    // A trailing newline (an editor's) is tolerated.
    assert!(agent_config::open(&format!("{jwe}\n"), key, "c").is_ok());
}

#[test]
fn fail_sealed_to_another_key_names_both_key_ids() {
    let jwe = agent_config::seal(b"{}", &other_key().public_key()).unwrap();
    let err = agent_config::open(&jwe, shared_key(), "config.jwe").unwrap_err();
    assert_eq!(err.code(), "agent_config.wrong_key");
    let msg = err.to_string();
    assert!(
        msg.contains(&other_key().public_key().fingerprint()),
        "{msg}"
    );
    assert!(
        msg.contains(&shared_key().public_key().fingerprint()),
        "{msg}"
    );
}

#[test]
fn fail_vectors_unknown_version_alg_enc_crit() {
    let key = shared_key();
    let pk = key.public_key();
    let kid = pk.fingerprint();
    let cases = [
        (
            format!(
                r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{kid}","cty":"vnd.hire2retire.agent-config+json;version=2"}}"#
            ),
            "agent_config.unknown_version",
            "version 2",
        ),
        (
            format!(
                r#"{{"alg":"RSA-OAEP","enc":"A256GCM","kid":"{kid}","cty":"{}"}}"#,
                agent_config::CONFIG_CTY
            ),
            "agent_config.unknown_alg",
            "RSA-OAEP",
        ),
        (
            format!(
                r#"{{"alg":"RSA-OAEP-256","enc":"A128GCM","kid":"{kid}","cty":"{}"}}"#,
                agent_config::CONFIG_CTY
            ),
            "agent_config.unknown_enc",
            "A128GCM",
        ),
        (
            format!(
                r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{kid}","cty":"{}","crit":["exp"],"exp":1}}"#,
                agent_config::CONFIG_CTY
            ),
            "agent_config.unsupported_header",
            "crit",
        ),
        (
            format!(
                r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{kid}","cty":"{}","zip":"DEF"}}"#,
                agent_config::CONFIG_CTY
            ),
            "agent_config.unsupported_header",
            "zip",
        ),
        (
            format!(r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{kid}","cty":"JWT"}}"#),
            "agent_config.unknown_content_type",
            "JWT",
        ),
        (
            format!(r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{kid}"}}"#),
            "agent_config.modified",
            "cty",
        ),
        (
            r#"{"alg":"none"}"#.to_string(),
            "agent_config.unknown_alg",
            "none",
        ),
        (
            "[]".to_string(),
            "agent_config.modified",
            "not a JSON object",
        ),
    ];
    for (header, code, needle) in cases {
        let jwe = agent_config::seal_with_header(b"{}", &pk, &header);
        let err = agent_config::open(&jwe, key, "config.jwe").unwrap_err();
        assert_eq!(err.code(), code, "{header}: {err}");
        assert!(err.to_string().contains(needle), "{err}");
        assert!(!err.hint().is_empty());
    }
    // Not a JWE at all.
    for junk in ["", "{\"version\":1}", "-----BEGIN PUBLIC KEY-----"] {
        assert_eq!(
            agent_config::open(junk, key, "c").unwrap_err().code(),
            "agent_config.not_jwe",
            "{junk:?}"
        );
    }
    // Five parts, but not base64url / wrong lengths.
    let h = b64(format!(
        r#"{{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"{kid}","cty":"{}"}}"#,
        agent_config::CONFIG_CTY
    )
    .as_bytes());
    for bad in [
        format!("{h}.a.b.c.d"),
        format!("{h}...."),
        format!("{h}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"),
    ] {
        assert_eq!(
            agent_config::open(&bad, key, "c").unwrap_err().code(),
            "agent_config.modified",
            "{bad}"
        );
    }
}

#[test]
fn payload_has_a_version_and_unknown_versions_are_errors() {
    let conn = HybridConnection {
        service_account: "svc@example.com".into(),
        ..Default::default()
    };
    let p = AgentPayload::new(conn, SecretString::new("s3cret"));
    let json = p.to_json();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["secrets"]["ad_service_account_password"], "s3cret");
    assert_eq!(v["connection"]["service_account"], "svc@example.com");
    assert_eq!(AgentPayload::from_json(&json).unwrap(), p);
    let e = AgentPayload::from_json(br#"{"version":2}"#).unwrap_err();
    assert_eq!(e.code(), "agent_config.unknown_version");
    assert!(!format!("{p:?}").contains("s3cret"));
}

#[test]
fn interop_jose_opens_what_we_seal() {
    let dir = tempfile::tempdir().unwrap();
    let key = PrivateKey::generate(2048).unwrap();
    let pass = Passphrase::new("interop pass").unwrap();
    let kf = dir.path().join("privateKey.pem");
    std::fs::write(&kf, key.to_pem(Some(&pass)).unwrap().as_bytes()).unwrap();
    let pf = dir.path().join("pass");
    std::fs::write(&pf, "interop pass\n").unwrap();
    let jwe = agent_config::seal(PLAIN, &key.public_key()).unwrap();
    let o = jose(
        &["open", kf.to_str().unwrap(), pf.to_str().unwrap()],
        jwe.as_bytes(),
    );
    assert!(o.status.success(), "jose: {}", stderr(&o));
    assert_eq!(o.stdout, PLAIN);
    let header: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(header["kid"], key.public_key().fingerprint());
    assert_eq!(header["cty"], agent_config::CONFIG_CTY);
}

#[test]
fn interop_we_open_what_jose_seals() {
    let dir = tempfile::tempdir().unwrap();
    let key = shared_key();
    let pubf = dir.path().join("publicKey.pem");
    let privf = dir.path().join("privateKey.pem");
    std::fs::write(&pubf, key.public_key().to_pem()).unwrap();
    std::fs::write(&privf, key.to_pem(None).unwrap().as_bytes()).unwrap();
    let o = jose(
        &[
            "seal",
            pubf.to_str().unwrap(),
            &key.public_key().fingerprint(),
            agent_config::CONFIG_CTY,
        ],
        PLAIN,
    );
    assert!(o.status.success(), "jose: {}", stderr(&o));
    let cfg = dir.path().join("config.jwe");
    std::fs::write(&cfg, &o.stdout).unwrap();
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            privf.to_str().unwrap(),
            "--in",
            cfg.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, PLAIN);
    // jose sealed to another key: we name both key IDs.
    let other_pub = dir.path().join("other.pem");
    std::fs::write(&other_pub, other_key().public_key().to_pem()).unwrap();
    let o = jose(
        &[
            "seal",
            other_pub.to_str().unwrap(),
            &other_key().public_key().fingerprint(),
            agent_config::CONFIG_CTY,
        ],
        PLAIN,
    );
    std::fs::write(&cfg, &o.stdout).unwrap();
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            privf.to_str().unwrap(),
            "--in",
            cfg.to_str().unwrap(),
        ],
        None,
    );
    assert_one_error_line(&o, 1, &other_key().public_key().fingerprint());
}
