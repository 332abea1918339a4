//! The walk of an On-Premise draft: name, domain controllers (hosts, port, Base DN, TLS
//! trust), the service account, Exchange Online and the agent's saved facts.

use super::*;

fn port_value(v: Option<&Port>) -> Result<u16, ValidationError> {
    let out_of_range = |shown_v: String| {
        issue(
            Code::PortOutOfRange,
            format!("{shown_v} is not a port number between 1 and 65535."),
            "LDAPS uses port 636.",
        )
    };
    match v {
        None => Ok(LDAPS_PORT),
        Some(Port::Number(n)) => match n.as_u64() {
            Some(p) if (1..=65535).contains(&p) => Ok(p as u16),
            _ => Err(out_of_range(n.to_string())),
        },
        Some(Port::Text(s)) => {
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
        Some(Port::Other(_)) => Err(issue(
            Code::PortNotANumber,
            "The port must be a number.",
            "Enter a port number such as 636.",
        )),
    }
}

pub(super) fn validate_hybrid(d: &DraftFields, c: &mut Collector) -> HybridParts {
    top_level_fields(
        d,
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
    let name = validate_name_field(d.name.as_ref(), "name", c);
    let domain_controllers = match &d.domain_controllers {
        Some(Loose::Typed(dcs)) if !dcs.is_empty() => {
            if dcs.len() > MAX_DOMAIN_CONTROLLERS {
                c.err("domain_controllers", issue(Code::DomainControllersTooMany,
                    format!("{} domain controllers are listed; at most {MAX_DOMAIN_CONTROLLERS} are supported.", dcs.len()),
                    "List the domain controllers of the domains Hire2Retire provisions; alternatives of one DC go in its host list."));
                None
            } else {
                let mut seen_hosts: Vec<(String, usize)> = Vec::new();
                let checked: Vec<Option<DomainController>> = dcs
                    .iter()
                    .enumerate()
                    .map(|(i, dc)| validate_dc(dc, i, &mut seen_hosts, c))
                    .collect();
                checked.into_iter().collect()
            }
        }
        Some(Loose::Typed(_)) | None => {
            c.err(
                "domain_controllers",
                issue(
                    Code::DomainControllersEmpty,
                    "No domain controller is listed.",
                    "Add at least one domain controller with its host, port and Base DN.",
                ),
            );
            None
        }
        Some(Loose::Other(_)) => {
            c.err(
                "domain_controllers",
                issue(
                    Code::DomainControllersInvalid,
                    "domain_controllers must be a list.",
                    "See docs/connection-profile.md.",
                ),
            );
            None
        }
    };
    let service_account = match &d.service_account {
        Some(Loose::Typed(s)) => check_service_account(s)
            .map_err(|i| c.err("service_account", i))
            .ok(),
        None => {
            c.err(
                "service_account",
                issue(
                    Code::ServiceAccountEmpty,
                    "The service account is empty.",
                    ACCOUNT_HINT,
                ),
            );
            None
        }
        Some(Loose::Other(_)) => {
            c.err(
                "service_account",
                issue(
                    Code::FieldNotText,
                    "The service account must be text.",
                    ACCOUNT_HINT,
                ),
            );
            None
        }
    };
    let exchange_online = validate_exchange(d.exchange_online.as_ref(), c);
    let agent_folder = match &d.agent_folder {
        None => Some(None),
        Some(Loose::Typed(f)) => match check_text(f) {
            Ok(_) => Some(Some(PathBuf::from(f))),
            Err(i) => {
                c.err("agent_folder", i);
                None
            }
        },
        Some(Loose::Other(_)) => {
            c.err(
                "agent_folder",
                issue(
                    Code::FieldNotText,
                    "The agent folder must be a path.",
                    "See docs/connection-profile.md.",
                ),
            );
            None
        }
    };
    let agent_key = saved_part(d.agent_key.as_ref(), "agent_key", c);
    HybridParts {
        name,
        domain_controllers,
        service_account,
        exchange_online,
        agent_key,
        agent_folder,
    }
}

fn validate_dc(
    dc: &Loose<DomainControllerDraft>,
    i: usize,
    seen: &mut Vec<(String, usize)>,
    c: &mut Collector,
) -> Option<DomainController> {
    let prefix = format!("domain_controllers[{i}]");
    let Loose::Typed(d) = dc else {
        c.err(
            &prefix,
            issue(
                Code::DomainControllerInvalid,
                "A domain controller entry must be an object.",
                "See docs/connection-profile.md.",
            ),
        );
        return None;
    };
    unknown_fields(&d.unknown, &prefix, &["hosts", "port", "base_dn", "tls"], c);
    let hosts = validate_hosts(d.hosts.as_ref(), &format!("{prefix}.hosts"), i, seen, c);
    let port_field = format!("{prefix}.port");
    let port = match port_value(d.port.as_ref()) {
        Ok(p) => match check_port(p) {
            Ok(warning) => {
                if let Some(w) = warning {
                    c.warn(&port_field, w);
                }
                Some(p)
            }
            Err(e) => {
                c.err(&port_field, e);
                None
            }
        },
        Err(e) => {
            c.err(&port_field, e);
            None
        }
    };
    let dn_field = format!("{prefix}.base_dn");
    let base_dn = match &d.base_dn {
        Some(Loose::Typed(s)) => match check_base_dn(s) {
            Ok((_, warn)) => {
                if let Some(w) = warn {
                    c.warn(&dn_field, w);
                }
                Some(s.trim().to_string())
            }
            Err(e) => {
                c.err(&dn_field, e);
                None
            }
        },
        None => {
            c.err(
                &dn_field,
                issue(
                    Code::BaseDnEmpty,
                    "The Base DN is empty.",
                    format!("Write the Base DN in the form {EXAMPLE_DN}."),
                ),
            );
            None
        }
        Some(Loose::Other(_)) => {
            c.err(
                &dn_field,
                issue(
                    Code::FieldNotText,
                    "The Base DN must be text.",
                    format!("Write it in the form {EXAMPLE_DN}."),
                ),
            );
            None
        }
    };
    let tls = validate_tls(d.tls.as_ref(), &format!("{prefix}.tls"), c);
    Some(DomainController {
        hosts: hosts?,
        port: port?,
        base_dn: base_dn?,
        tls: tls?,
    })
}

/// The hosts of domain controller `i`: alternative addresses of the one DC, each checked, none
/// twice; a host also listed for an earlier DC is a warning.
fn validate_hosts(
    hosts: Option<&Hosts>,
    field: &str,
    i: usize,
    seen: &mut Vec<(String, usize)>,
    c: &mut Collector,
) -> Option<Vec<String>> {
    let entries: Vec<(usize, String)> = match hosts {
        Some(Hosts::Text(s)) => match check_text(s) {
            Ok(_) => crate::profile::split_hosts(s)
                .into_iter()
                .enumerate()
                .collect(),
            Err(e) => {
                c.err(field, e);
                return None;
            }
        },
        Some(Hosts::List(items)) => {
            let mut texts = Vec::new();
            for (j, item) in items.iter().enumerate() {
                match item {
                    Loose::Typed(s) => texts.push((j, s.trim().to_string())),
                    Loose::Other(_) => c.err(
                        &format!("{field}[{j}]"),
                        issue(
                            Code::FieldNotText,
                            "A host must be text.",
                            "Enter host names such as dc1.example.com.",
                        ),
                    ),
                }
            }
            // The text entries are still checked, each at its own index.
            let checked = check_entries(&texts, items.len(), field, i, seen, c);
            return checked.filter(|h| h.len() == items.len());
        }
        None => vec![],
        Some(Hosts::Other(_)) => {
            c.err(
                field,
                issue(
                    Code::FieldNotText,
                    "The hosts must be text.",
                    "Enter host names separated by commas.",
                ),
            );
            return None;
        }
    };
    check_entries(&entries, entries.len(), field, i, seen, c)
}

/// `entries`: the text hosts with their index in the list of `count`.
fn check_entries(
    entries: &[(usize, String)],
    count: usize,
    field: &str,
    i: usize,
    seen: &mut Vec<(String, usize)>,
    c: &mut Collector,
) -> Option<Vec<String>> {
    if count == 0 {
        c.err(field, issue(Code::HostsEmpty, "No host is given for this domain controller.",
            "Enter the DC's host name, such as dc1.example.com; add alternative addresses of the same DC separated by commas."));
        return None;
    }
    if count > MAX_HOSTS_PER_DC {
        c.err(field, issue(Code::HostsTooMany, format!("{count} hosts are given; at most {MAX_HOSTS_PER_DC} are supported per domain controller."),
            "Keep the alternative addresses of this one DC; other DCs get their own entry."));
        return None;
    }
    let mut normalised = Vec::new();
    let mut ok = true;
    let mut local: Vec<String> = Vec::new();
    for (j, h) in entries {
        let f = format!("{field}[{j}]");
        match check_host(h) {
            Ok(kind) => {
                let key = kind.key();
                if local.contains(&key) {
                    ok = false;
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
                normalised.push(h.trim().to_string());
            }
            Err(e) => {
                ok = false;
                c.err(&f, e)
            }
        }
    }
    ok.then_some(normalised)
}

fn validate_tls(tls: Option<&Loose<TlsDraft>>, field: &str, c: &mut Collector) -> Option<TlsTrust> {
    let t = match tls {
        None => return Some(TlsTrust::System),
        Some(Loose::Typed(t)) => t,
        Some(Loose::Other(_)) => {
            c.err(
                field,
                issue(
                    Code::TlsInvalid,
                    "tls must be an object.",
                    "See docs/connection-profile.md.",
                ),
            );
            return None;
        }
    };
    unknown_fields(&t.unknown, field, &["ca_file", "pin_sha256", "insecure"], c);
    let mut ok = true;
    let pin_field = format!("{field}.pin_sha256");
    let pin = match text_field(t.pin_sha256.as_ref(), "pin_sha256", &pin_field, false, c) {
        Some(pin) => match check_pin(&pin) {
            Ok(p) => Some(p),
            Err(e) => {
                c.err(&pin_field, e);
                ok = false;
                None
            }
        },
        // Absent, or reported.
        None => {
            ok &= t.pin_sha256.is_none();
            None
        }
    };
    let ca_field = format!("{field}.ca_file");
    let ca_file = match text_field(t.ca_file.as_ref(), "ca_file", &ca_field, false, c) {
        Some(ca) if ca.is_empty() => None,
        // A path is kept exactly as given (as `agent_folder` is); only a blank one is absent.
        Some(_) => t.ca_file.as_ref().and_then(Loose::typed).map(PathBuf::from),
        None => {
            ok &= t.ca_file.is_none();
            None
        }
    };
    let insecure = match &t.insecure {
        Some(Loose::Typed(true)) => {
            c.warn(&format!("{field}.insecure"), issue(Code::TlsInsecure,
                "Certificate verification is turned off for this domain controller (insecure).",
                "Anyone on the network path can impersonate the DC and read the service account password. Trust the CA file or pin the certificate instead."));
            true
        }
        Some(Loose::Typed(false)) | None => false,
        Some(Loose::Other(_)) => {
            c.err(
                &format!("{field}.insecure"),
                issue(
                    Code::FieldNotBoolean,
                    "insecure must be true or false.",
                    "Leave it out unless you mean it.",
                ),
            );
            ok = false;
            false
        }
    };
    ok.then(|| TlsTrust::from_parts(ca_file, pin, insecure))
}
