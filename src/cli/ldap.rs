//! `h2r-setup ldap check --connection FILE [--password-env VAR] [--ca-file F] [--pin SHA256]
//! [--insecure] [--timeout-ms N] [--format json|text]`

use super::output::{fail, print_json, Format};
use h2r_setup::error::cli::CliError;
use h2r_setup::ldap::{self, CheckOptions, CheckReport, LdapError, Password, Stage, Tri};
use h2r_setup::profile::{Connection, HybridConnection, TlsTrust};
use h2r_setup::report::{colour_for_stdout, paint, problem_lines, Cell, Table, Tone};
use h2r_setup::validate::Draft;
use h2r_setup::{Diagnostic, Problem};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Check every host of every domain controller live over LDAPS
    ///
    /// Stages per host: resolve, connect, TLS, bind, rootDSE, Base DN, rights. Exit 0 when every
    /// DC has a passing host (warnings allowed), 1 when the check fails, 2 on usage errors.
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The connection profile (JSON, kind hybrid-onprem); `-` reads standard input
    #[arg(long, value_name = "FILE")]
    pub connection: String,
    /// Read the service account's password from this environment variable (else: prompt)
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Trust the CA certificates in this PEM file (for every DC; replaces saved trust settings)
    #[arg(long, value_name = "F")]
    pub ca_file: Option<PathBuf>,
    /// Accept only the certificate with this SHA-256 fingerprint (as openssl prints it)
    #[arg(long, value_name = "SHA256")]
    pub pin: Option<String>,
    /// INSECURE: do not verify certificates (marked in the report)
    #[arg(long)]
    pub insecure: bool,
    /// Bound for each host, connect to done
    #[arg(long, value_name = "N", default_value_t = ldap::DEFAULT_TIMEOUT_MS)]
    pub timeout_ms: u64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(cmd: Cmd) -> ExitCode {
    match cmd {
        Cmd::Check(args) => check(args),
    }
}

fn usage(message: String, hint: &str) -> ExitCode {
    fail(&CliError::usage(message, hint).to_problem())
}

/// Read an On-Premise connection from a profile file (`-`: standard input), validated by the
/// same [`Draft::validate`] as the window's, so the CLI accepts exactly what the window saves
/// (a host list as text, a port as text) and refuses up front what the check would misread.
pub fn read_connection(path: &str) -> Result<HybridConnection, Problem> {
    if path != "-" {
        return read_connection_file(std::path::Path::new(path));
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| CliError::unreadable("Standard input", e).to_problem())?;
    parse_connection(&text, path)
}

/// [`read_connection`] of a file, its path used as given (never `-` for standard input).
pub fn read_connection_file(path: &std::path::Path) -> Result<HybridConnection, Problem> {
    let shown = path.display().to_string();
    let text = h2r_setup::keys::files::read_limited_text(path, 1 << 20).map_err(|e| {
        CliError::unreadable(format!("The connection file {shown}"), e).to_problem()
    })?;
    parse_connection(&text, &shown)
}

/// A profile's text as an On-Premise connection. A file without `kind` (an On-Premise object
/// written by hand, which `agent-config` always accepted) is read as `hybrid-onprem`.
fn parse_connection(text: &str, path: &str) -> Result<HybridConnection, Problem> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        CliError::profile(
            format!("The connection file {path} is not valid JSON ({e})."),
            "Fix the JSON or save the profile again from the wizard.",
        )
        .to_problem()
    })?;
    if let Some(obj) = value.as_object_mut() {
        obj.entry("kind").or_insert_with(|| "hybrid-onprem".into());
    }
    match Draft::from_json(&value).validate::<Connection>() {
        Ok(Connection::HybridOnprem(c)) => Ok(c),
        Ok(Connection::AzureAd(_)) => Err(CliError::profile(
            format!(
                "The connection in {path} is an Azure AD connection; it has no domain controllers."
            ),
            "Give a Hybrid On-Premise connection profile.",
        )
        .to_problem()),
        Err(report) => {
            let Some(e) = report.errors.first() else {
                return Err(CliError::profile(
                    format!("The connection in {path} is not valid."),
                    format!("Run `h2r-setup validate --connection {path}`."),
                )
                .to_problem());
            };
            let more = if report.errors.len() > 1 {
                format!(
                    " ({} more; run `h2r-setup validate --connection {path}`)",
                    report.errors.len() - 1
                )
            } else {
                String::new()
            };
            let field = match e.field() {
                "" => String::new(),
                f => format!("{f}: "),
            };
            Err(CliError::profile(
                format!(
                    "The connection in {path} is not valid: {field}{}{more}",
                    e.message
                ),
                e.hint.clone(),
            )
            .to_problem())
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let conn = match read_connection(&args.connection) {
        Ok(c) => c,
        Err(p) => return fail(&p),
    };
    if conn.domain_controllers.is_empty()
        || conn.domain_controllers.iter().all(|d| d.hosts.is_empty())
    {
        return usage(
            format!(
                "The connection in {} has no domain controller host.",
                args.connection
            ),
            "Add at least one host to a domain controller.",
        );
    }
    if args.timeout_ms == 0 {
        return usage(
            "--timeout-ms must be at least 1.".into(),
            "The default is 10000 (10 s).",
        );
    }
    let override_trust = if args.insecure || args.pin.is_some() || args.ca_file.is_some() {
        if let Some(pin) = &args.pin {
            if let Err(e) = ldap::tls::parse_pin(pin) {
                return fail(&e.to_problem().as_input());
            }
        }
        if let Some(ca) = &args.ca_file {
            if let Err(e) = ldap::tls::load_ca_file(ca) {
                return fail(&e.to_problem().as_input());
            }
        }
        Some(TlsTrust::from_parts(
            args.ca_file.clone(),
            args.pin.clone(),
            args.insecure,
        ))
    } else {
        None
    };
    let password = match &args.password_env {
        Some(var) => match std::env::var(var) {
            Ok(v) => Password::new(v),
            Err(_) => return usage(
                format!("The environment variable {var} is not set."),
                "Export the password in that variable, or leave out --password-env to be prompted.",
            ),
        },
        None => {
            match rpassword::prompt_password(format!("Password for {}: ", conn.service_account)) {
                Ok(p) => Password::new(p),
                Err(e) => {
                    return usage(
                        format!("The password cannot be read from the terminal ({e})."),
                        "Use --password-env VAR in scripts.",
                    )
                }
            }
        }
    };
    let options = CheckOptions {
        timeout_ms: args.timeout_ms,
        trust_override: override_trust,
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&CliError::Runtime(e.to_string()).to_problem()),
    };
    let report = rt.block_on(ldap::check(
        &conn.domain_controllers,
        &conn.service_account,
        &password,
        &options,
        ldap::no_progress(),
        ldap::CancellationToken::new(),
    ));
    match args.format {
        Format::Json => print_json(&report),
        Format::Text => print!("{}", render_text(&report, colour_for_stdout())),
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn tri(t: Tri) -> &'static str {
    match t {
        Tri::Yes => "yes",
        Tri::No => "NO",
        Tri::Unknown => "unknown",
    }
}

/// The readable form: one table row per host, then details, warnings and the verdict.
pub fn render_text(r: &CheckReport, colour: bool) -> String {
    let mut t = Table::new(["DC", "host", "result", "stage", "time", "message"]);
    for e in &r.endpoints {
        let (res, tone) = if e.ok {
            if e.warnings.iter().any(|w| !LdapError::is_insecure_notice(w)) {
                ("passed*", Tone::Warn)
            } else {
                ("passed", Tone::Ok)
            }
        } else {
            ("FAILED", Tone::Fail)
        };
        t.row(vec![
            Cell::plain(format!("{}", e.dc_index + 1)),
            Cell::plain(format!("{}:{}", e.host, e.port)),
            Cell::new(res, tone),
            Cell::plain(if e.ok {
                Stage::Done.as_str()
            } else {
                e.stage.as_str()
            }),
            Cell::new(format!("{} ms", e.elapsed_ms), Tone::Dim),
            Cell::plain(e.message.clone()),
        ]);
    }
    let mut out = t.render(colour);
    out.push('\n');
    for e in &r.endpoints {
        let name = format!("{}:{}", e.host, e.port);
        if !e.ok {
            if let Some(code) = &e.code {
                out.push_str(&format!(
                    "{} {code}\n    -> {}\n",
                    paint(&name, Tone::Fail, colour),
                    e.hint
                ));
            }
            if let Some(b) = &e.suggested_base_dn {
                out.push_str(&format!("    suggested Base DN: {b}\n"));
            }
            if let Some(h) = &e.suggested_host {
                out.push_str(&format!("    suggested host: {h}\n"));
            }
        }
        if let Some(c) = &e.certificate {
            if !c.verified || !e.ok {
                out.push_str(&format!(
                    "    certificate: subject {} | issuer {} | names {} | expires {} | SHA-256 {}\n",
                    c.subject,
                    c.issuer,
                    if c.sans.is_empty() { "(none)".into() } else { c.sans.join(", ") },
                    c.not_after,
                    c.sha256
                ));
            }
        }
        if let Some(rt) = &e.rights {
            out.push_str(&format!(
                "{} rights on {}: create users {}, groups {}, OUs {}; write user attributes {}; reset password {} (not visible over LDAP)\n",
                name,
                e.base_dn,
                tri(rt.create_user),
                tri(rt.create_group),
                tri(rt.create_organizational_unit),
                tri(rt.write_user_attributes),
                tri(rt.reset_password)
            ));
        }
    }
    if r.insecure {
        out.push_str(&paint(
            "INSECURE: certificate verification was turned off for this check.\n",
            Tone::Fail,
            colour,
        ));
    }
    let shown: Vec<Problem> = r
        .warnings
        .iter()
        .filter(|w| !LdapError::is_insecure_notice(w))
        .cloned()
        .collect();
    out.push_str(&problem_lines("warning", &shown, Tone::Warn, colour));
    let verdict = if r.ok {
        paint(
            &format!("OK: every domain controller passed ({} ms).", r.elapsed_ms),
            Tone::Ok,
            colour,
        )
    } else {
        let failed: Vec<String> = r
            .domain_controllers
            .iter()
            .filter(|d| !d.ok)
            .map(|d| (d.dc_index + 1).to_string())
            .collect();
        paint(
            &format!(
                "FAILED: domain controller {} has no passing host ({} ms).",
                failed.join(", "),
                r.elapsed_ms
            ),
            Tone::Fail,
            colour,
        )
    };
    out.push_str(&verdict);
    out.push('\n');
    out
}
