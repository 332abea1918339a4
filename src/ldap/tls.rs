//! TLS trust for LDAPS: system roots (+ an optional CA file), a pinned leaf fingerprint, or an
//! explicitly named dangerous "accept any certificate" mode. Every verifier is wrapped in a
//! [`Recorder`] that keeps the presented chain and the verification error, so a failed handshake
//! still shows the admin what the server presented.

use super::errors::{CaFileProblem, LdapError};
use crate::profile::TlsTrust;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

/// The one crypto provider of this crate (aws-lc-rs), set explicitly rather than relying on a
/// process-wide default.
pub fn provider() -> Arc<CryptoProvider> {
    static P: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    P.get_or_init(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .clone()
}

fn system_roots() -> Arc<RootCertStore> {
    static ROOTS: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let mut store = RootCertStore::empty();
            let loaded = rustls_native_certs::load_native_certs();
            let _ = store.add_parsable_certificates(loaded.certs);
            Arc::new(store)
        })
        .clone()
}

/// How a DC's certificate is trusted, as shown in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustMode {
    /// The system's trusted roots.
    System,
    /// System roots plus the CA certificates of a file.
    CaFile,
    /// Only the pinned leaf certificate (SHA-256), handshake signature still verified.
    Pin,
    /// Certificate verification turned off (insecure, explicit).
    Insecure,
}

/// Parse a SHA-256 fingerprint as `openssl x509 -fingerprint -sha256` prints it
/// (`sha256 Fingerprint=AB:CD:…`), or bare hex with or without colons.
pub fn parse_pin(input: &str) -> Result<[u8; 32], LdapError> {
    let mut s = input.trim();
    for prefix in [
        "sha256 Fingerprint=",
        "SHA256 Fingerprint=",
        "sha256:",
        "SHA256:",
        "sha256=",
        "SHA256=",
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim();
        }
    }
    let hex: String = s
        .chars()
        .filter(|c| *c != ':' && !c.is_whitespace())
        .collect();
    let bad = || LdapError::PinInvalid {
        input: input.trim().to_string(),
    };
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

/// `AB:CD:…` upper-case, as OpenSSL prints a fingerprint.
pub fn format_fingerprint(digest: &[u8]) -> String {
    digest
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

pub fn sha256_fingerprint(der: &[u8]) -> String {
    format_fingerprint(&Sha256::digest(der))
}

/// Largest CA file read (issue 12): a bundle of every public root is about 250 KiB.
pub const MAX_CA_FILE_BYTES: u64 = 1 << 20;

/// Read the CA certificates of a PEM file (size-checked before reading).
pub fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, LdapError> {
    let shown = || path.display().to_string();
    let data = crate::keys::files::read_limited(path, MAX_CA_FILE_BYTES).map_err(|e| {
        if crate::keys::files::is_too_large(&e) {
            return LdapError::CaFileInvalid {
                path: shown(),
                problem: CaFileProblem::TooLarge {
                    max_kib: MAX_CA_FILE_BYTES / 1024,
                },
            };
        }
        LdapError::CaFileUnreadable {
            path: shown(),
            detail: e.to_string(),
        }
    })?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&data)
        .filter_map(Result::ok)
        .collect();
    if certs.is_empty() {
        return Err(LdapError::CaFileInvalid {
            path: shown(),
            problem: CaFileProblem::NoCertificate,
        });
    }
    Ok(certs)
}

fn webpki_verifier(roots: Arc<RootCertStore>) -> Result<Arc<dyn ServerCertVerifier>, LdapError> {
    let verifier = WebPkiServerVerifier::builder_with_provider(roots, provider())
        .build()
        .map_err(|e| LdapError::NoRoots {
            detail: e.to_string(),
        })?;
    Ok(verifier)
}

/// A prepared trust decision for one DC: build a fresh recording config per connection.
#[derive(Clone)]
pub struct Trust {
    pub mode: TrustMode,
    inner: Arc<dyn ServerCertVerifier>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust").field("mode", &self.mode).finish()
    }
}

impl Trust {
    /// Prepare the verifier of one trust setting (a pin is parsed, a CA file read).
    pub fn from_settings(t: &TlsTrust) -> Result<Trust, LdapError> {
        let (mode, inner): (TrustMode, Arc<dyn ServerCertVerifier>) = match t {
            TlsTrust::Insecure => (
                TrustMode::Insecure,
                Arc::new(DangerousAcceptAnyCertificate::new()),
            ),
            TlsTrust::Pin(pin) => (
                TrustMode::Pin,
                Arc::new(PinnedCertVerifier::new(parse_pin(pin)?)),
            ),
            TlsTrust::CaFile(path) => {
                let mut store = (*system_roots()).clone();
                for c in load_ca_file(path)? {
                    store.add(c).map_err(|e| LdapError::CaFileInvalid {
                        path: path.display().to_string(),
                        problem: CaFileProblem::NotUsableAsCa {
                            detail: e.to_string(),
                        },
                    })?;
                }
                (TrustMode::CaFile, webpki_verifier(Arc::new(store))?)
            }
            TlsTrust::System => (TrustMode::System, webpki_verifier(system_roots())?),
        };
        Ok(Trust { mode, inner })
    }

    /// A client config whose verifier records what it saw into the returned [`Captured`].
    pub fn client_config(&self) -> (Arc<ClientConfig>, Arc<Mutex<Captured>>) {
        let captured = Arc::new(Mutex::new(Captured::default()));
        let recorder = Recorder {
            inner: self.inner.clone(),
            captured: captured.clone(),
        };
        let config = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("aws-lc-rs supports TLS 1.2 and 1.3")
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(recorder))
            .with_no_client_auth();
        (Arc::new(config), captured)
    }
}

/// What the verifier saw during one handshake.
#[derive(Debug, Default)]
pub struct Captured {
    pub chain: Vec<CertificateDer<'static>>,
    pub error: Option<rustls::Error>,
    pub server_name: Option<String>,
}

/// The handshake-signature half of a [`ServerCertVerifier`] whose struct holds the crypto
/// `provider`: signatures are always verified with the provider's algorithms, whatever the
/// certificate decision (pinned or, dangerously, any certificate).
macro_rules! handshake_signatures_with_provider {
    () => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }
        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
    };
}

#[derive(Debug)]
struct Recorder {
    inner: Arc<dyn ServerCertVerifier>,
    captured: Arc<Mutex<Captured>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let result = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if let Ok(mut c) = self.captured.lock() {
            c.chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
            c.error = result.as_ref().err().cloned();
            c.server_name = Some(server_name.to_str().into_owned());
        }
        result
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Accepts exactly one leaf certificate, identified by its SHA-256, whatever its name, issuer or
/// dates. The handshake signature is still verified against that certificate's key, so a server
/// without the matching private key fails, and so does a different certificate for the same name.
#[derive(Debug)]
pub struct PinnedCertVerifier {
    pin: [u8; 32],
    provider: Arc<CryptoProvider>,
}

impl PinnedCertVerifier {
    pub fn new(pin: [u8; 32]) -> Self {
        Self {
            pin,
            provider: provider(),
        }
    }
}

impl ServerCertVerifier for PinnedCertVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let digest = Sha256::digest(end_entity.as_ref());
        // Constant-time comparison is not needed for a public value, but costs nothing.
        let diff = digest
            .iter()
            .zip(self.pin.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff == 0 {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::Other(rustls::OtherError(Arc::new(PinMismatch {
                    presented: format_fingerprint(&digest),
                }))),
            ))
        }
    }
    handshake_signatures_with_provider!();
}

/// The error a pin mismatch carries (shown as `ldap.tls.pin_mismatch`).
#[derive(Debug, Clone)]
pub struct PinMismatch {
    pub presented: String,
}

impl std::fmt::Display for PinMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "certificate fingerprint {} does not match the pin",
            self.presented
        )
    }
}

impl std::error::Error for PinMismatch {}

/// DANGEROUS: accepts any certificate (no chain, name or date check). Reachable only through the
/// explicit `insecure` trust setting, which every report marks. The handshake signature is still
/// verified against the presented certificate.
#[derive(Debug)]
pub struct DangerousAcceptAnyCertificate {
    provider: Arc<CryptoProvider>,
}

impl DangerousAcceptAnyCertificate {
    pub fn new() -> Self {
        Self {
            provider: provider(),
        }
    }
}

impl Default for DangerousAcceptAnyCertificate {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerCertVerifier for DangerousAcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    handshake_signatures_with_provider!();
}

/// Facts about one certificate of the presented chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainCert {
    pub subject: String,
    pub issuer: String,
    pub sha256: String,
}

/// What the DC presented, captured even when verification failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    /// Subject alternative names, as `DNS:name` / `IP:address`.
    pub sans: Vec<String>,
    /// RFC 3339.
    pub not_before: String,
    pub not_after: String,
    pub expired: bool,
    /// SHA-256 of the leaf, `AB:CD:…` as OpenSSL prints it.
    pub sha256: String,
    pub signature_algorithm: String,
    pub self_signed: bool,
    /// Whether the certificate passed verification under the trust in force.
    pub verified: bool,
    /// The whole presented chain, leaf first.
    pub chain: Vec<ChainCert>,
}

impl CertificateInfo {
    /// DNS names (then IP addresses) the certificate is valid for, plus the CN when no SAN exists.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .sans
            .iter()
            .filter_map(|s| s.strip_prefix("DNS:"))
            .map(str::to_string)
            .collect();
        out.extend(
            self.sans
                .iter()
                .filter_map(|s| s.strip_prefix("IP:"))
                .map(str::to_string),
        );
        if out.is_empty() {
            if let Some(cn) = self
                .subject
                .split(',')
                .find_map(|p| p.trim().strip_prefix("CN="))
            {
                out.push(cn.to_string());
            }
        }
        out
    }
}

fn sig_alg_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "ed25519",
        other => return other.to_string(),
    }
    .to_string()
}

/// Whether a signature algorithm OID uses SHA-1 (or MD5), which rustls refuses.
pub fn is_legacy_signature(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("sha1") || n.contains("md5")
}

fn chain_cert(der: &[u8]) -> Option<ChainCert> {
    let (_, c) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(ChainCert {
        subject: c.subject().to_string(),
        issuer: c.issuer().to_string(),
        sha256: sha256_fingerprint(der),
    })
}

/// Describe the captured chain (leaf first). `None` when nothing was presented.
pub fn describe(chain: &[CertificateDer<'_>], verified: bool) -> Option<CertificateInfo> {
    let leaf = chain.first()?;
    let (_, c) = x509_parser::parse_x509_certificate(leaf.as_ref()).ok()?;
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = c.subject_alternative_name() {
        for n in &ext.value.general_names {
            match n {
                x509_parser::extensions::GeneralName::DNSName(d) => sans.push(format!("DNS:{d}")),
                x509_parser::extensions::GeneralName::IPAddress(b) => {
                    let ip = match b.len() {
                        4 => Some(std::net::IpAddr::from(<[u8; 4]>::try_from(*b).unwrap())),
                        16 => Some(std::net::IpAddr::from(<[u8; 16]>::try_from(*b).unwrap())),
                        _ => None,
                    };
                    if let Some(ip) = ip {
                        sans.push(format!("IP:{ip}"));
                    }
                }
                _ => {}
            }
        }
    }
    let nb = c.validity().not_before.timestamp();
    let na = c.validity().not_after.timestamp();
    let now = crate::utc::now_unix();
    let subject = c.subject().to_string();
    let issuer = c.issuer().to_string();
    Some(CertificateInfo {
        self_signed: subject == issuer,
        subject,
        issuer,
        sans,
        not_before: crate::utc::rfc3339(nb),
        not_after: crate::utc::rfc3339(na),
        expired: now > na,
        sha256: sha256_fingerprint(leaf.as_ref()),
        signature_algorithm: sig_alg_name(&c.signature_algorithm.algorithm.to_id_string()),
        verified,
        chain: chain
            .iter()
            .filter_map(|d| chain_cert(d.as_ref()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_accepts_openssl_output_and_bare_hex() {
        let hex = "AB".repeat(32);
        let colons = vec!["ab"; 32].join(":");
        assert_eq!(parse_pin(&hex).unwrap(), [0xAB; 32]);
        assert_eq!(
            parse_pin(&format!("sha256 Fingerprint={}", colons.to_uppercase())).unwrap(),
            [0xAB; 32]
        );
        assert_eq!(parse_pin(&colons).unwrap(), [0xAB; 32]);
    }

    #[test]
    fn fail_pin_wrong_length_or_not_hex() {
        for bad in ["", "AB:CD", &"zz".repeat(32), &"AB".repeat(20)] {
            assert_eq!(
                crate::error::Diagnostic::code(&parse_pin(bad).unwrap_err()),
                "ldap.tls.pin_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn fingerprint_formats_like_openssl() {
        assert_eq!(format_fingerprint(&[0x0a, 0xff, 0x10]), "0A:FF:10");
    }

    #[test]
    fn legacy_signature_names() {
        assert!(is_legacy_signature("sha1WithRSAEncryption"));
        assert!(is_legacy_signature("ecdsa-with-SHA1"));
        assert!(!is_legacy_signature("sha256WithRSAEncryption"));
    }
}
