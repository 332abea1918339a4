//! The walk over a [`Draft`]: every field is checked where it is, with its path, and turned
//! into its validated type. A part is `None` when it had an error; the connection (or the
//! part a step needs) is built from the parts only when its scope has no error.

use super::dn::EXAMPLE_DN;
use super::draft::{
    ApplicationDraft, DomainControllerDraft, Draft, DraftFields, ExchangeDraft, Hosts, Loose, Port,
    TlsDraft, Unknown,
};
use super::host::{check_host, check_port, HostKind};
use super::identifiers::{
    check_client_id, check_pin, check_service_account, check_tenant_id, check_upn, ACCOUNT_HINT,
};
use super::text::{check_name, check_text, shown};
use super::{
    check_base_dn, issue, Code, Collector, ValidationError, MAX_DOMAIN_CONTROLLERS,
    MAX_HOSTS_PER_DC,
};
use crate::profile::{
    AgentKey, Application, ApplicationKind, AzureConnection, CertificateInfo, Cloud, Connection,
    DomainController, ExchangeOnline, HybridConnection, TlsTrust, LDAPS_PORT,
};
use serde::Deserialize;
use serde_json::Value;
use std::path::PathBuf;

mod azure;
mod hybrid;

use azure::validate_azure;
use hybrid::validate_hybrid;

/// The validated parts of a draft, by kind.
pub enum Parts {
    /// Not an object, or no known kind.
    None,
    Hybrid(HybridParts),
    Azure(AzureParts),
}

/// Each part is `Some` when its fields had no error (`Some(None)`: an optional part left out).
pub struct HybridParts {
    name: Option<String>,
    pub(super) domain_controllers: Option<Vec<DomainController>>,
    pub(super) service_account: Option<String>,
    exchange_online: Option<Option<ExchangeOnline>>,
    agent_key: Option<Option<AgentKey>>,
    agent_folder: Option<Option<PathBuf>>,
}

pub struct AzureParts {
    name: Option<String>,
    application: Option<Application>,
    exchange_online: Option<Option<ExchangeOnline>>,
}

impl Parts {
    /// The whole connection, when every part is there.
    pub(super) fn connection(self) -> Option<Connection> {
        Some(match self {
            Parts::None => return None,
            Parts::Hybrid(p) => Connection::HybridOnprem(HybridConnection {
                name: p.name?,
                domain_controllers: p.domain_controllers?,
                service_account: p.service_account?,
                exchange_online: p.exchange_online?,
                agent_key: p.agent_key?,
                agent_folder: p.agent_folder?,
            }),
            Parts::Azure(p) => Connection::AzureAd(AzureConnection {
                name: p.name?,
                application: p.application?,
                exchange_online: p.exchange_online?,
            }),
        })
    }
}

/// Walk a draft: its problems (in `c`) and its validated parts.
pub(super) fn run(draft: &Draft, c: &mut Collector) -> Parts {
    match draft.fields() {
        Some(fields) => validate_object(fields, c),
        None => {
            c.err("", issue(Code::ProfileNotObject, "The connection profile is not a JSON object.",
                "A profile looks like {\"kind\": \"hybrid-onprem\", \"name\": ..., ...}; see docs/connection-profile.md."));
            Parts::None
        }
    }
}

fn validate_object(d: &DraftFields, c: &mut Collector) -> Parts {
    let kind = match &d.kind {
        Some(Loose::Typed(k)) => k.as_str(),
        Some(Loose::Other(_)) => {
            c.err(
                "kind",
                issue(
                    Code::KindInvalid,
                    "The connection kind must be text.",
                    KIND_HINT,
                ),
            );
            return Parts::None;
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
            return Parts::None;
        }
    };
    match kind {
        "hybrid-onprem" => Parts::Hybrid(validate_hybrid(d, c)),
        "azure-ad" => Parts::Azure(validate_azure(d, c)),
        other => {
            c.err(
                "kind",
                issue(
                    Code::KindUnknown,
                    format!("“{}” is not a connection kind.", shown(other)),
                    KIND_HINT,
                ),
            );
            Parts::None
        }
    }
}

const KIND_HINT: &str = "Use \"hybrid-onprem\" (On-Premise AD with Exchange Online) or \"azure-ad\" (Azure AD with Exchange Online).";

/// Report the names an object held that are not its fields (`known`): `unknown` are the names
/// of no field at all.
fn unknown_fields(unknown: &Unknown, prefix: &str, known: &[&str], c: &mut Collector) {
    report_not_fields(
        unknown.keys().map(String::as_str).collect(),
        prefix,
        known,
        c,
    );
}

/// The same for the top level, where a field of the other connection kind is also not a field
/// of this profile.
fn top_level_fields(d: &DraftFields, known: &[&str], c: &mut Collector) {
    let mut names: Vec<&str> = d
        .given()
        .into_iter()
        .filter(|k| !known.contains(k))
        .collect();
    names.extend(d.unknown.keys().map(String::as_str));
    report_not_fields(names, "", known, c);
}

fn report_not_fields(mut names: Vec<&str>, prefix: &str, known: &[&str], c: &mut Collector) {
    names.sort_unstable();
    for key in names {
        let field = if prefix.is_empty() {
            key.to_string()
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

/// Read a text field: must be a string (or absent when optional), within size, without
/// control or invisible characters. Returns the trimmed text.
fn text_field(
    v: Option<&Loose<String>>,
    key: &str,
    field: &str,
    required: bool,
    c: &mut Collector,
) -> Option<String> {
    match v {
        None => {
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
        Some(Loose::Typed(s)) => match check_text(s) {
            Ok(t) => Some(t.to_string()),
            Err(i) => {
                c.err(field, i);
                None
            }
        },
        Some(Loose::Other(_)) => {
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

fn validate_name_field(
    v: Option<&Loose<String>>,
    field: &str,
    c: &mut Collector,
) -> Option<String> {
    match v {
        None => {
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
        Some(Loose::Typed(s)) => check_name(s).map_err(|i| c.err(field, i)).ok(),
        Some(Loose::Other(_)) => {
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

/// A saved part with its own strict type (the agent key's or the certificate's public facts).
fn saved_part<T: for<'de> Deserialize<'de>>(
    v: Option<&Value>,
    field: &str,
    c: &mut Collector,
) -> Option<Option<T>> {
    match v.map(T::deserialize).transpose() {
        Ok(t) => Some(t),
        Err(e) => {
            c.err(
                field,
                issue(
                    Code::ProfileMalformed,
                    format!("The connection profile could not be read: {e}."),
                    "Compare it with the examples in docs/connection-profile.md.",
                ),
            );
            None
        }
    }
}

fn validate_exchange(
    ex: Option<&Loose<ExchangeDraft>>,
    c: &mut Collector,
) -> Option<Option<ExchangeOnline>> {
    let ex = match ex {
        None => return Some(None),
        Some(Loose::Typed(ex)) => ex,
        Some(Loose::Other(_)) => {
            c.err(
                "exchange_online",
                issue(
                    Code::ExchangeOnlineInvalid,
                    "exchange_online must be an object.",
                    "See docs/connection-profile.md.",
                ),
            );
            return None;
        }
    };
    unknown_fields(
        &ex.unknown,
        "exchange_online",
        &["name", "service_account", "client_id"],
        c,
    );
    // Optional: empty means the default client application.
    let client_id = match &ex.client_id {
        None => Some(None),
        Some(Loose::Typed(s)) if s.trim().is_empty() => Some(None),
        Some(Loose::Typed(s)) => check_client_id(s)
            .map(Some)
            .map_err(|e| c.err("exchange_online.client_id", e))
            .ok(),
        Some(Loose::Other(_)) => {
            c.err(
                "exchange_online.client_id",
                issue(
                    Code::ClientIdFormat,
                    "The client application ID must be text.",
                    "Enter the application (client) ID as a GUID, or leave it empty for the default.",
                ),
            );
            None
        }
    };
    let name = validate_name_field(ex.name.as_ref(), "exchange_online.name", c);
    let service_account = match &ex.service_account {
        Some(Loose::Typed(s)) => check_upn(s)
            .map_err(|i| {
                c.err(
                    "exchange_online.service_account",
                    ValidationError {
                        code: exchange_code(i.code),
                        ..i
                    },
                )
            })
            .ok(),
        _ => {
            c.err(
                "exchange_online.service_account",
                issue(
                    Code::ExchangeOnlineServiceAccountEmpty,
                    "The Exchange Online service account is empty.",
                    "Enter the account's UPN, such as svc-h2r@example.com.",
                ),
            );
            None
        }
    };
    Some(Some(ExchangeOnline {
        name: name?,
        service_account: service_account?,
        client_id: client_id?,
    }))
}

fn exchange_code(upn_code: Code) -> Code {
    match upn_code {
        Code::UpnEmpty => Code::ExchangeOnlineServiceAccountEmpty,
        Code::UpnLookalike => Code::ExchangeOnlineServiceAccountLookalike,
        _ => Code::ExchangeOnlineServiceAccountFormat,
    }
}
