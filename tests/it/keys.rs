//! Integration tests: keys (issue 3). The CLI is run as a child process; OpenSSL and an
//! independent JOSE implementation (npm `jose`, installed by scripts/setup-keys.sh) check the
//! files it writes.

use h2r_setup::keys::{self, Cancel, KeyError, Passphrase, PrivateKey, PublicKey};
use h2r_setup::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub const BIN: &str = env!("CARGO_BIN_EXE_h2r-setup");

/// Run the CLI with optional standard input.
pub fn cli(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run h2r-setup");
    {
        let mut si = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            // A CLI that refuses its arguments exits before reading its input: a closed pipe
            // is then expected, and the exit code and stderr tell the rest.
            if let Err(e) = si.write_all(bytes) {
                assert_eq!(
                    e.kind(),
                    std::io::ErrorKind::BrokenPipe,
                    "writing the CLI's input: {e}"
                );
            }
        }
    }
    child.wait_with_output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every error is one clear sentence on stderr, with a non-zero exit.
pub fn assert_one_error_line(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "exit code; stderr: {err}");
    let lines: Vec<_> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, got: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(
        err.contains(needle),
        "stderr {err:?} should mention {needle:?}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

pub fn openssl(args: &[&str]) -> Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is installed (scripts/setup-keys.sh)")
}

fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/keys-tools")
}

/// Run the independent JOSE implementation. Panics with a hint when it is not installed.
pub fn jose(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let script = tools_dir().join("jose-interop.mjs");
    assert!(
        tools_dir().join("node_modules/jose/package.json").exists(),
        "npm jose is not installed: run scripts/setup-keys.sh"
    );
    let mut child = Command::new("node")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node is installed (scripts/setup-keys.sh)");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// One 2048-bit key shared by the tests that only need some key (generation takes time).
pub fn shared_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(2048).unwrap())
}

pub fn other_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(2048).unwrap())
}

#[cfg(unix)]
pub fn mode(p: &Path) -> u32 {
    h2r_setup::keys::files::mode_of(p).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "stderr: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

#[test]
fn generate_writes_pkcs8_and_spki_that_openssl_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("agent");
    let o = cli(
        &[
            "keys",
            "generate",
            "--out",
            out.to_str().unwrap(),
            "--bits",
            "2048",
        ],
        None,
    );
    let v = json(&o);
    assert_eq!(v["bits"], 2048);
    let fp = v["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(fp.len(), 43, "base64url SHA-256");
    let private = out.join("privateKey.pem");
    let public = out.join("publicKey.pem");
    let pem = std::fs::read_to_string(&private).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");
    assert!(
        std::fs::read_to_string(&public)
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----\n"),
        "SPKI"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&private), 0o600);
        assert_eq!(
            mode(&out),
            0o700,
            "a folder created for the key is owner-only"
        );
    }
    let o = openssl(&["pkey", "-in", private.to_str().unwrap(), "-noout", "-text"]);
    assert!(o.status.success(), "openssl pkey: {}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Private-Key: (2048 bit"));
    let o = openssl(&[
        "pkey",
        "-pubin",
        "-in",
        public.to_str().unwrap(),
        "-noout",
        "-text",
    ]);
    assert!(o.status.success(), "openssl pkey -pubin: {}", stderr(&o));
    // OpenSSL derives the same public key from the private key.
    let derived = openssl(&["pkey", "-in", private.to_str().unwrap(), "-pubout"]);
    assert_eq!(
        String::from_utf8_lossy(&derived.stdout),
        std::fs::read_to_string(&public).unwrap()
    );
    // An independent implementation computes the same RFC 7638 thumbprint.
    let t = jose(&["thumbprint", public.to_str().unwrap()], b"");
    assert!(t.status.success(), "{}", stderr(&t));
    assert_eq!(String::from_utf8_lossy(&t.stdout), fp);
}

#[test]
fn passphrase_key_is_pbes2_pbkdf2_sha256_aes256cbc_and_openssl3_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, "correct horse battery staple\n").unwrap();
    let out = dir.path().join("k");
    let v = json(&cli(
        &[
            "keys",
            "generate",
            "--out",
            out.to_str().unwrap(),
            "--bits",
            "2048",
            "--passphrase-file",
            pass.to_str().unwrap(),
        ],
        None,
    ));
    assert_eq!(v["encrypted"], true);
    let private = out.join("privateKey.pem");
    assert!(std::fs::read_to_string(&private)
        .unwrap()
        .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let passin = format!("file:{}", pass.display());
    let o = openssl(&[
        "pkey",
        "-in",
        private.to_str().unwrap(),
        "-passin",
        &passin,
        "-noout",
    ]);
    assert!(
        o.status.success(),
        "OpenSSL 3 reads the encrypted key: {}",
        stderr(&o)
    );
    let o = openssl(&["asn1parse", "-in", private.to_str().unwrap()]);
    let asn = String::from_utf8_lossy(&o.stdout);
    for oid in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(asn.contains(oid), "{oid} in:\n{asn}");
    }
    // OpenSSL refuses a wrong passphrase, and so do we, with a clear error.
    let wrong = dir.path().join("wrong.txt");
    std::fs::write(&wrong, "Correct horse battery staple\n").unwrap();
    let cfg = dir.path().join("c.jwe");
    let o = cli(
        &[
            "agent-config",
            "seal",
            "--public-key",
            out.join("publicKey.pem").to_str().unwrap(),
            "--in",
            "-",
            "--out",
            cfg.to_str().unwrap(),
        ],
        Some(b"{}"),
    );
    assert!(o.status.success());
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            private.to_str().unwrap(),
            "--passphrase-file",
            wrong.to_str().unwrap(),
            "--in",
            cfg.to_str().unwrap(),
        ],
        None,
    );
    assert_one_error_line(&o, 1, "passphrase does not unlock");
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            private.to_str().unwrap(),
            "--in",
            cfg.to_str().unwrap(),
        ],
        None,
    );
    assert_one_error_line(&o, 1, "protected by a passphrase");
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            private.to_str().unwrap(),
            "--passphrase-file",
            pass.to_str().unwrap(),
            "--in",
            cfg.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, b"{}");
}

#[test]
fn we_read_keys_openssl_writes() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("o.pem");
    assert!(openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        plain.to_str().unwrap()
    ])
    .status
    .success());
    let key = PrivateKey::from_file(&plain, None).unwrap();
    let enc = dir.path().join("e.pem");
    let o = openssl(&[
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-in",
        plain.to_str().unwrap(),
        "-out",
        enc.to_str().unwrap(),
        "-passout",
        "pass:s3cret",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = Passphrase::new("s3cret").unwrap();
    let key2 = PrivateKey::from_file(&enc, Some(&p)).unwrap();
    assert_eq!(
        key.public_key().fingerprint(),
        key2.public_key().fingerprint()
    );
    let e = PrivateKey::from_file(&enc, Some(&Passphrase::new("nope").unwrap())).unwrap_err();
    assert_eq!(e.code(), "keys.wrong_passphrase");
    // PKCS#1 public key ("RSA PUBLIC KEY") as some tools export it.
    let pkcs1 = dir.path().join("p1.pem");
    assert!(openssl(&[
        "rsa",
        "-in",
        plain.to_str().unwrap(),
        "-RSAPublicKey_out",
        "-out",
        pkcs1.to_str().unwrap()
    ])
    .status
    .success());
    let pk = PublicKey::from_file(&pkcs1).unwrap();
    assert_eq!(pk.fingerprint(), key.public_key().fingerprint());
}

#[test]
fn rfc7638_thumbprint_example() {
    // RFC 7638 §3.1: the example key and its thumbprint.
    use base64::Engine as _;
    let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    let e = "AQAB";
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let key = rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&b64.decode(n).unwrap()),
        rsa::BigUint::from_bytes_be(&b64.decode(e).unwrap()),
    )
    .unwrap();
    let pem =
        rsa::pkcs8::EncodePublicKey::to_public_key_pem(&key, rsa::pkcs8::LineEnding::LF).unwrap();
    let pk = PublicKey::from_pem(&pem, "rfc").unwrap();
    assert_eq!(
        pk.fingerprint(),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

#[test]
fn generate_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let first = json(&cli(
        &["keys", "generate", "--out", out, "--bits", "2048"],
        None,
    ));
    let before = std::fs::read(dir.path().join("privateKey.pem")).unwrap();
    let o = cli(&["keys", "generate", "--out", out, "--bits", "2048"], None);
    assert_one_error_line(&o, 1, "already exists");
    assert_eq!(
        std::fs::read(dir.path().join("privateKey.pem")).unwrap(),
        before,
        "nothing changed on disk"
    );
    let second = json(&cli(
        &[
            "keys", "generate", "--out", out, "--bits", "2048", "--force",
        ],
        None,
    ));
    assert_ne!(first["fingerprint"], second["fingerprint"]);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temporary files left: {leftovers:?}");
}

#[test]
fn bad_bits_and_bad_inputs_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = cli(&["keys", "generate", "--out", out, "--bits", "1024"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("2048, 3072 or 4096"), "{}", stderr(&o));
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let o = cli(
        &[
            "keys",
            "generate",
            "--out",
            out,
            "--passphrase-file",
            empty.to_str().unwrap(),
        ],
        None,
    );
    assert_one_error_line(&o, 2, "is empty");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().count() == 1,
        "nothing written"
    );
}

#[cfg(unix)]
#[test]
fn private_key_is_owner_only_even_with_a_permissive_umask() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k");
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000; exec '{}' keys generate --out '{}' --bits 2048",
            BIN,
            out.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&out.join("privateKey.pem")), 0o600);
    assert_eq!(mode(&out), 0o700);
}

#[test]
fn import_checks_the_public_key() {
    let dir = tempfile::tempdir().unwrap();
    // A private key pasted by mistake is refused without echoing it.
    let pem = shared_key().to_pem(None).unwrap();
    let e = PublicKey::from_pem(&pem, "pasted key").unwrap_err();
    assert_eq!(e.code(), "keys.private_key_given");
    assert!(!e.to_string().contains("MII"));
    // Too small.
    let small = dir.path().join("small.pem");
    assert!(openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:1024",
        "-out",
        small.to_str().unwrap()
    ])
    .status
    .success());
    let small_pub = openssl(&["pkey", "-in", small.to_str().unwrap(), "-pubout"]);
    let e = PublicKey::from_pem(&String::from_utf8_lossy(&small_pub.stdout), "small").unwrap_err();
    assert_eq!(e.code(), "keys.too_small");
    assert!(e.to_string().contains("1024 bits"), "{e}");
    // Not RSA.
    let ec = openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
    ]);
    let ec_pub = dir.path().join("ec.pem");
    std::fs::write(dir.path().join("ecpriv.pem"), &ec.stdout).unwrap();
    let o = openssl(&[
        "pkey",
        "-in",
        dir.path().join("ecpriv.pem").to_str().unwrap(),
        "-pubout",
        "-out",
        ec_pub.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let e = PublicKey::from_file(&ec_pub).unwrap_err();
    assert_eq!(e.code(), "keys.malformed_pem");
    // Damaged PEM and garbage.
    let mut damaged = shared_key().public_key().to_pem();
    damaged.replace_range(40..44, "!!!!");
    assert_eq!(
        PublicKey::from_pem(&damaged, "d").unwrap_err().code(),
        "keys.malformed_pem"
    );
    assert_eq!(
        PublicKey::from_pem("hello", "g").unwrap_err().code(),
        "keys.malformed_pem"
    );
    assert_eq!(
        PrivateKey::from_pem("hello", None, "g").unwrap_err().code(),
        "keys.malformed_pem"
    );
    // A good key round-trips with the same fingerprint.
    let good = shared_key().public_key();
    assert_eq!(
        PublicKey::from_pem(&good.to_pem(), "good")
            .unwrap()
            .fingerprint(),
        good.fingerprint()
    );
    // The CLI seals to an imported key and rejects a private key there.
    let priv_path = dir.path().join("priv.pem");
    std::fs::write(&priv_path, pem.as_bytes()).unwrap();
    let o = cli(
        &[
            "agent-config",
            "seal",
            "--public-key",
            priv_path.to_str().unwrap(),
            "--in",
            "-",
            "--out",
            dir.path().join("x").to_str().unwrap(),
        ],
        Some(b"{}"),
    );
    assert_one_error_line(&o, 2, "is a private key");
    assert!(!dir.path().join("x").exists());
}

#[test]
fn secrets_never_show_in_debug_output() {
    let key = shared_key();
    let dbg = format!("{key:?}");
    assert!(dbg.contains("redacted"), "{dbg}");
    let d = rsa::traits::PrivateKeyParts::d(&rsa_key(key)).to_string();
    assert!(!dbg.contains(&d[..20]));
    let p = Passphrase::new("hunter2").unwrap();
    assert!(!format!("{p:?}").contains("hunter2"));
    let s = h2r_setup::agent_config::SecretString::new("pa55word");
    assert!(!format!("{s:?}").contains("pa55word"));
}

fn rsa_key(k: &PrivateKey) -> rsa::RsaPrivateKey {
    // Round-trip through PKCS#8 to reach the rsa type (the wrapper does not expose it).
    let pem = k.to_pem(None).unwrap();
    rsa::pkcs8::DecodePrivateKey::from_pkcs8_pem(&pem).unwrap()
}

#[test]
fn async_generation_reports_progress_and_cancels() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // Cancel before it finishes: a 4096-bit key takes far longer than the first tick.
        let cancel = Cancel::new();
        let c2 = cancel.clone();
        let res = keys::generate_async(
            4096,
            move |p| {
                assert_eq!(p.bits, 4096);
                c2.cancel();
            },
            cancel,
        )
        .await;
        assert!(matches!(res, Err(KeyError::Cancelled)), "{res:?}");
        // Without Cancel it completes.
        let key = keys::generate_async(2048, |_| {}, Cancel::new())
            .await
            .unwrap();
        assert_eq!(key.public_key().bits(), 2048);
        assert_eq!(
            keys::generate_async(1000, |_| {}, Cancel::new())
                .await
                .unwrap_err()
                .code(),
            "keys.invalid_bits"
        );
    });
}

#[test]
fn every_size_generates() {
    for bits in keys::ALLOWED_BITS {
        let k = PrivateKey::generate(bits).unwrap();
        assert_eq!(k.public_key().bits(), bits);
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 12: bounded work from files.

/// An encrypted PKCS#8 key written by OpenSSL with `enc_args` (e.g. `-v2 aes-256-cbc -iter N`).
fn openssl_encrypted_key(dir: &Path, name: &str, enc_args: &[&str]) -> PathBuf {
    let plain = dir.join("plain.pem");
    if !plain.exists() {
        let o = openssl(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            plain.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let out = dir.join(name);
    let mut args = vec![
        "pkcs8",
        "-topk8",
        "-in",
        plain.to_str().unwrap(),
        "-out",
        out.to_str().unwrap(),
        "-passout",
        "pass:correct horse",
    ];
    args.extend_from_slice(enc_args);
    let o = openssl(&args);
    assert!(o.status.success(), "openssl {enc_args:?}: {}", stderr(&o));
    out
}

#[test]
fn encrypted_keys_are_accepted_only_with_pbkdf2_sha256_aes256_and_bounded_iterations() {
    let dir = tempfile::tempdir().unwrap();
    let pass = Passphrase::new("correct horse").unwrap();
    // What this tool and OpenSSL 3 write: accepted.
    let ok = openssl_encrypted_key(
        dir.path(),
        "ok.pem",
        &[
            "-v2",
            "aes-256-cbc",
            "-v2prf",
            "hmacWithSHA256",
            "-iter",
            "2048",
        ],
    );
    PrivateKey::from_file(&ok, Some(&pass)).expect("PBKDF2-HMAC-SHA256 + AES-256-CBC is accepted");
    let over = (keys::MAX_PBKDF2_ITERATIONS + 1).to_string();
    let cases: [(&str, Vec<&str>, &str); 5] = [
        (
            "iter.pem",
            vec![
                "-v2",
                "aes-256-cbc",
                "-v2prf",
                "hmacWithSHA256",
                "-iter",
                over.as_str(),
            ],
            "iterations",
        ),
        (
            "scrypt.pem",
            vec![
                "-scrypt",
                "-scrypt_N",
                "16384",
                "-scrypt_r",
                "8",
                "-scrypt_p",
                "1",
            ],
            "scrypt",
        ),
        (
            "sha1.pem",
            vec!["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA1"],
            "HMAC-SHA256",
        ),
        (
            "aes128.pem",
            vec!["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA256"],
            "AES-256-CBC",
        ),
        ("pkcs12.pem", vec!["-v1", "PBE-SHA1-3DES"], "PKCS#12"),
    ];
    for (name, args, needle) in cases {
        let path = openssl_encrypted_key(dir.path(), name, &args);
        let started = std::time::Instant::now();
        let err = PrivateKey::from_file(&path, Some(&pass)).expect_err(name);
        assert_eq!(err.code(), "keys.unsupported_encryption", "{name}: {err}");
        assert!(err.to_string().contains(needle), "{name}: {err}");
        assert!(err.hint().contains("AES-256-CBC"), "{name}: {}", err.hint());
        // Refused before any key derivation: no measurable work (a sanity bound, not a timing test).
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{name}"
        );
    }
}

#[test]
fn certificate_bundles_refuse_unbounded_key_derivation() {
    let dir = tempfile::tempdir().unwrap();
    let over = (keys::MAX_PBKDF2_ITERATIONS + 1).to_string();
    let key = openssl_encrypted_key(
        dir.path(),
        "k.pem",
        &[
            "-v2",
            "aes-256-cbc",
            "-v2prf",
            "hmacWithSHA256",
            "-iter",
            &over,
        ],
    );
    let o = openssl(&[
        "req",
        "-x509",
        "-new",
        "-key",
        dir.path().join("plain.pem").to_str().unwrap(),
        "-subj",
        "/CN=h2r",
        "-days",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bundle = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        std::fs::read_to_string(&key).unwrap()
    );
    let Err(err) = h2r_setup::identity::certificate::parse_bundle(&bundle, "correct horse") else {
        panic!("a key derivation over the maximum was accepted");
    };
    assert!(err.to_string().contains("iterations"), "{err}");
}

#[test]
fn oversized_key_and_ca_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.pem");
    // A sparse file: huge by its size, nothing read.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    let err = PrivateKey::from_file(&big, None).unwrap_err();
    assert_eq!(err.code(), "keys.malformed_pem", "{err}");
    assert!(err.to_string().contains("larger than"), "{err}");
    let err = PublicKey::from_file(&big).unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    let p = h2r_setup::ldap::tls::load_ca_file(&big).unwrap_err();
    assert_eq!(
        h2r_setup::Diagnostic::code(&p),
        "ldap.tls.ca_file_invalid",
        "{p:?}"
    );
    let err = h2r_setup::identity::certificate::load(&big, "x")
        .err()
        .unwrap();
    assert!(err.to_string().contains("far larger"), "{err}");
    let err = h2r_setup::agent_config::folder::read_config(&big).unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    assert!(h2r_setup::keys::files::is_too_large(
        &h2r_setup::keys::files::read_limited(&big, 1024).unwrap_err()
    ));
}
