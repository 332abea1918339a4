//! Distinguished names (RFC 4514) and the Base DN.

use super::text::{check_text, shown};
use super::{issue, Code, ValidationError};

/// The example Base DN the hints show.
pub(crate) const EXAMPLE_DN: &str = "DC=example-domain,DC=com";

/// One attribute type and value of a parsed DN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ava {
    pub attr: String,
    /// The value with escapes resolved (for `#hex` values: the hex text as written).
    pub value: String,
}

/// A parsed DN: RDNs in written order, each with one or more AVAs.
pub type Dn = Vec<Vec<Ava>>;

/// Parse a distinguished name per RFC 4514 (escapes `\,` and `\2C`, multi-valued RDNs with
/// `+`, `#`-hex values). Spaces around `,` `+` `=` are tolerated, as Active Directory does.
pub fn parse_dn(s: &str) -> Result<Dn, String> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut rdns: Dn = Vec::new();
    let mut rdn: Vec<Ava> = Vec::new();
    let skip_spaces = |i: &mut usize| {
        while *i < b.len() && b[*i] == b' ' {
            *i += 1;
        }
    };
    loop {
        skip_spaces(&mut i);
        // attribute type
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b'.') {
            i += 1;
        }
        let attr = &s[start..i];
        if attr.is_empty() {
            return Err(if i >= b.len() {
                "it ends where an attribute name such as DC= is expected".into()
            } else {
                format!(
                    "“{}” appears where an attribute name such as DC= is expected",
                    char_at(s, i)
                )
            });
        }
        let valid_type = if attr.as_bytes()[0].is_ascii_digit() {
            attr.split('.').all(|n| {
                !n.is_empty()
                    && n.bytes().all(|c| c.is_ascii_digit())
                    && (n == "0" || !n.starts_with('0'))
            })
        } else {
            attr.as_bytes()[0].is_ascii_alphabetic()
                && attr.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        };
        if !valid_type {
            return Err(format!("“{}” is not a valid attribute name", shown(attr)));
        }
        skip_spaces(&mut i);
        if i >= b.len() || b[i] != b'=' {
            return Err(format!("“=” is missing after “{}”", shown(attr)));
        }
        i += 1;
        skip_spaces(&mut i);
        // attribute value
        let mut value = String::new();
        if i < b.len() && b[i] == b'#' {
            let vs = i;
            i += 1;
            while i < b.len() && b[i].is_ascii_hexdigit() {
                i += 1;
            }
            let hex = &s[vs + 1..i];
            if hex.is_empty() || !hex.len().is_multiple_of(2) {
                return Err(format!("the value of {attr} starts with “#” but is not an even number of hex digits (write \\# for a literal #)"));
            }
            value.push_str(&s[vs..i]);
            skip_spaces(&mut i);
        } else {
            let mut bytes: Vec<u8> = Vec::new();
            let mut trailing_unescaped_spaces = 0usize;
            while i < b.len() && b[i] != b',' && b[i] != b'+' {
                let ch = b[i];
                match ch {
                    b'\\' => {
                        let n = b.get(i + 1).copied();
                        match n {
                            Some(c) if b"\"+,;<>\\ #=".contains(&c) => {
                                bytes.push(c);
                                i += 2;
                            }
                            Some(h1) if h1.is_ascii_hexdigit() && b.get(i + 2).is_some_and(|h2| h2.is_ascii_hexdigit()) => {
                                let hex = &s[i + 1..i + 3];
                                bytes.push(u8::from_str_radix(hex, 16).expect("hex digits"));
                                i += 3;
                            }
                            _ => return Err(format!("“\\” in the value of {attr} must be followed by a special character or two hex digits (write \\\\ for a backslash)")),
                        }
                        trailing_unescaped_spaces = 0;
                        continue;
                    }
                    b'"' | b';' | b'<' | b'>' => {
                        return Err(format!(
                            "“{}” in the value of {attr} must be escaped as \\{}",
                            ch as char, ch as char
                        ));
                    }
                    0 => return Err(format!("the value of {attr} contains a NUL character")),
                    b' ' => trailing_unescaped_spaces += 1,
                    _ => trailing_unescaped_spaces = 0,
                }
                bytes.push(ch);
                i += 1;
            }
            bytes.truncate(bytes.len() - trailing_unescaped_spaces);
            value = String::from_utf8(bytes).map_err(|_| {
                format!("the escaped bytes in the value of {attr} are not valid UTF-8")
            })?;
            if value.is_empty() {
                return Err(format!("{attr}= has no value"));
            }
        }
        rdn.push(Ava {
            attr: attr.to_string(),
            value,
        });
        if i >= b.len() {
            rdns.push(rdn);
            return Ok(rdns);
        }
        let sep = b[i];
        i += 1;
        if sep == b',' {
            rdns.push(std::mem::take(&mut rdn));
        }
        skip_spaces(&mut i);
        if i >= b.len() {
            return Err(format!("it ends with “{}”", sep as char));
        }
    }
}

fn char_at(s: &str, i: usize) -> String {
    s.get(i..)
        .and_then(|r| r.chars().next())
        .map(|c| c.to_string())
        .unwrap_or_default()
}

/// A Base DN such as `DC=example-domain,DC=com`.
pub fn check_base_dn(s: &str) -> Result<(Dn, Option<ValidationError>), ValidationError> {
    let t = check_text(s)?;
    let hint = format!("Write the Base DN in the form {EXAMPLE_DN}: the domain's DC= parts, optionally preceded by OU= parts.");
    if t.is_empty() {
        return Err(issue(Code::BaseDnEmpty, "The Base DN is empty.", hint));
    }
    if t.contains('@') && !t.contains('=') {
        return Err(issue(
            Code::BaseDnSyntax,
            format!(
                "“{}” looks like an account name, not a distinguished name.",
                shown(t)
            ),
            hint,
        ));
    }
    if !t.contains('=') && t.contains('.') {
        let dcs: Vec<String> = t.split('.').map(|p| format!("DC={p}")).collect();
        return Err(issue(
            Code::BaseDnSyntax,
            format!("“{}” is a domain name, not a distinguished name.", shown(t)),
            format!("For this domain the Base DN is {}.", dcs.join(",")),
        ));
    }
    let dn = parse_dn(t).map_err(|why| {
        issue(
            Code::BaseDnSyntax,
            format!("The Base DN is not a valid distinguished name: {why}."),
            hint.clone(),
        )
    })?;
    let warning = if !dn
        .iter()
        .any(|rdn| rdn.iter().any(|a| a.attr.eq_ignore_ascii_case("dc")))
    {
        Some(issue(Code::BaseDnNoDc, "This Base DN has no DC= part.",
            format!("An Active Directory Base DN normally ends with the domain's DC= parts, as in {EXAMPLE_DN}.")))
    } else {
        None
    };
    Ok((dn, warning))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dn_escapes() {
        let dn =
            parse_dn(r"CN=Smith\, John+UID=jsmith,OU=Sales \28EMEA\29,DC=example,DC=com").unwrap();
        assert_eq!(dn.len(), 4);
        assert_eq!(dn[0][0].value, "Smith, John");
        assert_eq!(dn[0][1].attr, "UID");
        assert_eq!(dn[1][0].value, "Sales (EMEA)");
        assert!(parse_dn("OU=a;b,DC=x").is_err());
        assert!(parse_dn("DC=x,").is_err());
        assert!(parse_dn("1.2.840.113556.1.4.1=#04024869,DC=x").is_ok());
    }
}
