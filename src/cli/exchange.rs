//! `h2r-setup exchange roles --kind hybrid-onprem|azure-ad [--service-account UPN] [--format json|text]`

use super::output::{print_json, Format};
use clap::Subcommand;
use h2r_setup::exchange::{required_roles, role_group_command};
use h2r_setup::profile::ConnectionKind;
use h2r_setup::validate::check_upn;
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
    /// The roles the Exchange Online service account's role group needs, and what each is for
    Roles {
        /// Connection kind (Microsoft 365 groups apply to the hybrid kind only)
        #[arg(long, value_enum)]
        kind: Kind,
        /// The service account to put in the role group command
        #[arg(long, value_name = "UPN")]
        service_account: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub fn run(cmd: Cmd) -> ExitCode {
    let Cmd::Roles {
        kind,
        service_account,
        format,
    } = cmd;
    let account = match service_account.as_deref().map(check_upn) {
        Some(Err(i)) => {
            eprintln!("error: --service-account: {} {}", i.message, i.hint);
            return ExitCode::from(2);
        }
        Some(Ok(a)) => a,
        None => String::new(),
    };
    let kind: ConnectionKind = kind.into();
    let roles = required_roles(kind);
    let command = role_group_command(kind, &account);
    match format {
        Format::Json => {
            print_json(&serde_json::json!({ "roles": roles, "role_group_command": command }))
        }
        Format::Text => {
            for r in &roles {
                let names: Vec<String> = r
                    .roles
                    .iter()
                    .zip(r.role_source)
                    .map(|(n, s)| {
                        if *s == "entra" {
                            format!("{n} (Entra ID role)")
                        } else {
                            n.to_string()
                        }
                    })
                    .collect();
                println!("{}: {}", r.feature, names.join(", "));
                println!("    {}", r.purpose);
            }
            println!("\nCreate the role group in Exchange Online PowerShell:\n    {command}");
        }
    }
    ExitCode::SUCCESS
}
