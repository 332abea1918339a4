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
            other => p("ldap.tls.bad_certificate", format!("{host}'s certificate was rejected ({other:?})."),
                "Have the DC's LDAPS certificate reissued by your certificate authority."),
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
            format!("{host}:{port} ended the TLS handshake with the alert '{a:?}'."),
            "Check the DC's LDAPS certificate and TLS settings (event log: Schannel)."),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => plain_ldap(host, port),
        other => p("ldap.tls.failed", format!("The TLS handshake with {host}:{port} failed ({other})."),
            "Check that this port is the DC's LDAPS port (636) and that the DC has a valid LDAPS certificate."),
    }
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
pub fn parse_generalized_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() < 14 || !s[..14].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().ok();
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
    if !s.ends_with('Z') {
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
