//! Every validation code as a type ([`Code`]), the list of them ([`ALL_CODES`]) and one real
//! field issue of each ([`samples`]), produced by the checks themselves.

use super::host::NameArea;
use super::{
    check_base_dn, check_client_id, check_dns_name, check_host, check_name, check_pin, check_port,
    check_service_account, check_tenant_id, check_text, check_upn, validate_value, Draft,
    LdapTarget, ValidationError,
};
use crate::Problem;
use serde_json::{json, Value};

macro_rules! codes {
    ($($variant:ident => $code:literal,)*) => {
        /// A stable validation code such as `host.has_port`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// The code as it appears in reports, e.g. `port.plain_ldap`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }
        }

        /// Every validation code (field issues: `{field, code, message, hint}`).
        pub const ALL_CODES: &[&str] = &[$($code,)*];
    };
}

codes! {
    ApplicationCloud => "application.cloud",
    ApplicationKind => "application.kind",
    BaseDnEmpty => "base_dn.empty",
    BaseDnNoDc => "base_dn.no_dc",
    BaseDnSyntax => "base_dn.syntax",
    ClientIdEmpty => "client_id.empty",
    ClientIdFormat => "client_id.format",
    ClientIdNil => "client_id.nil",
    DomainInvalidName => "domain.invalid_name",
    DomainLookalike => "domain.lookalike",
    DomainTooLong => "domain.too_long",
    DomainControllerInvalid => "domain_controller.invalid",
    DomainControllersEmpty => "domain_controllers.empty",
    DomainControllersInvalid => "domain_controllers.invalid",
    DomainControllersTooMany => "domain_controllers.too_many",
    ExchangeOnlineInvalid => "exchange_online.invalid",
    ExchangeOnlineServiceAccountEmpty => "exchange_online.service_account_empty",
    ExchangeOnlineServiceAccountFormat => "exchange_online.service_account_format",
    ExchangeOnlineServiceAccountLookalike => "exchange_online.service_account_lookalike",
    FieldControlCharacter => "field.control_character",
    FieldInvisibleCharacter => "field.invisible_character",
    FieldMissing => "field.missing",
    FieldNotBoolean => "field.not_boolean",
    FieldNotText => "field.not_text",
    FieldTooLong => "field.too_long",
    HostDuplicate => "host.duplicate",
    HostEmpty => "host.empty",
    HostHasPort => "host.has_port",
    HostHasScheme => "host.has_scheme",
    HostInOtherDc => "host.in_other_dc",
    HostInvalidIp => "host.invalid_ip",
    HostInvalidName => "host.invalid_name",
    HostIpAddress => "host.ip_address",
    HostLookalike => "host.lookalike",
    HostSingleLabel => "host.single_label",
    HostTooLong => "host.too_long",
    HostWhitespace => "host.whitespace",
    HostsEmpty => "hosts.empty",
    HostsTooMany => "hosts.too_many",
    KindInvalid => "kind.invalid",
    KindMissing => "kind.missing",
    KindNoDomainControllers => "kind.no_domain_controllers",
    KindUnknown => "kind.unknown",
    NameEmpty => "name.empty",
    NameTooLong => "name.too_long",
    PortGlobalCatalog => "port.global_catalog",
    PortMissing => "port.missing",
    PortNonstandard => "port.nonstandard",
    PortNotANumber => "port.not_a_number",
    PortOutOfRange => "port.out_of_range",
    PortPlainLdap => "port.plain_ldap",
    ProfileMalformed => "profile.malformed",
    ProfileNotObject => "profile.not_object",
    ProfileUnknownField => "profile.unknown_field",
    ServiceAccountEmpty => "service_account.empty",
    ServiceAccountFormat => "service_account.format",
    ServiceAccountInvalidCharacter => "service_account.invalid_character",
    ServiceAccountLookalike => "service_account.lookalike",
    ServiceAccountNetbiosDomain => "service_account.netbios_domain",
    ServiceAccountSamAccountName => "service_account.sam_account_name",
    TenantIdEmpty => "tenant_id.empty",
    TenantIdFormat => "tenant_id.format",
    TenantIdLookalike => "tenant_id.lookalike",
    TenantIdNil => "tenant_id.nil",
    TenantIdNotSpecific => "tenant_id.not_specific",
    TlsInsecure => "tls.insecure",
    TlsInvalid => "tls.invalid",
    TlsPinFormat => "tls.pin_format",
    UpnDomain => "upn.domain",
    UpnEmpty => "upn.empty",
    UpnFormat => "upn.format",
    UpnInvalidCharacter => "upn.invalid_character",
    UpnLookalike => "upn.lookalike",
    UpnTooLong => "upn.too_long",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One real field issue of every validation code, produced by the checks and the walk from
/// inputs that trigger each (for the error registry and its tests).
pub fn samples() -> Vec<Problem> {
    let mut out = Vec::new();
    let mut one = |field: &str, r: Result<(), ValidationError>| {
        if let Err(e) = r {
            out.push(e.at(field));
        }
    };
    let long = "a".repeat(super::MAX_FIELD_BYTES + 1);
    for s in [long.as_str(), "a\tb", "a\u{200b}b"] {
        one("name", check_text(s).map(drop));
    }
    for s in [" ", "n".repeat(super::MAX_NAME_CHARS + 1).as_str()] {
        one("name", check_name(s).map(drop));
    }
    // Five labels of 60 characters: 304 characters, more than DNS allows.
    let too_long_name = ["a", "b", "c", "d", "e"].map(|c| c.repeat(60)).join(".");
    for s in [
        "",
        "ldaps://dc1.example.com",
        "dc1 dc2",
        "[zz]",
        "dc1.example.com:636",
        "dc1\u{3002}example.com",
        "dc_1.example.com",
        too_long_name.as_str(),
    ] {
        one("domain_controllers[0].hosts[0]", check_host(s).map(drop));
    }
    for s in ["ex\u{3002}com", "ex_ample.com", too_long_name.as_str()] {
        one("domain", check_dns_name(s, NameArea::Domain).map(drop));
    }
    for p in [0, 389, 3269, 1636] {
        match check_port(p) {
            Ok(Some(w)) => one("domain_controllers[0].port", Err(w)),
            Ok(None) => {}
            Err(e) => one("domain_controllers[0].port", Err(e)),
        }
    }
    for s in ["", "example.com", "OU=People,O=Example"] {
        match check_base_dn(s) {
            Ok((_, Some(w))) => one("domain_controllers[0].base_dn", Err(w)),
            Ok((_, None)) => {}
            Err(e) => one("domain_controllers[0].base_dn", Err(e)),
        }
    }
    let long_local = "a".repeat(65) + "@example.com";
    for s in [
        "",
        "svc",
        long_local.as_str(),
        "s v c@example.com",
        "\u{0430}dmin@example.com",
        "svc@exa_mple.com",
    ] {
        one("upn", check_upn(s).map(drop));
    }
    for s in [
        "",
        "svc",
        "TOO.LONG\\svc",
        "EXAMPLE\\a*b",
        "\u{0430}dmin@example.com",
        "s v c@example.com",
    ] {
        one("service_account", check_service_account(s).map(drop));
    }
    for s in ["", "abc", "00000000-0000-0000-0000-000000000000"] {
        one("application.client_id", check_client_id(s).map(drop));
    }
    for s in [
        "",
        "common",
        "00000000-0000-0000-0000-000000000000",
        "abc",
        "c\u{043e}ntoso.com",
    ] {
        one("application.tenant_id", check_tenant_id(s).map(drop));
    }
    one(
        "domain_controllers[0].tls.pin_sha256",
        check_pin("AB:CD").map(drop),
    );

    // What only the walk over a whole profile finds.
    let dc = |hosts: Value| json!({"hosts": hosts, "port": 636, "base_dn": "DC=example,DC=com"});
    let hybrid = |extra: Value| {
        let mut v = json!({"kind": "hybrid-onprem", "name": "Connection-OnPremise Service",
            "domain_controllers": [dc(json!("dc1.example.com"))],
            "service_account": "svc@example.com"});
        for (k, x) in extra.as_object().into_iter().flatten() {
            v[k] = x.clone();
        }
        v
    };
    let many_dcs: Vec<Value> = (0..=super::MAX_DOMAIN_CONTROLLERS)
        .map(|i| dc(json!(format!("dc{i}.example.com"))))
        .collect();
    let many_hosts: Vec<String> = (0..=super::MAX_HOSTS_PER_DC)
        .map(|i| format!("dc{i}.example.com"))
        .collect();
    let drafts = [
        json!(5),
        json!({}),
        json!({"kind": 1}),
        json!({"kind": "ldap"}),
        hybrid(json!({"bogus": 1, "name": null, "service_account": 5})),
        hybrid(json!({"domain_controllers": [], "service_account": null})),
        hybrid(json!({"domain_controllers": "dc1"})),
        hybrid(json!({"domain_controllers": many_dcs})),
        hybrid(json!({"domain_controllers": [5, dc(json!([])), dc(json!(many_hosts))]})),
        hybrid(json!({"domain_controllers": [
            dc(json!("dc1.example.com, dc1.example.com, 192.0.2.1, dc2")),
            {"hosts": "dc1.example.com", "port": "", "base_dn": "DC=example,DC=com", "tls": 5},
            {"hosts": "dc3.example.com", "port": "x", "tls": {"insecure": true}},
            {"hosts": "dc4.example.com", "tls": {"insecure": "yes"}},
        ]})),
        hybrid(json!({"exchange_online": 5})),
        hybrid(json!({"exchange_online": {"name": "Exchange"}})),
        hybrid(json!({"exchange_online": {"name": "Exchange", "service_account": "svc"}})),
        hybrid(
            json!({"exchange_online": {"name": "Exchange", "service_account": "\u{0430}dmin@example.com"}}),
        ),
        hybrid(json!({"agent_key": 5})),
        json!({"kind": "azure-ad", "name": "Azure", "application": {"kind": "customer-owned", "cloud": "mars"}}),
        json!({"kind": "azure-ad", "name": "Azure"}),
    ];
    for d in &drafts {
        let r = validate_value(d);
        out.extend(r.errors);
        out.extend(r.warnings);
    }
    if let Err(r) = Draft::from_json(&json!({"kind": "azure-ad", "name": "Azure",
        "application": {"kind": "service-provider"}}))
    .validate::<LdapTarget>()
    {
        out.extend(r.errors);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn samples_cover_exactly_all_codes() {
        let listed: BTreeSet<&str> = ALL_CODES.iter().copied().collect();
        assert_eq!(listed.len(), ALL_CODES.len(), "ALL_CODES has no duplicate");
        let samples = samples();
        let seen: BTreeSet<&str> = samples.iter().map(|i| i.code.as_str()).collect();
        let unknown: Vec<&&str> = seen.difference(&listed).collect();
        assert!(unknown.is_empty(), "codes not in ALL_CODES: {unknown:?}");
        let missing: Vec<&&str> = listed.difference(&seen).collect();
        assert!(missing.is_empty(), "codes no sample produces: {missing:?}");
    }

    #[test]
    fn every_sample_names_its_field_and_has_a_hint() {
        for i in samples() {
            assert!(!i.message.trim().is_empty(), "{}", i.code);
            assert!(!i.hint.trim().is_empty(), "{} has a hint", i.code);
            assert!(
                !i.hint.contains(" --") && !i.hint.contains("h2r-setup"),
                "{}: {}",
                i.code,
                i.hint
            );
            // Only the profile as a whole has no field.
            assert!(
                !i.field().is_empty() || i.code.starts_with("profile."),
                "{} has a field",
                i.code
            );
        }
    }
}
