//! From low-level failures to `{code, message, hint}`: stable codes, plain words, what to do.

use super::errors::{ChainProblem, LdapError};
use super::tls::{is_legacy_signature, CertificateInfo, PinMismatch};
use rustls::{AlertDescription, CertificateError, PeerIncompatible};

/// The `data XXX` sub-code of an AD bind failure, e.g. `52e` from
/// `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1`.
pub fn bind_subcode(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let idx = lower.find("data ")?;
    let code: String = lower[idx + 5..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    (!code.is_empty()).then_some(code)
}

/// A failed simple bind (result code `rc`, diagnostic `text`) in plain words.
pub fn bind_failure(account: &str, rc: u32, text: &str) -> LdapError {
    let sub = bind_subcode(text);
    let account = account.to_string();
    let detail = text.trim().to_string();
    match (rc, sub.as_deref()) {
        (49, Some("525")) => LdapError::UserNotFound { account },
        (49, Some("52e")) => LdapError::InvalidCredentials {
            account,
            detail: None,
        },
        (49, Some("530")) => LdapError::LogonHours { account },
        (49, Some("531")) => LdapError::Workstation { account },
        (49, Some("532")) => LdapError::PasswordExpired { account },
        (49, Some("533")) => LdapError::AccountDisabled { account },
        (49, Some("701")) => LdapError::AccountExpired { account },
        (49, Some("773")) => LdapError::MustChangePassword { account },
        (49, Some("775")) => LdapError::AccountLocked { account },
        (49, _) => LdapError::InvalidCredentials {
            account,
            detail: Some(detail),
        },
        (8 | 13, _) => LdapError::StrongerAuthRequired { detail },
        _ => LdapError::BindFailed { rc, detail },
    }
}

/// A timeout in `stage` (the error carries stage-specific words and hint).
pub fn timeout(stage: super::Stage, host: &str, port: u16, secs: f64) -> LdapError {
    LdapError::Timeout {
        stage,
        host: host.to_string(),
        port,
        secs,
    }
}

/// A TLS failure, given the rustls error and what the verifier captured.
pub fn tls_failure(
    err: &rustls::Error,
    host: &str,
    port: u16,
    cert: Option<&CertificateInfo>,
) -> LdapError {
    let fp = cert.map(|c| c.sha256.clone()).unwrap_or_default();
    let h = || host.to_string();
    match err {
        rustls::Error::InvalidCertificate(ce) => match ce {
            CertificateError::UnknownIssuer => LdapError::UnknownIssuer {
                host: h(),
                issuer: cert.map(|c| c.issuer.clone()),
                fingerprint: fp,
            },
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                LdapError::NameMismatch {
                    host: h(),
                    names: cert.map(|c| c.names()).unwrap_or_default(),
                }
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                LdapError::Expired {
                    host: h(),
                    not_after: cert.map(|c| c.not_after.clone()),
                }
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                LdapError::NotYetValid {
                    host: h(),
                    not_before: cert.map(|c| c.not_before.clone()),
                }
            }
            #[allow(deprecated)]
            CertificateError::UnsupportedSignatureAlgorithm
            | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
            | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
                legacy_signature(host, cert)
            }
            CertificateError::BadSignature
                if cert
                    .map(|c| is_legacy_signature(&c.signature_algorithm))
                    .unwrap_or(false) =>
            {
                legacy_signature(host, cert)
            }
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                LdapError::WrongPurpose { host: h() }
            }
            CertificateError::Other(other) if other.0.downcast_ref::<PinMismatch>().is_some() => {
                LdapError::PinMismatch {
                    host: h(),
                    presented: other
                        .0
                        .downcast_ref::<PinMismatch>()
                        .map(|m| m.presented.clone())
                        .unwrap_or_default(),
                }
            }
            CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
                Some(webpki::Error::CaUsedAsEndEntity) => LdapError::CaAsServerCertificate {
                    host: h(),
                    fingerprint: fp,
                },
                Some(webpki::Error::EndEntityUsedAsCa) => LdapError::ChainInvalid {
                    host: h(),
                    problem: ChainProblem::IssuerNotCa { fingerprint: fp },
                },
                Some(webpki::Error::CertDistrusted) => LdapError::ChainInvalid {
                    host: h(),
                    problem: ChainProblem::Distrusted,
                },
                Some(e) => LdapError::bad_certificate(host, Some(webpki_words(e)), &fp),
                None => LdapError::bad_certificate(host, None, &fp),
            },
            CertificateError::Revoked => LdapError::Revoked { host: h() },
            other => LdapError::bad_certificate(host, Some(certificate_words(other)), &fp),
        },
        rustls::Error::AlertReceived(AlertDescription::ProtocolVersion)
        | rustls::Error::PeerIncompatible(
            PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig,
        )
        | rustls::Error::PeerIncompatible(PeerIncompatible::ServerDoesNotSupportTls12Or13) => {
            LdapError::OldProtocol { host: h(), port }
        }
        rustls::Error::AlertReceived(
            AlertDescription::HandshakeFailure | AlertDescription::InsufficientSecurity,
        )
        | rustls::Error::PeerIncompatible(_) => LdapError::NoCommonCipher { host: h(), port },
        rustls::Error::AlertReceived(a) => LdapError::Alert {
            host: h(),
            port,
            alert: words_of_name(&format!("{a:?}")),
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            plain_ldap(host, port)
        }
        other => LdapError::TlsFailed {
            host: h(),
            port,
            detail: other.to_string(),
        },
    }
}

/// A rustls certificate error in words (never Rust debug text).
fn certificate_words(e: &CertificateError) -> &'static str {
    match e {
        CertificateError::BadEncoding => "it is not a well-formed X.509 certificate",
        CertificateError::UnhandledCriticalExtension => {
            "it has a critical extension this computer does not understand"
        }
        CertificateError::UnknownRevocationStatus => "its revocation status cannot be determined",
        CertificateError::ExpiredRevocationList
        | CertificateError::ExpiredRevocationListContext { .. } => {
            "the revocation list of its authority has expired"
        }
        CertificateError::BadSignature => "its signature does not verify with its issuer's key",
        CertificateError::InvalidOcspResponse => "its revocation answer, OCSP, is invalid",
        CertificateError::ApplicationVerificationFailure => "it failed a check of this application",
        _ => "it does not pass the certificate checks",
    }
}

/// A webpki path-building error in words.
fn webpki_words(e: &webpki::Error) -> &'static str {
    use webpki::Error as W;
    match e {
        W::BadDer | W::BadDerTime | W::TrailingData(_) => {
            "it is not a well-formed X.509 certificate"
        }
        W::UnsupportedCertVersion => "it is not a version 3 X.509 certificate",
        W::UnsupportedCriticalExtension => {
            "it has a critical extension this computer does not understand"
        }
        W::MalformedExtensions | W::ExtensionValueInvalid | W::EmptyEkuExtension => {
            "its extensions are malformed; DNS names must be in the subject alternative name"
        }
        W::MalformedDnsIdentifier => "a DNS name in it is malformed",
        W::InvalidSerialNumber => "its serial number is invalid",
        W::SignatureAlgorithmMismatch => "its signature algorithm fields do not match",
        W::InvalidSignatureForPublicKey => "its signature does not verify with its issuer's key",
        W::NameConstraintViolation
        | W::MalformedNameConstraint
        | W::InvalidNetworkMaskConstraint => {
            "it breaks the name constraints of its certificate authority"
        }
        W::PathLenConstraintViolated => "its chain is longer than its certificate authority allows",
        W::MaximumPathDepthExceeded
        | W::MaximumPathBuildCallsExceeded
        | W::MaximumSignatureChecksExceeded
        | W::MaximumNameConstraintComparisonsExceeded => {
            "its chain is too long or too complex to verify"
        }
        W::InvalidCertValidity => "its validity dates are inconsistent",
        _ => "it does not pass the certificate checks",
    }
}

/// `HandshakeFailure` → `handshake failure` (an enum name as words, for alerts).
fn words_of_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .enumerate()
    {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// At most `max` characters of text a server sent, control characters replaced, never split
/// inside a character (issue 12: a DC's text is untrusted).
pub fn clip(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

fn legacy_signature(host: &str, cert: Option<&CertificateInfo>) -> LdapError {
    LdapError::Sha1Signature {
        host: host.to_string(),
        algorithm: cert
            .map(|c| c.signature_algorithm.as_str())
            .filter(|s| is_legacy_signature(s))
            .unwrap_or("SHA-1")
            .to_string(),
    }
}

pub fn plain_ldap(host: &str, port: u16) -> LdapError {
    LdapError::PlainLdap {
        host: host.to_string(),
        port,
    }
}

pub fn not_tls(host: &str, port: u16, detail: &str) -> LdapError {
    LdapError::NotTls {
        host: host.to_string(),
        port,
        detail: detail.to_string(),
    }
}

/// Parse an LDAP GeneralizedTime such as `20261126053134.0Z` into Unix seconds (UTC only).
/// The text comes from the DC: it is never indexed by bytes (issue 12: a non-ASCII character
/// at byte 13 used to panic the check).
pub fn parse_generalized_time(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() < 14 || !b[..14].iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n = |from: usize, to: usize| {
        b[from..to]
            .iter()
            .try_fold(0i64, |acc, d| Some(acc * 10 + i64::from(d - b'0')))
    };
    let (y, mo, d, h, mi, se) = (
        n(0, 4)?,
        n(4, 6)?,
        n(6, 8)?,
        n(8, 10)?,
        n(10, 12)?,
        n(12, 14)?,
    );
    if b.last() != Some(&b'Z') {
        return None;
    }
    let small = |v: i64| u8::try_from(v).ok();
    crate::utc::from_calendar(
        i32::try_from(y).ok()?,
        small(mo)?,
        small(d)?,
        small(h)?,
        small(mi)?,
        small(se).filter(|s| *s <= 60)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn subcodes_from_ad_text() {
        let t = "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1";
        assert_eq!(bind_subcode(t).as_deref(), Some("52e"));
        assert_eq!(bind_subcode("no sub code"), None);
    }

    #[test]
    fn every_documented_subcode_has_its_own_code() {
        let cases = [
            ("525", "ldap.bind.user_not_found"),
            ("52e", "ldap.bind.invalid_credentials"),
            ("530", "ldap.bind.logon_hours"),
            ("531", "ldap.bind.workstation"),
            ("532", "ldap.bind.password_expired"),
            ("533", "ldap.bind.account_disabled"),
            ("701", "ldap.bind.account_expired"),
            ("773", "ldap.bind.must_change_password"),
            ("775", "ldap.bind.account_locked"),
        ];
        for (sub, code) in cases {
            let text = format!("80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data {sub}, v1db1");
            let pr = bind_failure("svc@example.test", 49, &text).to_problem();
            assert_eq!(pr.code, code);
            assert!(
                !pr.hint.is_empty() && !pr.message.contains("data "),
                "{pr:?}"
            );
        }
    }

    #[test]
    fn time_round_trip() {
        let t = parse_generalized_time("20261126053134.0Z").unwrap();
        assert_eq!(crate::utc::rfc3339(t), "2026-11-26T05:31:34Z");
        assert_eq!(parse_generalized_time("20261126053160Z"), Some(t + 26));
        assert_eq!(parse_generalized_time("20260230000000Z"), None);
        assert_eq!(parse_generalized_time("2026"), None);
        assert_eq!(parse_generalized_time("20261326053134.0Z"), None);
    }

    #[test]
    fn hostile_generalized_times_never_panic() {
        for s in [
            "2026112605313€.0Z",
            "€€€€€€€€€€€€€€€€",
            "20261126053134€",
            "2026112605313\u{0}Z",
            "",
            "Z",
            "99999999999999Z",
            "20261126053134.0Z\u{202e}",
        ] {
            let _ = parse_generalized_time(s);
        }
        assert_eq!(parse_generalized_time("2026112605313€.0Z"), None);
        assert_eq!(clip("ab€cd", 3), "ab€…");
        assert_eq!(clip("a\nb", 10), "a b");
    }

    /// Issue 12: every certificate error the check can meet reads as a sentence (no Rust debug
    /// text) and its hint names a way out.
    #[test]
    fn every_certificate_error_is_a_sentence_with_a_way_out() {
        use rustls::pki_types::UnixTime;
        use std::sync::Arc;
        let t = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_800_000_000));
        let other = |e: webpki::Error| CertificateError::Other(rustls::OtherError(Arc::new(e)));
        #[allow(deprecated)]
        let mut cases = vec![
            CertificateError::BadEncoding,
            CertificateError::Expired,
            CertificateError::ExpiredContext {
                time: t,
                not_after: t,
            },
            CertificateError::NotValidYet,
            CertificateError::NotValidYetContext {
                time: t,
                not_before: t,
            },
            CertificateError::Revoked,
            CertificateError::UnhandledCriticalExtension,
            CertificateError::UnknownIssuer,
            CertificateError::UnknownRevocationStatus,
            CertificateError::ExpiredRevocationList,
            CertificateError::ExpiredRevocationListContext {
                time: t,
                next_update: t,
            },
            CertificateError::BadSignature,
            CertificateError::UnsupportedSignatureAlgorithm,
            CertificateError::NotValidForName,
            CertificateError::NotValidForNameContext {
                expected: rustls::pki_types::ServerName::try_from("dc1.example.test").unwrap(),
                presented: vec!["DNS:other".into()],
            },
            CertificateError::InvalidPurpose,
            CertificateError::InvalidOcspResponse,
            CertificateError::ApplicationVerificationFailure,
            CertificateError::Other(rustls::OtherError(Arc::new(std::io::Error::other(
                "opaque",
            )))),
        ];
        use webpki::Error as W;
        for e in [
            W::CaUsedAsEndEntity,
            W::EndEntityUsedAsCa,
            W::CertDistrusted,
            W::BadDer,
            W::UnsupportedCertVersion,
            W::UnsupportedCriticalExtension,
            W::MalformedExtensions,
            W::EmptyEkuExtension,
            W::NameConstraintViolation,
            W::PathLenConstraintViolated,
            W::MaximumPathDepthExceeded,
            W::InvalidCertValidity,
            W::SignatureAlgorithmMismatch,
            W::InvalidSerialNumber,
            W::MalformedDnsIdentifier,
            W::UnsupportedNameType,
        ] {
            cases.push(other(e));
        }
        let ways_out = [
            "pin",
            "fingerprint",
            "reissue",
            "renew",
            "clock",
            "name",
            "trust",
            "sha-256",
        ];
        for ce in cases {
            let shown = format!("{ce:?}");
            let pr = tls_failure(
                &rustls::Error::InvalidCertificate(ce),
                "localhost",
                636,
                None,
            )
            .to_problem();
            assert!(
                !pr.message.contains('(')
                    && !pr.message.contains('{')
                    && !pr.message.contains("Error"),
                "{shown}: {}",
                pr.message
            );
            assert!(pr.message.ends_with('.'), "{shown}: {}", pr.message);
            let hint = pr.hint.to_lowercase();
            assert!(
                ways_out.iter().any(|w| hint.contains(w)),
                "{shown}: {}",
                pr.hint
            );
            assert!(
                !pr.hint.contains("Other") && !pr.hint.contains("--"),
                "{shown}: {}",
                pr.hint
            );
        }
        // The reported case: a self-signed DC certificate marked as a CA, given as the CA file.
        let pr = tls_failure(
            &rustls::Error::InvalidCertificate(other(W::CaUsedAsEndEntity)),
            "localhost",
            636,
            None,
        )
        .to_problem();
        assert_eq!(pr.code, "ldap.tls.ca_as_server_certificate");
        assert!(pr.hint.contains("pin it"), "{}", pr.hint);
        let pr = tls_failure(
            &rustls::Error::AlertReceived(AlertDescription::BadCertificate),
            "localhost",
            636,
            None,
        )
        .to_problem();
        assert!(pr.message.contains("'bad certificate'"), "{}", pr.message);
    }

    #[test]
    fn tls_errors_map_to_stable_codes() {
        use rustls::Error as E;
        let code = |e: E| tls_failure(&e, "dc1", 636, None).code();
        assert_eq!(
            code(E::InvalidCertificate(CertificateError::UnknownIssuer)),
            "ldap.tls.unknown_issuer"
        );
        assert_eq!(
            code(E::InvalidCertificate(CertificateError::NotValidForName)),
            "ldap.tls.name_mismatch"
        );
        assert_eq!(
            code(E::InvalidCertificate(CertificateError::Expired)),
            "ldap.tls.expired"
        );
        #[allow(deprecated)]
        let sha1 = E::InvalidCertificate(CertificateError::UnsupportedSignatureAlgorithm);
        assert_eq!(code(sha1), "ldap.tls.sha1_signature");
        assert_eq!(
            code(E::AlertReceived(AlertDescription::ProtocolVersion)),
            "ldap.tls.old_protocol"
        );
        assert_eq!(
            code(E::PeerIncompatible(
                PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig
            )),
            "ldap.tls.old_protocol"
        );
        assert_eq!(
            code(E::InvalidMessage(
                rustls::InvalidMessage::InvalidContentType
            )),
            "ldap.tls.plain_ldap"
        );
    }
}
