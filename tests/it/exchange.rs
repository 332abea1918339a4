//! Integration tests: the Exchange Online live check (issue 9), against the local Exchange admin
//! API stand-in (`exchange/server.rs`) and the identity stand-in (`identity/server.rs`), which
//! also carries the Graph directory-role reads. Sign-in is the real loopback PKCE flow.

pub mod server;

use crate::identity::server::{Config, IdServer, CLIENT_ID, TENANT_ID};
use crate::identity::{browse, browser};
use h2r_setup::exchange::{check, CheckReport, CheckRequest, Feature, Status};
use h2r_setup::identity::Cancel;
use h2r_setup::profile::ConnectionKind;
use serde_json::Value;
use server::*;

/// The identity stand-in signing in as `user`, with the Graph routes of `exo` on its address.
pub(crate) async fn stand_ins(exo: ExoConfig, user: &str) -> (IdServer, ExoServer) {
    let exo = ExoServer::start(exo).await;
    let id = IdServer::start_with(
        Config {
            user: user.into(),
            ..Default::default()
        },
        exo.graph_routes(),
    )
    .await;
    (id, exo)
}

pub(crate) fn request(id: &IdServer, exo: &ExoServer) -> CheckRequest {
    let mut r = CheckRequest::new(ConnectionKind::HybridOnprem, SVC);
    r.sign_in.client_id = Some(CLIENT_ID.into());
    r.sign_in.authority_url = Some(id.base.clone());
    r.sign_in.graph_url = Some(id.base.clone());
    r.exchange_url = Some(exo.base.clone());
    r.sign_in.timeout_ms = 20_000;
    r
}

pub(crate) async fn run(req: &CheckRequest) -> CheckReport {
    let (_pages, on_event) = browser();
    check(req, &on_event, &Cancel::new()).await
}

/// Every Exchange role of the four features, in the role group `group`.
pub(crate) fn all_in_group(group: &str) -> Vec<Value> {
    [
        "Distribution Groups",
        "Mail Recipients",
        "Security Group Creation and Membership",
        "Mail Recipient Creation",
    ]
    .iter()
    .map(|r| assignment(r, group, "RoleGroup"))
    .collect()
}

pub(crate) fn user_admin() -> Vec<Value> {
    vec![directory_role("User Administrator", USER_ADMIN_TEMPLATE)]
}

pub(crate) fn fixture(assignments: Vec<Value>, roles: Vec<Value>) -> ExoConfig {
    ExoConfig {
        readers: vec![SVC.into()],
        assignments: [(SVC.to_string(), assignments)].into(),
        directory_roles: [(SVC.to_string(), roles)].into(),
        retry_after: "1",
        ..Default::default()
    }
}

fn role<'a>(
    r: &'a CheckReport,
    feature: Feature,
    name: &str,
) -> &'a h2r_setup::exchange::RoleResult {
    r.roles
        .iter()
        .find(|x| x.feature == feature && x.role == name)
        .unwrap_or_else(|| panic!("{feature:?} {name} in {:?}", r.roles))
}

fn assert_read_only(exo: &ExoServer) {
    let log = exo.log();
    assert!(!log.iter().any(|l| l.starts_with("VIOLATION")), "{log:?}");
    assert!(
        log.iter()
            .filter(|l| l.starts_with("invoke:"))
            .all(|l| l.starts_with("invoke:Get-ManagementRoleAssignment:")),
        "{log:?}"
    );
}

#[tokio::test]
async fn all_roles_granted_through_a_role_group() {
    let (id, exo) = stand_ins(fixture(all_in_group("Hire2Retire"), user_admin()), SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(r.ok, "{r:#?}");
    assert_eq!(r.code, "exchange.ok");
    assert_eq!(r.tenant.as_ref().unwrap().id, TENANT_ID);
    assert_eq!(r.tenant.as_ref().unwrap().name, "Contoso");
    assert_eq!(r.signed_in_as.as_deref(), Some(SVC));
    assert!(r.missing.is_empty());
    assert!(
        r.roles.iter().all(|x| x.status == Status::Granted),
        "{:?}",
        r.roles
    );
    assert_eq!(
        role(&r, Feature::DistributionLists, "Distribution Groups")
            .via
            .as_deref(),
        Some("Hire2Retire")
    );
    assert_eq!(
        role(&r, Feature::SharedMailboxes, "User Administrator")
            .via
            .as_deref(),
        Some("directory role")
    );
    assert!(r.fix_script.is_empty());
    assert!(r
        .script
        .contains("Connect-ExchangeOnline -ExchangeEnvironmentName 'O365Default'"));
    let log = exo.log();
    assert!(log.contains(&format!("anchor:UPN:{SVC}")), "{log:?}");
    assert!(
        log.iter().any(|l| l.starts_with(&format!(
            "invoke:Get-ManagementRoleAssignment:{{\"RoleAssignee\":\"{SVC}\"}}"
        ))),
        "{log:?}"
    );
    assert!(log.contains(&format!("graph:me/memberOf:{SVC}")), "{log:?}");
    assert_read_only(&exo);
    // The sign-in asked for the Exchange resource; Graph came from the refresh token.
    let idlog = id.log();
    assert!(
        idlog.iter().any(|l| l.starts_with(
            "authorize:scope=openid profile offline_access https://outlook.office365.com/.default"
        )),
        "{idlog:?}"
    );
    assert!(
        idlog.contains(&"refresh:scope=User.Read".to_string()),
        "{idlog:?}"
    );
}

#[tokio::test]
async fn service_account_may_not_read_assignments_then_as_admin() {
    let mut cfg = fixture(all_in_group("Hire2Retire"), user_admin());
    cfg.readers = vec![ADMIN.into()];
    let (id, exo) = stand_ins(cfg.clone(), SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(!r.ok);
    assert_eq!(r.code, "exchange.cannot_read_assignments", "{r:#?}");
    let dl = role(&r, Feature::DistributionLists, "Distribution Groups");
    assert_eq!(dl.status, Status::Unknown);
    assert!(
        dl.reason
            .as_deref()
            .unwrap()
            .contains("may not read role assignments"),
        "{dl:?}"
    );
    assert_eq!(
        role(&r, Feature::M365Groups, "User Administrator").status,
        Status::Granted,
        "Graph still answers"
    );
    assert!(r.hint.contains("Exchange administrator"), "{}", r.hint);
    assert!(
        !r.hint.contains("--"),
        "no CLI flag in the hint: {}",
        r.hint
    );
    assert!(r.missing.is_empty());

    // The same, checked by an Exchange administrator.
    let (id, exo) = stand_ins(cfg, ADMIN).await;
    let mut req = request(&id, &exo);
    req.as_admin = true;
    let r = run(&req).await;
    assert!(r.ok, "{r:#?}");
    assert_eq!(r.signed_in_as.as_deref(), Some(ADMIN));
    assert!(
        r.message.contains(&format!("checked as {ADMIN}")),
        "{}",
        r.message
    );
    let log = exo.log();
    assert!(log.contains(&format!("anchor:UPN:{ADMIN}")), "{log:?}");
    assert!(
        log.iter()
            .any(|l| l.contains(&format!("\"RoleAssignee\":\"{SVC}\""))),
        "{log:?}"
    );
    assert!(
        log.contains(&format!("graph:users/{SVC}/transitiveMemberOf")),
        "{log:?}"
    );
    assert!(id
        .log()
        .contains(&"refresh:scope=Directory.Read.All".to_string()));
    assert_read_only(&exo);
}

#[tokio::test]
async fn one_role_missing_names_it_and_the_fix() {
    let rows: Vec<Value> = all_in_group("Hire2Retire")
        .into_iter()
        .filter(|v| v["Role"] != "Mail Recipients")
        .collect();
    let (id, exo) = stand_ins(fixture(rows, user_admin()), SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(!r.ok);
    assert_eq!(r.code, "exchange.missing_roles");
    assert_eq!(r.missing, ["Mail Recipients"]);
    let m = role(&r, Feature::M365Groups, "Mail Recipients");
    assert_eq!(m.status, Status::Missing);
    assert_eq!(
        m.fix.as_deref(),
        Some("New-ManagementRoleAssignment -SecurityGroup 'Hire2Retire' -Role 'Mail Recipients'")
    );
    assert!(
        r.message.contains("lacks 1 role: Mail Recipients."),
        "{}",
        r.message
    );
    assert!(r.fix_script.contains(
        "New-ManagementRoleAssignment -SecurityGroup 'Hire2Retire' -Role 'Mail Recipients'"
    ));
    // The shared-mailbox practice row for the same role is missing too, and says so.
    assert_eq!(
        role(&r, Feature::SharedMailboxes, "Mail Recipients").status,
        Status::Missing
    );
}

#[tokio::test]
async fn account_in_no_role_group_gets_the_new_role_group_line() {
    let (id, exo) = stand_ins(fixture(vec![], vec![]), SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert_eq!(r.code, "exchange.missing_roles");
    assert_eq!(
        r.missing,
        [
            "Distribution Groups",
            "User Administrator",
            "Mail Recipients",
            "Security Group Creation and Membership",
            "Mail Recipient Creation"
        ]
    );
    assert!(r.fix_script.contains("New-RoleGroup -Name 'Hire2Retire' -Roles 'Distribution Groups','Mail Recipients','Security Group Creation and Membership','Mail Recipient Creation' -Members 'svc-h2r@contoso.example'"), "{}", r.fix_script);
    let ua = role(&r, Feature::SharedMailboxes, "User Administrator");
    assert!(
        ua.fix
            .as_deref()
            .unwrap()
            .contains("Microsoft Entra admin center"),
        "{ua:?}"
    );
    assert!(r.hint.contains("User Administrator"), "{}", r.hint);
}

#[tokio::test]
async fn roles_granted_directly_and_entra_compared_by_template_id() {
    let rows = all_in_group("Hire2Retire")
        .into_iter()
        .map(|mut v| {
            if v["Role"] == "Distribution Groups" {
                v = assignment("Distribution Groups", SVC, "User");
            }
            v
        })
        .collect();
    // A localised display name with the right template ID counts; a look-alike name does not.
    let roles = vec![
        directory_role("Benutzeradministrator", USER_ADMIN_TEMPLATE),
        directory_role(
            "Helpdesk Administrator",
            "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        ),
    ];
    let (id, exo) = stand_ins(fixture(rows, roles), SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(r.ok, "{r:#?}");
    assert_eq!(
        role(&r, Feature::DistributionLists, "Distribution Groups")
            .via
            .as_deref(),
        Some("direct assignment")
    );

    let roles = vec![directory_role(
        "User Administrator",
        "00000000-0000-0000-0000-000000000000",
    )];
    let (id, exo) = stand_ins(fixture(all_in_group("Hire2Retire"), roles), SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert_eq!(r.missing, ["User Administrator"], "{r:#?}");
}

#[tokio::test]
async fn paging_follows_next_link() {
    let mut rows = vec![
        assignment("Address Lists", "Organization Management", "RoleGroup"),
        assignment(
            "View-Only Configuration",
            "View-Only Organization Management",
            "RoleGroup",
        ),
    ];
    rows.extend(all_in_group("Hire2Retire"));
    let mut cfg = fixture(rows, user_admin());
    cfg.page_size = 2;
    cfg.warnings = vec![
        "The command completed successfully but no settings of 'x' have been modified.".into(),
    ];
    let (id, exo) = stand_ins(cfg, SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(r.ok, "{r:#?}");
    let pages: Vec<String> = exo
        .log()
        .into_iter()
        .filter(|l| l.starts_with("invoke:"))
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[2].ends_with("page=2"));
    assert_eq!(r.warnings.len(), 3, "each page's warning is kept");
}

#[tokio::test]
async fn throttling_honours_retry_after_then_gives_up() {
    let mut cfg = fixture(all_in_group("Hire2Retire"), user_admin());
    cfg.throttle = 2;
    let (id, exo) = stand_ins(cfg.clone(), SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(r.ok, "{r:#?}");
    assert_eq!(exo.log().iter().filter(|l| *l == "throttled").count(), 2);

    cfg.throttle = 100;
    cfg.retry_after = "0";
    let (id, exo) = stand_ins(cfg, SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(!r.ok);
    assert_eq!(r.code, "exchange.throttled", "{r:#?}");
    assert_eq!(
        exo.log().iter().filter(|l| *l == "throttled").count(),
        4,
        "bounded attempts"
    );
    assert_eq!(
        role(&r, Feature::DistributionLists, "Distribution Groups").status,
        Status::Unknown
    );
}

#[tokio::test]
async fn error_body_with_details_is_reported() {
    let mut cfg = fixture(all_in_group("Hire2Retire"), user_admin());
    cfg.error = Some((500, exo_error("InternalServerError", "Error executing request.",
        "Ex2F3B1A|Microsoft.Exchange.Data.Directory.ADTransientException|Active Directory operation failed on AM0PR01A001DC01. This error is not retriable.")));
    let (id, exo) = stand_ins(cfg, SVC).await;
    let r = run(&request(&id, &exo)).await;
    assert!(!r.ok);
    assert_eq!(r.code, "exchange.api_error", "{r:#?}");
    assert!(
        r.message.contains("ADTransientException")
            && r.message.contains("Active Directory operation failed"),
        "{}",
        r.message
    );
    assert!(r
        .roles
        .iter()
        .filter(|x| x.source == h2r_setup::exchange::RoleSource::Exchange)
        .all(|x| x.status == Status::Unknown));
}

#[tokio::test]
async fn token_for_another_user_is_refused_before_any_read() {
    let (id, exo) = stand_ins(
        fixture(all_in_group("Hire2Retire"), user_admin()),
        "megan@contoso.example",
    )
    .await;
    let r = run(&request(&id, &exo)).await;
    assert!(!r.ok);
    assert_eq!(r.code, "exchange.wrong_account");
    assert!(
        r.message.contains("megan@contoso.example") && r.message.contains(SVC),
        "{}",
        r.message
    );
    assert!(
        exo.log().is_empty(),
        "nothing was read with the wrong account's token"
    );

    // Case differences are not a mismatch.
    let (id, exo) = stand_ins(
        fixture(all_in_group("Hire2Retire"), user_admin()),
        &SVC.to_uppercase(),
    )
    .await;
    let mut cfg_req = request(&id, &exo);
    cfg_req.service_account = SVC.into();
    let r = run(&cfg_req).await;
    assert_ne!(r.code, "exchange.wrong_account", "{r:#?}");
}

#[tokio::test]
async fn feature_choice_drives_the_check() {
    let rows = vec![assignment(
        "Distribution Groups",
        "Hire2Retire",
        "RoleGroup",
    )];
    let (id, exo) = stand_ins(fixture(rows, vec![]), SVC).await;
    let mut req = request(&id, &exo);
    req.kind = ConnectionKind::AzureAd;
    req.features = Some(vec![Feature::DistributionLists]);
    let r = run(&req).await;
    assert!(r.ok, "{r:#?}");
    assert_eq!(r.roles.len(), 1);
    assert!(!r.script.contains("User Administrator"));

    req.features = Some(vec![Feature::M365Groups]);
    let r = run(&req).await;
    assert_eq!(
        r.code, "exchange.invalid_input",
        "Microsoft 365 groups are hybrid only"
    );
}

/// The saved connection remembers the latest check: passed or not, when, which account and
/// features; never a token (issue 9 "The summary and the saved connection record …").
#[tokio::test]
async fn the_check_is_recorded_for_the_saved_connection_without_a_token() {
    use h2r_setup::exchange::ExchangeCheckRecord;
    use h2r_setup::settings::{self, SavedConnection, Settings};

    let (id, exo) = stand_ins(fixture(all_in_group("Hire2Retire"), user_admin()), SVC).await;
    let mut req = request(&id, &exo);
    req.kind = ConnectionKind::AzureAd;
    req.features = Some(vec![Feature::DistributionLists, Feature::SharedMailboxes]);
    let r = run(&req).await;
    assert!(r.ok, "{r:#?}");
    let rec = r.record.clone().expect("a finished check is recorded");
    assert!(rec.passed);
    assert_eq!(rec.code, "exchange.ok");
    assert_eq!(rec.account, SVC);
    assert_eq!(
        rec.features,
        [Feature::DistributionLists, Feature::SharedMailboxes]
    );
    assert!(rec.missing.is_empty());
    // RFC 3339, UTC, today.
    assert_eq!(
        rec.checked_at.len(),
        "2026-12-02T03:00:00Z".len(),
        "{}",
        rec.checked_at
    );
    assert!(rec.checked_at.ends_with('Z') && rec.checked_at.as_bytes()[10] == b'T');
    assert_eq!(rec.checked_at, r.checked_at);

    // A role missing: recorded as not passed, naming it.
    let rows: Vec<Value> = all_in_group("Hire2Retire")
        .into_iter()
        .filter(|v| v["Role"] != "Distribution Groups")
        .collect();
    let (id2, exo2) = stand_ins(fixture(rows, user_admin()), SVC).await;
    let mut req2 = request(&id2, &exo2);
    req2.kind = ConnectionKind::AzureAd;
    let failed = run(&req2).await.record.expect("recorded");
    assert!(!failed.passed);
    assert_eq!(failed.missing, ["Distribution Groups"]);
    assert_eq!(
        failed.features,
        [
            Feature::DistributionLists,
            Feature::MailEnabledSecurityGroups,
            Feature::SharedMailboxes
        ],
        "every feature of the kind by default"
    );

    // Saved with the connection whose service account it is about; another account's record is
    // not kept.
    let conn = h2r_setup::validate::validate_value(&serde_json::json!({"kind": "azure-ad", "name": "Tenant",
        "application": {"kind": "service-provider", "cloud": "global", "client_id": CLIENT_ID},
        "exchange_online": {"name": "Connection-Exchange Online", "service_account": SVC.to_uppercase()}}))
    .connection
    .expect("valid");
    assert!(rec.applies_to(&conn), "UPNs compare case-insensitively");
    let mut other = rec.clone();
    other.account = "someone-else@contoso.example".into();
    assert_eq!(
        ExchangeCheckRecord::for_connection(Some(other), &conn),
        None
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(settings::STORE_FILE);
    let mut st = Settings::default();
    st.upsert(SavedConnection {
        id: "x".into(),
        saved_at: rec.checked_at.clone(),
        complete: true,
        connection: conn.clone(),
        ldap_check: None,
        exchange_check: ExchangeCheckRecord::for_connection(Some(rec.clone()), &conn),
    });
    settings::save_file(&path, &st).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let back = settings::load_file(&path).unwrap();
    assert_eq!(back.connections[0].exchange_check.as_ref(), Some(&rec));
    let v: Value = serde_json::from_str(&text).unwrap();
    let saved = v
        .pointer("/settings/connections/0/exchange_check")
        .or_else(|| v.pointer("/connections/0/exchange_check"))
        .expect("exchange_check saved");
    assert_eq!(saved["passed"], true);
    assert_eq!(
        saved["features"],
        serde_json::json!(["distribution-lists", "shared-mailboxes"])
    );
    // No token, nor anything shaped like one (a JWT's header starts with "eyJ").
    assert!(!text.contains("eyJ"), "{text}");
    assert!(!text.to_ascii_lowercase().contains("token"), "{text}");
}

/// A cancelled check leaves nothing to record.
#[test]
fn a_cancelled_check_is_not_recorded() {
    let mut r: CheckReport = serde_json::from_value(serde_json::json!({"ok": false, "account": SVC, "signed_in_as": null,
        "as_admin": false, "tenant": null, "roles": [], "missing": [], "code": "identity.cancelled", "message": "m", "hint": "h",
        "script": "", "fix_script": ""}))
    .unwrap();
    assert_eq!(h2r_setup::exchange::ExchangeCheckRecord::of(&r), None);
    r.code = "identity.sign_in_failed".into();
    assert!(
        !h2r_setup::exchange::ExchangeCheckRecord::of(&r)
            .unwrap()
            .passed
    );
}

/// The arguments of `exchange check` of the service account against the stand-ins, JSON out;
/// `method` is `--no-browser` or `--device-code` (shared with the proxy tests).
pub(crate) fn check_args<'a>(
    id: &'a IdServer,
    exo: &'a ExoServer,
    method: &'a str,
) -> Vec<&'a str> {
    vec![
        "exchange",
        "check",
        "--kind",
        "hybrid-onprem",
        "--service-account",
        SVC,
        method,
        "--format",
        "json",
        "--client-id",
        CLIENT_ID,
        "--authority-url",
        &id.base,
        "--graph-url",
        &id.base,
        "--exchange-url",
        &exo.base,
        "--timeout-ms",
        "20000",
    ]
}

mod cli {
    use super::*;
    use tokio::io::{AsyncBufReadExt, BufReader};
    use tokio::process::Command;

    fn bin() -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_h2r-setup"));
        c.env_remove("H2R_EXO_CLIENT_ID");
        c
    }

    /// `exchange check` of the service account against the stand-ins, JSON out; `method` is
    /// `--no-browser` or `--device-code`.
    fn check_cmd(id: &IdServer, exo: &ExoServer, method: &str) -> Command {
        let mut cmd = bin();
        cmd.args(super::check_args(id, exo, method));
        cmd
    }

    /// `exchange check --no-browser`: read the first stderr line, follow the URL; (exit, JSON, first line).
    async fn check_cli(id: &IdServer, exo: &ExoServer, extra: &[&str]) -> (i32, Value, String) {
        let mut cmd = check_cmd(id, exo, "--no-browser");
        cmd.args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next_line().await.unwrap().unwrap_or_default();
        if let Some(url) = first.strip_prefix("Open this URL to sign in: ") {
            browse(url).await;
        }
        while let Ok(Some(_)) = lines.next_line().await {}
        let out = child.wait_with_output().await.unwrap();
        let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.code().unwrap(), json, first)
    }

    #[tokio::test]
    async fn check_prints_the_url_first_then_the_json() {
        let (id, exo) = stand_ins(fixture(all_in_group("Hire2Retire"), user_admin()), SVC).await;
        let (code, json, first) = check_cli(&id, &exo, &[]).await;
        assert!(
            first.starts_with(&format!(
                "Open this URL to sign in: {}/organizations/oauth2/v2.0/authorize?",
                id.base
            )),
            "{first}"
        );
        assert_eq!(code, 0, "{json}");
        for k in [
            "ok", "account", "tenant", "roles", "missing", "code", "message", "hint", "script",
        ] {
            assert!(json.get(k).is_some(), "{k} in {json}");
        }
        assert_eq!(json["account"], SVC);
        assert_eq!(json["tenant"]["id"], TENANT_ID);
        assert_eq!(json["tenant"]["name"], "Contoso");
        let r0 = &json["roles"][0];
        assert_eq!(r0["feature"], "distribution-lists");
        assert_eq!(r0["role"], "Distribution Groups");
        assert_eq!(r0["source"], "exchange");
        assert_eq!(r0["status"], "granted");
        assert_eq!(r0["via"], "Hire2Retire");
        assert!(json["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["source"] == "entra" && r["role"] == "User Administrator"));
    }

    /// `--device-code`: the code and where to enter it go to stderr, the result to stdout, and the
    /// device flow asked for the Exchange Online resource.
    #[tokio::test]
    async fn device_code_check_prints_the_code_then_the_json() {
        let (id, exo) = stand_ins(fixture(all_in_group("Hire2Retire"), user_admin()), SVC).await;
        let out = check_cmd(&id, &exo, "--device-code")
            .output()
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert_eq!(out.status.code(), Some(0), "{json}\n{stderr}");
        assert!(
            stderr.contains("/devicelogin") && stderr.contains("FJHKDS7NA"),
            "{stderr}"
        );
        assert!(!stderr.contains("Open this URL to sign in"), "{stderr}");
        assert_eq!(json["ok"], true, "{json}");
        assert_eq!(json["account"], SVC);
        assert!(
            id.log().iter().any(|l| l.starts_with("devicecode:")
                && l.contains("https://outlook.office365.com/.default")),
            "{:?}",
            id.log()
        );
    }

    #[tokio::test]
    async fn missing_exits_1_usage_exits_2() {
        let (id, exo) = stand_ins(fixture(vec![], user_admin()), SVC).await;
        let (code, json, _) = check_cli(&id, &exo, &["--features", "distribution-lists"]).await;
        assert_eq!(code, 1, "{json}");
        assert_eq!(json["missing"], serde_json::json!(["Distribution Groups"]));
        assert_eq!(json["roles"].as_array().unwrap().len(), 1);

        for bad in [
            &["--features", "mailboxes"][..],
            &["--exchange-url", "http://10.0.0.1"][..],
            &["--cloud", "mars"][..],
            &["--tenant", "not a tenant"][..],
        ] {
            let (code, _, first) = check_cli(&id, &exo, bad).await;
            assert_eq!(code, 2, "{bad:?}: {first}");
        }
        let out = bin()
            .args([
                "exchange",
                "check",
                "--kind",
                "azure-ad",
                "--service-account",
                SVC,
                "--features",
                "m365-groups",
            ])
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("hybrid connection only"));
        let out = bin()
            .args([
                "exchange",
                "check",
                "--kind",
                "azure-ad",
                "--service-account",
                "svc@exаmple.com",
                "--format",
                "json",
                "--authority-url",
                &id.base,
            ])
            .output()
            .await
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "a look-alike account is refused before signing in"
        );
        assert!(exo.log().iter().all(|l| !l.contains("exаmple")));
    }

    #[tokio::test]
    async fn roles_table_is_the_vendors() {
        let out = bin()
            .args([
                "exchange",
                "roles",
                "--kind",
                "azure-ad",
                "--format",
                "json",
                "--cloud",
                "usgov-high",
                "--service-account",
                SVC,
            ])
            .output()
            .await
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let rows: Vec<(String, Vec<String>)> = v["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["feature"].as_str().unwrap().to_string(),
                    r["roles"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "Azure AD distribution lists".to_string(),
                    vec!["Distribution Groups".to_string()]
                ),
                (
                    "Mail-enabled security groups".to_string(),
                    vec!["Security Group Creation and Membership".to_string()]
                ),
                (
                    "Shared mailbox".to_string(),
                    vec!["User Administrator".to_string()]
                ),
            ]
        );
        assert!(v["role_group_command"]
            .as_str()
            .unwrap()
            .contains("-ExchangeEnvironmentName 'O365USGovGCCHigh'"));
        let out = bin()
            .args(["exchange", "roles", "--kind", "hybrid-onprem"])
            .output()
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Microsoft 365 groups: User Administrator (Microsoft Entra directory role), Mail Recipients (Exchange management role)"), "{text}");
        assert!(
            text.contains("also needed in practice: Mail Recipient Creation"),
            "{text}"
        );
    }
}
