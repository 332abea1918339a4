//! The Customer Owned Application's certificate credential
//! (<https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials>,
//! <https://learn.microsoft.com/en-us/entra/identity-platform/howto-create-self-signed-certificate>):
//! a self-signed X.509 v3 certificate on a fresh RSA key, SHA-256 with RSA.
//!
//! Files written by [`save`] (none is overwritten; on any failure nothing is left behind):
//! - `<name>.cer`: the certificate, DER, to upload to the app registration;
//! - `<name>.pem`: the same certificate, PEM;
//! - `<name>.key.pem`: certificate + private key as PKCS#8 encrypted with the passphrase
//!   (PBES2: PBKDF2-HMAC-SHA256, 600 000 iterations, AES-256-CBC), owner-only, for the
//!   Hire2Retire side. The private key never touches disk unencrypted.

use super::{jws, Cancel, IdentityError};
use crate::keys::files::Access;
use crate::profile::CertificateInfo;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;
use x509_cert::der::asn1::BitString;
use x509_cert::der::{Decode, DecodePem, Encode, EncodePem};
use x509_cert::spki::{AlgorithmIdentifierOwned, ObjectIdentifier, SubjectPublicKeyInfoOwned};
use zeroize::Zeroizing;

/// sha256WithRSAEncryption (RFC 4055).
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// PBKDF2 iterations for the encrypted private key.
/// The one iteration count of every passphrase-protected key ([`crate::keys::pbes2`]).
pub use crate::keys::PBKDF2_ITERATIONS;
/// Shortest passphrase accepted for the private key.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// What the admin chooses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertificateRequest {
    /// Subject common name, e.g. `Hire2Retire`.
    pub common_name: String,
    /// Validity in days (1 to 1095; Microsoft recommends short-lived credentials).
    pub days: u32,
    /// RSA modulus size, one of [`crate::keys::ALLOWED_BITS`] (default 2048: the certificate
    /// signs short-lived client assertions, and Entra accepts 2048 bits and more).
    #[serde(default = "default_bits")]
    pub bits: usize,
}

fn default_bits() -> usize {
    2048
}

impl CertificateRequest {
    pub fn validate(&self) -> Result<(), IdentityError> {
        let cn = self.common_name.trim();
        if cn.is_empty()
            || cn.len() > 64
            || cn.chars().any(|c| {
                c.is_control() || matches!(c, ',' | '+' | '=' | '"' | '\\' | '<' | '>' | ';' | '#')
            })
        {
            return Err(IdentityError::input(
                "common_name",
                "The certificate name must be 1 to 64 characters, without , + = \" \\ < > ; #.",
                "Use a plain name such as Hire2Retire.",
            ));
        }
        if !(1..=1095).contains(&self.days) {
            return Err(IdentityError::input("days", format!("A validity of {} days is outside 1 to 1095 days.", self.days), "Choose a validity between 1 day and 3 years; put a reminder to renew before it expires."));
        }
        if !crate::keys::ALLOWED_BITS.contains(&self.bits) {
            return Err(IdentityError::input(
                "bits",
                format!("{} is not an offered RSA key size.", self.bits),
                "Choose 2048, 3072 or 4096 bits.",
            ));
        }
        Ok(())
    }
}

/// A certificate with its private key, in memory.
pub struct Credential {
    cert_der: Vec<u8>,
    key: RsaPrivateKey,
    info: CertificateInfo,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("info", &self.info)
            .field("key", &"[redacted]")
            .finish()
    }
}

impl Credential {
    pub fn info(&self) -> &CertificateInfo {
        &self.info
    }
    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }
    pub(crate) fn key(&self) -> &RsaPrivateKey {
        &self.key
    }
    /// base64url SHA-256 of the DER certificate: the JWT header's `x5t#S256`.
    pub fn x5t_s256(&self) -> String {
        jws::b64url(&Sha256::digest(&self.cert_der))
    }
    pub fn cert_pem(&self) -> String {
        x509_cert::Certificate::from_der(&self.cert_der)
            .and_then(|c| c.to_pem(LineEnding::LF))
            .expect("own certificate encodes")
    }

    fn from_parts(cert_der: Vec<u8>, key: RsaPrivateKey) -> Result<Self, IdentityError> {
        let cert = x509_cert::Certificate::from_der(&cert_der).map_err(|e| {
            IdentityError::Certificate(format!("The certificate is not valid DER ({e})."))
        })?;
        let public = public_key_of(&cert)?;
        if public != key.to_public_key() {
            return Err(IdentityError::Certificate(
                "The private key does not belong to the certificate.".into(),
            ));
        }
        let not_after = cert
            .tbs_certificate
            .validity
            .not_after
            .to_date_time()
            .to_string();
        let info = CertificateInfo {
            thumbprint_sha1: hex_upper(&Sha1::digest(&cert_der)),
            thumbprint_sha256: hex_upper(&Sha256::digest(&cert_der)),
            not_after,
        };
        Ok(Credential {
            cert_der,
            key,
            info,
        })
    }
}

/// The RSA public key inside a certificate.
pub fn public_key_of(cert: &x509_cert::Certificate) -> Result<RsaPublicKey, IdentityError> {
    use rsa::pkcs8::DecodePublicKey;
    let spki_der = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| {
            IdentityError::Certificate(format!("The certificate's public key is unreadable ({e})."))
        })?;
    RsaPublicKey::from_public_key_der(&spki_der)
        .map_err(|_| IdentityError::Certificate("The certificate's key is not an RSA key.".into()))
}

pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// [`generate`] off the async runtime, with Cancel: a cancelled generation returns
/// `identity.cancelled` at once (the key being searched for is dropped when it is found).
pub async fn generate_async(
    req: CertificateRequest,
    cancel: &Cancel,
) -> Result<Credential, IdentityError> {
    let task = tokio::task::spawn_blocking(move || generate(&req));
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(IdentityError::Cancelled),
        res = task => res.map_err(|e| IdentityError::Certificate(format!("Key generation stopped ({e}).")))?,
    }
}

/// Generate the key pair and the self-signed certificate (CPU-bound: call it from a blocking
/// thread in async code, or use [`generate_async`]).
pub fn generate(req: &CertificateRequest) -> Result<Credential, IdentityError> {
    req.validate()?;
    let mut rng = rand_core::OsRng;
    let key = RsaPrivateKey::new(&mut rng, req.bits)
        .map_err(|e| IdentityError::Certificate(format!("Key generation failed ({e}).")))?;
    let cert_der = self_signed(&key, req.common_name.trim(), req.days)?;
    Credential::from_parts(cert_der, key)
}

fn self_signed(key: &RsaPrivateKey, cn: &str, days: u32) -> Result<Vec<u8>, IdentityError> {
    let e = |what: &str, err: x509_cert::der::Error| {
        IdentityError::Certificate(format!("Could not build the certificate's {what} ({err})."))
    };
    let name = x509_cert::name::Name::from_str(&format!("CN={cn}")).map_err(|x| e("name", x))?;
    let mut serial = [0u8; 16];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut serial);
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    let spki_der = key.to_public_key().to_public_key_der().map_err(|x| {
        IdentityError::Certificate(format!("Could not encode the public key ({x})."))
    })?;
    let alg = AlgorithmIdentifierOwned {
        oid: SHA256_WITH_RSA,
        parameters: Some(x509_cert::der::Any::null()),
    };
    // Backdate a little so a clock slightly behind still accepts it.
    let mut validity =
        x509_cert::time::Validity::from_now(Duration::from_secs(u64::from(days) * 86_400))
            .map_err(|x| e("validity", x))?;
    let nb = std::time::SystemTime::now() - Duration::from_secs(300);
    validity.not_before = x509_cert::time::Time::try_from(nb).map_err(|x| e("validity", x))?;
    let tbs = x509_cert::TbsCertificate {
        version: x509_cert::Version::V3,
        serial_number: x509_cert::serial_number::SerialNumber::new(&serial)
            .map_err(|x| e("serial number", x))?,
        signature: alg.clone(),
        issuer: name.clone(),
        validity,
        subject: name,
        subject_public_key_info: SubjectPublicKeyInfoOwned::from_der(spki_der.as_bytes())
            .map_err(|x| e("public key", x))?,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: None,
    };
    let tbs_der = tbs.to_der().map_err(|x| e("body", x))?;
    let sig = jws::sign_bytes(key, jws::Alg::RS256, &tbs_der).map_err(|x| {
        IdentityError::Certificate(format!("Signing the certificate failed ({x})."))
    })?;
    let cert = x509_cert::Certificate {
        tbs_certificate: tbs,
        signature_algorithm: alg,
        signature: BitString::from_bytes(&sig).map_err(|x| e("signature", x))?,
    };
    cert.to_der().map_err(|x| e("encoding", x))
}

/// Paths written by [`save`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SavedCertificate {
    pub cer: PathBuf,
    pub pem: PathBuf,
    pub key: PathBuf,
    pub info: CertificateInfo,
}

pub fn check_passphrase(passphrase: &str) -> Result<(), IdentityError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(IdentityError::input(
            "passphrase",
            format!("The passphrase must have at least {MIN_PASSPHRASE_CHARS} characters."),
            "Choose a longer passphrase; a few unrelated words work well.",
        ));
    }
    Ok(())
}

/// Encrypted PKCS#8 PEM of the key (PBKDF2-HMAC-SHA256 + AES-256-CBC).
pub fn encrypt_key_pem(
    key: &RsaPrivateKey,
    passphrase: &str,
) -> Result<Zeroizing<String>, IdentityError> {
    let plain = key
        .to_pkcs8_der()
        .map_err(|e| IdentityError::Certificate(format!("Key encoding failed ({e}).")))?;
    crate::keys::pbes2::encrypt_pem(plain.as_bytes(), passphrase.as_bytes())
        .map_err(|e| IdentityError::Certificate(format!("Key encryption failed ({e}).")))
}

/// Write the three files into `dir` as `<name>.*`. Refuses to overwrite; removes what it
/// wrote if a later write fails.
pub fn save(
    cred: &Credential,
    dir: &Path,
    name: &str,
    passphrase: &str,
) -> Result<SavedCertificate, IdentityError> {
    save_cancellable(cred, dir, name, passphrase, &Cancel::new())
}

/// [`save`], stopped by `cancel` before any file is written: the key derivation (600 000
/// PBKDF2 iterations) runs to its end, then a cancelled save writes nothing and says so.
pub fn save_cancellable(
    cred: &Credential,
    dir: &Path,
    name: &str,
    passphrase: &str,
    cancel: &Cancel,
) -> Result<SavedCertificate, IdentityError> {
    check_passphrase(passphrase)?;
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(IdentityError::input(
            "file_name",
            format!("\"{name}\" is not a plain file name."),
            "Use a name such as hire2retire.",
        ));
    }
    if !dir.is_dir() {
        return Err(IdentityError::input(
            "folder",
            format!("{} is not a folder.", dir.display()),
            "Choose an existing folder.",
        ));
    }
    let cer = dir.join(format!("{name}.cer"));
    let pem = dir.join(format!("{name}.pem"));
    let keyp = dir.join(format!("{name}.key.pem"));
    for p in [&cer, &pem, &keyp] {
        if p.exists() {
            return Err(IdentityError::input(
                "file_name",
                format!("{} already exists.", p.display()),
                "Choose another name or folder; existing files are never overwritten.",
            ));
        }
    }
    let cert_pem = cred.cert_pem();
    let key_pem = encrypt_key_pem(&cred.key, passphrase)?;
    if cancel.is_cancelled() {
        return Err(IdentityError::Cancelled);
    }
    let bundle = Zeroizing::new(format!("{cert_pem}{}", key_pem.as_str()));
    let mut written: Vec<&PathBuf> = Vec::new();
    let result = (|| {
        write_new(&cer, &cred.cert_der, Access::Public)?;
        written.push(&cer);
        write_new(&pem, cert_pem.as_bytes(), Access::Public)?;
        written.push(&pem);
        write_new(&keyp, bundle.as_bytes(), Access::OwnerOnly)?;
        written.push(&keyp);
        Ok(())
    })();
    if let Err(e) = result {
        for p in written {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    // The three names are durable once the folder's entries are.
    crate::keys::files::sync_dir(dir).map_err(|e| IdentityError::Io {
        path: dir.display().to_string(),
        detail: e.to_string(),
    })?;
    Ok(SavedCertificate {
        cer,
        pem,
        key: keyp,
        info: cred.info.clone(),
    })
}

/// A new file, fsynced, through the project's one owner-only writer (`keys::files`).
fn write_new(path: &Path, bytes: &[u8], access: Access) -> Result<(), IdentityError> {
    crate::keys::files::write_new(path, bytes, access).map_err(|e| IdentityError::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    })
}

/// Load `<name>.key.pem` (certificate + encrypted key) with its passphrase.
pub fn load(path: &Path, passphrase: &str) -> Result<Credential, IdentityError> {
    let text = crate::keys::files::read_limited_text(path, crate::keys::MAX_KEY_FILE_BYTES)
        .map_err(|e| IdentityError::Io {
            path: path.display().to_string(),
            detail: if crate::keys::files::is_too_large(&e) {
                "it is far larger than a certificate and its key".to_string()
            } else {
                e.to_string()
            },
        })?;
    parse_bundle(&text, passphrase)
}

/// Parse a PEM bundle holding one CERTIFICATE and one ENCRYPTED PRIVATE KEY.
pub fn parse_bundle(text: &str, passphrase: &str) -> Result<Credential, IdentityError> {
    let cert_pem = pem_block(text, "CERTIFICATE")
        .ok_or_else(|| IdentityError::Certificate("The file holds no CERTIFICATE block.".into()))?;
    let key_pem = pem_block(text, "ENCRYPTED PRIVATE KEY").ok_or_else(|| {
        if pem_block(text, "PRIVATE KEY").is_some() || pem_block(text, "RSA PRIVATE KEY").is_some()
        {
            IdentityError::Certificate(
                "The private key in this file is not passphrase-protected; it is refused.".into(),
            )
        } else {
            IdentityError::Certificate("The file holds no ENCRYPTED PRIVATE KEY block.".into())
        }
    })?;
    let cert = x509_cert::Certificate::from_pem(cert_pem.as_bytes())
        .map_err(|e| IdentityError::Certificate(format!("The certificate is unreadable ({e}).")))?;
    // One PBES2 for every key (crate::keys::pbes2): the envelope's KDF and cipher are checked
    // before any key derivation (issue 12).
    let plain = crate::keys::pbes2::decrypt_pem(&key_pem, passphrase.as_bytes(), "The private key")
        .map_err(|e| match e {
            crate::keys::KeyError::WrongPassphrase { .. } => IdentityError::WrongPassphrase,
            other => IdentityError::Certificate(format!(
                "{other} {}",
                crate::error::Diagnostic::hint(&other)
            )),
        })?;
    let key = RsaPrivateKey::from_pkcs8_der(plain.as_bytes())
        .map_err(|_| IdentityError::WrongPassphrase)?;
    let der = cert
        .to_der()
        .map_err(|e| IdentityError::Certificate(format!("The certificate is unreadable ({e}).")))?;
    Credential::from_parts(der, key)
}

fn pem_block(text: &str, label: &str) -> Option<String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let s = text.find(&begin)?;
    let e = text[s..].find(&end)? + s + end.len();
    Some(format!("{}\n", &text[s..e]))
}

/// The public facts of a certificate file (`.cer` DER or `.pem`).
pub fn info_of_public(bytes: &[u8]) -> Result<CertificateInfo, IdentityError> {
    let cert = if bytes.starts_with(b"-----") {
        x509_cert::Certificate::from_pem(bytes)
    } else {
        x509_cert::Certificate::from_der(bytes)
    }
    .map_err(|e| IdentityError::Certificate(format!("The certificate is unreadable ({e}).")))?;
    let der = cert
        .to_der()
        .map_err(|e| IdentityError::Certificate(e.to_string()))?;
    Ok(CertificateInfo {
        thumbprint_sha1: hex_upper(&Sha1::digest(&der)),
        thumbprint_sha256: hex_upper(&Sha256::digest(&der)),
        not_after: cert
            .tbs_certificate
            .validity
            .not_after
            .to_date_time()
            .to_string(),
    })
}
