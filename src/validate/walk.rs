//! The walk over a profile given as JSON (a saved file or the wizard's draft): every field is
//! checked where it is, with its path, and normalised into a value [`Connection`] reads.

use super::dn::EXAMPLE_DN;
use super::host::{check_host, check_port, HostKind};
use super::identifiers::{
    check_client_id, check_pin, check_service_account, check_tenant_id, check_upn, ACCOUNT_HINT,
};
use super::text::{check_name, check_text, shown};
use super::{
    check_base_dn, issue, Code, Collector, ValidationError, ValidationReport,
    MAX_DOMAIN_CONTROLLERS, MAX_HOSTS_PER_DC,
};
use crate::profile::{Connection, LDAPS_PORT};
use serde::Deserialize;
use serde_json::{Map, Value};

pub(super) fn run(value: &Value) -> (ValidationReport, Option<Value>) {
    let mut c = Collector::default();
    let normalised = match value {
        Value::Object(obj) => validate_object(obj, &mut c),
        _ => {
            c.err("", issue(Code::ProfileNotObject, "The connection profile is not a JSON object.",
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
                Err(e) => report.errors.push(
                    issue(
                        Code::ProfileMalformed,
                        format!("The connection profile could not be read: {e}."),
                        "Compare it with the examples in docs/connection-profile.md.",
                    )
                    .at(""),
                ),
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
                    Code::KindInvalid,
                    "The connection kind must be text.",
                    KIND_HINT,
                ),
            );
            return None;
        }
        None => {
            c.err(
                "kind",
                issue(
                    Code::KindMissing,
                    "The connection kind is missing.",
                    KIND_HINT,
                ),
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
                    Code::KindUnknown,
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
                    Code::ProfileUnknownField,
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
                        Code::FieldMissing,
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
                    Code::FieldNotText,
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

fn port_value(v: Option<&Value>) -> Result<u16, ValidationError> {
    let out_of_range = |shown_v: String| {
        issue(
            Code::PortOutOfRange,
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
                    Code::PortMissing,
                    "The port is empty.",
                    "LDAPS uses port 636.",
                ));
            }
            if !t.chars().all(|c| c.is_ascii_digit()) {
                return Err(issue(
                    Code::PortNotANumber,
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
            Code::PortNotANumber,
            "The port must be a number.",
            "Enter a port number such as 636.",
        )),
    }
}

fn validate_name_field(obj: &Map<String, Value>, field: &str, c: &mut Collector) -> Option<String> {
    match obj.get("name") {
        None | Some(Value::Null) => {
            c.err(
                field,
                issue(
                    Code::NameEmpty,
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
                    Code::FieldNotText,
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
                c.err("domain_controllers", issue(Code::DomainControllersTooMany,
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
                Code::DomainControllersEmpty,
                "No domain controller is listed.",
                "Add at least one domain controller with its host, port and Base DN.",
            ),
        ),
        Some(_) => c.err(
            "domain_controllers",
            issue(
                Code::DomainControllersInvalid,
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
                Code::ServiceAccountEmpty,
                "The service account is empty.",
                ACCOUNT_HINT,
            ),
        ),
        Some(_) => c.err(
            "service_account",
            issue(
                Code::FieldNotText,
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
                    Code::FieldNotText,
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
                Code::DomainControllerInvalid,
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
                            Code::FieldNotText,
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
                    Code::FieldNotText,
                    "The hosts must be text.",
                    "Enter host names separated by commas.",
                ),
            );
            None
        }
    };
    if let Some(entries) = entries {
        if entries.is_empty() {
            c.err(&hosts_field, issue(Code::HostsEmpty, "No host is given for this domain controller.",
                "Enter the DC's host name, such as dc1.example.com; add alternative addresses of the same DC separated by commas."));
        } else if entries.len() > MAX_HOSTS_PER_DC {
            c.err(&hosts_field, issue(Code::HostsTooMany, format!("{} hosts are given; at most {MAX_HOSTS_PER_DC} are supported per domain controller.", entries.len()),
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
                                    Code::HostDuplicate,
                                    format!("“{}” is listed twice.", shown(h)),
                                    "Remove the repeated host.",
                                ),
                            );
                        } else if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
                            c.warn(&f, issue(Code::HostInOtherDc, format!("“{}” is also listed for domain controller {}.", shown(h), other + 1),
                                "The hosts of one entry are alternative addresses of the same DC; list each DC once."));
                        }
                        match &kind {
                            HostKind::Ipv4(_) | HostKind::Ipv6(_) => c.warn(&f, issue(Code::HostIpAddress,
                                format!("{} is an IP address: AD certificates rarely name IP addresses, so TLS name checks usually fail.", shown(h)),
                                "Prefer the DC's DNS name (the test connection step shows the name its certificate carries); to keep the IP address, pin the certificate on that step (trusting it by its fingerprint needs no name match), or have the certificate reissued with the IP address in it.")),
                            HostKind::Name(n) if !n.trim_end_matches('.').contains('.') => c.warn(&f, issue(Code::HostSingleLabel,
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
                Code::BaseDnEmpty,
                "The Base DN is empty.",
                format!("Write the Base DN in the form {EXAMPLE_DN}."),
            ),
        ),
        Some(_) => c.err(
            &dn_field,
            issue(
                Code::FieldNotText,
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
                    Some(Value::Bool(true)) => c.warn(&format!("{tls_field}.insecure"), issue(Code::TlsInsecure,
                        "Certificate verification is turned off for this domain controller (insecure).",
                        "Anyone on the network path can impersonate the DC and read the service account password. Trust the CA file or pin the certificate instead.")),
                    Some(Value::Bool(false)) | None | Some(Value::Null) => {}
                    Some(_) => c.err(&format!("{tls_field}.insecure"), issue(Code::FieldNotBoolean, "insecure must be true or false.", "Leave it out unless you mean it.")),
                }
                out.insert("tls".into(), Value::Object(tout));
            }
            Value::Null => {
                out.remove("tls");
            }
            _ => c.err(
                &tls_field,
                issue(
                    Code::TlsInvalid,
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
            unknown_fields(
                ex,
                "exchange_online",
                &["name", "service_account", "client_id"],
                c,
            );
            let mut eout = ex.clone();
            // Optional: empty means the default client application.
            match ex.get("client_id") {
                None | Some(Value::Null) => {
                    eout.remove("client_id");
                }
                Some(Value::String(s)) if s.trim().is_empty() => {
                    eout.remove("client_id");
                }
                Some(Value::String(s)) => match check_client_id(s) {
                    Ok(v) => {
                        eout.insert("client_id".into(), Value::String(v));
                    }
                    Err(e) => c.err("exchange_online.client_id", e),
                },
                Some(_) => c.err(
                    "exchange_online.client_id",
                    issue(
                        Code::ClientIdFormat,
                        "The client application ID must be text.",
                        "Enter the application (client) ID as a GUID, or leave it empty for the default.",
                    ),
                ),
            }
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
                        ValidationError {
                            code: exchange_code(i.code),
                            ..i
                        },
                    ),
                },
                _ => c.err(
                    "exchange_online.service_account",
                    issue(
                        Code::ExchangeOnlineServiceAccountEmpty,
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
                Code::ExchangeOnlineInvalid,
                "exchange_online must be an object.",
                "See docs/connection-profile.md.",
            ),
        ),
    }
}

fn exchange_code(upn_code: Code) -> Code {
    match upn_code {
        Code::UpnEmpty => Code::ExchangeOnlineServiceAccountEmpty,
        Code::UpnLookalike => Code::ExchangeOnlineServiceAccountLookalike,
        _ => Code::ExchangeOnlineServiceAccountFormat,
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
                    c.err("application.kind", issue(Code::ApplicationKind, "Choose the kind of application.",
                        "Service Provider Application (sign in, Hire2Retire's app) or Customer Owned Application (your own app registration)."));
                    None
                }
            };
            match app.get("cloud") {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if ["global", "usgov-high", "usgov-dod", "china"].contains(&s.as_str()) => {}
                Some(_) => c.err("application.cloud", issue(Code::ApplicationCloud, "This is not a Microsoft cloud the wizard knows.",
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
        _ => c.err("application.kind", issue(Code::ApplicationKind, "Choose the kind of application.",
            "Service Provider Application (sign in, Hire2Retire's app) or Customer Owned Application (your own app registration).")),
    }
    validate_exchange(obj, &mut out, c);
    Value::Object(out)
}
