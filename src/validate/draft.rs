//! The raw side of validation (ripgrep's `LowArgs`): what the wizard's form or a saved file
//! holds, read leniently into types. Reading never fails: a field may be missing, `null`, text
//! where a number belongs (the port as typed), a comma-separated host list, or the wrong JSON
//! type altogether ([`Loose::Other`]); names that are not fields are kept aside. The walk
//! (`walk.rs`) then names each problem at its field and builds the validated
//! [`Connection`](crate::profile::Connection) (the `HiArgs` side).

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};
use std::collections::BTreeMap;

/// A value of the expected type, or whatever JSON stood there instead (reported by the walk
/// as a field error, never as a parse error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Loose<T> {
    Typed(T),
    Other(Value),
}

impl<T> Loose<T> {
    pub fn typed(&self) -> Option<&T> {
        match self {
            Loose::Typed(t) => Some(t),
            Loose::Other(_) => None,
        }
    }
}

/// Names a draft object held that are not fields of it, with their values.
pub type Unknown = BTreeMap<String, Value>;

/// A connection draft. `Draft::from_json` takes any JSON; deserializing one never fails either.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Draft(pub(super) Loose<DraftFields>);

impl Draft {
    /// Read any JSON value as a draft (a value that is not an object is kept, and reported by
    /// validation as `profile.not_object`).
    pub fn from_json(value: &Value) -> Draft {
        Draft::deserialize(value).unwrap_or_else(|_| Draft(Loose::Other(value.clone())))
    }

    /// The fields of a draft that is an object.
    pub fn fields(&self) -> Option<&DraftFields> {
        self.0.typed()
    }
}

/// Every field either kind of connection has; the walk reports a field of the other kind as
/// not a field of this profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Loose<String>>,
    // Hybrid On-Premise
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_controllers: Option<Loose<Vec<Loose<DomainControllerDraft>>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<Loose<String>>,
    /// Public facts the wizard saved (checked by their own type when the connection is built).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_key: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_folder: Option<Loose<String>>,
    // Azure AD
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Loose<ApplicationDraft>>,
    // Both
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_online: Option<Loose<ExchangeDraft>>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

impl DraftFields {
    /// The names of the fields this draft gives (present and not null), of either kind.
    pub fn given(&self) -> Vec<&'static str> {
        [
            ("kind", self.kind.is_some()),
            ("name", self.name.is_some()),
            ("domain_controllers", self.domain_controllers.is_some()),
            ("service_account", self.service_account.is_some()),
            ("agent_key", self.agent_key.is_some()),
            ("agent_folder", self.agent_folder.is_some()),
            ("application", self.application.is_some()),
            ("exchange_online", self.exchange_online.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, given)| given.then_some(k))
        .collect()
    }
}

/// One domain controller as typed: hosts as the comma-separated text of the form or a list,
/// the port as text or a number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainControllerDraft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hosts: Option<Hosts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<Port>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_dn: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<Loose<TlsDraft>>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

/// A DC's host list: `"dc1.example.com, dc1b.example.com"` as typed, or a saved list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Hosts {
    Text(String),
    List(Vec<Loose<String>>),
    Other(Value),
}

/// A port as a number (saved) or as typed (`"636"`, `""`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Port {
    Number(Number),
    Text(String),
    Other(Value),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TlsDraft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_sha256: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<Loose<bool>>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationDraft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Loose<String>>,
    /// Public facts of a generated certificate (checked by their own type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Value>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExchangeDraft {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<Loose<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<Loose<String>>,
    #[serde(flatten)]
    pub unknown: Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reading_never_fails_and_keeps_what_was_typed() {
        let d = Draft::from_json(&json!({"kind": 5, "name": "X", "extra": true,
            "domain_controllers": [{"hosts": "a, b", "port": "636", "tls": 3}, 7, {"hosts": ["a", 1], "port": 70000}]}));
        let f = d.fields().expect("an object");
        assert_eq!(f.kind, Some(Loose::Other(json!(5))));
        assert_eq!(f.name, Some(Loose::Typed("X".into())));
        assert_eq!(f.unknown.get("extra"), Some(&json!(true)));
        let Some(Loose::Typed(dcs)) = &f.domain_controllers else {
            panic!("{f:?}")
        };
        let Loose::Typed(dc0) = &dcs[0] else { panic!() };
        assert_eq!(dc0.hosts, Some(Hosts::Text("a, b".into())));
        assert_eq!(dc0.port, Some(Port::Text("636".into())));
        assert_eq!(dc0.tls, Some(Loose::Other(json!(3))));
        assert_eq!(dcs[1], Loose::Other(json!(7)));
        let Loose::Typed(dc2) = &dcs[2] else { panic!() };
        assert_eq!(
            dc2.hosts,
            Some(Hosts::List(vec![
                Loose::Typed("a".into()),
                Loose::Other(json!(1))
            ]))
        );
        assert!(matches!(dc2.port, Some(Port::Number(_))));
        for v in [json!([1, 2]), json!("text"), json!(null), json!(3)] {
            assert_eq!(Draft::from_json(&v), Draft(Loose::Other(v.clone())), "{v}");
        }
        // null is absent, as in a form that was cleared
        let d = Draft::from_json(&json!({"kind": null, "exchange_online": null}));
        assert_eq!(d.fields(), Some(&DraftFields::default()));
    }
}
