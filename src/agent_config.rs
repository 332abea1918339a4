//! The on-prem agent's encrypted config: JWE Compact Serialization (RFC 7516) with
//! `alg` = `RSA-OAEP-256` and `enc` = `A256GCM` (RFC 7518), sealed to the agent's public key.
//!
//! This format is ours (the Hire2Retire agent's own scheme is not public); it is specified in
//! `docs/agent-config.md` so any stock JOSE library opens it. The protected header is exactly
//! `{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":<RFC 7638 thumbprint>,"cty":CONFIG_CTY}`.
//!
//! [`seal`] seals exactly the JSON bytes it is given and [`open`] returns exactly those bytes.
//! The wizard's payload is [`AgentPayload`]; the folder layout and key rotation live in
//! [`folder`].

pub mod connection;
pub mod folder;
pub mod handoff;
pub mod instructions;
pub mod password;

use crate::error::Diagnostic;
use crate::keys::{KeyError, PrivateKey, PublicKey, B64};
use crate::profile::HybridConnection;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// File name of the sealed config in the agent's folder.
pub const CONFIG_FILE: &str = "config.jwe";
/// JWE `alg`.
pub const ALG: &str = "RSA-OAEP-256";
/// JWE `enc`.
pub const ENC: &str = "A256GCM";
/// Media-type family of the payload (JWE `cty`, RFC 7515 §4.1.10 short form).
pub const CTY_FAMILY: &str = "vnd.hire2retire.agent-config+json";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// JWE `cty` of format version 1.
pub const CONFIG_CTY: &str = "vnd.hire2retire.agent-config+json;version=1";
/// Largest sealed config accepted (a config is a few KB).
pub const MAX_SEALED_LEN: usize = 4 << 20;

/// Errors of this module. Codes are stable (`agent_config.*`).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{what} is not an agent config (expected a JWE in compact serialization).")]
    NotJwe { what: String },
    #[error("{what} was modified or corrupted ({detail}).")]
    Modified { what: String, detail: String },
    #[error("{what} uses format version {found}, which this version of Hire2Retire Setup does not read (it reads version {FORMAT_VERSION}).")]
    UnknownVersion { what: String, found: String },
    #[error("{what} has content type {found:?}, not a Hire2Retire agent config.")]
    UnknownContentType { what: String, found: String },
    #[error("{what} uses key algorithm {found:?}; only RSA-OAEP-256 is supported.")]
    UnknownAlg { what: String, found: String },
    #[error("{what} uses content encryption {found:?}; only A256GCM is supported.")]
    UnknownEnc { what: String, found: String },
    #[error("{what} uses the JWE header parameter {name:?}, which agent configs never use.")]
    UnsupportedHeader { what: String, name: String },
    #[error("{what} was sealed to key {sealed_to}, but the private key given is key {key_id}.")]
    WrongKey {
        what: String,
        sealed_to: String,
        key_id: String,
    },
    #[error("{what} is not valid JSON ({detail}).")]
    NotJson { what: String, detail: String },
    #[error("The agent config payload is not usable: {0}.")]
    BadPayload(String),
    #[error("Another change of the agent folder {path} is running.")]
    Busy { path: String },
    #[error("The agent folder {path} was not found (it was moved, renamed or deleted).")]
    FolderMissing { path: String },
    #[error("This connection has no agent folder yet.")]
    NoFolder,
    #[error("The agent folder {path} is incomplete: {missing} is missing.")]
    FolderIncomplete { path: String, missing: String },
    #[error("The folder {path} already holds an agent key or config.")]
    FolderInUse { path: String },
    #[error("The folder {path} is not safe to use: {problem}.")]
    UnsafeFolder { path: String, problem: String },
    #[error("{path} is not what the agent folder may hold: {problem}.")]
    UnsafeEntry { path: String, problem: String },
    #[error(
        "The domain controllers did not accept the new password ({detail}); nothing was changed."
    )]
    PasswordNotAccepted { detail: String },
    #[error(
        "The key of the agent folder {path} was imported, so this computer cannot open its config."
    )]
    ImportedKey { path: String },
    #[error("Could not {action} {path}: {source}.")]
    Io {
        action: &'static str,
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Key(#[from] KeyError),
}

impl Diagnostic for ConfigError {
    fn class(&self) -> crate::error::ErrorClass {
        use crate::error::ErrorClass::{Failure, Input};
        match self {
            ConfigError::Key(k) => k.class(),
            ConfigError::NotJwe { .. }
            | ConfigError::NotJson { .. }
            | ConfigError::FolderMissing { .. }
            | ConfigError::FolderIncomplete { .. }
            | ConfigError::Io { .. } => Input,
            _ => Failure,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            ConfigError::NotJwe { .. } => "agent_config.not_jwe",
            ConfigError::Modified { .. } => "agent_config.modified",
            ConfigError::UnknownVersion { .. } => "agent_config.unknown_version",
            ConfigError::UnknownContentType { .. } => "agent_config.unknown_content_type",
            ConfigError::UnknownAlg { .. } => "agent_config.unknown_alg",
            ConfigError::UnknownEnc { .. } => "agent_config.unknown_enc",
            ConfigError::UnsupportedHeader { .. } => "agent_config.unsupported_header",
            ConfigError::WrongKey { .. } => "agent_config.wrong_key",
            ConfigError::NotJson { .. } => "agent_config.not_json",
            ConfigError::BadPayload(_) => "agent_config.bad_payload",
            ConfigError::Busy { .. } => "agent_config.busy",
            ConfigError::FolderMissing { .. } => "agent_config.folder_missing",
            ConfigError::NoFolder => "agent_config.no_folder",
            ConfigError::FolderIncomplete { .. } => "agent_config.folder_incomplete",
            ConfigError::FolderInUse { .. } => "agent_config.folder_in_use",
            ConfigError::UnsafeFolder { .. } => "agent_config.unsafe_folder",
            ConfigError::UnsafeEntry { .. } => "agent_config.unsafe_entry",
            ConfigError::ImportedKey { .. } => "agent_config.imported_key",
            ConfigError::PasswordNotAccepted { .. } => "agent_config.password_not_accepted",
            ConfigError::Io { .. } => "agent_config.io",
            ConfigError::Key(k) => k.code(),
        }
    }

    fn hint(&self) -> String {
        match self {
            ConfigError::NotJwe { .. } => "Give the config.jwe file the wizard wrote.".into(),
            ConfigError::Busy { .. } => "Wait for it to finish (another window or script is changing this folder), then try again.".into(),
            ConfigError::FolderMissing { .. } => {
                "Locate the folder where it is now, or create a new agent folder for this connection.".into()
            }
            ConfigError::NoFolder => "Create the agent folder for this connection, or locate the one it uses.".into(),
            ConfigError::FolderIncomplete { .. } => {
                "Restore the missing file from the copy the agent uses, or create a new agent folder for this connection.".into()
            }
            ConfigError::FolderInUse { .. } => {
                "Choose an empty folder, or replace the existing set (the old one is archived beside the folder).".into()
            }
            ConfigError::UnsafeFolder { .. } => {
                "Use a folder of your own that only you may change (for example a new folder in your home folder).".into()
            }
            ConfigError::UnsafeEntry { .. } => {
                "Someone or something put it there; remove it, check the folder, and choose a folder only you may change.".into()
            }
            ConfigError::PasswordNotAccepted { .. } => {
                "Check the new password (it is case-sensitive), that it was already changed in Active Directory, and that the account is not locked.".into()
            }
            ConfigError::ImportedKey { .. } => {
                "Create the agent config again with the new password and the same public key.".into()
            }
            ConfigError::Modified { .. } => {
                "Do not edit config.jwe; create the agent config again (or restore it from the archive folder).".into()
            }
            ConfigError::UnknownVersion { .. } => "Use the version of Hire2Retire Setup that wrote it, or a newer one.".into(),
            ConfigError::UnknownContentType { .. }
            | ConfigError::UnknownAlg { .. }
            | ConfigError::UnknownEnc { .. }
            | ConfigError::UnsupportedHeader { .. } => {
                "It was not written by Hire2Retire Setup, or it was modified; create the agent config again.".into()
            }
            ConfigError::WrongKey { .. } => {
                "Use the privateKey.pem from the same folder as config.jwe, or seal the config again to this key.".into()
            }
            ConfigError::NotJson { .. } => "The plaintext must be one JSON document (UTF-8).".into(),
            ConfigError::BadPayload(_) => "Create the agent config again with this version of Hire2Retire Setup.".into(),
            ConfigError::Io { .. } => "Check the path and your permissions.".into(),
            ConfigError::Key(k) => k.hint(),
        }
    }
}

impl crate::error::Registered for ConfigError {
    const AREA: &'static str = "agent_config";
    fn samples() -> Vec<Self> {
        let io = || std::io::Error::from(std::io::ErrorKind::NotFound);
        let s = || String::from("x");
        vec![
            ConfigError::NotJwe { what: s() },
            ConfigError::Modified {
                what: s(),
                detail: s(),
            },
            ConfigError::UnknownVersion {
                what: s(),
                found: s(),
            },
            ConfigError::UnknownContentType {
                what: s(),
                found: s(),
            },
            ConfigError::UnknownAlg {
                what: s(),
                found: s(),
            },
            ConfigError::UnknownEnc {
                what: s(),
                found: s(),
            },
            ConfigError::UnsupportedHeader {
                what: s(),
                name: s(),
            },
            ConfigError::WrongKey {
                what: s(),
                sealed_to: s(),
                key_id: s(),
            },
            ConfigError::NotJson {
                what: s(),
                detail: s(),
            },
            ConfigError::BadPayload(s()),
            ConfigError::Busy { path: s() },
            ConfigError::FolderMissing { path: s() },
            ConfigError::NoFolder,
            ConfigError::FolderIncomplete {
                path: s(),
                missing: s(),
            },
            ConfigError::FolderInUse { path: s() },
            ConfigError::UnsafeFolder {
                path: s(),
                problem: s(),
            },
            ConfigError::UnsafeEntry {
                path: s(),
                problem: s(),
            },
            ConfigError::PasswordNotAccepted { detail: s() },
            ConfigError::ImportedKey { path: s() },
            ConfigError::Io {
                action: "read",
                path: s(),
                source: io(),
            },
        ]
    }
}

impl ConfigError {
    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        ConfigError::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    }
}

/// The protected header of a sealed config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub alg: String,
    pub enc: String,
    /// RFC 7638 thumbprint of the key it is sealed to.
    pub kid: String,
    pub cty: String,
}

/// Seal `plaintext` (one JSON document, sealed byte for byte) to `to`.
pub fn seal(plaintext: &[u8], to: &PublicKey) -> Result<String, ConfigError> {
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(plaintext) {
        return Err(ConfigError::NotJson {
            what: "The plaintext".into(),
            detail: e.to_string(),
        });
    }
    Ok(seal_bytes(plaintext, to))
}

/// Seal arbitrary bytes (no JSON check). Used by tests to make `fail_*` vectors.
pub fn seal_bytes(plaintext: &[u8], to: &PublicKey) -> String {
    let header = Header {
        alg: ALG.into(),
        enc: ENC.into(),
        kid: to.fingerprint(),
        cty: CONFIG_CTY.into(),
    };
    seal_with_header(
        plaintext,
        to,
        &serde_json::to_string(&header).expect("header serialises"),
    )
}

/// Seal with a caller-chosen protected header JSON (tests build unknown-version vectors with it).
#[doc(hidden)]
pub fn seal_with_header(plaintext: &[u8], to: &PublicKey, header_json: &str) -> String {
    let mut cek = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(cek.as_mut());
    let mut iv = [0u8; 12];
    OsRng.fill_bytes(&mut iv);
    let encrypted_key = to
        .encrypt_oaep(cek.as_ref())
        .expect("OAEP of 32 bytes fits any key of >= 2048 bits");
    let protected = B64.encode(header_json.as_bytes());
    let cipher = Aes256Gcm::new_from_slice(cek.as_ref()).expect("32-byte key");
    let mut ct = cipher
        .encrypt(
            Nonce::from_slice(&iv),
            Payload {
                msg: plaintext,
                aad: protected.as_bytes(),
            },
        )
        .expect("AES-GCM encryption of a bounded buffer cannot fail");
    let tag = ct.split_off(ct.len() - 16);
    format!(
        "{}.{}.{}.{}.{}",
        protected,
        B64.encode(encrypted_key),
        B64.encode(iv),
        B64.encode(&ct),
        B64.encode(&tag)
    )
}

/// The five decoded parts of a compact JWE.
struct Parts<'a> {
    protected_b64: &'a str,
    header: Header,
    encrypted_key: Vec<u8>,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
    tag: Vec<u8>,
}

fn modified(what: &str, detail: &str) -> ConfigError {
    ConfigError::Modified {
        what: what.to_string(),
        detail: detail.to_string(),
    }
}

/// Parse and check the structure and header of a compact JWE without any key. Never panics.
/// `what` names the input in messages (e.g. the file name).
pub fn inspect(compact: &str, what: &str) -> Result<Header, ConfigError> {
    parse(compact, what).map(|p| p.header)
}

fn parse<'a>(compact: &'a str, what: &str) -> Result<Parts<'a>, ConfigError> {
    if compact.len() > MAX_SEALED_LEN {
        return Err(modified(what, "it is larger than any agent config"));
    }
    // Tolerate the line ending an editor or `echo` adds; nothing else.
    let compact = compact.trim_end_matches(['\n', '\r']);
    let segments: Vec<&str> = compact.split('.').collect();
    if segments.len() != 5 {
        if segments.len() == 1 && !compact.starts_with("eyJ") {
            return Err(ConfigError::NotJwe {
                what: what.to_string(),
            });
        }
        return Err(modified(what, "it does not have the five parts of a JWE"));
    }
    let dec = |i: usize, name: &str| -> Result<Vec<u8>, ConfigError> {
        B64.decode(segments[i])
            .map_err(|_| modified(what, &format!("the {name} is not valid base64url")))
    };
    let header_bytes = dec(0, "protected header")?;
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header_bytes)
        .map_err(|_| modified(what, "the protected header is not a JSON object"))?;
    let field = |name: &str| -> Result<String, ConfigError> {
        match map.get(name) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(modified(
                what,
                &format!("the header's {name:?} is not a string"),
            )),
            None => Err(modified(what, &format!("the header has no {name:?}"))),
        }
    };
    for (name, _) in map.iter() {
        match name.as_str() {
            "alg" | "enc" | "kid" | "cty" | "typ" => {}
            // Anything that changes how the bytes are read (crit, zip, jku, x5u, ...) is refused.
            other => {
                return Err(ConfigError::UnsupportedHeader {
                    what: what.to_string(),
                    name: other.to_string(),
                })
            }
        }
    }
    let alg = field("alg")?;
    if alg != ALG {
        return Err(ConfigError::UnknownAlg {
            what: what.to_string(),
            found: alg,
        });
    }
    let enc = field("enc")?;
    if enc != ENC {
        return Err(ConfigError::UnknownEnc {
            what: what.to_string(),
            found: enc,
        });
    }
    let cty = field("cty")?;
    check_cty(&cty, what)?;
    let kid = field("kid")?;
    let header = Header { alg, enc, kid, cty };
    let encrypted_key = dec(1, "encrypted key")?;
    let iv = dec(2, "initialization vector")?;
    if iv.len() != 12 {
        return Err(modified(what, "the initialization vector is not 96 bits"));
    }
    let ciphertext = dec(3, "ciphertext")?;
    let tag = dec(4, "authentication tag")?;
    if tag.len() != 16 {
        return Err(modified(what, "the authentication tag is not 128 bits"));
    }
    Ok(Parts {
        protected_b64: segments[0],
        header,
        encrypted_key,
        iv,
        ciphertext,
        tag,
    })
}

fn check_cty(cty: &str, what: &str) -> Result<(), ConfigError> {
    if cty == CONFIG_CTY {
        return Ok(());
    }
    let norm: String = cty
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let norm = norm.strip_prefix("application/").unwrap_or(&norm);
    if let Some(params) = norm.strip_prefix(CTY_FAMILY) {
        let version = params.strip_prefix(";version=").unwrap_or(params);
        if version == FORMAT_VERSION.to_string() {
            return Ok(());
        }
        return Err(ConfigError::UnknownVersion {
            what: what.to_string(),
            found: version.to_string(),
        });
    }
    Err(ConfigError::UnknownContentType {
        what: what.to_string(),
        found: cty.to_string(),
    })
}

/// Open a sealed config with the private key. Returns exactly the bytes that were sealed.
/// Never panics on any input.
pub fn open(
    compact: &str,
    key: &PrivateKey,
    what: &str,
) -> Result<Zeroizing<Vec<u8>>, ConfigError> {
    let parts = parse(compact, what)?;
    let key_id = key.public_key().fingerprint();
    let cek = key.decrypt_oaep(&parts.encrypted_key);
    if parts.header.kid != key_id {
        // Sealed to another key, or a modified `kid`: a successful OAEP decryption with our key
        // tells them apart (it cannot succeed for a key the CEK was not sealed to).
        return Err(match cek {
            Ok(_) => modified(what, "the key ID in its header was changed"),
            Err(_) => ConfigError::WrongKey {
                what: what.to_string(),
                sealed_to: parts.header.kid,
                key_id,
            },
        });
    }
    let cek = cek.map_err(|_| modified(what, "its content key does not decrypt"))?;
    if cek.len() != 32 {
        return Err(modified(what, "its content key has the wrong length"));
    }
    let cipher = Aes256Gcm::new_from_slice(&cek)
        .map_err(|_| modified(what, "its content key has the wrong length"))?;
    let mut ct_tag = Zeroizing::new(Vec::with_capacity(parts.ciphertext.len() + 16));
    ct_tag.extend_from_slice(&parts.ciphertext);
    ct_tag.extend_from_slice(&parts.tag);
    cipher
        .decrypt(
            Nonce::from_slice(&parts.iv),
            Payload {
                msg: &ct_tag,
                aad: parts.protected_b64.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| modified(what, "the authentication tag does not match"))
}

// ---------------------------------------------------------------------------------------------
// The wizard's payload.

/// Payload version the wizard writes.
pub const PAYLOAD_VERSION: u32 = 1;

/// A secret string of the sealed payload: the crate's one [`crate::sensitive::Sensitive`].
pub use crate::sensitive::Sensitive as SecretString;

/// The secrets the agent needs (more credentials will be added as optional fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSecrets {
    /// The AD service account's password (asked for in "Create agent config", stored nowhere else).
    pub ad_service_account_password: SecretString,
}

/// What the wizard seals into `config.jwe`:
/// `{"version":1,"connection":{…profile…},"secrets":{"ad_service_account_password":"…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPayload {
    pub version: u32,
    /// The connection as the agent uses it: no path of the wizard's computer (no `ca_file`, no
    /// `agent_folder`); see [`connection::sealed_connection`].
    pub connection: HybridConnection,
    pub secrets: AgentSecrets,
    /// CA certificates the admin chose to trust a DC with, sealed as PEM (the agent cannot
    /// read a file of the wizard's computer). Absent when no DC uses a CA file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ca_certificates: Vec<SealedCa>,
}

/// A CA certificate bundle sealed into the config for one domain controller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedCa {
    /// Index into `connection.domain_controllers`.
    pub domain_controller: usize,
    /// The DC's hosts (for a reader of the config).
    pub hosts: Vec<String>,
    /// The PEM certificates, as read from the file the admin chose.
    pub pem: String,
}

impl AgentPayload {
    pub fn new(connection: HybridConnection, ad_password: SecretString) -> Self {
        AgentPayload {
            version: PAYLOAD_VERSION,
            connection,
            secrets: AgentSecrets {
                ad_service_account_password: ad_password,
            },
            ca_certificates: vec![],
        }
    }

    /// Serialise (into zeroized memory).
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(serde_json::to_vec(self).expect("payload serialises"))
    }

    /// Parse an opened payload; an unknown `version` is an error, not a guess.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ConfigError> {
        #[derive(Deserialize)]
        struct V {
            version: serde_json::Value,
        }
        let v: V = serde_json::from_slice(bytes)
            .map_err(|_| ConfigError::BadPayload("it has no \"version\" field".into()))?;
        if v.version != serde_json::json!(PAYLOAD_VERSION) {
            return Err(ConfigError::UnknownVersion {
                what: "The agent config payload".into(),
                found: v.version.to_string(),
            });
        }
        serde_json::from_slice(bytes).map_err(|e| ConfigError::BadPayload(e.to_string()))
    }
}
