//! Account names (UPN, `DOMAIN\user`, DN), Microsoft identifiers (client and tenant IDs) and
//! certificate pins.

use super::dn::parse_dn;
use super::host::{check_dns_name, is_lookalike_char, mixes_scripts, NameArea};
use super::text::{check_text, shown};
use super::{issue, Code, ValidationError};

pub(crate) const ACCOUNT_HINT: &str = "Use a UPN such as svc-h2r@example.com, DOMAIN\\svc-h2r, or the account's DN such as CN=svc-h2r,OU=Service Accounts,DC=example,DC=com.";

/// A user principal name `name@domain`.
pub fn check_upn(s: &str) -> Result<String, ValidationError> {
    let t = check_text(s)?;
    let hint = "Enter the account as name@domain, such as svc-h2r@example.com.";
    if t.is_empty() {
        return Err(issue(Code::UpnEmpty, "The account is empty.", hint));
    }
    let Some((local, domain)) = t.rsplit_once('@') else {
        return Err(issue(
            Code::UpnFormat,
            format!("“{}” is not a user principal name (name@domain).", shown(t)),
            hint,
        ));
    };
    if local.is_empty() || local.contains('@') {
        return Err(issue(
            Code::UpnFormat,
            format!("“{}” is not a user principal name (name@domain).", shown(t)),
            hint,
        ));
    }
    if local.chars().count() > 64 {
        return Err(issue(
            Code::UpnTooLong,
            "The part before @ is longer than 64 characters.",
            hint,
        ));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(issue(
            Code::UpnFormat,
            format!("“{}” has a misplaced dot before the @.", shown(t)),
            hint,
        ));
    }
    if let Some(bad) = local
        .chars()
        .find(|&c| !(c.is_alphanumeric() || "._-'!#$%&^{}~".contains(c)))
    {
        return Err(issue(
            Code::UpnInvalidCharacter,
            format!("“{bad}” is not allowed in the name part of “{}”.", shown(t)),
            hint,
        ));
    }
    if let Some(ch) = local.chars().find(|&c| is_lookalike_char(c)) {
        return Err(issue(
            Code::UpnLookalike,
            format!(
                "“{ch}” (U+{:04X}) in “{}” only looks like an ordinary character.",
                ch as u32,
                shown(t)
            ),
            hint,
        ));
    }
    if mixes_scripts(local) {
        return Err(issue(
            Code::UpnLookalike,
            format!("“{}” mixes letters of different alphabets.", shown(t)),
            hint,
        ));
    }
    check_dns_name(domain, NameArea::Domain).map_err(|i| ValidationError {
        code: match i.code {
            Code::DomainLookalike => Code::UpnLookalike,
            _ => Code::UpnDomain,
        },
        ..i
    })?;
    Ok(t.to_string())
}

/// The AD service account: a UPN, `DOMAIN\user` or a DN.
pub fn check_service_account(s: &str) -> Result<String, ValidationError> {
    let t = check_text(s)?;
    if t.is_empty() {
        return Err(issue(
            Code::ServiceAccountEmpty,
            "The service account is empty.",
            ACCOUNT_HINT,
        ));
    }
    if t.contains('=') && (!t.contains('@') || t.contains(',')) {
        let dn = parse_dn(t).map_err(|why| {
            issue(
                Code::ServiceAccountFormat,
                format!("This is not a valid distinguished name: {why}."),
                ACCOUNT_HINT,
            )
        })?;
        if dn.len() < 2 {
            return Err(issue(
                Code::ServiceAccountFormat,
                format!("“{}” is not a full DN.", shown(t)),
                ACCOUNT_HINT,
            ));
        }
        return Ok(t.to_string());
    }
    if let Some((domain, user)) = t.split_once('\\') {
        if domain.is_empty()
            || domain.chars().count() > 15
            || domain.chars().any(|c| "\\/:*?\"<>|. ".contains(c))
        {
            return Err(issue(Code::ServiceAccountNetbiosDomain, format!("“{}” is not a valid NetBIOS domain name.", shown(domain)),
                "The domain part of DOMAIN\\user has at most 15 characters, without dots or spaces, such as EXAMPLE\\svc-h2r."));
        }
        if user.is_empty()
            || user.chars().count() > 20
            || user.ends_with('.')
            || user.chars().any(|c| "\"/\\[]:;|=,+*?<>@()".contains(c))
        {
            return Err(issue(Code::ServiceAccountSamAccountName, format!("“{}” is not a valid pre-Windows 2000 user name.", shown(user)),
                "The user part of DOMAIN\\user has at most 20 characters and none of \" / \\ [ ] : ; | = , + * ? < > @."));
        }
        return Ok(t.to_string());
    }
    if t.contains('@') {
        return check_upn(t).map_err(|i| ValidationError {
            code: match i.code {
                Code::UpnLookalike => Code::ServiceAccountLookalike,
                Code::UpnInvalidCharacter => Code::ServiceAccountInvalidCharacter,
                _ => Code::ServiceAccountFormat,
            },
            hint: ACCOUNT_HINT.into(),
            ..i
        });
    }
    Err(issue(
        Code::ServiceAccountFormat,
        format!("“{}” is not an account name AD can bind with.", shown(t)),
        ACCOUNT_HINT,
    ))
}

/// A GUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex, any case). The one test of the crate:
/// tenant and client IDs, Graph paths and admin-API answers all use it.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// An application (client) ID.
pub fn check_client_id(s: &str) -> Result<String, ValidationError> {
    let t = check_text(s)?;
    let hint = "Copy the Application (client) ID from the app registration's Overview blade in the Entra admin center; it looks like 00000000-0000-0000-0000-000000000000 with hex digits.";
    if t.is_empty() {
        return Err(issue(Code::ClientIdEmpty, "The client ID is empty.", hint));
    }
    let u = t.trim_start_matches('{').trim_end_matches('}');
    if !is_guid(u) {
        return Err(issue(
            Code::ClientIdFormat,
            format!("“{}” is not a GUID.", shown(t)),
            hint,
        ));
    }
    if u.bytes().all(|c| c == b'0' || c == b'-') {
        return Err(issue(
            Code::ClientIdNil,
            "The client ID is all zeros.",
            hint,
        ));
    }
    Ok(u.to_ascii_lowercase())
}

/// A tenant: its ID (GUID) or one of its verified domains.
pub fn check_tenant_id(s: &str) -> Result<String, ValidationError> {
    let t = check_text(s)?;
    let hint = "Copy the Directory (tenant) ID from the app registration's Overview blade, or enter a verified domain of the tenant such as contoso.onmicrosoft.com.";
    if t.is_empty() {
        return Err(issue(Code::TenantIdEmpty, "The tenant ID is empty.", hint));
    }
    let lower = t.to_ascii_lowercase();
    if ["common", "organizations", "consumers"].contains(&lower.as_str()) {
        return Err(issue(
            Code::TenantIdNotSpecific,
            format!("“{t}” is not one tenant."),
            "Hire2Retire connects to one directory: enter its tenant ID or a verified domain.",
        ));
    }
    let u = t.trim_start_matches('{').trim_end_matches('}');
    if is_guid(u) {
        if u.bytes().all(|c| c == b'0' || c == b'-') {
            return Err(issue(
                Code::TenantIdNil,
                "The tenant ID is all zeros.",
                hint,
            ));
        }
        return Ok(u.to_ascii_lowercase());
    }
    if t.len() >= 30 && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(issue(
            Code::TenantIdFormat,
            format!("“{}” is not a complete GUID.", shown(t)),
            hint,
        ));
    }
    if !t.contains('.') {
        return Err(issue(
            Code::TenantIdFormat,
            format!(
                "“{}” is neither a tenant ID (GUID) nor a domain name.",
                shown(t)
            ),
            hint,
        ));
    }
    check_dns_name(t, NameArea::Domain).map_err(|i| ValidationError {
        code: match i.code {
            Code::DomainLookalike => Code::TenantIdLookalike,
            _ => Code::TenantIdFormat,
        },
        hint: hint.into(),
        ..i
    })
}

/// A leaf certificate pin: SHA-256 as `AB:CD:…` (OpenSSL's form) or 64 hex digits.
pub fn check_pin(s: &str) -> Result<String, ValidationError> {
    let t = check_text(s)?;
    let hex: String = t
        .trim_start_matches("sha256 Fingerprint=")
        .trim_start_matches("SHA256 Fingerprint=")
        .chars()
        .filter(|c| *c != ':')
        .collect();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(issue(Code::TlsPinFormat, "The pinned fingerprint is not a SHA-256 fingerprint.",
            "Paste it as `openssl x509 -noout -fingerprint -sha256` prints it: 32 pairs of hex digits separated by colons."));
    }
    let up = hex.to_ascii_uppercase();
    Ok(up
        .as_bytes()
        .chunks(2)
        .map(|p| std::str::from_utf8(p).expect("ascii"))
        .collect::<Vec<_>>()
        .join(":"))
}
