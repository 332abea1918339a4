//! From low-level failures to `{code, message, hint}`: stable codes, plain words, what to do.

use super::tls::{is_legacy_signature, CertificateInfo, PinMismatch};
use crate::error::Problem;
use rustls::{AlertDescription, CertificateError, PeerIncompatible};

fn p(code: &str, message: String, hint: impl Into<String>) -> Problem {
    Problem::new(code, message, hint)
}

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
pub fn bind_failure(account: &str, rc: u32, text: &str) -> Problem {
    let sub = bind_subcode(text);
    match (rc, sub.as_deref()) {
        (49, Some("525")) => p("ldap.bind.user_not_found", format!("The service account '{account}' does not exist in this domain."),
            "Check the spelling; give it as a UPN (svc@example.com), DOMAIN\\user or a full DN."),
        (49, Some("52e")) => p("ldap.bind.invalid_credentials", format!("The password of '{account}' is wrong (or the account name is)."),
            "Retype the password; if it was changed recently, use the new one. Check the account name (UPN, DOMAIN\\user or DN)."),
        (49, Some("530")) => p("ldap.bind.logon_hours", format!("'{account}' is not permitted to log on at this time."),
            "Allow all logon hours for the service account (Account > Logon Hours in Active Directory Users and Computers)."),
        (49, Some("531")) => p("ldap.bind.workstation", format!("'{account}' is not permitted to log on from this computer."),
            "Remove the 'Log On To' workstation restriction of the service account, or add this computer to it."),
        (49, Some("532")) => p("ldap.bind.password_expired", format!("The password of '{account}' has expired."),
            "Set a new password for the service account (and consider 'Password never expires' for it), then use it here."),
        (49, Some("533")) => p("ldap.bind.account_disabled", format!("The service account '{account}' is disabled."),
            "Enable the account in Active Directory (right-click > Enable Account), then test again."),
        (49, Some("701")) => p("ldap.bind.account_expired", format!("The service account '{account}' has expired."),
            "Set 'Account expires' to Never (or a later date) on the Account tab of the service account."),
        (49, Some("773")) => p("ldap.bind.must_change_password", format!("'{account}' must change its password before it can log on."),
            "Set a new password (or clear 'User must change password at next logon') for the service account, then use that password here."),
        (49, Some("775")) => p("ldap.bind.account_locked", format!("The service account '{account}' is locked out."),
            "Unlock the account in Active Directory and find what keeps using an old password (a service or a mapped drive)."),
        (49, _) => p("ldap.bind.invalid_credentials", format!("The domain controller refused the credentials of '{account}' ({}).", text.trim()),
            "Retype the password and check the account name (UPN, DOMAIN\\user or DN)."),
        (8 | 13, _) => p("ldap.bind.stronger_auth_required", format!("The domain controller refused a simple bind ({}).", text.trim()),
            "This port must be LDAPS (636); check that the DC allows simple binds over TLS."),
        _ => p("ldap.bind.failed", format!("The bind failed with LDAP result {rc} ({}).", text.trim()),
            "Check the service account and its password; the DC's text above says more."),
    }
}

/// Stage-specific words for a timeout.
pub fn timeout(stage: super::Stage, host: &str, port: u16, secs: f64) -> Problem {
    use super::Stage::*;
    let during = match stage {
        Resolve => "resolving its name",
        Connect => "connecting",
        Tls => "the TLS handshake",
        Bind => "the bind",
        RootDse => "reading the rootDSE",
        BaseDn => "looking up the Base DN",
        Rights => "reading effective rights",
        Done => "finishing",
    };
    let hint = match stage {
        Resolve => "Check the DNS server this computer uses, or type the DC's IP address.",
        Connect => "A firewall probably drops the traffic: allow TCP port 636 from this computer to the DC.",
        Tls => "Something accepts connections on this port but does not speak TLS: check the port (LDAPS is 636), and any firewall or TLS inspection in between.",
        _ => "The DC is slow or overloaded: try again, or try another of its addresses.",
    };
    p(
        "ldap.timeout",
        format!("{host}:{port} did not answer within {secs:.1} s ({during})."),
        hint,
    )
}

/// A TLS failure, given the rustls error and what the verifier captured.
pub fn tls_failure(
    err: &rustls::Error,
    host: &str,
    port: u16,
    cert: Option<&CertificateInfo>,
) -> Problem {
    let names = cert.map(|c| c.names()).unwrap_or_default();
    let fp = cert.map(|c| c.sha256.clone()).unwrap_or_default();
    match err {
        rustls::Error::InvalidCertificate(ce) => match ce {
            CertificateError::UnknownIssuer => p("ldap.tls.unknown_issuer",
                format!("{host}'s certificate was issued by '{}', which this computer does not trust.", cert.map(|c| c.issuer.as_str()).unwrap_or("an unknown authority")),
                format!("Trust your certificate authority's certificate (its PEM file), or pin this exact certificate after checking its SHA-256 fingerprint {fp} with your AD admin. Do not turn verification off.")),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                let suggestion = names.first().cloned().unwrap_or_default();
                p("ldap.tls.name_mismatch",
                    format!("{host}'s certificate is not valid for the name '{host}'; it names {}.", if names.is_empty() { "no host".to_string() } else { names.join(", ") }),
                    if suggestion.is_empty() { "Connect with the name the certificate carries, or have the DC's certificate reissued with its DNS name.".to_string() }
                    else { format!("Use the name the certificate carries, e.g. '{suggestion}', instead of '{host}' (certificates rarely contain IP addresses).") })
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => p("ldap.tls.expired",
                format!("{host}'s certificate expired on {}.", cert.map(|c| c.not_after.as_str()).unwrap_or("an earlier date")),
                "Renew the DC's LDAPS certificate (Certificates MMC > Domain Controller / Kerberos Authentication template) and restart the DC's LDAP service or the DC."),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => p("ldap.tls.not_yet_valid",
                format!("{host}'s certificate is not valid before {}.", cert.map(|c| c.not_before.as_str()).unwrap_or("a later date")),
                "Check this computer's clock and the DC's clock."),
            #[allow(deprecated)]
            CertificateError::UnsupportedSignatureAlgorithm | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
            | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => legacy_signature(host, cert),
            CertificateError::BadSignature if cert.map(|c| is_legacy_signature(&c.signature_algorithm)).unwrap_or(false) => legacy_signature(host, cert),
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => p("ldap.tls.wrong_purpose",
                format!("{host}'s certificate is not issued for server authentication."),
                "Reissue the DC's certificate from a template with the Server Authentication EKU (e.g. 'Kerberos Authentication' / 'Domain Controller Authentication')."),
            CertificateError::Other(other) if other.0.downcast_ref::<PinMismatch>().is_some() => {
                let got = other.0.downcast_ref::<PinMismatch>().map(|m| m.presented.clone()).unwrap_or_default();
                p("ldap.tls.pin_mismatch",
                    format!("{host} presented a certificate with fingerprint {got}, not the pinned one."),
                    "If the DC's certificate was renewed on purpose, check the new fingerprint with your AD admin and pin it again; otherwise something is intercepting the connection.")
            }
            CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
                Some(webpki::Error::CaUsedAsEndEntity) => p("ldap.tls.ca_as_server_certificate",
                    format!("{host}'s certificate is marked as a certificate authority, so it is refused as the server's own certificate."),
                    pin_way_out(&fp, "If it is the DC's own self-signed certificate")),
                Some(webpki::Error::EndEntityUsedAsCa) => p("ldap.tls.chain_invalid",
                    format!("{host}'s certificate was issued by a certificate that is not a certificate authority."),
                    pin_way_out(&fp, "Give the file of the certificate authority that issued it as the CA file; or")),
                Some(webpki::Error::CertDistrusted) => p("ldap.tls.chain_invalid",
                    format!("{host}'s certificate chain uses a key that is explicitly distrusted."),
                    "Have the DC's LDAPS certificate reissued by your certificate authority; do not pin it."),
                Some(e) => p("ldap.tls.bad_certificate",
                    format!("{host}'s certificate was rejected: {}.", webpki_words(e)),
                    pin_way_out(&fp, "If your AD admin confirms this is the DC's certificate")),
                None => p("ldap.tls.bad_certificate",
                    format!("{host}'s certificate was rejected by the certificate check."),
                    pin_way_out(&fp, "If your AD admin confirms this is the DC's certificate")),
            },
            CertificateError::Revoked => p("ldap.tls.revoked",
                format!("{host}'s certificate has been revoked by its certificate authority."),
                "Have the DC's LDAPS certificate reissued; a revoked certificate must not be pinned."),
            other => p("ldap.tls.bad_certificate",
                format!("{host}'s certificate was rejected: {}.", certificate_words(other)),
                pin_way_out(&fp, "If your AD admin confirms this is the DC's certificate")),
        },
        rustls::Error::AlertReceived(AlertDescription::ProtocolVersion)
        | rustls::Error::PeerIncompatible(PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig)
        | rustls::Error::PeerIncompatible(PeerIncompatible::ServerDoesNotSupportTls12Or13) => p("ldap.tls.old_protocol",
            format!("{host}:{port} speaks only TLS 1.1 or older, which is refused as insecure."),
            "Enable TLS 1.2 on the domain controller (Windows Server 2008 R2/2012: install the TLS 1.2 update and set the SCHANNEL registry keys), then test again."),
        rustls::Error::AlertReceived(AlertDescription::HandshakeFailure | AlertDescription::InsufficientSecurity)
        | rustls::Error::PeerIncompatible(_) => p("ldap.tls.no_common_cipher",
            format!("{host}:{port} and this computer share no TLS version or cipher suite."),
            "Enable TLS 1.2 with AES-GCM cipher suites on the domain controller, and check that its certificate has an RSA or ECDSA key with SHA-256."),
        rustls::Error::AlertReceived(a) => p("ldap.tls.alert",
            format!("{host}:{port} ended the TLS handshake with the alert '{}'.", words_of_name(&format!("{a:?}"))),
            "Check the DC's LDAPS certificate and TLS settings (event log: Schannel)."),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => plain_ldap(host, port),
        other => p("ldap.tls.failed", format!("The TLS handshake with {host}:{port} failed ({other})."),
            "Check that this port is the DC's LDAPS port (636) and that the DC has a valid LDAPS certificate."),
    }
}

/// The way out that works today: compare the fingerprint with the DC's and pin it.
fn pin_way_out(fp: &str, lead: &str) -> String {
    let fp = if fp.is_empty() {
        "shown with the certificate".to_string()
    } else {
        fp.to_string()
    };
    format!(
        "{lead}: compare its SHA-256 fingerprint {fp} with the one your AD admin reads on the DC and, if they match, trust this exact certificate (pin it). For a lasting fix, have your certificate authority issue the DC an LDAPS certificate."
    )
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

fn legacy_signature(host: &str, cert: Option<&CertificateInfo>) -> Problem {
    p("ldap.tls.sha1_signature",
        format!("{host}'s certificate chain is signed with {}, which is refused as insecure.", cert.map(|c| c.signature_algorithm.as_str()).filter(|s| is_legacy_signature(s)).unwrap_or("SHA-1")),
        "Renew the CA certificate (and the DC's certificate) with SHA-256: set the CA's hash algorithm to SHA256 (certutil -setreg ca\\csp\\CNGHashAlgorithm SHA256), renew, and reissue the DC's LDAPS certificate.")
}

pub fn plain_ldap(host: &str, port: u16) -> Problem {
    p(
        "ldap.tls.plain_ldap",
        format!("{host}:{port} speaks plain LDAP, not LDAPS."),
        "Use the LDAPS port (636); plain LDAP (389) would send the password unencrypted.",
    )
}

pub fn not_tls(host: &str, port: u16, detail: &str) -> Problem {
    p("ldap.tls.not_tls", format!("{host}:{port} closed the connection during the TLS handshake ({detail})."),
        "Check that this is the DC's LDAPS port (636) and that the DC has an LDAPS certificate installed (without one, AD closes LDAPS connections).")
}

/// RFC 3339 (UTC) from Unix seconds.
pub fn rfc3339(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    if b.last() != Some(&b'Z') {
        return None;
    }
    Some(days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + se)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let pr = bind_failure("svc@example.test", 49, &text);
            assert_eq!(pr.code, code);
            assert!(
                !pr.hint.is_empty() && !pr.message.contains("data "),
                "{pr:?}"
            );
        }
    }

    #[test]
    fn time_round_trip() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        let t = parse_generalized_time("20261126053134.0Z").unwrap();
        assert_eq!(rfc3339(t), "2026-11-26T05:31:34Z");
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
            );
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
        );
        assert_eq!(pr.code, "ldap.tls.ca_as_server_certificate");
        assert!(pr.hint.contains("pin it"), "{}", pr.hint);
        let pr = tls_failure(
            &rustls::Error::AlertReceived(AlertDescription::BadCertificate),
            "localhost",
            636,
            None,
        );
        assert!(pr.message.contains("'bad certificate'"), "{}", pr.message);
    }

    #[test]
    fn tls_errors_map_to_stable_codes() {
        use rustls::Error as E;
        let code = |e: E| tls_failure(&e, "dc1", 636, None).code;
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
