//! The on-prem agent's RSA key pair: generation (off the UI thread, cancellable wait),
//! PEM files OpenSSL reads, passphrase protection, import of an admin's public key, and the
//! RFC 7638 JWK SHA-256 thumbprint shown wherever a key is shown.
//!
//! - `privateKey.pem`: PKCS#8 PEM (`PRIVATE KEY`), or with a passphrase encrypted PKCS#8
//!   (`ENCRYPTED PRIVATE KEY`, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, the scheme
//!   `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes). Written owner-only from the first byte.
//! - `publicKey.pem`: SPKI PEM (`PUBLIC KEY`).
//!
//! RUSTSEC-2023-0071 (Marvin timing side-channel in `rsa`) is accepted: only OAEP is used, and
//! decryption happens locally on the admin's or agent's own machine on its own file; an
//! attacker cannot time many decryptions. See `docs/agent-config.md`.

pub mod files;
pub mod pbes2;

pub use crate::cancel::Cancel;
use crate::error::Diagnostic;
use crate::sensitive::Sensitive;
use base64::Engine as _;
use rand_core::OsRng;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// File name of the private key in the agent's folder (the agent reads `/config/privateKey.pem`).
pub const PRIVATE_KEY_FILE: &str = "privateKey.pem";
/// File name of the public key in the agent's folder.
pub const PUBLIC_KEY_FILE: &str = "publicKey.pem";
/// Key sizes the wizard generates.
pub const ALLOWED_BITS: [usize; 3] = [2048, 3072, 4096];
/// The default key size.
pub const DEFAULT_BITS: usize = 3072;
/// Smallest imported public key accepted.
pub const MIN_IMPORT_BITS: usize = 2048;
/// Largest key accepted anywhere (keeps a hostile key from costing minutes).
pub const MAX_BITS: usize = 16384;
/// PBKDF2-HMAC-SHA256 iterations for an encrypted private key (OWASP 2023 guidance).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Most PBKDF2 iterations accepted when reading an encrypted key (issue 12): a crafted file must
/// not burn CPU for minutes. About 3x the count this tool writes; OpenSSL writes 2048.
pub const MAX_PBKDF2_ITERATIONS: u32 = 2_000_000;
/// Largest key file read (a 16384-bit encrypted PEM is about 13 KB).
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// B64URL without padding, strict (non-canonical trailing bits are an error).
pub(crate) const B64: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Errors of this module. Codes are stable (`keys.*`).
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("RSA key size {0} is not offered; choose 2048, 3072 or 4096 bits.")]
    InvalidBits(usize),
    #[error("Key generation was cancelled.")]
    Cancelled,
    #[error("Key generation failed: {0}.")]
    GenerationFailed(String),
    #[error("{what} is not a readable PEM key: {detail}.")]
    MalformedPem { what: String, detail: String },
    #[error("{what} is a private key, but a public key is needed here.")]
    PrivateKeyGiven { what: String },
    #[error("{what} is an RSA key of {bits} bits; at least {min} bits are required.")]
    TooSmall {
        what: String,
        bits: usize,
        min: usize,
    },
    #[error("{what} is an RSA key of {bits} bits; at most {max} bits are supported.")]
    TooLarge {
        what: String,
        bits: usize,
        max: usize,
    },
    #[error("The passphrase does not unlock {what}.")]
    WrongPassphrase { what: String },
    #[error("{what} is protected by a passphrase, and none was given.")]
    PassphraseRequired { what: String },
    #[error("The passphrase file {path} is {problem}.")]
    BadPassphraseFile { path: String, problem: String },
    #[error("{path} already exists; refusing to overwrite an existing key.")]
    Exists { path: String },
    #[error("{what} is encrypted with {detail}, which is not accepted.")]
    UnsupportedEncryption { what: String, detail: String },
    #[error("Could not {action} {path}: {source}.")]
    Io {
        action: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("RSA operation failed: {0}.")]
    Crypto(String),
}

impl Diagnostic for KeyError {
    fn class(&self) -> crate::error::ErrorClass {
        use crate::error::ErrorClass::{Failure, Input};
        match self {
            KeyError::Io { .. }
            | KeyError::MalformedPem { .. }
            | KeyError::BadPassphraseFile { .. }
            | KeyError::PrivateKeyGiven { .. } => Input,
            _ => Failure,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            KeyError::InvalidBits(_) => "keys.invalid_bits",
            KeyError::Cancelled => "keys.cancelled",
            KeyError::GenerationFailed(_) => "keys.generation_failed",
            KeyError::MalformedPem { .. } => "keys.malformed_pem",
            KeyError::PrivateKeyGiven { .. } => "keys.private_key_given",
            KeyError::TooSmall { .. } => "keys.too_small",
            KeyError::TooLarge { .. } => "keys.too_large",
            KeyError::WrongPassphrase { .. } => "keys.wrong_passphrase",
            KeyError::PassphraseRequired { .. } => "keys.passphrase_required",
            KeyError::BadPassphraseFile { .. } => "keys.passphrase_file",
            KeyError::Exists { .. } => "keys.exists",
            KeyError::UnsupportedEncryption { .. } => "keys.unsupported_encryption",
            KeyError::Io { .. } => "keys.io",
            KeyError::Crypto(_) => "keys.crypto",
        }
    }

    fn hint(&self) -> String {
        match self {
            KeyError::InvalidBits(_) => "Use 3072 (the default) unless your policy says otherwise.".into(),
            KeyError::Cancelled => "Start key generation again when you are ready.".into(),
            KeyError::GenerationFailed(_) | KeyError::Crypto(_) => "Try again; if it keeps failing, report it with this message.".into(),
            KeyError::MalformedPem { .. } => {
                "Paste the whole PEM block, including the -----BEGIN …----- and -----END …----- lines.".into()
            }
            KeyError::PrivateKeyGiven { .. } => {
                "Never share the private key. Give publicKey.pem (-----BEGIN PUBLIC KEY-----) instead.".into()
            }
            KeyError::TooSmall { .. } => "Generate a new key of 3072 bits or more.".into(),
            KeyError::TooLarge { .. } => "Use a key of 2048 to 4096 bits.".into(),
            KeyError::WrongPassphrase { .. } => "Check the passphrase (it is case-sensitive) and try again.".into(),
            KeyError::PassphraseRequired { .. } => "Give the passphrase chosen when the key was created.".into(),
            KeyError::BadPassphraseFile { .. } => "Put the passphrase on the first line of a readable file.".into(),
            KeyError::Exists { .. } => "Choose another folder; a key in use is replaced by rotating it (the old one is archived).".into(),
            KeyError::UnsupportedEncryption { .. } => format!(
                "Re-encrypt the key with PBKDF2-HMAC-SHA256 (at most {MAX_PBKDF2_ITERATIONS} iterations) and AES-256-CBC, the scheme this tool writes (OpenSSL 3 writes it by default when it protects a PKCS#8 key with a passphrase)."
            ),
            KeyError::Io { .. } => "Check that the folder exists and that you may write to it.".into(),
        }
    }
}

impl crate::error::Registered for KeyError {
    const AREA: &'static str = "keys";
    fn samples() -> Vec<Self> {
        let w = || "publicKey.pem".to_string();
        vec![
            KeyError::InvalidBits(1024),
            KeyError::Cancelled,
            KeyError::GenerationFailed("out of memory".into()),
            KeyError::MalformedPem {
                what: w(),
                detail: "no PEM block".into(),
            },
            KeyError::PrivateKeyGiven { what: w() },
            KeyError::TooSmall {
                what: w(),
                bits: 1024,
                min: 2048,
            },
            KeyError::TooLarge {
                what: w(),
                bits: 16384,
                max: 8192,
            },
            KeyError::WrongPassphrase {
                what: "privateKey.pem".into(),
            },
            KeyError::PassphraseRequired {
                what: "privateKey.pem".into(),
            },
            KeyError::BadPassphraseFile {
                path: "pass.txt".into(),
                problem: "empty".into(),
            },
            KeyError::Exists {
                path: "privateKey.pem".into(),
            },
            KeyError::UnsupportedEncryption {
                what: "privateKey.pem".into(),
                detail: "DES-CBC".into(),
            },
            KeyError::Io {
                action: "read",
                path: w(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            },
            KeyError::Crypto("decryption error".into()),
        ]
    }
}

impl KeyError {
    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        KeyError::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

/// A passphrase protecting a private key. Zeroized on drop; never printed.
#[derive(Clone, Debug)]
pub struct Passphrase(Sensitive);

impl Passphrase {
    /// An empty passphrase is refused.
    pub fn new(s: impl Into<String>) -> Option<Self> {
        let s = Sensitive::new(s);
        if s.is_empty() {
            None
        } else {
            Some(Passphrase(s))
        }
    }

    /// The first line of a file (a trailing `\n` or `\r\n` is not part of the passphrase).
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let bad = |problem: &str| KeyError::BadPassphraseFile {
            path: path.display().to_string(),
            problem: problem.into(),
        };
        let raw = files::read_limited(path, 64 * 1024).map_err(|e| {
            if files::is_too_large(&e) {
                bad("far larger than a passphrase")
            } else {
                bad(&format!("unreadable ({e})"))
            }
        })?;
        let text = std::str::from_utf8(&raw).map_err(|_| bad("not UTF-8 text"))?;
        let line = text.split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        Passphrase::new(line.to_string()).ok_or_else(|| bad("empty"))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl<'de> Deserialize<'de> for Passphrase {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Sensitive::deserialize(d)?;
        Passphrase::new(s.expose())
            .ok_or_else(|| serde::de::Error::custom("the passphrase is empty"))
    }
}

/// Public facts about a key: what the wizard shows and the portal needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// RFC 7638 JWK SHA-256 thumbprint, base64url (also the JWE `kid`).
    pub fingerprint: String,
    pub bits: usize,
    /// SPKI PEM of the public key (what the admin pastes into the portal).
    pub public_key_pem: String,
}

/// An RSA public key (generated or imported).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(RsaPublicKey);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({} bits, {})", self.bits(), self.fingerprint())
    }
}

impl PublicKey {
    /// Parse a public key as pasted or picked by an admin: SPKI (`PUBLIC KEY`) or PKCS#1
    /// (`RSA PUBLIC KEY`) PEM. Checks it is RSA with 2048..=16384 bits. `what` names the source
    /// in error messages (e.g. the file name).
    pub fn from_pem(text: &str, what: &str) -> Result<Self, KeyError> {
        let malformed = |detail: &str| KeyError::MalformedPem {
            what: what.to_string(),
            detail: detail.to_string(),
        };
        let t = text.trim();
        if t.contains("PRIVATE KEY-----") {
            return Err(KeyError::PrivateKeyGiven {
                what: what.to_string(),
            });
        }
        let key = if t.starts_with("-----BEGIN PUBLIC KEY-----") {
            RsaPublicKey::from_public_key_pem(t)
                .map_err(|e| malformed(&pem_detail(&e.to_string())))?
        } else if t.starts_with("-----BEGIN RSA PUBLIC KEY-----") {
            RsaPublicKey::from_pkcs1_pem(t).map_err(|e| malformed(&pem_detail(&e.to_string())))?
        } else if t.starts_with("-----BEGIN") {
            return Err(malformed(
                "it is not a public key (expected -----BEGIN PUBLIC KEY-----)",
            ));
        } else {
            return Err(malformed("no -----BEGIN PUBLIC KEY----- line was found"));
        };
        let pk = PublicKey(key);
        check_size(pk.bits(), what, MIN_IMPORT_BITS)?;
        Ok(pk)
    }

    /// Read and parse a public key file.
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let text = read_text(path)?;
        PublicKey::from_pem(&text, &path.display().to_string())
    }

    pub fn bits(&self) -> usize {
        self.0.n().bits()
    }

    /// RFC 7638 JWK SHA-256 thumbprint, base64url.
    pub fn fingerprint(&self) -> String {
        let n = B64.encode(self.0.n().to_bytes_be());
        let e = B64.encode(self.0.e().to_bytes_be());
        // Required members in lexicographic order, no whitespace (RFC 7638 §3.2).
        let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
        B64.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// SPKI PEM (`-----BEGIN PUBLIC KEY-----`), LF line endings.
    pub fn to_pem(&self) -> String {
        self.0
            .to_public_key_pem(LineEnding::LF)
            .expect("an RSA public key always encodes")
    }

    pub fn info(&self) -> KeyInfo {
        KeyInfo {
            fingerprint: self.fingerprint(),
            bits: self.bits(),
            public_key_pem: self.to_pem(),
        }
    }

    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256 (JWE `RSA-OAEP-256`).
    pub fn encrypt_oaep(&self, msg: &[u8]) -> Result<Vec<u8>, KeyError> {
        self.0
            .encrypt(&mut OsRng, Oaep::new::<Sha256>(), msg)
            .map_err(|e| KeyError::Crypto(e.to_string()))
    }

    pub fn rsa(&self) -> &RsaPublicKey {
        &self.0
    }
}

/// An RSA private key. Its memory is zeroized on drop (by `rsa`); never printed.
#[derive(Clone)]
pub struct PrivateKey(RsaPrivateKey);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PrivateKey(<redacted>, {} bits, {})",
            self.public_key().bits(),
            self.public_key().fingerprint()
        )
    }
}

impl PrivateKey {
    /// Generate a new key (e = 65537). Blocking: 0.1–3 s in an optimised build. Call
    /// [`generate_async`] from async/UI code.
    pub fn generate(bits: usize) -> Result<Self, KeyError> {
        if !ALLOWED_BITS.contains(&bits) {
            return Err(KeyError::InvalidBits(bits));
        }
        let key = RsaPrivateKey::new(&mut OsRng, bits)
            .map_err(|e| KeyError::GenerationFailed(e.to_string()))?;
        Ok(PrivateKey(key))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public_key())
    }

    /// PKCS#8 PEM; encrypted PKCS#8 (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC) with a passphrase.
    pub fn to_pem(&self, passphrase: Option<&Passphrase>) -> Result<Zeroizing<String>, KeyError> {
        let crypto = |e: &dyn std::fmt::Display| KeyError::Crypto(e.to_string());
        let der = self.0.to_pkcs8_der().map_err(|e| crypto(&e))?;
        match passphrase {
            None => der
                .to_pem("PRIVATE KEY", LineEnding::LF)
                .map_err(|e| crypto(&e)),
            Some(p) => pbes2::encrypt_pem(der.as_bytes(), p.expose().as_bytes()),
        }
    }

    /// Parse `privateKey.pem`: PKCS#8 (plain or encrypted) or PKCS#1 (`RSA PRIVATE KEY`).
    pub fn from_pem(
        text: &str,
        passphrase: Option<&Passphrase>,
        what: &str,
    ) -> Result<Self, KeyError> {
        let malformed = |detail: &str| KeyError::MalformedPem {
            what: what.to_string(),
            detail: detail.to_string(),
        };
        let t = text.trim();
        let key = if t.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            let Some(p) = passphrase else {
                return Err(KeyError::PassphraseRequired {
                    what: what.to_string(),
                });
            };
            let plain = pbes2::decrypt_pem(t, p.expose().as_bytes(), what)?;
            RsaPrivateKey::from_pkcs8_der(plain.as_bytes()).map_err(|_| {
                KeyError::WrongPassphrase {
                    what: what.to_string(),
                }
            })?
        } else if t.starts_with("-----BEGIN PRIVATE KEY-----") {
            RsaPrivateKey::from_pkcs8_pem(t).map_err(|e| malformed(&pem_detail(&e.to_string())))?
        } else if t.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            if t.contains("Proc-Type: 4,ENCRYPTED") {
                return Err(malformed("legacy OpenSSL encryption is not supported; convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`"));
            }
            use rsa::pkcs1::DecodeRsaPrivateKey;
            RsaPrivateKey::from_pkcs1_pem(t).map_err(|e| malformed(&pem_detail(&e.to_string())))?
        } else if t.contains("PUBLIC KEY-----") {
            return Err(malformed(
                "it is a public key, but the private key is needed",
            ));
        } else {
            return Err(malformed("no -----BEGIN PRIVATE KEY----- line was found"));
        };
        key.validate()
            .map_err(|e| malformed(&format!("the key is inconsistent ({e})")))?;
        let pk = PrivateKey(key);
        check_size(pk.public_key().bits(), what, MIN_IMPORT_BITS)?;
        Ok(pk)
    }

    /// Read and parse a private key file.
    pub fn from_file(path: &Path, passphrase: Option<&Passphrase>) -> Result<Self, KeyError> {
        let text = Zeroizing::new(read_text(path)?);
        PrivateKey::from_pem(&text, passphrase, &path.display().to_string())
    }

    /// Inverse of [`PublicKey::encrypt_oaep`].
    pub fn decrypt_oaep(&self, ct: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        self.0
            .decrypt(Oaep::new::<Sha256>(), ct)
            .map(Zeroizing::new)
            .map_err(|e| KeyError::Crypto(e.to_string()))
    }
}

/// The OID of the encryption algorithm of an `EncryptedPrivateKeyInfo` (DER), read by hand:
/// the pkcs8 crate cannot parse the envelope of a scheme it does not know (PKCS#12 PBE).
fn encryption_oid(der: &[u8]) -> Option<&[u8]> {
    fn header(b: &[u8]) -> Option<(u8, usize, usize)> {
        let tag = *b.first()?;
        let first = *b.get(1)? as usize;
        if first < 0x80 {
            return Some((tag, 2, first));
        }
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        Some((tag, 2 + n, len))
    }
    let (t, h, _) = header(der)?;
    let b = der.get(h..).filter(|_| t == 0x30)?;
    let (t, h, _) = header(b)?;
    let b = b.get(h..).filter(|_| t == 0x30)?;
    let (t, h, l) = header(b)?;
    b.get(h..h.checked_add(l)?).filter(|_| t == 0x06)
}

/// Refuse, before parsing further, an envelope that is not PBES2 (PKCS#5 v1.5 PBES1, PKCS#12
/// password-based encryption): old ciphers, and nothing this tool writes.
pub fn refuse_other_schemes(der: &[u8], what: &str) -> Result<(), KeyError> {
    const PKCS5: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05];
    const PKCS12_PBE: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01];
    const PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
    let refuse = |detail: &str| {
        Err(KeyError::UnsupportedEncryption {
            what: what.to_string(),
            detail: detail.to_string(),
        })
    };
    match encryption_oid(der) {
        Some(PBES2) | None => Ok(()),
        Some(oid) if oid.starts_with(PKCS12_PBE) => {
            refuse("PKCS#12 password-based encryption (3DES or RC2)")
        }
        Some(oid) if oid.starts_with(PKCS5) => refuse("PBES1 (an old scheme with DES or RC2)"),
        Some(_) => refuse("an unknown scheme"),
    }
}

/// Accept only PBES2 with PBKDF2-HMAC-SHA256 (at most [`MAX_PBKDF2_ITERATIONS`]) and
/// AES-256-CBC, checked before any key derivation: a crafted file cannot name an iteration count
/// or scrypt cost that burns CPU for hours or exhausts memory (issue 12).
pub fn check_encryption(
    enc: &pkcs8::EncryptedPrivateKeyInfo<'_>,
    what: &str,
) -> Result<(), KeyError> {
    use pkcs8::pkcs5::pbes2::{EncryptionScheme as Cipher, Kdf, Pbkdf2Prf};
    let refuse = |detail: String| {
        Err(KeyError::UnsupportedEncryption {
            what: what.to_string(),
            detail,
        })
    };
    let Some(p) = enc.encryption_algorithm.pbes2() else {
        return refuse("PBES1 (an old scheme with DES or RC2)".into());
    };
    match &p.kdf {
        Kdf::Pbkdf2(k) if k.prf != Pbkdf2Prf::HmacWithSha256 => {
            let prf = match k.prf {
                Pbkdf2Prf::HmacWithSha1 => "HMAC-SHA1",
                Pbkdf2Prf::HmacWithSha224 => "HMAC-SHA224",
                Pbkdf2Prf::HmacWithSha384 => "HMAC-SHA384",
                Pbkdf2Prf::HmacWithSha512 => "HMAC-SHA512",
                _ => "another function",
            };
            return refuse(format!("PBKDF2 with {prf}, not HMAC-SHA256"));
        }
        Kdf::Pbkdf2(k) if k.iteration_count > MAX_PBKDF2_ITERATIONS => {
            return refuse(format!(
                "PBKDF2 at {} iterations, more than the {MAX_PBKDF2_ITERATIONS} accepted",
                k.iteration_count
            ));
        }
        Kdf::Pbkdf2(k) if k.iteration_count == 0 => {
            return refuse("PBKDF2 with zero iterations".into())
        }
        Kdf::Pbkdf2(_) => {}
        Kdf::Scrypt(_) => return refuse("scrypt (its cost is not bounded here)".into()),
        _ => return refuse("an unknown key derivation".into()),
    }
    let cipher = match p.encryption {
        Cipher::Aes256Cbc { .. } => return Ok(()),
        Cipher::Aes128Cbc { .. } => "AES-128-CBC",
        Cipher::Aes192Cbc { .. } => "AES-192-CBC",
        _ => "DES or another old cipher",
    };
    refuse(format!("{cipher}, not AES-256-CBC"))
}

fn check_size(bits: usize, what: &str, min: usize) -> Result<(), KeyError> {
    if bits < min {
        return Err(KeyError::TooSmall {
            what: what.to_string(),
            bits,
            min,
        });
    }
    if bits > MAX_BITS {
        return Err(KeyError::TooLarge {
            what: what.to_string(),
            bits,
            max: MAX_BITS,
        });
    }
    Ok(())
}

fn pem_detail(raw: &str) -> String {
    let raw = raw.trim_end_matches('.');
    if raw.is_empty() {
        "the PEM block is damaged".into()
    } else {
        format!("the PEM block is damaged ({raw})")
    }
}

/// Read a UTF-8 key file of reasonable size (keys are a few KB), refusing a larger one before
/// reading it.
pub(crate) fn read_text(path: &Path) -> Result<String, KeyError> {
    let bytes = files::read_limited(path, MAX_KEY_FILE_BYTES).map_err(|e| {
        if files::is_too_large(&e) {
            KeyError::MalformedPem {
                what: path.display().to_string(),
                detail: format!(
                    "the file is larger than {} KiB, far larger than any key",
                    MAX_KEY_FILE_BYTES / 1024
                ),
            }
        } else {
            KeyError::io("read", path, e)
        }
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| KeyError::MalformedPem {
        what: path.display().to_string(),
        detail: "the file is not text".into(),
    })
}

// ---------------------------------------------------------------------------------------------
// Generation off the UI thread, with progress and Cancel.

/// Progress of a running key generation (prime search has no true percentage: the UI shows
/// `elapsed_ms` against `typical_ms`, an estimate measured in `docs/keys-benchmark.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeygenProgress {
    pub bits: usize,
    pub elapsed_ms: u64,
    pub typical_ms: u64,
}

/// Typical generation time of an optimised build (see `docs/keys-benchmark.md`).
pub fn typical_keygen_ms(bits: usize) -> u64 {
    match bits {
        0..=2048 => 150,
        2049..=3072 => 700,
        _ => 1700,
    }
}

/// Generate on a blocking thread; report progress every 100 ms; return `Cancelled` as soon
/// as `cancel` is set (the abandoned computation finishes in the background and its key is
/// zeroized and dropped).
pub async fn generate_async(
    bits: usize,
    mut on_progress: impl FnMut(KeygenProgress) + Send,
    cancel: Cancel,
) -> Result<PrivateKey, KeyError> {
    if !ALLOWED_BITS.contains(&bits) {
        return Err(KeyError::InvalidBits(bits));
    }
    let start = Instant::now();
    let mut task = tokio::task::spawn_blocking(move || PrivateKey::generate(bits));
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        if cancel.is_cancelled() {
            return Err(KeyError::Cancelled);
        }
        tokio::select! {
            res = &mut task => {
                return match res {
                    Ok(r) => r,
                    Err(e) => Err(KeyError::GenerationFailed(e.to_string())),
                };
            }
            _ = tick.tick() => {
                if cancel.is_cancelled() {
                    return Err(KeyError::Cancelled);
                }
                on_progress(KeygenProgress {
                    bits,
                    elapsed_ms: start.elapsed().as_millis() as u64,
                    typical_ms: typical_keygen_ms(bits),
                });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Key files.

/// Where a key pair was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenKeyPair {
    pub fingerprint: String,
    pub bits: usize,
    pub private_key: PathBuf,
    pub public_key: PathBuf,
    /// Whether `privateKey.pem` is passphrase-protected.
    pub encrypted: bool,
    pub public_key_pem: String,
}

/// Write `DIR/privateKey.pem` (owner-only, atomic) and `DIR/publicKey.pem`. Refuses to replace
/// an existing key file unless `force`. Creates `dir` (owner-only) if missing.
pub fn write_key_pair(
    dir: &Path,
    key: &PrivateKey,
    passphrase: Option<&Passphrase>,
    force: bool,
) -> Result<WrittenKeyPair, KeyError> {
    let private_path = dir.join(PRIVATE_KEY_FILE);
    let public_path = dir.join(PUBLIC_KEY_FILE);
    if !force {
        for p in [&private_path, &public_path] {
            if p.symlink_metadata().is_ok() {
                return Err(KeyError::Exists {
                    path: p.display().to_string(),
                });
            }
        }
    }
    if !dir.exists() {
        files::create_private_dir(dir).map_err(|e| KeyError::io("create", dir, e))?;
    }
    let pem = key.to_pem(passphrase)?;
    let public = key.public_key();
    files::write_atomic(&private_path, pem.as_bytes(), files::Access::OwnerOnly)
        .map_err(|e| KeyError::io("write", &private_path, e))?;
    files::write_atomic(
        &public_path,
        public.to_pem().as_bytes(),
        files::Access::Public,
    )
    .map_err(|e| KeyError::io("write", &public_path, e))?;
    Ok(WrittenKeyPair {
        fingerprint: public.fingerprint(),
        bits: public.bits(),
        private_key: private_path,
        public_key: public_path,
        encrypted: passphrase.is_some(),
        public_key_pem: public.to_pem(),
    })
}
