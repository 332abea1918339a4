//! Compact JWS (RFC 7515) helpers: RS256 and PS256 over RSA, base64url, reading claims.
//!
//! Used to sign the client assertion (PS256), and by the tests' local identity server to sign
//! and verify tokens. Reading claims without a signature check ([`unverified_claims`]) is only
//! used on tokens received directly from the token endpoint over TLS (OpenID Connect Core
//! §3.1.3.7 allows TLS server validation in place of the signature there).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::{pss, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

/// DigestInfo prefix of SHA-256 for PKCS#1 v1.5 signatures (RFC 8017 §9.2 note 1).
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

fn pkcs1v15_sha256() -> Pkcs1v15Sign {
    Pkcs1v15Sign {
        hash_len: Some(32),
        prefix: SHA256_DIGEST_INFO.to_vec().into_boxed_slice(),
    }
}

pub fn b64url(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

/// `alg` supported here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    RS256,
    PS256,
}

impl Alg {
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::PS256 => "PS256",
        }
    }
}

/// Raw RSA signature of SHA-256(`data`).
pub fn sign_bytes(key: &RsaPrivateKey, alg: Alg, data: &[u8]) -> Result<Vec<u8>, rsa::Error> {
    let hash = Sha256::digest(data);
    match alg {
        Alg::RS256 => key.sign(pkcs1v15_sha256(), &hash),
        Alg::PS256 => {
            let mut rng = rand_core::OsRng;
            key.sign_with_rng(&mut rng, pss::Pss::new_with_salt::<Sha256>(32), &hash)
        }
    }
}

pub fn verify_bytes(key: &RsaPublicKey, alg: Alg, data: &[u8], sig: &[u8]) -> bool {
    let hash = Sha256::digest(data);
    match alg {
        Alg::RS256 => key.verify(pkcs1v15_sha256(), &hash, sig).is_ok(),
        Alg::PS256 => key
            .verify(pss::Pss::new_with_salt::<Sha256>(32), &hash, sig)
            .is_ok(),
    }
}

/// Sign `header` (its `alg` is set here) and `claims` into a compact JWS.
pub fn sign(
    key: &RsaPrivateKey,
    alg: Alg,
    mut header: serde_json::Value,
    claims: &serde_json::Value,
) -> Result<String, rsa::Error> {
    header["alg"] = serde_json::Value::String(alg.as_str().into());
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let sig = sign_bytes(key, alg, input.as_bytes())?;
    Ok(format!("{input}.{}", b64url(&sig)))
}

/// A parsed compact JWS (not verified).
#[derive(Debug, Clone)]
pub struct Parts {
    pub header: serde_json::Value,
    pub claims: serde_json::Value,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

pub fn parse(token: &str) -> Result<Parts, String> {
    let mut it = token.split('.');
    let (h, c, s) = match (it.next(), it.next(), it.next(), it.next()) {
        (Some(h), Some(c), Some(s), None) => (h, c, s),
        _ => return Err("not a signed JWT (three dot-separated parts expected)".into()),
    };
    let json = |part: &str, what: &str| -> Result<serde_json::Value, String> {
        let bytes = b64url_decode(part).ok_or_else(|| format!("the {what} is not base64url"))?;
        let v: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|_| format!("the {what} is not JSON"))?;
        if v.is_object() {
            Ok(v)
        } else {
            Err(format!("the {what} is not a JSON object"))
        }
    };
    Ok(Parts {
        header: json(h, "header")?,
        claims: json(c, "payload")?,
        signing_input: format!("{h}.{c}"),
        signature: b64url_decode(s).ok_or("the signature is not base64url")?,
    })
}

/// Verify a compact JWS with `key`; the header's `alg` must be `alg`.
pub fn verify(token: &str, key: &RsaPublicKey, alg: Alg) -> Result<Parts, String> {
    let parts = parse(token)?;
    if parts.header.get("alg").and_then(|v| v.as_str()) != Some(alg.as_str()) {
        return Err(format!("alg is not {}", alg.as_str()));
    }
    if !verify_bytes(key, alg, parts.signing_input.as_bytes(), &parts.signature) {
        return Err("bad signature".into());
    }
    Ok(parts)
}

/// The claims of a token received directly from the token endpoint, without signature check.
pub fn unverified_claims(token: &str) -> Result<serde_json::Value, String> {
    parse(token).map(|p| p.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rs256_and_ps256_round_trip() {
        let key = RsaPrivateKey::new(&mut rand_core::OsRng, 1024).unwrap();
        let public = key.to_public_key();
        for alg in [Alg::RS256, Alg::PS256] {
            let t = sign(
                &key,
                alg,
                serde_json::json!({"typ": "JWT"}),
                &serde_json::json!({"a": 1}),
            )
            .unwrap();
            let p = verify(&t, &public, alg).unwrap();
            assert_eq!(p.claims["a"], 1);
            let other = if alg == Alg::RS256 {
                Alg::PS256
            } else {
                Alg::RS256
            };
            assert!(verify(&t, &public, other).is_err());
            let mut tampered = t.clone();
            tampered.insert(t.find('.').unwrap() + 2, 'A');
            assert!(verify(&tampered, &public, alg).is_err());
        }
        assert!(parse("a.b").is_err());
    }
}
