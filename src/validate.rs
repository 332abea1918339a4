//! Field-level validation of connection profiles.
//!
//! Every problem names its field (a path such as `domain_controllers[0].hosts[1]`), carries a
//! stable code (`host.has_port`, `port.plain_ldap`, ...), one plain sentence and a hint.
//! Errors block; warnings are returned beside them and never block.
//!
//! Two types, as ripgrep's `LowArgs` → `HiArgs`: a lenient [`Draft`] holds what the wizard's
//! form or a saved file holds (a comma-separated host list, a port as text, a field of the wrong
//! type) and reading one never fails; [`Draft::validate`] is the one way from it to a validated
//! type for a [`Scope`], a [`Connection`] or the [`LdapTarget`] of the LDAPS check, with every
//! problem at its field instead of one opaque parse error. The window, the CLI and saved
//! settings all go through it.

pub mod codes;
mod dn;
mod draft;
mod host;
mod identifiers;
mod text;
mod walk;

pub use codes::{samples, Code, ALL_CODES};
pub use dn::{check_base_dn, parse_dn, Ava, Dn};
pub use draft::{
    ApplicationDraft, DomainControllerDraft, Draft, DraftFields, ExchangeDraft, Hosts, Loose, Port,
    TlsDraft,
};
pub use host::{check_dns_name, check_host, check_port, HostKind, NameArea};
pub use identifiers::{
    check_client_id, check_pin, check_service_account, check_tenant_id, check_upn, is_guid,
};
pub use text::{check_name, check_text};

use crate::error::{Diagnostic, ErrorClass};
use crate::profile::Connection;
use crate::Problem;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Longest connection / Exchange connection name, in characters.
pub const MAX_NAME_CHARS: usize = 128;
/// Longest value of any text field, in bytes, checked before anything else is done with it.
pub const MAX_FIELD_BYTES: usize = 2048;
/// Most domain controllers in one connection.
pub const MAX_DOMAIN_CONTROLLERS: usize = 32;
/// Most hosts of one domain controller.
pub const MAX_HOSTS_PER_DC: usize = 16;

/// The result of validating a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// True when there is no error (warnings allowed).
    pub ok: bool,
    /// Each names its field (`Problem::field`; empty for the draft as a whole).
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// The normalised profile, present only when `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<Connection>,
}

impl ValidationReport {
    /// Errors for one field (exact path or any sub-path such as `field[2]`).
    pub fn errors_for(&self, field: &str) -> Vec<&Problem> {
        self.errors
            .iter()
            .filter(|e| field_matches(e.field(), field))
            .collect()
    }
    pub fn warnings_for(&self, field: &str) -> Vec<&Problem> {
        self.warnings
            .iter()
            .filter(|e| field_matches(e.field(), field))
            .collect()
    }
}

pub(crate) fn field_matches(path: &str, field: &str) -> bool {
    path == field
        || (path.starts_with(field)
            && matches!(path.as_bytes().get(field.len()), Some(b'[') | Some(b'.')))
}

/// The validation area's typed error, as `KeyError` is the keys area's: what a single-value
/// check (`check_host`, `check_upn`, ...) returns, with its typed [`Code`] so callers can refine
/// it without comparing strings. It becomes the one error shape, a [`Problem`], with its field
/// when the walk collects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub code: Code,
    pub message: String,
    pub hint: String,
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValidationError {}

impl Diagnostic for ValidationError {
    fn code(&self) -> &'static str {
        self.code.as_str()
    }
    fn hint(&self) -> String {
        self.hint.clone()
    }
    fn class(&self) -> ErrorClass {
        ErrorClass::Input
    }
}

impl ValidationError {
    /// The [`Problem`] for `field`.
    pub fn at(&self, field: &str) -> Problem {
        self.to_problem().at(field)
    }
}

pub(crate) fn issue(
    code: Code,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> ValidationError {
    ValidationError {
        code,
        message: message.into(),
        hint: hint.into(),
    }
}

/// Gathers the errors and warnings of one validation, each with its field.
#[derive(Default)]
pub(crate) struct Collector {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Collector {
    pub(crate) fn err(&mut self, field: &str, e: ValidationError) {
        self.errors.push(e.at(field));
    }
    pub(crate) fn warn(&mut self, field: &str, e: ValidationError) {
        self.warnings.push(e.at(field));
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points

impl Draft {
    /// The whole draft's problems (errors and warnings, each at its field) and, when there is
    /// no error, the validated connection: what the form shows and `h2r-setup validate` prints.
    pub fn report(&self) -> ValidationReport {
        let (connection, errors, warnings) = self.scoped::<Connection>();
        ValidationReport {
            ok: errors.is_empty(),
            errors,
            warnings,
            connection,
        }
    }

    /// The one way from a draft to what a step needs (a [`Scope`]): the whole [`Connection`]
    /// (save, create, hand-off) or the [`LdapTarget`] of the live LDAPS check, which runs before
    /// the later steps are filled in. Only errors within the scope block; `Err` carries them,
    /// with the scope's warnings, each at its field.
    pub fn validate<T: Scope>(&self) -> Result<T, Box<ValidationReport>> {
        match self.scoped::<T>() {
            (Some(t), _, _) => Ok(t),
            (None, errors, warnings) => Err(Box::new(ValidationReport {
                ok: false,
                errors,
                warnings,
                connection: None,
            })),
        }
    }

    /// One walk for a scope: the value when the scope has no error, its errors, its warnings.
    fn scoped<T: Scope>(&self) -> (Option<T>, Vec<Problem>, Vec<Problem>) {
        let mut c = Collector::default();
        let parts = walk::run(self, &mut c);
        let (mut errors, mut warnings) = (c.errors, c.warnings);
        errors.retain(|e| T::covers(e.field()));
        warnings.retain(|e| T::covers(e.field()));
        if !errors.is_empty() {
            return (None, errors, warnings);
        }
        match T::build(parts) {
            Ok(t) => (Some(t), errors, warnings),
            Err(e) => (None, vec![e], warnings),
        }
    }
}

/// What a step can ask of a draft ([`Draft::validate`]): [`Connection`] or [`LdapTarget`].
pub trait Scope: Sized + sealed::Sealed {
    /// Whether a problem at `field` blocks this scope.
    fn covers(field: &str) -> bool;
    /// Built from a walk that found no error in the scope.
    #[doc(hidden)]
    fn build(parts: walk::Parts) -> Result<Self, Problem>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::profile::Connection {}
    impl Sealed for super::LdapTarget {}
}

fn unreadable(field: &str) -> Problem {
    issue(
        Code::ProfileMalformed,
        "The connection profile could not be read.",
        "Compare it with the examples in docs/connection-profile.md.",
    )
    .at(field)
}

impl Scope for Connection {
    fn covers(_: &str) -> bool {
        true
    }
    fn build(parts: walk::Parts) -> Result<Self, Problem> {
        parts.connection().ok_or_else(|| unreadable(""))
    }
}

/// The part of a hybrid connection the LDAPS check needs, validated by the same rules as a
/// whole connection (hosts split, port checked, DNs and accounts trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LdapTarget {
    pub domain_controllers: Vec<crate::profile::DomainController>,
    pub service_account: String,
}

impl Scope for LdapTarget {
    fn covers(field: &str) -> bool {
        field == "kind"
            || field_matches(field, "domain_controllers")
            || field_matches(field, "service_account")
    }
    /// An Azure AD draft is an error of `kind`.
    fn build(parts: walk::Parts) -> Result<Self, Problem> {
        match parts {
            walk::Parts::Hybrid(h) => match (h.domain_controllers, h.service_account) {
                (Some(domain_controllers), Some(service_account)) => Ok(LdapTarget {
                    domain_controllers,
                    service_account,
                }),
                _ => Err(unreadable("domain_controllers")),
            },
            _ => Err(issue(
                Code::KindNoDomainControllers,
                "Only an On-Premise connection has domain controllers to check.",
                "Choose Hybrid On-Premise on the first step.",
            )
            .at("kind")),
        }
    }
}

/// Validate a profile given as JSON (a saved file or the wizard's draft form): the whole
/// [`Draft::report`].
pub fn validate_value(value: &Value) -> ValidationReport {
    Draft::from_json(value).report()
}

/// Validate a typed profile (e.g. one loaded from settings).
pub fn validate_connection(connection: &Connection) -> ValidationReport {
    validate_value(&serde_json::to_value(connection).expect("profiles serialise"))
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
        assert_eq!(r.warnings[0].field(), "domain_controllers[0].hosts[1]");
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
}
