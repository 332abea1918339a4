//! Host entries of a domain controller (DNS names, internationalised names, IPv4/IPv6
//! addresses), look-alike characters, and the LDAPS port.

use super::text::{check_text, shown};
use super::{issue, Code, ValidationError};
use crate::profile::{GC_TLS_PORT, LDAPS_PORT};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Which kind of name [`check_dns_name`] checks: a DC's host, or the domain of an account or
/// tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameArea {
    Host,
    Domain,
}

#[derive(Clone, Copy)]
enum NameProblem {
    Lookalike,
    Invalid,
    TooLong,
}

/// What a valid host entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostKind {
    /// A DNS name, in its ASCII (A-label) form, lower-case.
    Name(String),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

impl HostKind {
    pub(crate) fn key(&self) -> String {
        match self {
            HostKind::Name(n) => n.trim_end_matches('.').to_string(),
            HostKind::Ipv4(a) => a.to_string(),
            HostKind::Ipv6(a) => a.to_string(),
        }
    }
}

/// One host entry: a DNS name (internationalised names allowed), an IPv4 or IPv6 address.
pub fn check_host(raw: &str) -> Result<HostKind, ValidationError> {
    let s = check_text(raw)?;
    if s.is_empty() {
        return Err(issue(
            Code::HostEmpty,
            "A host entry is empty.",
            "Remove the extra comma, or enter a host name such as dc1.example.com.",
        ));
    }
    if s.contains("://") {
        return Err(issue(Code::HostHasScheme, format!("“{}” includes a URL scheme.", shown(s)),
            "Enter only the host name, such as dc1.example.com; the wizard always connects with LDAPS."));
    }
    if s.chars().any(char::is_whitespace) {
        return Err(issue(
            Code::HostWhitespace,
            format!("“{}” contains a space.", shown(s)),
            "Separate several hosts with commas, such as dc1.example.com, dc2.example.com.",
        ));
    }
    let unbracketed = s.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
    if let Some(inner) = unbracketed {
        return inner.parse::<Ipv6Addr>().map(HostKind::Ipv6).map_err(|_| {
            issue(
                Code::HostInvalidIp,
                format!("“{}” is not a valid IPv6 address.", shown(s)),
                "Write an IPv6 address such as fd00::10 or [fd00::10].",
            )
        });
    }
    if let Ok(a) = s.parse::<Ipv4Addr>() {
        return Ok(HostKind::Ipv4(a));
    }
    if let Ok(a) = s.parse::<Ipv6Addr>() {
        return Ok(HostKind::Ipv6(a));
    }
    if let Some((h, p)) = s.rsplit_once(':') {
        if !h.contains(':') && !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) {
            return Err(issue(
                Code::HostHasPort,
                format!("“{}” includes a port.", shown(s)),
                format!(
                    "Enter the host as {} and the port in the Port field.",
                    shown(h)
                ),
            ));
        }
        return Err(issue(
            Code::HostInvalidIp,
            format!("“{}” is not a valid IPv6 address or host name.", shown(s)),
            "Write an IPv6 address such as fd00::10, or a host name such as dc1.example.com.",
        ));
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(issue(
            Code::HostInvalidIp,
            format!("“{}” is not a valid IPv4 address.", shown(s)),
            "An IPv4 address has four numbers from 0 to 255, such as 10.0.0.5.",
        ));
    }
    check_dns_name(s, NameArea::Host).map(HostKind::Name)
}

/// A DNS name, possibly internationalised. Returns its lower-case ASCII form.
/// `area` picks the codes (`host.*` or `domain.*`).
pub fn check_dns_name(s: &str, area: NameArea) -> Result<String, ValidationError> {
    let code = |problem: NameProblem| -> Code {
        match (area, problem) {
            (NameArea::Host, NameProblem::Lookalike) => Code::HostLookalike,
            (NameArea::Host, NameProblem::Invalid) => Code::HostInvalidName,
            (NameArea::Host, NameProblem::TooLong) => Code::HostTooLong,
            (NameArea::Domain, NameProblem::Lookalike) => Code::DomainLookalike,
            (NameArea::Domain, NameProblem::Invalid) => Code::DomainInvalidName,
            (NameArea::Domain, NameProblem::TooLong) => Code::DomainTooLong,
        }
    };
    if let Some(ch) = s.chars().find(|&c| is_lookalike_char(c)) {
        return Err(issue(
            code(NameProblem::Lookalike),
            format!(
                "“{}” contains “{ch}” (U+{:04X}), which only looks like an ordinary character.",
                shown(s),
                ch as u32
            ),
            "Retype the name with an ordinary keyboard layout.",
        ));
    }
    for label in s.split('.') {
        if mixes_scripts(label) {
            return Err(issue(code(NameProblem::Lookalike), format!("“{}” mixes letters of different alphabets (e.g. Latin and Cyrillic), a common look-alike trick.", shown(s)),
                "Retype the name; if it is a genuine internationalised name, write each label in one alphabet."));
        }
    }
    for ch in s.chars() {
        if ch.is_ascii() && !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '.') {
            return Err(issue(
                code(NameProblem::Invalid),
                format!(
                    "“{}” contains “{ch}”, which is not allowed in a host name.",
                    shown(s)
                ),
                "A host name has letters, digits, hyphens and dots, such as dc1.example.com.",
            ));
        }
    }
    if s.len() > 253 {
        return Err(issue(
            code(NameProblem::TooLong),
            format!(
                "The host name is {} characters long; DNS allows 253.",
                s.len()
            ),
            "Check the name.",
        ));
    }
    // A single trailing dot (a fully qualified name) is fine; IDNA's strict mode refuses it.
    let (body, dot) = match s.strip_suffix('.') {
        Some(b) => (b, "."),
        None => (s, ""),
    };
    let ascii = idna::domain_to_ascii_strict(body)
        .map(|a| format!("{a}{dot}"))
        .map_err(|_| {
            issue(
                code(NameProblem::Invalid),
                format!("“{}” is not a valid host name.", shown(s)),
                "A host name has letters, digits, hyphens and dots, such as dc1.example.com.",
            )
        })?;
    let name = ascii.strip_suffix('.').unwrap_or(&ascii);
    if name.is_empty() {
        return Err(issue(
            code(NameProblem::Invalid),
            "The host name is empty.",
            "Enter a host name such as dc1.example.com.",
        ));
    }
    if name.len() > 253 {
        return Err(issue(
            code(NameProblem::TooLong),
            format!(
                "The host name is {} characters long; DNS allows 253.",
                name.len()
            ),
            "Check the name.",
        ));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Err(issue(
                code(NameProblem::Invalid),
                format!("“{}” has an empty part between dots.", shown(s)),
                "Remove the doubled dot.",
            ));
        }
        if label.len() > 63 {
            return Err(issue(
                code(NameProblem::Invalid),
                format!("A part of “{}” is longer than 63 characters.", shown(s)),
                "Each part between dots has at most 63 characters.",
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(issue(
                code(NameProblem::Invalid),
                format!(
                    "“{}” has a part starting or ending with a hyphen.",
                    shown(s)
                ),
                "Hyphens may only appear inside a name part.",
            ));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(issue(
                code(NameProblem::Invalid),
                format!("“{}” is not a valid host name.", shown(s)),
                "A host name has letters, digits, hyphens and dots.",
            ));
        }
    }
    if name
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(issue(code(NameProblem::Invalid), format!("“{}” is neither an IP address nor a host name.", shown(s)),
            "An IPv4 address has four numbers, such as 10.0.0.5; a name ends in letters, such as dc1.example.com."));
    }
    Ok(ascii.to_ascii_lowercase())
}

/// Characters that imitate ASCII punctuation or letters: fullwidth forms, ideographic and
/// other look-alike dots, mathematical alphanumerics, letter-like symbols.
pub(crate) fn is_lookalike_char(c: char) -> bool {
    matches!(c as u32,
        0xFF01..=0xFF5E        // fullwidth ASCII
        | 0x3002 | 0xFF61 | 0xFE52 | 0x2024 | 0x2E2E // look-alike dots
        | 0x1D400..=0x1D7FF    // mathematical alphanumerics
        | 0x2100..=0x214F      // letter-like symbols (ℂ, K, Å ...)
        | 0x2010..=0x2015 | 0x2212 | 0xFE63 // hyphens and minus signs
        | 0x0131 | 0x0237      // dotless i / j
        | 0x01C3 | 0x0589 | 0x0701..=0x0703)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Other,
}

fn script_of(c: char) -> Option<Script> {
    let u = c as u32;
    if c.is_ascii_alphabetic() || (0x00C0..=0x024F).contains(&u) || (0x1E00..=0x1EFF).contains(&u) {
        Some(Script::Latin)
    } else if (0x0370..=0x03FF).contains(&u) || (0x1F00..=0x1FFF).contains(&u) {
        Some(Script::Greek)
    } else if (0x0400..=0x052F).contains(&u) {
        Some(Script::Cyrillic)
    } else if c.is_alphabetic() {
        Some(Script::Other)
    } else {
        None
    }
}

/// A label mixing Latin, Greek and Cyrillic letters (the classic homograph attack).
pub(crate) fn mixes_scripts(label: &str) -> bool {
    let mut seen: Option<Script> = None;
    for s in label.chars().filter_map(script_of) {
        if s == Script::Other {
            continue;
        }
        match seen {
            None => seen = Some(s),
            Some(prev) if prev != s => return true,
            _ => {}
        }
    }
    false
}

/// A port: 1–65535, LDAPS only. Returns the port and an optional warning.
pub fn check_port(port: u16) -> Result<Option<ValidationError>, ValidationError> {
    match port {
        0 => Err(issue(Code::PortOutOfRange, "Port 0 is not a valid port.", "LDAPS uses port 636.")),
        389 | 3268 => Err(issue(Code::PortPlainLdap, format!("Port {port} is plain LDAP: LDAPS only, plain LDAP is not used."),
            "Use port 636 (LDAPS): the agent uses it, and provisioning writes through it.")),
        LDAPS_PORT => Ok(None),
        GC_TLS_PORT => Ok(Some(issue(Code::PortGlobalCatalog,
            "Port 3269 is the Global Catalog: a read-only partial replica of every domain.",
            "Fine for lookups, but provisioning writes need the domain's own LDAPS port 636."))),
        p => Ok(Some(issue(Code::PortNonstandard, format!("Port {p} is not the usual LDAPS port."),
            "Domain controllers normally serve LDAPS on 636; keep this only if your DC listens on it with TLS."))),
    }
}
