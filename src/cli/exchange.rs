//! `h2r-setup exchange roles …` (the vendor's table and the role-group script) and
//! `h2r-setup exchange check …` (sign in, read the account's roles live).

use super::output::{print_json, Format};
use clap::Subcommand;
use h2r_setup::exchange::roles::{parse_features, RequiredBy, RoleSource};
use h2r_setup::exchange::{
    required_roles, role_group_script, CheckReport, CheckRequest, Status, DEFAULT_ROLE_GROUP,
};
use h2r_setup::identity::signin::SignInMethod;
use h2r_setup::identity::Cancel;
use h2r_setup::profile::{Cloud, ConnectionKind};
use h2r_setup::validate::check_upn;
use h2r_setup::Diagnostic;
use std::process::ExitCode;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    HybridOnprem,
    AzureAd,
}

impl From<Kind> for ConnectionKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::HybridOnprem => ConnectionKind::HybridOnprem,
            Kind::AzureAd => ConnectionKind::AzureAd,
        }
    }
}

#[derive(Subcommand)]
pub enum Cmd {
    /// The roles the Exchange Online service account needs (the vendor's table), where each
    /// lives, what is also needed in practice, and the role-group script
    Roles {
        /// Connection kind (Microsoft 365 groups apply to the hybrid kind only)
        #[arg(long, value_enum)]
        kind: Kind,
        /// The service account to put in the role-group script
        #[arg(long, value_name = "UPN")]
        service_account: Option<String>,
        /// Features used (comma-separated; default: all of the kind):
        /// distribution-lists,m365-groups,mail-enabled-security-groups,shared-mailboxes
        #[arg(long, value_name = "LIST")]
        features: Option<String>,
        /// National cloud of the Connect-ExchangeOnline line
        #[arg(long, value_enum, default_value = "global")]
        cloud: super::azure::CloudArg,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Sign in as the Exchange service account (or, with --as-admin, as an Exchange
    /// administrator) and check live that the account holds every role the chosen features
    /// need; report per role (granted / missing / unknown) with the exact fix
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Connection kind (Microsoft 365 groups apply to the hybrid kind only)
    #[arg(long, value_enum)]
    kind: Kind,
    /// The Exchange Online service account (UPN)
    #[arg(long, value_name = "UPN")]
    service_account: String,
    /// Features used (comma-separated; default: all of the kind):
    /// distribution-lists,m365-groups,mail-enabled-security-groups,shared-mailboxes
    #[arg(long, value_name = "LIST")]
    features: Option<String>,
    /// National cloud
    #[arg(long, value_enum, default_value = "global")]
    cloud: super::azure::CloudArg,
    /// Tenant ID (GUID) or verified domain (default: the account's home tenant)
    #[arg(long)]
    tenant: Option<String>,
    /// Application (client) ID to sign in with. Default: $H2R_EXO_CLIENT_ID, else the public
    /// client of Microsoft's Exchange Online PowerShell module (fb78d390-0c51-40cd-8e17-fdbfab77341b)
    #[arg(long)]
    client_id: Option<String>,
    /// Sign in as an Exchange administrator who reads the service account's role assignments
    /// (when the service account may not read them itself)
    #[arg(long)]
    as_admin: bool,
    /// Don't open a browser: print the sign-in URL on stderr and wait
    #[arg(long, conflicts_with = "device_code")]
    no_browser: bool,
    /// Sign in with a device code (for machines without a browser)
    #[arg(long)]
    device_code: bool,
    /// How long to wait for the sign-in, in milliseconds
    #[arg(long, default_value_t = 300_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    timeout_ms: u64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Use this sign-in authority instead of the cloud's (private endpoints, tests): https, or http on loopback only
    #[arg(long, value_name = "URL")]
    authority_url: Option<String>,
    /// Use this Microsoft Graph endpoint instead of the cloud's: https, or http on loopback only
    #[arg(long, value_name = "URL")]
    graph_url: Option<String>,
    /// Send Exchange admin API requests here instead of the cloud's Exchange host: https, or http on loopback only
    #[arg(long, value_name = "URL")]
    exchange_url: Option<String>,
    /// Send every request to Microsoft through this proxy (http://host:port or https://host:port,
    /// no user name or password; hosts in NO_PROXY go direct). Default: HTTPS_PROXY/NO_PROXY,
    /// then the system's proxy settings
    #[arg(long, value_name = "URL")]
    proxy: Option<String>,
}

pub fn run(cmd: Cmd) -> ExitCode {
    match cmd {
        Cmd::Roles {
            kind,
            service_account,
            features,
            cloud,
            format,
        } => roles(kind.into(), service_account, features, cloud.into(), format),
        Cmd::Check(a) => check(a),
    }
}

fn usage(field: &str, message: &str, hint: &str) -> ExitCode {
    eprintln!("error: --{}: {message} {hint}", field.replace('_', "-"));
    ExitCode::from(2)
}

fn roles(
    kind: ConnectionKind,
    service_account: Option<String>,
    features: Option<String>,
    cloud: Cloud,
    format: Format,
) -> ExitCode {
    let account = match service_account.as_deref().map(check_upn) {
        Some(Err(i)) => return usage("service_account", &i.message, &i.hint),
        Some(Ok(a)) => a,
        None => String::new(),
    };
    let features = match parse_features(kind, features.as_deref()) {
        Ok(f) => f,
        Err(e) => return usage(e.field().unwrap_or("features"), &e.to_string(), &e.hint()),
    };
    let table = required_roles(kind);
    let script = role_group_script(cloud, &features, &account, DEFAULT_ROLE_GROUP);
    match format {
        Format::Json => print_json(&serde_json::json!({
            "roles": table,
            "features": features,
            "role_group_command": script,
        })),
        Format::Text => {
            println!("Roles as the vendor lists them:");
            for r in &table {
                let names: Vec<String> = r
                    .roles
                    .iter()
                    .zip(&r.role_source)
                    .map(|(n, s)| {
                        if *s == RoleSource::Entra {
                            format!("{n} (Microsoft Entra directory role)")
                        } else {
                            format!("{n} (Exchange management role)")
                        }
                    })
                    .collect();
                let chosen = if features.contains(&r.feature_id) {
                    ""
                } else {
                    "  [not chosen]"
                };
                println!("  {}: {}{chosen}", r.feature, names.join(", "));
                for e in &r.also_needed {
                    println!("      also needed in practice: {} - {}", e.role, e.reason);
                }
            }
            println!("\nExchange management roles go into the role group; User Administrator is assigned in the Microsoft Entra admin center.");
            println!("\nRole-group script (Exchange Online PowerShell):\n{script}");
        }
    }
    ExitCode::SUCCESS
}

fn check(a: CheckArgs) -> ExitCode {
    let kind: ConnectionKind = a.kind.into();
    let mut req = CheckRequest::new(kind, a.service_account.clone());
    req.features = match parse_features(kind, a.features.as_deref()) {
        Ok(f) => Some(f),
        Err(e) => return usage(e.field().unwrap_or("features"), &e.to_string(), &e.hint()),
    };
    req.sign_in.cloud = a.cloud.into();
    req.sign_in.tenant = a.tenant.clone();
    req.sign_in.client_id = a.client_id.clone();
    req.as_admin = a.as_admin;
    req.sign_in.method = if a.device_code {
        SignInMethod::DeviceCode
    } else {
        SignInMethod::Browser
    };
    req.sign_in.timeout_ms = a.timeout_ms;
    req.sign_in.authority_url = a.authority_url.clone();
    req.sign_in.graph_url = a.graph_url.clone();
    req.exchange_url = a.exchange_url.clone();
    req.sign_in.proxy = match h2r_setup::identity::proxy::check(a.proxy.as_deref()) {
        Ok(p) => p,
        Err(e) => return usage("proxy", &e.to_string(), &e.hint()),
    };
    let on_event = super::azure::event_printer(a.no_browser, "sign in");
    let report = super::azure::runtime().block_on(async {
        let cancel = Cancel::new();
        super::azure::cancel_on_ctrl_c(&cancel);
        h2r_setup::exchange::check(&req, &on_event, &cancel).await
    });
    match a.format {
        Format::Json => print_json(&report),
        Format::Text => print_text(&report),
    }
    if report.ok {
        return ExitCode::SUCCESS;
    }
    if report.hint.is_empty() {
        eprintln!("error: {}", report.message);
    } else {
        eprintln!("error: {} {}", report.message, report.hint);
    }
    ExitCode::from(report.exit_code())
}

fn print_text(r: &CheckReport) {
    println!("{}", r.message);
    if let Some(t) = &r.tenant {
        println!(
            "Tenant: {} ({})",
            if t.name.is_empty() { "-" } else { &t.name },
            t.id
        );
    }
    if let Some(who) = &r.signed_in_as {
        println!("Signed in as: {who}");
    }
    for role in &r.roles {
        let status = match role.status {
            Status::Granted => format!("granted via {}", role.via.as_deref().unwrap_or("-")),
            Status::Missing => "MISSING".to_string(),
            Status::Unknown => "unknown".to_string(),
        };
        let practice = if role.required_by == RequiredBy::Practice {
            " (also needed in practice)"
        } else {
            ""
        };
        println!(
            "  {:<30} {:<40} {status}{practice}",
            role.feature.label(),
            role.role
        );
        if let Some(why) = &role.reason {
            println!("      why: {why}");
        }
        if let Some(fix) = &role.fix {
            println!("      fix: {fix}");
        }
    }
    for w in &r.warnings {
        println!("Exchange Online warning: {w}");
    }
    if !r.hint.is_empty() {
        println!("What to do: {}", r.hint);
    }
    if !r.fix_script.is_empty() {
        println!("\nFix (Exchange Online PowerShell):\n{}", r.fix_script);
    }
}
