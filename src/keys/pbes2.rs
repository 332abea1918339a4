//! The one passphrase protection of private keys (the agent's `privateKey.pem` and the Customer
//! Owned certificate credential's key): encrypted PKCS#8, PBES2 with PBKDF2-HMAC-SHA256
//! ([`PBKDF2_ITERATIONS`](super::PBKDF2_ITERATIONS)) and AES-256-CBC, the scheme OpenSSL 3
//! writes by default. Opening checks the envelope's KDF and cipher before any key derivation
//! (a hostile file cannot ask for billions of iterations).

use super::{check_encryption, pem_detail, refuse_other_schemes, KeyError, PBKDF2_ITERATIONS};
use rand_core::{OsRng, RngCore};
use rsa::pkcs8::der::pem::LineEnding;
use zeroize::Zeroizing;

/// `-----BEGIN ENCRYPTED PRIVATE KEY-----` PEM of a PKCS#8 DER private key.
pub fn encrypt_pem(pkcs8_der: &[u8], passphrase: &[u8]) -> Result<Zeroizing<String>, KeyError> {
    let crypto = |e: &dyn std::fmt::Display| KeyError::Crypto(e.to_string());
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut iv);
    let params =
        pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, &iv)
            .map_err(|e| crypto(&e))?;
    let info = pkcs8::PrivateKeyInfo::try_from(pkcs8_der).map_err(|e| crypto(&e))?;
    let doc = info
        .encrypt_with_params(params, passphrase)
        .map_err(|e| crypto(&e))?;
    doc.to_pem("ENCRYPTED PRIVATE KEY", LineEnding::LF)
        .map_err(|e| crypto(&e))
}

/// The PKCS#8 DER inside an `ENCRYPTED PRIVATE KEY` PEM block. `what` names the file in errors.
pub fn decrypt_pem(
    pem: &str,
    passphrase: &[u8],
    what: &str,
) -> Result<pkcs8::SecretDocument, KeyError> {
    let malformed = |detail: &str| KeyError::MalformedPem {
        what: what.to_string(),
        detail: detail.to_string(),
    };
    // Tell a damaged file from a wrong passphrase: first parse the envelope.
    let (label, doc) = pkcs8::SecretDocument::from_pem(pem.trim())
        .map_err(|e| malformed(&pem_detail(&e.to_string())))?;
    if label != "ENCRYPTED PRIVATE KEY" {
        return Err(malformed("unexpected PEM label"));
    }
    refuse_other_schemes(doc.as_bytes(), what)?;
    let enc = pkcs8::EncryptedPrivateKeyInfo::try_from(doc.as_bytes())
        .map_err(|e| malformed(&pem_detail(&e.to_string())))?;
    check_encryption(&enc, what)?;
    enc.decrypt(passphrase)
        .map_err(|_| KeyError::WrongPassphrase {
            what: what.to_string(),
        })
}
