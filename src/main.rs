//! `h2r-setup`: the wizard's every step, scriptable, with JSON output for unattended use.
//!
//! Exit codes everywhere: 0 success, 1 the check/validation failed, 2 usage or unreadable input.

#![forbid(unsafe_code)]

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "h2r-setup",
    version,
    about = "Hire2Retire Setup: connect your directory to Hire2Retire",
    long_about = "Hire2Retire Setup: connect your directory to Hire2Retire.\n\n\
        Every step of the desktop wizard, for scripts and unattended use. \
        Exit codes: 0 success, 1 check or validation failed, 2 usage error or unreadable input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a connection profile (JSON) field by field
    Validate(cli::validate::Args),
    /// Generate or rotate the RSA key pair of an on-prem agent
    #[command(subcommand)]
    Keys(cli::keys::Cmd),
    /// Seal or open the agent's encrypted config (JWE)
    #[command(subcommand, name = "agent-config")]
    AgentConfig(cli::agent_config::Cmd),
    /// Check domain controllers live over LDAPS
    #[command(subcommand)]
    Ldap(cli::ldap::Cmd),
    /// Sign in to Microsoft Entra ID (Azure AD) and check permissions
    #[command(subcommand)]
    Azure(cli::azure::Cmd),
    /// Exchange Online: the role group the service account needs
    #[command(subcommand)]
    Exchange(cli::exchange::Cmd),
    /// Save a support report (ZIP, no secret): version, OS, connection, check results, log
    SupportReport(cli::support_report::Args),
}

fn main() -> ExitCode {
    // The CLI holds the AD password and private keys too: no core file.
    let _ = h2r_setup::platform::harden_process();
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => cli::validate::run(args),
        Command::Keys(cmd) => cli::keys::run(cmd),
        Command::AgentConfig(cmd) => cli::agent_config::run(cmd),
        Command::Ldap(cmd) => cli::ldap::run(cmd),
        Command::Azure(cmd) => cli::azure::run(cmd),
        Command::Exchange(cmd) => cli::exchange::run(cmd),
        Command::SupportReport(args) => cli::support_report::run(args),
    }
}
