//! Table-driven validation tests: bad inputs across every field (hostile ones included) must
//! produce the expected field and stable code; good inputs must pass.

use h2r_setup::profile::Connection;
use h2r_setup::validate::{validate_value, Draft, LdapTarget, ValidationReport};
use serde_json::{json, Value};
use std::process::Command;

fn hybrid() -> Value {
    json!({"kind": "hybrid-onprem", "name": "Connection-OnPremise Service",
        "domain_controllers": [{"hosts": ["dc1.example.com"], "port": 636, "base_dn": "DC=example,DC=com"}],
        "service_account": "svc-h2r@example.com",
        "exchange_online": {"name": "Connection-Exchange Online", "service_account": "svc-exo@example.com"}})
}

fn azure() -> Value {
    json!({"kind": "azure-ad", "name": "Connection-Azure AD",
        "application": {"kind": "customer-owned", "cloud": "global",
            "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e", "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47"}})
}

/// Set `value` at a JSON pointer, creating nothing: the pointer's parent must exist.
fn with(mut base: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = base
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no parent {parent}"));
    match target {
        Value::Object(m) => {
            m.insert(key.to_string(), value);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
        _ => panic!("parent of {pointer} is not a container"),
    }
    base
}

fn host(h: &str) -> Value {
    with(hybrid(), "/domain_controllers/0/hosts", json!(h))
}

fn long(n: usize) -> String {
    "a".repeat(n)
}

/// (description, profile, expected field, expected code)
fn bad_cases() -> Vec<(&'static str, Value, &'static str, &'static str)> {
    let dn = |s: &str| with(hybrid(), "/domain_controllers/0/base_dn", json!(s));
    let port = |p: Value| with(hybrid(), "/domain_controllers/0/port", p);
    let sa = |s: &str| with(hybrid(), "/service_account", json!(s));
    let exo = |s: &str| with(hybrid(), "/exchange_online/service_account", json!(s));
    let name = |s: Value| with(hybrid(), "/name", s);
    let client = |s: &str| with(azure(), "/application/client_id", json!(s));
    let tenant = |s: &str| with(azure(), "/application/tenant_id", json!(s));
    vec![
        // profile shape
        ("not an object", json!([1, 2]), "", "profile.not_object"),
        ("kind missing", json!({"name": "x"}), "kind", "kind.missing"),
        (
            "kind unknown",
            with(hybrid(), "/kind", json!("ldap")),
            "kind",
            "kind.unknown",
        ),
        (
            "unknown field",
            with(hybrid(), "/password", json!("hunter2")),
            "password",
            "profile.unknown_field",
        ),
        (
            "unknown dc field",
            with(hybrid(), "/domain_controllers/0/bind_password", json!("x")),
            "domain_controllers[0].bind_password",
            "profile.unknown_field",
        ),
        (
            "no DCs",
            with(hybrid(), "/domain_controllers", json!([])),
            "domain_controllers",
            "domain_controllers.empty",
        ),
        (
            "DCs not a list",
            with(hybrid(), "/domain_controllers", json!("dc1")),
            "domain_controllers",
            "domain_controllers.invalid",
        ),
        // name
        ("name empty", name(json!("")), "name", "name.empty"),
        ("name blank", name(json!("   ")), "name", "name.empty"),
        (
            "name missing",
            {
                let mut v = hybrid();
                v.as_object_mut().unwrap().remove("name");
                v
            },
            "name",
            "name.empty",
        ),
        ("name number", name(json!(42)), "name", "field.not_text"),
        (
            "name too long",
            name(json!(long(129))),
            "name",
            "name.too_long",
        ),
        (
            "name 10 KB",
            name(json!(long(10 * 1024))),
            "name",
            "field.too_long",
        ),
        (
            "name newline",
            name(json!("Conn\nection")),
            "name",
            "field.control_character",
        ),
        (
            "name NUL",
            name(json!("Conn\u{0}")),
            "name",
            "field.control_character",
        ),
        (
            "name escape sequence",
            name(json!("\u{1b}[31mred")),
            "name",
            "field.control_character",
        ),
        (
            "name bidi override",
            name(json!("Connection\u{202E}exe.txt")),
            "name",
            "field.invisible_character",
        ),
        (
            "name zero-width space",
            name(json!("Conn\u{200B}ection")),
            "name",
            "field.invisible_character",
        ),
        // hosts
        (
            "host empty list",
            host(""),
            "domain_controllers[0].hosts",
            "hosts.empty",
        ),
        (
            "host empty entry",
            host("dc1.example.com,,dc2.example.com"),
            "domain_controllers[0].hosts[1]",
            "host.empty",
        ),
        (
            "host trailing comma",
            host("dc1.example.com,"),
            "domain_controllers[0].hosts[1]",
            "host.empty",
        ),
        (
            "host with port",
            host("dc1.example.com:636"),
            "domain_controllers[0].hosts[0]",
            "host.has_port",
        ),
        (
            "host with scheme",
            host("ldaps://dc1.example.com"),
            "domain_controllers[0].hosts[0]",
            "host.has_scheme",
        ),
        (
            "host with space",
            host("dc1 example.com"),
            "domain_controllers[0].hosts[0]",
            "host.whitespace",
        ),
        (
            "host underscore",
            host("dc_1.example.com"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_name",
        ),
        (
            "host leading hyphen",
            host("-dc1.example.com"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_name",
        ),
        (
            "host double dot",
            host("dc1..example.com"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_name",
        ),
        (
            "host label 64",
            host(&format!("{}.example.com", long(64))),
            "domain_controllers[0].hosts[0]",
            "host.invalid_name",
        ),
        (
            "host 300 chars",
            host(&format!("{}.com", vec![long(60); 5].join("."))),
            "domain_controllers[0].hosts[0]",
            "host.too_long",
        ),
        (
            "host bad IPv4",
            host("10.0.0.256"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_ip",
        ),
        (
            "host short IPv4",
            host("10.0.5"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_ip",
        ),
        (
            "host bad IPv6",
            host("fd00::g"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_ip",
        ),
        (
            "host bad bracketed IPv6",
            host("[fd00::zz]"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_ip",
        ),
        (
            "host duplicate",
            host("dc1.example.com, DC1.example.com"),
            "domain_controllers[0].hosts[1]",
            "host.duplicate",
        ),
        (
            "host duplicate IDN",
            host("dc1.bücher.example, dc1.xn--bcher-kva.example"),
            "domain_controllers[0].hosts[1]",
            "host.duplicate",
        ),
        (
            "host LDAP filter injection",
            host("*)(objectClass=*"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_name",
        ),
        (
            "host slash",
            host("dc1.example.com/admin"),
            "domain_controllers[0].hosts[0]",
            "host.invalid_name",
        ),
        (
            "host Cyrillic a look-alike",
            host("dc1.exаmple.com"),
            "domain_controllers[0].hosts[0]",
            "host.lookalike",
        ),
        (
            "host fullwidth",
            host("ｄｃ１.example.com"),
            "domain_controllers[0].hosts[0]",
            "host.lookalike",
        ),
        (
            "host ideographic dot",
            host("dc1。example.com"),
            "domain_controllers[0].hosts[0]",
            "host.lookalike",
        ),
        (
            "host tab",
            host("dc1.example.com\t"),
            "domain_controllers[0].hosts",
            "field.control_character",
        ),
        (
            "host 10 KB",
            host(&long(10 * 1024)),
            "domain_controllers[0].hosts",
            "field.too_long",
        ),
        (
            "host number in list",
            with(hybrid(), "/domain_controllers/0/hosts", json!([5])),
            "domain_controllers[0].hosts[0]",
            "field.not_text",
        ),
        (
            "hosts too many",
            host(
                &(0..17)
                    .map(|i| format!("dc{i}.example.com"))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            "domain_controllers[0].hosts",
            "hosts.too_many",
        ),
        // port
        (
            "port 389",
            port(json!(389)),
            "domain_controllers[0].port",
            "port.plain_ldap",
        ),
        (
            "port 3268",
            port(json!(3268)),
            "domain_controllers[0].port",
            "port.plain_ldap",
        ),
        (
            "port 0",
            port(json!(0)),
            "domain_controllers[0].port",
            "port.out_of_range",
        ),
        (
            "port 65536",
            port(json!(65536)),
            "domain_controllers[0].port",
            "port.out_of_range",
        ),
        (
            "port negative",
            port(json!(-636)),
            "domain_controllers[0].port",
            "port.out_of_range",
        ),
        (
            "port fraction",
            port(json!(636.5)),
            "domain_controllers[0].port",
            "port.out_of_range",
        ),
        (
            "port text",
            port(json!("ldaps")),
            "domain_controllers[0].port",
            "port.not_a_number",
        ),
        (
            "port text 389",
            port(json!("389")),
            "domain_controllers[0].port",
            "port.plain_ldap",
        ),
        (
            "port empty text",
            port(json!("")),
            "domain_controllers[0].port",
            "port.missing",
        ),
        (
            "port huge text",
            port(json!("99999999999999999999")),
            "domain_controllers[0].port",
            "port.out_of_range",
        ),
        (
            "port bool",
            port(json!(true)),
            "domain_controllers[0].port",
            "port.not_a_number",
        ),
        // base DN
        (
            "dn empty",
            dn(""),
            "domain_controllers[0].base_dn",
            "base_dn.empty",
        ),
        (
            "dn domain name",
            dn("example.com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn missing =",
            dn("DC=example,DC"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn trailing comma",
            dn("DC=example,DC=com,"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn empty value",
            dn("DC=,DC=com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn semicolon",
            dn("DC=example;DC=com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn bad escape",
            dn(r"OU=a\q,DC=com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn odd hex",
            dn("OU=#123,DC=com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn LDAP filter injection",
            dn("*)(objectClass=*"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn filter in type",
            dn("(DC=example)"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn bad attribute",
            dn("D C=example,DC=com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn invalid utf8 escape",
            dn(r"OU=\ff\fe,DC=com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn UPN",
            dn("svc@example.com"),
            "domain_controllers[0].base_dn",
            "base_dn.syntax",
        ),
        (
            "dn 10 KB",
            dn(&format!("DC={}", long(10 * 1024))),
            "domain_controllers[0].base_dn",
            "field.too_long",
        ),
        (
            "dn control",
            dn("DC=exa\u{7}mple,DC=com"),
            "domain_controllers[0].base_dn",
            "field.control_character",
        ),
        // service account
        (
            "account empty",
            sa(""),
            "service_account",
            "service_account.empty",
        ),
        (
            "account bare name",
            sa("svc-h2r"),
            "service_account",
            "service_account.format",
        ),
        (
            "account LDAP filter injection",
            sa("*)(objectClass=*"),
            "service_account",
            "service_account.format",
        ),
        (
            "account filter in UPN",
            sa("*)(uid=*)@example.com"),
            "service_account",
            "service_account.invalid_character",
        ),
        (
            "account two @",
            sa("a@b@example.com"),
            "service_account",
            "service_account.format",
        ),
        (
            "account bad domain",
            sa("svc@example..com"),
            "service_account",
            "service_account.format",
        ),
        (
            "account look-alike domain",
            sa("svc@exаmple.com"),
            "service_account",
            "service_account.lookalike",
        ),
        (
            "account NetBIOS too long",
            sa("AVERYLONGDOMAINNAME\\svc"),
            "service_account",
            "service_account.netbios_domain",
        ),
        (
            "account sam too long",
            sa("EXAMPLE\\abcdefghijklmnopqrstu"),
            "service_account",
            "service_account.sam_account_name",
        ),
        (
            "account sam bad char",
            sa("EXAMPLE\\svc*"),
            "service_account",
            "service_account.sam_account_name",
        ),
        (
            "account DN one RDN",
            sa("CN=svc"),
            "service_account",
            "service_account.format",
        ),
        (
            "account bad DN",
            sa("CN=svc,=x"),
            "service_account",
            "service_account.format",
        ),
        (
            "account 10 KB",
            sa(&format!("{}@example.com", long(10 * 1024))),
            "service_account",
            "field.too_long",
        ),
        (
            "account zero-width",
            sa("svc\u{200D}@example.com"),
            "service_account",
            "field.invisible_character",
        ),
        // exchange online
        (
            "exo account empty",
            exo(""),
            "exchange_online.service_account",
            "exchange_online.service_account_empty",
        ),
        (
            "exo DOMAIN\\user",
            exo("EXAMPLE\\svc"),
            "exchange_online.service_account",
            "exchange_online.service_account_format",
        ),
        (
            "exo look-alike",
            exo("svc@micrоsoft.com"),
            "exchange_online.service_account",
            "exchange_online.service_account_lookalike",
        ),
        (
            "exo name empty",
            with(hybrid(), "/exchange_online/name", json!("")),
            "exchange_online.name",
            "name.empty",
        ),
        (
            "exo extra field",
            with(hybrid(), "/exchange_online/password", json!("x")),
            "exchange_online.password",
            "profile.unknown_field",
        ),
        // TLS trust
        (
            "pin short",
            with(
                hybrid(),
                "/domain_controllers/0/tls",
                json!({"pin_sha256": "AB:CD"}),
            ),
            "domain_controllers[0].tls.pin_sha256",
            "tls.pin_format",
        ),
        (
            "insecure not bool",
            with(
                hybrid(),
                "/domain_controllers/0/tls",
                json!({"insecure": "yes"}),
            ),
            "domain_controllers[0].tls.insecure",
            "field.not_boolean",
        ),
        // azure
        (
            "app kind missing",
            with(azure(), "/application/kind", json!("")),
            "application.kind",
            "application.kind",
        ),
        (
            "cloud unknown",
            with(azure(), "/application/cloud", json!("germany")),
            "application.cloud",
            "application.cloud",
        ),
        (
            "client id missing",
            {
                let mut v = azure();
                v["application"]
                    .as_object_mut()
                    .unwrap()
                    .remove("client_id");
                v
            },
            "application.client_id",
            "field.missing",
        ),
        (
            "client id not GUID",
            client("my-app"),
            "application.client_id",
            "client_id.format",
        ),
        (
            "client id short",
            client("6731de76-14a6-49ae-97bc-6eba6914391"),
            "application.client_id",
            "client_id.format",
        ),
        (
            "client id non-hex",
            client("6731de76-14a6-49ae-97bc-6eba6914391g"),
            "application.client_id",
            "client_id.format",
        ),
        (
            "client id nil",
            client("00000000-0000-0000-0000-000000000000"),
            "application.client_id",
            "client_id.nil",
        ),
        (
            "client id injection",
            client("*)(objectClass=*"),
            "application.client_id",
            "client_id.format",
        ),
        (
            "client id fullwidth digits",
            client("６731de76-14a6-49ae-97bc-6eba6914391e"),
            "application.client_id",
            "client_id.format",
        ),
        (
            "tenant common",
            tenant("common"),
            "application.tenant_id",
            "tenant_id.not_specific",
        ),
        (
            "tenant organizations",
            tenant("organizations"),
            "application.tenant_id",
            "tenant_id.not_specific",
        ),
        (
            "tenant word",
            tenant("contoso"),
            "application.tenant_id",
            "tenant_id.format",
        ),
        (
            "tenant truncated GUID",
            tenant("72f988bf-86f1-41af-91ab-2d7cd011db4"),
            "application.tenant_id",
            "tenant_id.format",
        ),
        (
            "tenant look-alike domain",
            tenant("cоntoso.onmicrosoft.com"),
            "application.tenant_id",
            "tenant_id.lookalike",
        ),
        (
            "tenant URL",
            tenant("https://login.microsoftonline.com/contoso.com"),
            "application.tenant_id",
            "tenant_id.format",
        ),
        (
            "tenant 10 KB",
            tenant(&long(10 * 1024)),
            "application.tenant_id",
            "field.too_long",
        ),
        (
            "azure unknown field",
            with(azure(), "/application/client_secret", json!("s3cret")),
            "application.client_secret",
            "profile.unknown_field",
        ),
    ]
}

#[test]
fn bad_inputs_get_their_field_and_code() {
    let cases = bad_cases();
    assert!(
        cases.len() >= 60,
        "the table holds {} bad inputs",
        cases.len()
    );
    let mut failures = Vec::new();
    for (what, profile, field, code) in cases {
        let r = validate_value(&profile);
        let hit = r
            .errors
            .iter()
            .any(|e| e.field() == field && e.code == code);
        if r.ok || !hit {
            failures.push(format!(
                "{what}: expected {field} / {code}, got ok={} {:?}",
                r.ok,
                r.errors
                    .iter()
                    .map(|e| (e.field(), e.code.as_str()))
                    .collect::<Vec<_>>()
            ));
        }
        for e in &r.errors {
            assert!(
                !e.message.is_empty() && !e.hint.is_empty(),
                "{what}: {e:?} lacks message or hint"
            );
            assert!(
                e.message.len() < 400,
                "{what}: message too long (hostile input echoed?)"
            );
            assert!(
                !e.message.chars().any(|c| c.is_control()),
                "{what}: control character echoed in message"
            );
        }
        assert!(
            r.connection.is_none(),
            "{what}: an invalid profile must not be normalised"
        );
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn good_inputs_pass() {
    let good = vec![
        hybrid(),
        azure(),
        host("dc1.example.com, dc1-backup.example.com"),
        host("dc1.bücher.example"),
        host("контроллер.пример.рф"),
        host("DC1.EXAMPLE.COM."),
        host("10.0.0.5"),
        host("fd00::10"),
        host("[fd00::10]"),
        with(hybrid(), "/domain_controllers/0/port", json!(3269)),
        with(hybrid(), "/domain_controllers/0/port", json!("636")),
        with(
            hybrid(),
            "/domain_controllers/0/base_dn",
            json!("DC=example-domain,DC=com"),
        ),
        with(
            hybrid(),
            "/domain_controllers/0/base_dn",
            json!("OU=Staff,OU=Sales \\28EMEA\\29,DC=example,DC=com"),
        ),
        with(
            hybrid(),
            "/domain_controllers/0/base_dn",
            json!("OU=Smith\\, John,DC=example, DC=com"),
        ),
        with(
            hybrid(),
            "/domain_controllers/0/base_dn",
            json!("ou=people+l=Berlin,dc=example,dc=com"),
        ),
        with(
            hybrid(),
            "/domain_controllers/0/base_dn",
            json!("OU=Ma\\C3\\BCnchen,DC=example,DC=com"),
        ),
        with(hybrid(), "/service_account", json!("EXAMPLE\\svc-h2r")),
        with(
            hybrid(),
            "/service_account",
            json!("CN=svc-h2r,OU=Service Accounts,DC=example,DC=com"),
        ),
        with(
            hybrid(),
            "/service_account",
            json!("first.o'neil@example.co.uk"),
        ),
        with(hybrid(), "/name", json!("Verbindung – Zentrale (Köln) 🏢")),
        with(
            hybrid(),
            "/domain_controllers/0/tls",
            json!({"pin_sha256": "ab".repeat(32)}),
        ),
        with(
            hybrid(),
            "/domain_controllers",
            json!([
            {"hosts": "dc1.example.com,10.0.0.5", "port": 636, "base_dn": "DC=example,DC=com"},
            {"hosts": ["dc1.emea.example.com"], "base_dn": "DC=emea,DC=example,DC=com"}]),
        ),
        with(
            azure(),
            "/application/tenant_id",
            json!("contoso.onmicrosoft.com"),
        ),
        with(
            azure(),
            "/application/client_id",
            json!("{6731DE76-14A6-49AE-97BC-6EBA6914391E}"),
        ),
        with(azure(), "/application/cloud", json!("usgov-dod")),
        json!({"kind": "azure-ad", "name": "Azure", "application": {"kind": "service-provider", "cloud": "china"}}),
        {
            let mut v = hybrid();
            v.as_object_mut().unwrap().remove("exchange_online");
            v
        },
    ];
    for profile in good {
        let r = validate_value(&profile);
        assert!(r.ok, "{profile}\n{:#?}", r.errors);
        assert!(r.connection.is_some());
    }
}

#[test]
fn warnings_never_block() {
    let r = validate_value(&with(
        host("10.0.0.5, dc1"),
        "/domain_controllers/0/port",
        json!(3269),
    ));
    assert!(r.ok, "{:?}", r.errors);
    let codes: Vec<_> = r.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"host.ip_address"));
    assert!(codes.contains(&"host.single_label"));
    assert!(codes.contains(&"port.global_catalog"));
    let r = validate_value(&with(
        hybrid(),
        "/domain_controllers/0/tls",
        json!({"insecure": true}),
    ));
    assert!(r.ok);
    assert_eq!(r.warnings[0].code, "tls.insecure");
}

#[test]
fn normalised_profile_round_trips() {
    let r = validate_value(&with(
        azure(),
        "/application/client_id",
        json!("{6731DE76-14A6-49AE-97BC-6EBA6914391E}"),
    ));
    let conn = r.connection.unwrap();
    let again = validate_value(&serde_json::to_value(&conn).unwrap());
    assert!(again.ok);
    assert_eq!(again.connection.unwrap(), conn);
    let h2r_setup::profile::Connection::AzureAd(a) = conn else {
        panic!()
    };
    assert_eq!(
        a.application.client_id.as_deref(),
        Some("6731de76-14a6-49ae-97bc-6eba6914391e")
    );
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_h2r-setup"))
}

#[test]
fn cli_validate_exit_codes_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(&good, hybrid().to_string()).unwrap();
    std::fs::write(
        &bad,
        with(hybrid(), "/domain_controllers/0/port", json!(389)).to_string(),
    )
    .unwrap();
    let before: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();

    let out = cli()
        .args(["validate", "--connection"])
        .arg(&good)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);

    let out = cli()
        .args(["validate", "--connection"])
        .arg(&bad)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    let e = &v["errors"][0];
    assert_eq!(e["field"], "domain_controllers[0].port");
    assert_eq!(e["code"], "port.plain_ldap");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("LDAPS only, plain LDAP is not used"));
    assert!(e["hint"].as_str().unwrap().contains("636"));

    let out = cli()
        .args(["validate", "--connection"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("domain_controllers[0].port [port.plain_ldap]"));

    let out = cli()
        .args(["validate", "--connection"])
        .arg(dir.path().join("missing.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: cannot read"));

    std::fs::write(dir.path().join("junk.json"), "{not json").unwrap();
    let out = cli()
        .args(["validate", "--connection"])
        .arg(dir.path().join("junk.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = cli().args(["validate"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "missing --connection is a usage error"
    );

    // Validation writes nothing.
    std::fs::remove_file(dir.path().join("junk.json")).unwrap();
    let after: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn docs_examples_are_valid() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/connection-profile.md"
    ))
    .unwrap();
    let mut n = 0;
    for block in doc.split("```json").skip(1) {
        let json = block.split("```").next().unwrap();
        let v: Value =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON in docs: {e}\n{json}"));
        let r = validate_value(&v);
        assert!(r.ok, "docs example invalid: {:?}\n{json}", r.errors);
        n += 1;
    }
    assert!(n >= 2, "one example per kind");
}

#[test]
fn cli_exchange_roles_per_kind() {
    let out = cli()
        .args([
            "exchange", "roles", "--kind", "azure-ad", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let features: Vec<&str> = v["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["feature"].as_str().unwrap())
        .collect();
    assert!(!features.contains(&"Microsoft 365 groups"));
    assert!(features.contains(&"Shared mailbox"));
    let out = cli()
        .args([
            "exchange",
            "roles",
            "--kind",
            "hybrid-onprem",
            "--service-account",
            "svc@exаmple.com",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a look-alike account is refused"
    );
}

// ---------------------------------------------------------------------------------------------
// One validation for every caller (issue 8): the shell and the CLI read a lenient `Draft` and
// take it through `Draft::validate` for a scope, never through a normaliser of their own.

fn connection(v: &serde_json::Value) -> Result<Connection, Box<ValidationReport>> {
    Draft::from_json(v).validate::<Connection>()
}

fn ldap_target(v: &serde_json::Value) -> Result<LdapTarget, Box<ValidationReport>> {
    Draft::from_json(v).validate::<LdapTarget>()
}

#[test]
fn a_typed_draft_becomes_the_same_connection_as_the_saved_shape() {
    let typed = json!({"kind": "hybrid-onprem", "name": " Conn ",
        "domain_controllers": [{"hosts": "dc1.example.com, 10.0.0.5", "port": "636", "base_dn": " DC=example,DC=com "}],
        "service_account": " svc@example.com "});
    let c = connection(&typed).expect("valid");
    let h2r_setup::profile::Connection::HybridOnprem(h) = c else {
        panic!("hybrid")
    };
    assert_eq!(h.name, "Conn");
    assert_eq!(
        h.domain_controllers[0].hosts,
        ["dc1.example.com", "10.0.0.5"]
    );
    assert_eq!(h.domain_controllers[0].port, 636);
    assert_eq!(h.service_account, "svc@example.com");
}

#[test]
fn the_ldap_step_needs_only_domain_controllers_and_account() {
    // Exchange Online and the name are not filled in yet: the LDAP step still runs.
    let draft = json!({"kind": "hybrid-onprem", "name": "",
        "domain_controllers": [{"hosts": "dc1.example.com,dc1b.example.com", "port": "636", "base_dn": "DC=example,DC=com"}],
        "service_account": "svc@example.com", "exchange_online": {"name": "", "service_account": "not an account"}});
    let t = ldap_target(&draft).expect("the DC part is valid");
    assert_eq!(
        t.domain_controllers[0].hosts,
        ["dc1.example.com", "dc1b.example.com"]
    );
    assert_eq!(t.service_account, "svc@example.com");
    // The whole connection is not.
    assert!(connection(&draft).is_err());
}

#[test]
fn an_empty_port_is_the_same_error_for_the_ldap_step_and_for_saving() {
    let draft = with(hybrid(), "/domain_controllers/0/port", json!(""));
    let a = ldap_target(&draft).unwrap_err();
    let b = connection(&draft).unwrap_err();
    assert_eq!(a.errors[0].field(), "domain_controllers[0].port");
    assert_eq!(
        (a.errors[0].field(), a.errors[0].code.as_str()),
        (b.errors[0].field(), b.errors[0].code.as_str())
    );
}

#[test]
fn a_wrong_type_anywhere_is_a_field_error_not_a_parse_error() {
    // Every field of the wrong JSON type: the draft still reads, and each problem is at its
    // own field (a host list's entries keep their own index).
    let draft = json!({"kind": "hybrid-onprem", "name": 7,
        "domain_controllers": [{"hosts": ["dc1.example.com", 5, "dc1.example.com"], "port": true,
            "base_dn": [], "tls": {"insecure": "yes", "pin_sha256": 1}}, "not an object"],
        "service_account": {}, "exchange_online": {"name": "X", "service_account": 3, "client_id": 4},
        "agent_folder": false, "agent_key": {"bits": "many"}});
    let r = connection(&draft).unwrap_err();
    let mut got: Vec<(&str, &str)> = r
        .errors
        .iter()
        .map(|e| (e.field(), e.code.as_str()))
        .collect();
    got.sort_unstable();
    let mut want = vec![
        ("name", "field.not_text"),
        ("domain_controllers[0].hosts[1]", "field.not_text"),
        ("domain_controllers[0].hosts[2]", "host.duplicate"),
        ("domain_controllers[0].port", "port.not_a_number"),
        ("domain_controllers[0].base_dn", "field.not_text"),
        ("domain_controllers[0].tls.insecure", "field.not_boolean"),
        ("domain_controllers[0].tls.pin_sha256", "field.not_text"),
        ("domain_controllers[1]", "domain_controller.invalid"),
        ("service_account", "field.not_text"),
        (
            "exchange_online.service_account",
            "exchange_online.service_account_empty",
        ),
        ("exchange_online.client_id", "client_id.format"),
        ("agent_folder", "field.not_text"),
        ("agent_key", "profile.malformed"),
    ];
    want.sort_unstable();
    assert_eq!(got, want);
    // The LDAP step's scope sees only its own fields.
    let l = ldap_target(&draft).unwrap_err();
    assert!(l
        .errors
        .iter()
        .all(|e| e.field().starts_with("domain_controllers") || e.field() == "service_account"));
    assert_eq!(l.errors.len(), 8);
}

#[test]
fn fields_of_the_other_kind_are_named_as_not_fields_of_this_profile() {
    let mut h = hybrid();
    h["application"] = json!({"kind": "service-provider"});
    let r = validate_value(&h);
    assert_eq!(
        (r.errors[0].field(), r.errors[0].code.as_str()),
        ("application", "profile.unknown_field")
    );
    let mut a = azure();
    a["domain_controllers"] = json!([]);
    a["agent_folder"] = json!("/tmp/x");
    let r = validate_value(&a);
    let fields: Vec<&str> = r.errors.iter().map(|e| e.field()).collect();
    assert_eq!(fields, ["agent_folder", "domain_controllers"]);
}

#[test]
fn the_cli_reads_a_profile_as_the_window_types_it() {
    // Hosts as the form's comma-separated text and the port as text: `ldap check` reads the
    // same draft the window validates (it used to accept only the saved shape), and an invalid
    // one is refused with its field before anything connects.
    let dir = tempfile::tempdir().unwrap();
    let typed = dir.path().join("typed.json");
    std::fs::write(
        &typed,
        r#"{"kind": "hybrid-onprem", "name": "C", "service_account": "svc@example.com",
            "domain_controllers": [{"hosts": "127.0.0.1 , localhost", "port": "1", "base_dn": "DC=example,DC=com"}]}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_h2r-setup"))
        .args(["ldap", "check", "--format", "json", "--timeout-ms", "2000"])
        .args(["--password-env", "H2R_IT_PW", "--connection"])
        .arg(&typed)
        .env("H2R_IT_PW", "x")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let hosts: Vec<&str> = v["endpoints"]
        .as_array()
        .expect("the report lists the hosts it tried")
        .iter()
        .map(|e| e["host"].as_str().unwrap())
        .collect();
    assert_eq!(hosts, ["127.0.0.1", "localhost"], "{v}");
    assert_eq!(v["endpoints"][0]["port"], 1);

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"kind": "hybrid-onprem", "name": "C", "service_account": "svc@example.com",
            "domain_controllers": [{"hosts": "dc1.example.com", "port": "six", "base_dn": "DC=example,DC=com"}]}"#,
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_h2r-setup"))
        .args(["ldap", "check", "--format", "json"])
        .args(["--password-env", "H2R_IT_PW", "--connection"])
        .arg(&bad)
        .env("H2R_IT_PW", "x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("domain_controllers[0].port"), "{err}");
}

#[test]
fn paths_are_kept_as_given() {
    // The CA file and the agent folder are paths: kept exactly as written (only a blank CA
    // file is absent), as they always were.
    let mut h = hybrid();
    h["domain_controllers"][0]["tls"] = json!({"ca_file": " /etc/ca.pem "});
    h["agent_folder"] = json!(" /srv/agent ");
    let Connection::HybridOnprem(c) = connection(&h).unwrap() else {
        panic!()
    };
    assert_eq!(
        c.domain_controllers[0].tls.ca_file(),
        Some(std::path::Path::new(" /etc/ca.pem "))
    );
    assert_eq!(
        c.agent_folder.as_deref(),
        Some(std::path::Path::new(" /srv/agent "))
    );
    h["domain_controllers"][0]["tls"] = json!({"ca_file": "  "});
    let Connection::HybridOnprem(c) = connection(&h).unwrap() else {
        panic!()
    };
    assert!(c.domain_controllers[0].tls.is_default());
}

#[test]
fn an_azure_draft_has_no_domain_controllers_to_check() {
    let e = ldap_target(&azure()).unwrap_err();
    assert_eq!(
        (e.errors[0].field(), e.errors[0].code.as_str()),
        ("kind", "kind.no_domain_controllers")
    );
    assert!(!e.errors[0].hint.is_empty());
}

/// Issue 9: the Exchange check's client application is optional (empty: the default), a GUID
/// when given, and saved with the connection in its normal form.
#[test]
fn the_exchange_client_application_is_optional_and_a_guid() {
    let exo = |v: Value| with(hybrid(), "/exchange_online/client_id", v);
    for empty in [json!(""), json!("   "), Value::Null] {
        let r = validate_value(&exo(empty.clone()));
        assert!(r.ok, "{empty}: {:?}", r.errors);
        assert_eq!(
            r.connection
                .unwrap()
                .exchange_online()
                .unwrap()
                .client_id
                .clone(),
            None,
            "{empty}"
        );
    }
    let r = validate_value(&exo(json!(" FB78D390-0C51-40CD-8E17-FDBFAB77341B ")));
    assert!(r.ok, "{:?}", r.errors);
    let saved = r.connection.unwrap();
    let id = saved.exchange_online().unwrap().client_id.clone();
    assert!(id.is_some_and(|i| i.eq_ignore_ascii_case("fb78d390-0c51-40cd-8e17-fdbfab77341b")));
    for (bad, code) in [
        (json!("not-a-guid"), "client_id.format"),
        (json!(7), "client_id.format"),
    ] {
        let r = validate_value(&exo(bad.clone()));
        assert!(!r.ok, "{bad}");
        assert_eq!(r.errors[0].field(), "exchange_online.client_id", "{bad}");
        assert_eq!(r.errors[0].code, code, "{bad}");
    }
}

/// Every JSON pointer in `v` (containers and leaves, the root as "").
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                pointers(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// The draft's properties under a sweep of mutations (the stable-toolchain counterpart of
/// the `draft` fuzz target): every field of two full drafts replaced by every JSON type and by
/// hostile text. Reading never fails and nothing panics; `report` and `validate` agree; an
/// accepted draft's connection validates again to itself (the normal form is a fixed point);
/// the LDAP step's errors are the report's errors within its scope; every error names a code
/// and a hint.
#[test]
fn a_mutation_sweep_keeps_the_drafts_properties() {
    let mut full = hybrid();
    full["domain_controllers"][0]["tls"] =
        json!({"pin_sha256": "AB".repeat(32), "ca_file": "/etc/ca.pem"});
    full["domain_controllers"]
        .as_array_mut()
        .unwrap()
        .push(json!({"hosts": "dc2.example.com, dc2b.example.com", "port": "3269", "base_dn": "DC=emea,DC=example,DC=com"}));
    full["agent_folder"] = json!("/srv/h2r/config");
    full["agent_key"] = json!({"fingerprint": "abc", "bits": 3072, "origin": "generated"});
    let mut co = azure();
    co["exchange_online"] =
        json!({"name": "EXO", "service_account": "svc@example.com", "client_id": ""});
    co["application"]["certificate"] = json!({"thumbprint_sha1": "00", "thumbprint_sha256": "11", "not_after": "2027-01-01T00:00:00Z"});
    let replacements = [
        json!(null),
        json!(0),
        json!(-1),
        json!(70000),
        json!(1.5),
        json!(""),
        json!(" , "),
        json!(true),
        json!([]),
        json!({}),
        json!([1, "a", null]),
        json!({"bogus": 1}),
        json!("\u{202e}dc1.example.com"),
        json!("dc1.example.com:636"),
        json!("x".repeat(5000)),
    ];
    let mut cases = 0;
    for seed in [full, co] {
        assert!(validate_value(&seed).ok, "the seed is valid: {seed}");
        let mut paths = vec![];
        pointers(&seed, String::new(), &mut paths);
        for path in &paths {
            for r in &replacements {
                let v = if path.is_empty() {
                    r.clone()
                } else {
                    with(seed.clone(), path, r.clone())
                };
                cases += 1;
                let draft = Draft::from_json(&v);
                let report = draft.report();
                assert_eq!(report.ok, report.errors.is_empty(), "{v}");
                assert_eq!(report.ok, report.connection.is_some(), "{v}");
                for e in report.errors.iter().chain(&report.warnings) {
                    assert!(!e.code.is_empty() && !e.hint.is_empty(), "{v}: {e:?}");
                }
                match draft.validate::<Connection>() {
                    Ok(c) => {
                        assert_eq!(Some(&c), report.connection.as_ref(), "{v}");
                        let again = h2r_setup::validate::validate_connection(&c);
                        assert!(again.ok, "{v}: {again:?}");
                        assert_eq!(again.connection.as_ref(), Some(&c), "a fixed point: {v}");
                    }
                    Err(e) => assert_eq!(e.errors, report.errors, "{v}"),
                }
                if let Err(l) = draft.validate::<LdapTarget>() {
                    for e in &l.errors {
                        assert!(
                            report.errors.contains(e) || e.code == "kind.no_domain_controllers",
                            "{v}: {e:?} is not among {:?}",
                            report.errors
                        );
                    }
                }
            }
        }
    }
    assert!(cases > 400, "{cases} cases");
}
