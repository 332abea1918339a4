//! A real AD for the tests: Samba AD DC on 127.0.0.1:636, started once per test process by
//! `scripts/samba-ad.sh` into `target/samba-test/dc1` (reused when already running).
//! Without samba the tests skip loudly; with `H2R_REQUIRE_AD=1` (CI) they fail instead.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub const BASE_DN: &str = "DC=example,DC=test";
pub const OU_DN: &str = "OU=Hire2Retire,DC=example,DC=test";
pub const SVC: &str = "svc-h2r@example.test";
pub const SVC_PASS: &str = "Svc-Pass-2026!";

pub struct Samba {
    pub dir: PathBuf,
}

impl Samba {
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca/ca.pem")
    }
    pub fn server_cert(&self) -> PathBuf {
        self.dir.join("ca/server.pem")
    }
}

fn samba_installed() -> bool {
    ["/usr/sbin/samba", "/usr/bin/samba"]
        .iter()
        .any(|p| Path::new(p).exists())
        || Command::new("sh")
            .args(["-c", "command -v samba"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
}

/// The running DC, or `None` (test skipped) when samba is not installed and not required.
pub fn samba() -> Option<&'static Samba> {
    static S: OnceLock<Option<Samba>> = OnceLock::new();
    S.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let required = std::env::var("H2R_REQUIRE_AD").map(|v| v == "1").unwrap_or(false);
        if !samba_installed() {
            if required {
                panic!("H2R_REQUIRE_AD=1 but samba is not installed: run scripts/setup-ldap.sh");
            }
            eprintln!("\n!!!!! SKIPPING live AD tests: samba is not installed (run scripts/setup-ldap.sh; set H2R_REQUIRE_AD=1 to make this fatal) !!!!!\n");
            return None;
        }
        let dir = root.join("target/samba-test/dc1");
        let out = Command::new("bash")
            .arg(root.join("scripts/samba-ad.sh"))
            .arg("start")
            .arg(&dir)
            .output()
            .expect("run scripts/samba-ad.sh");
        assert!(
            out.status.success(),
            "scripts/samba-ad.sh start failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Some(Samba { dir })
    })
    .as_ref()
}

/// A port nothing listens on: bind, read the port, drop the listener.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A listener that accepts and never says anything. Lives as long as the returned task.
pub async fn silent_listener() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let h = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            held.push(s);
        }
    });
    (addr, h)
}

/// A TCP forwarder on `bind_ip` (random port) to `target`: the DC reached through an address its
/// certificate does not name.
pub async fn forwarder(
    bind_ip: &str,
    target: SocketAddr,
) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let l = tokio::net::TcpListener::bind((bind_ip, 0)).await.unwrap();
    let addr = l.local_addr().unwrap();
    let h = tokio::spawn(async move {
        while let Ok((mut a, _)) = l.accept().await {
            tokio::spawn(async move {
                if let Ok(mut b) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut a, &mut b).await;
                }
            });
        }
    });
    (addr, h)
}

/// `openssl x509 -noout -fingerprint -sha256` of a PEM file, as printed.
pub fn openssl_fingerprint(pem: &Path) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(pem)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A self-signed certificate for the same names as the DC's, from another key.
pub fn impostor_cert(dir: &Path) -> PathBuf {
    let cert = dir.join("impostor.pem");
    let st = Command::new("openssl")
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
            "/CN=dc1.example.test",
        ])
        .args([
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:dc1.example.test",
            "-keyout",
        ])
        .arg(dir.join("impostor.key"))
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    cert
}

/// An `openssl s_server` child on 127.0.0.1 (killed on drop): TLS setups Samba cannot serve.
pub struct OpensslServer {
    child: std::process::Child,
    pub port: u16,
}

impl Drop for OpensslServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Make a CA (`ca.pem`, signed with `ca_digest`) and a leaf for localhost/127.0.0.1 (`leaf.pem`,
/// `leaf.key`, signed with `leaf_digest`, valid for `days`, may be negative) in `dir`.
pub fn make_pki(dir: &Path, ca_digest: &str, leaf_digest: &str, days: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            &format!("-{ca_digest}"),
            "-days",
            "30",
            "-subj",
            "/CN=Old Test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
        ],
    );
    std::fs::write(
        dir.join("ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            &format!("-{leaf_digest}"),
            "-days",
            days,
            "-extfile",
            "ext",
            "-out",
            "leaf.pem",
        ],
    );
}

/// Serve `dir/leaf.pem` with `extra` s_server options; waits until the port accepts.
pub fn openssl_server(dir: &Path, extra: &[&str]) -> OpensslServer {
    let port = closed_port();
    let child = Command::new("openssl")
        .current_dir(dir)
        .args([
            "s_server",
            "-quiet",
            "-accept",
            &format!("127.0.0.1:{port}"),
            "-cert",
            "leaf.pem",
            "-key",
            "leaf.key",
            "-cert_chain",
            "ca.pem",
        ])
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("openssl s_server");
    let server = OpensslServer { child, port };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("openssl s_server did not listen on {port}");
}
