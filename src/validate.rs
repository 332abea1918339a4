//! Field-level validation of connection profiles.
//!
//! Every problem names its field (a path such as `domain_controllers[0].hosts[1]`), carries a
//! stable code (`host.has_port`, `port.plain_ldap`, ...), one plain sentence and a hint.
//! Errors block; warnings are returned beside them and never block.
//!
//! The input is JSON as the wizard's form or a saved file holds it, so a draft can carry what
//! the admin typed (a comma-separated host list, a port as text) and still get field-level
//! errors instead of one opaque parse error. When there are no errors the report carries the
//! normalised, typed [`Connection`].

use crate::profile::{Connection, GC_TLS_PORT, LDAPS_PORT};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest connection / Exchange connection name, in characters.
pub const MAX_NAME_CHARS: usize = 128;
/// Longest value of any text field, in bytes, checked before anything else is done with it.
pub const MAX_FIELD_BYTES: usize = 2048;
/// Most domain controllers in one connection.
pub const MAX_DOMAIN_CONTROLLERS: usize = 32;
/// Most hosts of one domain controller.
pub const MAX_HOSTS_PER_DC: usize = 16;

const EXAMPLE_DN: &str = "DC=example-domain,DC=com";

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIssue {
    pub field: String,
    pub code: String,
    pub message: String,
    pub hint: String,
}

/// The result of validating a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// True when there is no error (warnings allowed).
    pub ok: bool,
    pub errors: Vec<FieldIssue>,
    pub warnings: Vec<FieldIssue>,
    /// The normalised profile, present only when `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<Connection>,
}

impl ValidationReport {
    /// Errors for one field (exact path or any sub-path such as `field[2]`).
    pub fn errors_for(&self, field: &str) -> Vec<&FieldIssue> {
        self.errors
            .iter()
            .filter(|e| field_matches(&e.field, field))
            .collect()
    }
    pub fn warnings_for(&self, field: &str) -> Vec<&FieldIssue> {
        self.warnings
            .iter()
            .filter(|e| field_matches(&e.field, field))
            .collect()
    }
}

fn field_matches(path: &str, field: &str) -> bool {
    path == field
        || (path.starts_with(field)
            && matches!(path.as_bytes().get(field.len()), Some(b'[') | Some(b'.')))
}

/// An issue without its field, as returned by the single-value checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

fn issue(code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Issue {
    Issue {
        code,
        message: message.into(),
        hint: hint.into(),
    }
}

#[derive(Default)]
struct Collector {
    errors: Vec<FieldIssue>,
    warnings: Vec<FieldIssue>,
}

impl Collector {
    fn err(&mut self, field: &str, i: Issue) {
        self.errors.push(FieldIssue {
            field: field.to_string(),
            code: i.code.to_string(),
            message: i.message,
            hint: i.hint,
        });
    }
    fn warn(&mut self, field: &str, i: Issue) {
        self.warnings.push(FieldIssue {
            field: field.to_string(),
            code: i.code.to_string(),
            message: i.message,
            hint: i.hint,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points

/// Validate a typed profile (e.g. one loaded from settings).
pub fn validate_connection(connection: &Connection) -> ValidationReport {
    validate_value(&serde_json::to_value(connection).expect("profiles serialise"))
}

/// Validate a profile given as JSON (a saved file or the wizard's draft form).
pub fn validate_value(value: &Value) -> ValidationReport {
    run(value).0
}

/// What a step needs from the draft: the whole connection (save, create, hand-off) or only the
/// domain controllers and the service account (the live LDAPS check, which runs before the
/// later steps are filled in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Connection,
    DomainControllers,
}

impl Scope {
    fn covers(self, field: &str) -> bool {
        match self {
            Scope::Connection => true,
            Scope::DomainControllers => {
                field == "kind"
                    || field_matches(field, "domain_controllers")
                    || field_matches(field, "service_account")
            }
        }
    }
}

/// The part of a hybrid connection the LDAPS check needs, normalised by the same rules as a
/// whole connection (hosts split, port checked, DNs and accounts trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdapTarget {
    pub domain_controllers: Vec<crate::profile::DomainController>,
    pub service_account: String,
}

/// The one way from the wizard's (lenient) draft to a typed connection: `Err` carries the
/// field-level report (only errors, never warnings, block).
pub fn connection(draft: &Value) -> Result<Connection, Box<ValidationReport>> {
    let report = validate_value(draft);
    match report.connection {
        Some(c) if report.ok => Ok(c),
        _ => Err(Box::new(report)),
    }
}

/// The domain controllers and the service account of a draft whose later steps may still be
/// empty. Errors outside that scope do not block; an Azure AD draft is an error of `kind`.
pub fn ldap_target(draft: &Value) -> Result<LdapTarget, Box<ValidationReport>> {
    let (mut report, normalised) = run(draft);
    report
        .errors
        .retain(|e| Scope::DomainControllers.covers(&e.field));
    report
        .warnings
        .retain(|e| Scope::DomainControllers.covers(&e.field));
    report.connection = None;
    let kind = draft.get("kind").and_then(Value::as_str);
    if report.errors.is_empty() && kind != Some("hybrid-onprem") {
        report.errors.push(FieldIssue {
            field: "kind".into(),
            code: "kind.no_domain_controllers".into(),
            message: "Only an On-Premise connection has domain controllers to check.".into(),
            hint: "Choose Hybrid On-Premise on the first step.".into(),
        });
    }
    report.ok = report.errors.is_empty();
    if !report.ok {
        return Err(Box::new(report));
    }
    let v = normalised.unwrap_or(Value::Null);
    let empty = Value::Array(vec![]);
    let dcs = v.get("domain_controllers").unwrap_or(&empty);
    match Vec::<crate::profile::DomainController>::deserialize(dcs) {
        Ok(domain_controllers) => Ok(LdapTarget {
            domain_controllers,
            service_account: v
                .get("service_account")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        }),
        Err(e) => {
            report.ok = false;
            report.errors.push(FieldIssue {
                field: "domain_controllers".into(),
                code: "profile.malformed".into(),
                message: format!("The domain controllers could not be read: {e}."),
                hint: "Compare them with the examples in docs/connection-profile.md.".into(),
            });
            Err(Box::new(report))
        }
    }
}

fn run(value: &Value) -> (ValidationReport, Option<Value>) {
    let mut c = Collector::default();
    let normalised = match value {
        Value::Object(obj) => validate_object(obj, &mut c),
        _ => {
            c.err("", issue("profile.not_object", "The connection profile is not a JSON object.",
                "A profile looks like {\"kind\": \"hybrid-onprem\", \"name\": ..., ...}; see docs/connection-profile.md."));
            None
        }
    };
    let mut report = ValidationReport {
        ok: false,
        errors: c.errors,
        warnings: c.warnings,
        connection: None,
    };
    if report.errors.is_empty() {
        // Read from the normalised value in place (no copy of the whole draft per validation).
        if let Some(v) = &normalised {
            match Connection::deserialize(v) {
                Ok(conn) => report.connection = Some(conn),
                Err(e) => report.errors.push(FieldIssue {
                    field: String::new(),
                    code: "profile.malformed".into(),
                    message: format!("The connection profile could not be read: {e}."),
                    hint: "Compare it with the examples in docs/connection-profile.md.".into(),
                }),
            }
        }
    }
    report.ok = report.errors.is_empty();
    (report, normalised)
}

fn validate_object(obj: &Map<String, Value>, c: &mut Collector) -> Option<Value> {
    let kind = match obj.get("kind") {
        Some(Value::String(k)) => k.as_str(),
        Some(_) => {
            c.err(
                "kind",
                issue(
                    "kind.invalid",
                    "The connection kind must be text.",
                    KIND_HINT,
                ),
            );
            return None;
        }
        None => {
            c.err(
                "kind",
                issue("kind.missing", "The connection kind is missing.", KIND_HINT),
            );
            return None;
        }
    };
    match kind {
        "hybrid-onprem" => Some(validate_hybrid(obj, c)),
        "azure-ad" => Some(validate_azure(obj, c)),
        other => {
            c.err(
                "kind",
                issue(
                    "kind.unknown",
                    format!("“{}” is not a connection kind.", shown(other)),
                    KIND_HINT,
                ),
            );
            None
        }
    }
}

const KIND_HINT: &str = "Use \"hybrid-onprem\" (On-Premise AD with Exchange Online) or \"azure-ad\" (Azure AD with Exchange Online).";

fn unknown_fields(obj: &Map<String, Value>, prefix: &str, known: &[&str], c: &mut Collector) {
    for key in obj.keys() {
        if !known.contains(&key.as_str()) {
            let field = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            c.err(
                &field,
                issue(
                    "profile.unknown_field",
                    format!("“{}” is not a field of this profile.", shown(key)),
                    format!("Known fields here: {}.", known.join(", ")),
                ),
            );
        }
    }
}

/// Read a text field: must be a string (or absent when optional), within size, without
/// control or invisible characters. Returns the trimmed text.
fn text_field(
    obj: &Map<String, Value>,
    key: &str,
    field: &str,
    required: bool,
    c: &mut Collector,
) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => {
            if required {
                c.err(
                    field,
                    issue(
                        "field.missing",
                        format!("{} is required.", label(key)),
                        format!("Enter the {}.", label(key).to_lowercase()),
                    ),
                );
            }
            None
        }
        Some(Value::String(s)) => match check_text(s) {
            Ok(t) => Some(t.to_string()),
            Err(i) => {
                c.err(field, i);
                None
            }
        },
        Some(_) => {
            c.err(
                field,
                issue(
                    "field.not_text",
                    format!("{} must be text.", label(key)),
                    "Enter it as a quoted string.",
                ),
            );
            None
        }
    }
}

fn label(key: &str) -> &'static str {
    match key {
        "name" => "Connection name",
        "service_account" => "Service account",
        "base_dn" => "Base DN",
        "client_id" => "Client ID",
        "tenant_id" => "Tenant ID",
        "hosts" => "Host",
        "port" => "Port",
        "cloud" => "Cloud",
        "kind" => "Kind",
        _ => "This field",
    }
}

/// Size and character checks shared by every text field. Returns the trimmed text.
pub fn check_text(s: &str) -> Result<&str, Issue> {
    if s.len() > MAX_FIELD_BYTES {
        return Err(issue(
            "field.too_long",
            format!(
                "This value is {} bytes long; at most {MAX_FIELD_BYTES} are accepted.",
                s.len()
            ),
            "Check that the right text was pasted.",
        ));
    }
    for ch in s.chars() {
        if ch.is_control() {
            return Err(issue(
                "field.control_character",
                format!(
                    "This value contains an invisible control character (U+{:04X}).",
                    ch as u32
                ),
                "Retype the value instead of pasting it; tabs and line breaks are not allowed.",
            ));
        }
        if is_invisible_format(ch) {
            return Err(issue("field.invisible_character",
                format!("This value contains an invisible formatting character (U+{:04X}).", ch as u32),
                "Retype the value; text copied from documents or chats can carry hidden direction marks or zero-width spaces."));
        }
    }
    Ok(s.trim())
}

fn is_invisible_format(ch: char) -> bool {
    matches!(ch as u32,
        0x00AD | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFB
        | 0xE0000..=0xE007F)
}

/// Show user text in a message safely: bounded length.
fn shown(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

// ---------------------------------------------------------------------------------------------
// Names

/// A connection name: non-empty, at most [`MAX_NAME_CHARS`] characters, printable.
pub fn check_name(s: &str) -> Result<String, Issue> {
    let t = check_text(s)?;
    if t.is_empty() {
        return Err(issue(
            "name.empty",
            "The connection name is empty.",
            "Enter a name such as “Connection-OnPremise Service”.",
        ));
    }
    let n = t.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(issue(
            "name.too_long",
            format!(
                "The connection name has {n} characters; at most {MAX_NAME_CHARS} are allowed."
            ),
            "Use a shorter name.",
        ));
    }
    Ok(t.to_string())
}

// ---------------------------------------------------------------------------------------------
// Hosts

/// What a valid host entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostKind {
    /// A DNS name, in its ASCII (A-label) form, lower-case.
    Name(String),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

impl HostKind {
    fn key(&self) -> String {
        match self {
            HostKind::Name(n) => n.trim_end_matches('.').to_string(),
            HostKind::Ipv4(a) => a.to_string(),
            HostKind::Ipv6(a) => a.to_string(),
        }
    }
}

/// One host entry: a DNS name (internationalised names allowed), an IPv4 or IPv6 address.
pub fn check_host(raw: &str) -> Result<HostKind, Issue> {
    let s = check_text(raw)?;
    if s.is_empty() {
        return Err(issue(
            "host.empty",
            "A host entry is empty.",
            "Remove the extra comma, or enter a host name such as dc1.example.com.",
        ));
    }
    if s.contains("://") {
        return Err(issue("host.has_scheme", format!("“{}” includes a URL scheme.", shown(s)),
            "Enter only the host name, such as dc1.example.com; the wizard always connects with LDAPS."));
    }
    if s.chars().any(char::is_whitespace) {
        return Err(issue(
            "host.whitespace",
            format!("“{}” contains a space.", shown(s)),
            "Separate several hosts with commas, such as dc1.example.com, dc2.example.com.",
        ));
    }
    let unbracketed = s.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
    if let Some(inner) = unbracketed {
        return inner.parse::<Ipv6Addr>().map(HostKind::Ipv6).map_err(|_| {
            issue(
                "host.invalid_ip",
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
                "host.has_port",
                format!("“{}” includes a port.", shown(s)),
                format!(
                    "Enter the host as {} and the port in the Port field.",
                    shown(h)
                ),
            ));
        }
        return Err(issue(
            "host.invalid_ip",
            format!("“{}” is not a valid IPv6 address or host name.", shown(s)),
            "Write an IPv6 address such as fd00::10, or a host name such as dc1.example.com.",
        ));
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(issue(
            "host.invalid_ip",
            format!("“{}” is not a valid IPv4 address.", shown(s)),
            "An IPv4 address has four numbers from 0 to 255, such as 10.0.0.5.",
        ));
    }
    check_dns_name(s, "host").map(HostKind::Name)
}

/// A DNS name, possibly internationalised. Returns its lower-case ASCII form.
/// `area` prefixes the codes (`host.*`, `domain.*`).
pub fn check_dns_name(s: &str, area: &'static str) -> Result<String, Issue> {
    let code = |tail: &'static str| -> &'static str {
        match (area, tail) {
            ("host", "lookalike") => "host.lookalike",
            ("host", "invalid") => "host.invalid_name",
            ("host", "too_long") => "host.too_long",
            (_, "lookalike") => "domain.lookalike",
            (_, "too_long") => "domain.too_long",
            _ => "domain.invalid_name",
        }
    };
    if let Some(ch) = s.chars().find(|&c| is_lookalike_char(c)) {
        return Err(issue(
            code("lookalike"),
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
            return Err(issue(code("lookalike"), format!("“{}” mixes letters of different alphabets (e.g. Latin and Cyrillic), a common look-alike trick.", shown(s)),
                "Retype the name; if it is a genuine internationalised name, write each label in one alphabet."));
        }
    }
    for ch in s.chars() {
        if ch.is_ascii() && !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '.') {
            return Err(issue(
                code("invalid"),
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
            code("too_long"),
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
                code("invalid"),
                format!("“{}” is not a valid host name.", shown(s)),
                "A host name has letters, digits, hyphens and dots, such as dc1.example.com.",
            )
        })?;
    let name = ascii.strip_suffix('.').unwrap_or(&ascii);
    if name.is_empty() {
        return Err(issue(
            code("invalid"),
            "The host name is empty.",
            "Enter a host name such as dc1.example.com.",
        ));
    }
    if name.len() > 253 {
        return Err(issue(
            code("too_long"),
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
                code("invalid"),
                format!("“{}” has an empty part between dots.", shown(s)),
                "Remove the doubled dot.",
            ));
        }
        if label.len() > 63 {
            return Err(issue(
                code("invalid"),
                format!("A part of “{}” is longer than 63 characters.", shown(s)),
                "Each part between dots has at most 63 characters.",
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(issue(
                code("invalid"),
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
                code("invalid"),
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
        return Err(issue(code("invalid"), format!("“{}” is neither an IP address nor a host name.", shown(s)),
            "An IPv4 address has four numbers, such as 10.0.0.5; a name ends in letters, such as dc1.example.com."));
    }
    Ok(ascii.to_ascii_lowercase())
}

/// Characters that imitate ASCII punctuation or letters: fullwidth forms, ideographic and
/// other look-alike dots, mathematical alphanumerics, letter-like symbols.
fn is_lookalike_char(c: char) -> bool {
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
fn mixes_scripts(label: &str) -> bool {
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

// ---------------------------------------------------------------------------------------------
// Port

/// A port: 1–65535, LDAPS only. Returns the port and an optional warning.
pub fn check_port(port: u16) -> Result<Option<Issue>, Issue> {
    match port {
        0 => Err(issue("port.out_of_range", "Port 0 is not a valid port.", "LDAPS uses port 636.")),
        389 | 3268 => Err(issue("port.plain_ldap", format!("Port {port} is plain LDAP: LDAPS only, plain LDAP is not used."),
            "Use port 636 (LDAPS): the agent uses it, and provisioning writes through it.")),
        LDAPS_PORT => Ok(None),
        GC_TLS_PORT => Ok(Some(issue("port.global_catalog",
            "Port 3269 is the Global Catalog: a read-only partial replica of every domain.",
            "Fine for lookups, but provisioning writes need the domain's own LDAPS port 636."))),
        p => Ok(Some(issue("port.nonstandard", format!("Port {p} is not the usual LDAPS port."),
            "Domain controllers normally serve LDAPS on 636; keep this only if your DC listens on it with TLS."))),
    }
}

fn port_value(v: Option<&Value>) -> Result<u16, Issue> {
    let out_of_range = |shown_v: String| {
        issue(
            "port.out_of_range",
            format!("{shown_v} is not a port number between 1 and 65535."),
            "LDAPS uses port 636.",
        )
    };
    match v {
        None | Some(Value::Null) => Ok(LDAPS_PORT),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(p) if (1..=65535).contains(&p) => Ok(p as u16),
            _ => Err(out_of_range(n.to_string())),
        },
        Some(Value::String(s)) => {
            let t = check_text(s)?;
            if t.is_empty() {
                return Err(issue(
                    "port.missing",
                    "The port is empty.",
                    "LDAPS uses port 636.",
                ));
            }
            if !t.chars().all(|c| c.is_ascii_digit()) {
                return Err(issue(
                    "port.not_a_number",
                    format!("“{}” is not a number.", shown(t)),
                    "Enter a port number such as 636.",
                ));
            }
            match t.parse::<u32>() {
                Ok(p) if (1..=65535).contains(&p) => Ok(p as u16),
                _ => Err(out_of_range(format!("“{}”", shown(t)))),
            }
        }
        Some(_) => Err(issue(
            "port.not_a_number",
            "The port must be a number.",
            "Enter a port number such as 636.",
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Distinguished names (RFC 4514)

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
pub fn check_base_dn(s: &str) -> Result<(Dn, Option<Issue>), Issue> {
    let t = check_text(s)?;
    let hint = format!("Write the Base DN in the form {EXAMPLE_DN}: the domain's DC= parts, optionally preceded by OU= parts.");
    if t.is_empty() {
        return Err(issue("base_dn.empty", "The Base DN is empty.", hint));
    }
    if t.contains('@') && !t.contains('=') {
        return Err(issue(
            "base_dn.syntax",
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
            "base_dn.syntax",
            format!("“{}” is a domain name, not a distinguished name.", shown(t)),
            format!("For this domain the Base DN is {}.", dcs.join(",")),
        ));
    }
    let dn = parse_dn(t).map_err(|why| {
        issue(
            "base_dn.syntax",
            format!("The Base DN is not a valid distinguished name: {why}."),
            hint.clone(),
        )
    })?;
    let warning = if !dn
        .iter()
        .any(|rdn| rdn.iter().any(|a| a.attr.eq_ignore_ascii_case("dc")))
    {
        Some(issue("base_dn.no_dc", "This Base DN has no DC= part.",
            format!("An Active Directory Base DN normally ends with the domain's DC= parts, as in {EXAMPLE_DN}.")))
    } else {
        None
    };
    Ok((dn, warning))
}

// ---------------------------------------------------------------------------------------------
// Accounts

const ACCOUNT_HINT: &str = "Use a UPN such as svc-h2r@example.com, DOMAIN\\svc-h2r, or the account's DN such as CN=svc-h2r,OU=Service Accounts,DC=example,DC=com.";

/// A user principal name `name@domain`.
pub fn check_upn(s: &str) -> Result<String, Issue> {
    let t = check_text(s)?;
    let hint = "Enter the account as name@domain, such as svc-h2r@example.com.";
    if t.is_empty() {
        return Err(issue("upn.empty", "The account is empty.", hint));
    }
    let Some((local, domain)) = t.rsplit_once('@') else {
        return Err(issue(
            "upn.format",
            format!("“{}” is not a user principal name (name@domain).", shown(t)),
            hint,
        ));
    };
    if local.is_empty() || local.contains('@') {
        return Err(issue(
            "upn.format",
            format!("“{}” is not a user principal name (name@domain).", shown(t)),
            hint,
        ));
    }
    if local.chars().count() > 64 {
        return Err(issue(
            "upn.too_long",
            "The part before @ is longer than 64 characters.",
            hint,
        ));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(issue(
            "upn.format",
            format!("“{}” has a misplaced dot before the @.", shown(t)),
            hint,
        ));
    }
    if let Some(bad) = local
        .chars()
        .find(|&c| !(c.is_alphanumeric() || "._-'!#$%&^{}~".contains(c)))
    {
        return Err(issue(
            "upn.invalid_character",
            format!("“{bad}” is not allowed in the name part of “{}”.", shown(t)),
            hint,
        ));
    }
    if let Some(ch) = local.chars().find(|&c| is_lookalike_char(c)) {
        return Err(issue(
            "upn.lookalike",
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
            "upn.lookalike",
            format!("“{}” mixes letters of different alphabets.", shown(t)),
            hint,
        ));
    }
    check_dns_name(domain, "domain").map_err(|i| Issue {
        code: if i.code == "domain.lookalike" {
            "upn.lookalike"
        } else {
            "upn.domain"
        },
        ..i
    })?;
    Ok(t.to_string())
}

/// The AD service account: a UPN, `DOMAIN\user` or a DN.
pub fn check_service_account(s: &str) -> Result<String, Issue> {
    let t = check_text(s)?;
    if t.is_empty() {
        return Err(issue(
            "service_account.empty",
            "The service account is empty.",
            ACCOUNT_HINT,
        ));
    }
    if t.contains('=') && (!t.contains('@') || t.contains(',')) {
        let dn = parse_dn(t).map_err(|why| {
            issue(
                "service_account.format",
                format!("This is not a valid distinguished name: {why}."),
                ACCOUNT_HINT,
            )
        })?;
        if dn.len() < 2 {
            return Err(issue(
                "service_account.format",
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
            return Err(issue("service_account.netbios_domain", format!("“{}” is not a valid NetBIOS domain name.", shown(domain)),
                "The domain part of DOMAIN\\user has at most 15 characters, without dots or spaces, such as EXAMPLE\\svc-h2r."));
        }
        if user.is_empty()
            || user.chars().count() > 20
            || user.ends_with('.')
            || user.chars().any(|c| "\"/\\[]:;|=,+*?<>@()".contains(c))
        {
            return Err(issue("service_account.sam_account_name", format!("“{}” is not a valid pre-Windows 2000 user name.", shown(user)),
                "The user part of DOMAIN\\user has at most 20 characters and none of \" / \\ [ ] : ; | = , + * ? < > @."));
        }
        return Ok(t.to_string());
    }
    if t.contains('@') {
        return check_upn(t).map_err(|i| Issue {
            code: match i.code {
                "upn.lookalike" => "service_account.lookalike",
                "upn.invalid_character" => "service_account.invalid_character",
                _ => "service_account.format",
            },
            hint: ACCOUNT_HINT.into(),
            ..i
        });
    }
    Err(issue(
        "service_account.format",
        format!("“{}” is not an account name AD can bind with.", shown(t)),
        ACCOUNT_HINT,
    ))
}

// ---------------------------------------------------------------------------------------------
// Microsoft identifiers

/// A GUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex, any case), not the nil GUID.
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
pub fn check_client_id(s: &str) -> Result<String, Issue> {
    let t = check_text(s)?;
    let hint = "Copy the Application (client) ID from the app registration's Overview blade in the Entra admin center; it looks like 00000000-0000-0000-0000-000000000000 with hex digits.";
    if t.is_empty() {
        return Err(issue("client_id.empty", "The client ID is empty.", hint));
    }
    let u = t.trim_start_matches('{').trim_end_matches('}');
    if !is_guid(u) {
        return Err(issue(
            "client_id.format",
            format!("“{}” is not a GUID.", shown(t)),
            hint,
        ));
    }
    if u.bytes().all(|c| c == b'0' || c == b'-') {
        return Err(issue("client_id.nil", "The client ID is all zeros.", hint));
    }
    Ok(u.to_ascii_lowercase())
}

/// A tenant: its ID (GUID) or one of its verified domains.
pub fn check_tenant_id(s: &str) -> Result<String, Issue> {
    let t = check_text(s)?;
    let hint = "Copy the Directory (tenant) ID from the app registration's Overview blade, or enter a verified domain of the tenant such as contoso.onmicrosoft.com.";
    if t.is_empty() {
        return Err(issue("tenant_id.empty", "The tenant ID is empty.", hint));
    }
    let lower = t.to_ascii_lowercase();
    if ["common", "organizations", "consumers"].contains(&lower.as_str()) {
        return Err(issue(
            "tenant_id.not_specific",
            format!("“{t}” is not one tenant."),
            "Hire2Retire connects to one directory: enter its tenant ID or a verified domain.",
        ));
    }
    let u = t.trim_start_matches('{').trim_end_matches('}');
    if is_guid(u) {
        if u.bytes().all(|c| c == b'0' || c == b'-') {
            return Err(issue("tenant_id.nil", "The tenant ID is all zeros.", hint));
        }
        return Ok(u.to_ascii_lowercase());
    }
    if t.len() >= 30 && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(issue(
            "tenant_id.format",
            format!("“{}” is not a complete GUID.", shown(t)),
            hint,
        ));
    }
    if !t.contains('.') {
        return Err(issue(
            "tenant_id.format",
            format!(
                "“{}” is neither a tenant ID (GUID) nor a domain name.",
                shown(t)
            ),
            hint,
        ));
    }
    check_dns_name(t, "domain").map_err(|i| Issue {
        code: if i.code == "domain.lookalike" {
            "tenant_id.lookalike"
        } else {
            "tenant_id.format"
        },
        hint: hint.into(),
        ..i
    })
}

/// A leaf certificate pin: SHA-256 as `AB:CD:…` (OpenSSL's form) or 64 hex digits.
pub fn check_pin(s: &str) -> Result<String, Issue> {
    let t = check_text(s)?;
    let hex: String = t
        .trim_start_matches("sha256 Fingerprint=")
        .trim_start_matches("SHA256 Fingerprint=")
        .chars()
        .filter(|c| *c != ':')
        .collect();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(issue("tls.pin_format", "The pinned fingerprint is not a SHA-256 fingerprint.",
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

// ---------------------------------------------------------------------------------------------
// Profiles

fn validate_name_field(obj: &Map<String, Value>, field: &str, c: &mut Collector) -> Option<String> {
    match obj.get("name") {
        None | Some(Value::Null) => {
            c.err(
                field,
                issue(
                    "name.empty",
                    "The connection name is empty.",
                    "Enter a name such as “Connection-OnPremise Service”.",
                ),
            );
            None
        }
        Some(Value::String(s)) => check_name(s).map_err(|i| c.err(field, i)).ok(),
        Some(_) => {
            c.err(
                field,
                issue(
                    "field.not_text",
                    "The connection name must be text.",
                    "Enter it as a quoted string.",
                ),
            );
            None
        }
    }
}

fn validate_hybrid(obj: &Map<String, Value>, c: &mut Collector) -> Value {
    unknown_fields(
        obj,
        "",
        &[
            "kind",
            "name",
            "domain_controllers",
            "service_account",
            "exchange_online",
            "agent_key",
            "agent_folder",
        ],
        c,
    );
    let mut out = obj.clone();
    if let Some(n) = validate_name_field(obj, "name", c) {
        out.insert("name".into(), Value::String(n));
    }
    match obj.get("domain_controllers") {
        Some(Value::Array(dcs)) if !dcs.is_empty() => {
            if dcs.len() > MAX_DOMAIN_CONTROLLERS {
                c.err("domain_controllers", issue("domain_controllers.too_many",
                    format!("{} domain controllers are listed; at most {MAX_DOMAIN_CONTROLLERS} are supported.", dcs.len()),
                    "List the domain controllers of the domains Hire2Retire provisions; alternatives of one DC go in its host list."));
            } else {
                let mut seen_hosts: Vec<(String, usize)> = Vec::new();
                let normalised: Vec<Value> = dcs
                    .iter()
                    .enumerate()
                    .map(|(i, dc)| validate_dc(dc, i, &mut seen_hosts, c))
                    .collect();
                out.insert("domain_controllers".into(), Value::Array(normalised));
            }
        }
        Some(Value::Array(_)) | None | Some(Value::Null) => c.err(
            "domain_controllers",
            issue(
                "domain_controllers.empty",
                "No domain controller is listed.",
                "Add at least one domain controller with its host, port and Base DN.",
            ),
        ),
        Some(_) => c.err(
            "domain_controllers",
            issue(
                "domain_controllers.invalid",
                "domain_controllers must be a list.",
                "See docs/connection-profile.md.",
            ),
        ),
    }
    match obj.get("service_account") {
        Some(Value::String(s)) => match check_service_account(s) {
            Ok(t) => {
                out.insert("service_account".into(), Value::String(t));
            }
            Err(i) => c.err("service_account", i),
        },
        None | Some(Value::Null) => c.err(
            "service_account",
            issue(
                "service_account.empty",
                "The service account is empty.",
                ACCOUNT_HINT,
            ),
        ),
        Some(_) => c.err(
            "service_account",
            issue(
                "field.not_text",
                "The service account must be text.",
                ACCOUNT_HINT,
            ),
        ),
    }
    validate_exchange(obj, &mut out, c);
    if let Some(folder) = obj.get("agent_folder") {
        if let Value::String(f) = folder {
            if let Err(i) = check_text(f) {
                c.err("agent_folder", i);
            }
        } else if !folder.is_null() {
            c.err(
                "agent_folder",
                issue(
                    "field.not_text",
                    "The agent folder must be a path.",
                    "See docs/connection-profile.md.",
                ),
            );
        }
    }
    Value::Object(out)
}

fn validate_dc(dc: &Value, i: usize, seen: &mut Vec<(String, usize)>, c: &mut Collector) -> Value {
    let prefix = format!("domain_controllers[{i}]");
    let Value::Object(obj) = dc else {
        c.err(
            &prefix,
            issue(
                "domain_controller.invalid",
                "A domain controller entry must be an object.",
                "See docs/connection-profile.md.",
            ),
        );
        return dc.clone();
    };
    unknown_fields(obj, &prefix, &["hosts", "port", "base_dn", "tls"], c);
    let mut out = obj.clone();
    let hosts_field = format!("{prefix}.hosts");
    let entries: Option<Vec<String>> = match obj.get("hosts") {
        Some(Value::String(s)) => match check_text(s) {
            Ok(_) => Some(crate::profile::split_hosts(s)),
            Err(e) => {
                c.err(&hosts_field, e);
                None
            }
        },
        Some(Value::Array(items)) => {
            let mut v = Vec::new();
            for (j, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => v.push(s.trim().to_string()),
                    _ => c.err(
                        &format!("{hosts_field}[{j}]"),
                        issue(
                            "field.not_text",
                            "A host must be text.",
                            "Enter host names such as dc1.example.com.",
                        ),
                    ),
                }
            }
            Some(v)
        }
        None | Some(Value::Null) => Some(vec![]),
        Some(_) => {
            c.err(
                &hosts_field,
                issue(
                    "field.not_text",
                    "The hosts must be text.",
                    "Enter host names separated by commas.",
                ),
            );
            None
        }
    };
    if let Some(entries) = entries {
        if entries.is_empty() {
            c.err(&hosts_field, issue("hosts.empty", "No host is given for this domain controller.",
                "Enter the DC's host name, such as dc1.example.com; add alternative addresses of the same DC separated by commas."));
        } else if entries.len() > MAX_HOSTS_PER_DC {
            c.err(&hosts_field, issue("hosts.too_many", format!("{} hosts are given; at most {MAX_HOSTS_PER_DC} are supported per domain controller.", entries.len()),
                "Keep the alternative addresses of this one DC; other DCs get their own entry."));
        } else {
            let mut normalised = Vec::new();
            let mut local: Vec<String> = Vec::new();
            for (j, h) in entries.iter().enumerate() {
                let f = format!("{hosts_field}[{j}]");
                match check_host(h) {
                    Ok(kind) => {
                        let key = kind.key();
                        if local.contains(&key) {
                            c.err(
                                &f,
                                issue(
                                    "host.duplicate",
                                    format!("“{}” is listed twice.", shown(h)),
                                    "Remove the repeated host.",
                                ),
                            );
                        } else if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
                            c.warn(&f, issue("host.in_other_dc", format!("“{}” is also listed for domain controller {}.", shown(h), other + 1),
                                "The hosts of one entry are alternative addresses of the same DC; list each DC once."));
                        }
                        match &kind {
                            HostKind::Ipv4(_) | HostKind::Ipv6(_) => c.warn(&f, issue("host.ip_address",
                                format!("{} is an IP address: AD certificates rarely name IP addresses, so TLS name checks usually fail.", shown(h)),
                                "Prefer the DC's DNS name (the test connection step shows the name its certificate carries); to keep the IP address, pin the certificate on that step (trusting it by its fingerprint needs no name match), or have the certificate reissued with the IP address in it.")),
                            HostKind::Name(n) if !n.trim_end_matches('.').contains('.') => c.warn(&f, issue("host.single_label",
                                format!("“{}” is a short name.", shown(h)),
                                "Use the DC's fully qualified name, such as dc1.example.com: the certificate names the full name and the agent may resolve short names differently.")),
                            _ => {}
                        }
                        local.push(key.clone());
                        seen.push((key, i));
                        normalised.push(Value::String(h.trim().to_string()));
                    }
                    Err(e) => c.err(&f, e),
                }
            }
            out.insert("hosts".into(), Value::Array(normalised));
        }
    }
    let port_field = format!("{prefix}.port");
    match port_value(obj.get("port")) {
        Ok(p) => {
            match check_port(p) {
                Ok(Some(w)) => c.warn(&port_field, w),
                Ok(None) => {}
                Err(e) => c.err(&port_field, e),
            }
            out.insert("port".into(), Value::from(p));
        }
        Err(e) => c.err(&port_field, e),
    }
    let dn_field = format!("{prefix}.base_dn");
    match obj.get("base_dn") {
        Some(Value::String(s)) => match check_base_dn(s) {
            Ok((_, warn)) => {
                if let Some(w) = warn {
                    c.warn(&dn_field, w);
                }
                out.insert("base_dn".into(), Value::String(s.trim().to_string()));
            }
            Err(e) => c.err(&dn_field, e),
        },
        None | Some(Value::Null) => c.err(
            &dn_field,
            issue(
                "base_dn.empty",
                "The Base DN is empty.",
                format!("Write the Base DN in the form {EXAMPLE_DN}."),
            ),
        ),
        Some(_) => c.err(
            &dn_field,
            issue(
                "field.not_text",
                "The Base DN must be text.",
                format!("Write it in the form {EXAMPLE_DN}."),
            ),
        ),
    }
    if let Some(tls) = obj.get("tls") {
        let tls_field = format!("{prefix}.tls");
        match tls {
            Value::Object(t) => {
                unknown_fields(t, &tls_field, &["ca_file", "pin_sha256", "insecure"], c);
                let mut tout = t.clone();
                if let Some(pin) = text_field(
                    t,
                    "pin_sha256",
                    &format!("{tls_field}.pin_sha256"),
                    false,
                    c,
                ) {
                    match check_pin(&pin) {
                        Ok(p) => {
                            tout.insert("pin_sha256".into(), Value::String(p));
                        }
                        Err(e) => c.err(&format!("{tls_field}.pin_sha256"), e),
                    }
                }
                if let Some(ca) =
                    text_field(t, "ca_file", &format!("{tls_field}.ca_file"), false, c)
                {
                    if ca.is_empty() {
                        tout.remove("ca_file");
                    }
                }
                match t.get("insecure") {
                    Some(Value::Bool(true)) => c.warn(&format!("{tls_field}.insecure"), issue("tls.insecure",
                        "Certificate verification is turned off for this domain controller (insecure).",
                        "Anyone on the network path can impersonate the DC and read the service account password. Trust the CA file or pin the certificate instead.")),
                    Some(Value::Bool(false)) | None | Some(Value::Null) => {}
                    Some(_) => c.err(&format!("{tls_field}.insecure"), issue("field.not_boolean", "insecure must be true or false.", "Leave it out unless you mean it.")),
                }
                out.insert("tls".into(), Value::Object(tout));
            }
            Value::Null => {
                out.remove("tls");
            }
            _ => c.err(
                &tls_field,
                issue(
                    "tls.invalid",
                    "tls must be an object.",
                    "See docs/connection-profile.md.",
                ),
            ),
        }
    }
    Value::Object(out)
}

fn validate_exchange(obj: &Map<String, Value>, out: &mut Map<String, Value>, c: &mut Collector) {
    match obj.get("exchange_online") {
        None | Some(Value::Null) => {
            out.remove("exchange_online");
        }
        Some(Value::Object(ex)) => {
            unknown_fields(ex, "exchange_online", &["name", "service_account"], c);
            let mut eout = ex.clone();
            if let Some(n) = validate_name_field(ex, "exchange_online.name", c) {
                eout.insert("name".into(), Value::String(n));
            }
            match ex.get("service_account") {
                Some(Value::String(s)) => match check_upn(s) {
                    Ok(t) => {
                        eout.insert("service_account".into(), Value::String(t));
                    }
                    Err(i) => c.err(
                        "exchange_online.service_account",
                        Issue {
                            code: exchange_code(i.code),
                            ..i
                        },
                    ),
                },
                _ => c.err(
                    "exchange_online.service_account",
                    issue(
                        "exchange_online.service_account_empty",
                        "The Exchange Online service account is empty.",
                        "Enter the account's UPN, such as svc-h2r@example.com.",
                    ),
                ),
            }
            out.insert("exchange_online".into(), Value::Object(eout));
        }
        Some(_) => c.err(
            "exchange_online",
            issue(
                "exchange_online.invalid",
                "exchange_online must be an object.",
                "See docs/connection-profile.md.",
            ),
        ),
    }
}

fn exchange_code(upn_code: &'static str) -> &'static str {
    match upn_code {
        "upn.empty" => "exchange_online.service_account_empty",
        "upn.lookalike" => "exchange_online.service_account_lookalike",
        _ => "exchange_online.service_account_format",
    }
}

fn validate_azure(obj: &Map<String, Value>, c: &mut Collector) -> Value {
    unknown_fields(
        obj,
        "",
        &["kind", "name", "application", "exchange_online"],
        c,
    );
    let mut out = obj.clone();
    if let Some(n) = validate_name_field(obj, "name", c) {
        out.insert("name".into(), Value::String(n));
    }
    match obj.get("application") {
        Some(Value::Object(app)) => {
            unknown_fields(app, "application", &["kind", "cloud", "client_id", "tenant_id", "certificate"], c);
            let mut aout = app.clone();
            let kind = match app.get("kind").and_then(Value::as_str) {
                Some(k @ ("service-provider" | "customer-owned")) => Some(k),
                _ => {
                    c.err("application.kind", issue("application.kind", "Choose the kind of application.",
                        "Service Provider Application (sign in, Hire2Retire's app) or Customer Owned Application (your own app registration)."));
                    None
                }
            };
            match app.get("cloud") {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if ["global", "usgov-high", "usgov-dod", "china"].contains(&s.as_str()) => {}
                Some(_) => c.err("application.cloud", issue("application.cloud", "This is not a Microsoft cloud the wizard knows.",
                    "Choose global, usgov-high (GCC High), usgov-dod (DoD) or china (21Vianet).")),
            }
            let required = kind == Some("customer-owned");
            if let Some(id) = text_field(app, "client_id", "application.client_id", required, c) {
                if id.is_empty() && !required {
                    aout.remove("client_id");
                } else {
                    match check_client_id(&id) {
                        Ok(v) => {
                            aout.insert("client_id".into(), Value::String(v));
                        }
                        Err(e) => c.err("application.client_id", e),
                    }
                }
            }
            if let Some(t) = text_field(app, "tenant_id", "application.tenant_id", required, c) {
                if t.is_empty() && !required {
                    aout.remove("tenant_id");
                } else {
                    match check_tenant_id(&t) {
                        Ok(v) => {
                            aout.insert("tenant_id".into(), Value::String(v));
                        }
                        Err(e) => c.err("application.tenant_id", e),
                    }
                }
            }
            out.insert("application".into(), Value::Object(aout));
        }
        _ => c.err("application.kind", issue("application.kind", "Choose the kind of application.",
            "Service Provider Application (sign in, Hire2Retire's app) or Customer Owned Application (your own app registration).")),
    }
    validate_exchange(obj, &mut out, c);
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_issue_example_is_valid() {
        let r = validate_value(
            &json!({"kind": "hybrid-onprem", "name": "Connection-OnPremise Service",
            "domain_controllers": [{"hosts": ["dc1.example.com", "10.0.0.5"], "port": 636, "base_dn": "DC=example,DC=com"}],
            "service_account": "svc-h2r@example.com"}),
        );
        assert!(r.ok, "{r:?}");
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].code, "host.ip_address");
        assert_eq!(r.warnings[0].field, "domain_controllers[0].hosts[1]");
    }

    #[test]
    fn draft_strings_are_normalised() {
        let r = validate_value(&json!({"kind": "hybrid-onprem", "name": " X ",
            "domain_controllers": [{"hosts": " dc1.example.com , dc2.example.com", "port": "636", "base_dn": "DC=example, DC=com"}],
            "service_account": "EXAMPLE\\svc"}));
        assert!(r.ok, "{r:?}");
        let Some(Connection::HybridOnprem(h)) = r.connection else {
            panic!()
        };
        assert_eq!(h.name, "X");
        assert_eq!(
            h.domain_controllers[0].hosts,
            ["dc1.example.com", "dc2.example.com"]
        );
    }

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
