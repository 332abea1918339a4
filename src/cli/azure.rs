//! `h2r-setup azure …`: Microsoft sign-in, admin consent, certificate credential.
//! A thin layer over `h2r_setup::identity`.

use super::output::{fail, print_json, Format};
use clap::{Args, Subcommand, ValueEnum};
use h2r_setup::error::cli::CliError;
use h2r_setup::identity::certificate::{self, CertificateRequest};
use h2r_setup::identity::signin::{self, SignInEvent, SignInMethod, SignInReport};
use h2r_setup::identity::{cloud, Cancel, SignInRequest};
use h2r_setup::profile::{ApplicationKind, Cloud};
use h2r_setup::{Diagnostic, Problem};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Cmd {
    /// Sign in (Service Provider Application) or verify the certificate credential (Customer
    /// Owned Application); report the tenant and the granted and missing permissions
    #[command(name = "sign-in")]
    SignIn(SignInArgs),
    /// Print the admin consent link for an administrator to open
    #[command(name = "consent-url")]
    ConsentUrl(ConsentArgs),
    /// Open the admin consent page and wait for the administrator's answer
    #[command(name = "admin-consent")]
    AdminConsent(AdminConsentArgs),
    /// Generate a certificate credential for a Customer Owned Application
    Certificate(CertificateArgs),
    /// List the national clouds and their endpoints
    Clouds {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum AppArg {
    ServiceProvider,
    CustomerOwned,
}

impl From<AppArg> for ApplicationKind {
    fn from(a: AppArg) -> Self {
        match a {
            AppArg::ServiceProvider => ApplicationKind::ServiceProvider,
            AppArg::CustomerOwned => ApplicationKind::CustomerOwned,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CloudArg {
    Global,
    UsgovHigh,
    UsgovDod,
    China,
}

impl From<CloudArg> for Cloud {
    fn from(c: CloudArg) -> Self {
        match c {
            CloudArg::Global => Cloud::Global,
            CloudArg::UsgovHigh => Cloud::UsgovHigh,
            CloudArg::UsgovDod => Cloud::UsgovDod,
            CloudArg::China => Cloud::China,
        }
    }
}

#[derive(Args)]
pub struct Target {
    /// Which application
    #[arg(long, value_enum)]
    app: AppArg,
    /// National cloud
    #[arg(long, value_enum, default_value = "global")]
    cloud: CloudArg,
    /// Tenant ID (GUID) or verified domain (Service Provider default: organizations)
    #[arg(long)]
    tenant: Option<String>,
    /// Application (client) ID. Service Provider default: $H2R_SP_CLIENT_ID or the build's
    #[arg(long)]
    client_id: Option<String>,
    /// Use this sign-in authority instead of the cloud's (private endpoints, tests): https, or http on loopback only
    #[arg(long, value_name = "URL")]
    authority_url: Option<String>,
    /// Use this Microsoft Graph endpoint instead of the cloud's (private endpoints, tests): https, or http on loopback only
    #[arg(long, value_name = "URL")]
    graph_url: Option<String>,
}

impl Target {
    fn request(&self) -> SignInRequest {
        let app: ApplicationKind = self.app.into();
        let mut r = SignInRequest::new(self.cloud.into());
        r.tenant = self.tenant.clone();
        r.client_id = match app {
            ApplicationKind::ServiceProvider => {
                signin::service_provider_client_id(self.client_id.as_deref())
            }
            ApplicationKind::CustomerOwned => self.client_id.clone(),
        };
        r.authority_url = self.authority_url.clone();
        r.graph_url = self.graph_url.clone();
        r
    }
}

#[derive(Args)]
pub struct SignInArgs {
    #[command(flatten)]
    target: Target,
    /// Don't open a browser: print the sign-in URL on stderr and wait
    #[arg(long, conflicts_with = "device_code")]
    no_browser: bool,
    /// Sign in with a device code (for machines without a browser)
    #[arg(long)]
    device_code: bool,
    /// How long to wait for the sign-in, in milliseconds
    #[arg(long, default_value_t = 300_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    timeout_ms: u64,
    /// Pre-fill the account in the browser
    #[arg(long)]
    login_hint: Option<String>,
    /// Customer Owned: the certificate credential file (<name>.key.pem) written by `azure certificate`
    #[arg(long, value_name = "FILE")]
    certificate: Option<PathBuf>,
    /// Customer Owned: file holding the certificate key's passphrase (default: $H2R_CERT_PASSPHRASE)
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// Send every request to Microsoft through this proxy (http://host:port or https://host:port,
    /// no user name or password; hosts in NO_PROXY go direct). Default: HTTPS_PROXY/NO_PROXY,
    /// then the system's proxy settings
    #[arg(long, value_name = "URL")]
    proxy: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
pub struct ConsentArgs {
    #[command(flatten)]
    target: Target,
}

#[derive(Args)]
pub struct AdminConsentArgs {
    #[command(flatten)]
    target: Target,
    /// Don't open a browser: print the consent URL on stderr and wait
    #[arg(long)]
    no_browser: bool,
    #[arg(long, default_value_t = 300_000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    timeout_ms: u64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Args)]
pub struct CertificateArgs {
    /// Folder to write <name>.cer, <name>.pem and <name>.key.pem into
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// File name stem
    #[arg(long, default_value = "hire2retire")]
    name: String,
    /// Subject common name
    #[arg(long, default_value = "Hire2Retire")]
    common_name: String,
    /// Validity in days
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// RSA key size
    #[arg(long, default_value_t = 2048)]
    bits: usize,
    /// File holding the passphrase protecting the private key (default: $H2R_CERT_PASSPHRASE)
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub const PASSPHRASE_ENV: &str = "H2R_CERT_PASSPHRASE";

pub fn run(cmd: Cmd) -> ExitCode {
    match cmd {
        Cmd::SignIn(a) => sign_in(a),
        Cmd::ConsentUrl(a) => {
            match signin::admin_consent_link(&a.target.request(), a.target.app.into()) {
                Ok(url) => {
                    println!("{url}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_problem()),
            }
        }
        Cmd::AdminConsent(a) => admin_consent(a),
        Cmd::Certificate(a) => generate_certificate(a),
        Cmd::Clouds { format } => {
            match format {
                Format::Json => print_json(&cloud::CLOUDS),
                Format::Text => {
                    for c in cloud::CLOUDS {
                        println!(
                            "{:<11} {:<30} {:<41} {:<40} {} ({})",
                            c.cloud.as_str(),
                            c.name,
                            c.authority,
                            c.graph,
                            c.exchange_host,
                            c.exchange_environment
                        );
                    }
                }
            }
            ExitCode::SUCCESS
        }
    }
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Cancel on Ctrl-C.
pub(crate) fn cancel_on_ctrl_c(cancel: &Cancel) {
    let c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            c.cancel();
        }
    });
}

fn read_passphrase(file: Option<&PathBuf>) -> Result<zeroize::Zeroizing<String>, Problem> {
    // The one passphrase-file rule of the crate: the first line, UTF-8, not empty.
    if let Some(f) = file {
        let p = h2r_setup::keys::Passphrase::from_file(f).map_err(|e| e.to_problem())?;
        return Ok(zeroize::Zeroizing::new(p.expose().to_string()));
    }
    match std::env::var(PASSPHRASE_ENV) {
        Ok(s) if !s.is_empty() => Ok(zeroize::Zeroizing::new(s)),
        _ => Err(CliError::usage(
            "No passphrase was given for the certificate's private key.",
            format!("Set {PASSPHRASE_ENV} or pass --passphrase-file FILE."),
        )
        .to_problem()),
    }
}

/// Try the platform's opener; the URL is printed in any case.
fn open_browser(url: &str) -> bool {
    #[cfg(target_os = "macos")]
    let (prog, args) = ("open", vec![url]);
    #[cfg(target_os = "windows")]
    let (prog, args) = ("rundll32", vec!["url.dll,FileProtocolHandler", url]);
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let (prog, args) = ("xdg-open", vec![url]);
    std::process::Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

pub(crate) fn event_printer(
    no_browser: bool,
    what: &'static str,
) -> impl Fn(SignInEvent) + Send + Sync {
    move |ev| {
        let mut err = std::io::stderr().lock();
        match ev {
            SignInEvent::OpenUrl { url } => {
                if no_browser || !open_browser(&url) {
                    let _ = writeln!(err, "Open this URL to {what}: {url}");
                } else {
                    let _ = writeln!(
                        err,
                        "Opened the browser to {what}. If it did not open, use: {url}"
                    );
                }
            }
            SignInEvent::DeviceCode(p) => {
                let _ = writeln!(err, "{}", p.message);
            }
            SignInEvent::Waiting => {
                let _ = writeln!(err, "Waiting… (Ctrl-C cancels)");
            }
            SignInEvent::Exchanging | SignInEvent::ReadingOrganization => {}
        }
        let _ = err.flush();
    }
}

fn print_report(r: &SignInReport, format: Format) {
    match format {
        Format::Json => print_json(r),
        Format::Text => {
            println!("{}", r.message);
            if let Some(t) = &r.tenant {
                println!(
                    "Tenant: {} ({})",
                    if t.name.is_empty() { "-" } else { &t.name },
                    t.id
                );
                if !t.domains.is_empty() {
                    println!("Verified domains: {}", t.domains.join(", "));
                }
            }
            if !r.granted.is_empty() {
                println!("Granted: {}", r.granted.join(", "));
            }
            if !r.missing.is_empty() {
                println!("Missing: {}", r.missing.join(", "));
            }
            if !r.hint.is_empty() {
                println!("What to do: {}", r.hint);
            }
            if let Some(u) = &r.admin_consent_url {
                println!("Admin consent link: {u}");
            }
        }
    }
}

fn report_exit(r: &SignInReport) -> ExitCode {
    ExitCode::from(r.exit_code())
}

fn sign_in(a: SignInArgs) -> ExitCode {
    let app: ApplicationKind = a.target.app.into();
    let mut req = a.target.request();
    req.timeout_ms = a.timeout_ms;
    req.login_hint = a.login_hint.clone();
    req.proxy = match h2r_setup::identity::proxy::check(a.proxy.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: --proxy: {} {}", e, e.hint());
            return ExitCode::from(2);
        }
    };
    req.method = if a.device_code {
        SignInMethod::DeviceCode
    } else {
        SignInMethod::Browser
    };
    let rt = runtime();
    let report = match app {
        ApplicationKind::ServiceProvider => {
            if a.certificate.is_some() {
                return fail(
                    &CliError::usage(
                        "--certificate is for a Customer Owned Application.",
                        "Drop --certificate, or use --app customer-owned.",
                    )
                    .to_problem(),
                );
            }
            let on_event = event_printer(a.no_browser, "sign in");
            rt.block_on(async {
                let cancel = Cancel::new();
                cancel_on_ctrl_c(&cancel);
                signin::sign_in_service_provider(&req, &on_event, &cancel).await
            })
        }
        ApplicationKind::CustomerOwned => {
            if a.device_code || a.no_browser {
                return fail(&CliError::usage("A Customer Owned Application signs in with its certificate, not in a browser.", "Drop --no-browser / --device-code and pass --certificate.").to_problem());
            }
            let Some(path) = &a.certificate else {
                return fail(&CliError::usage("A Customer Owned Application needs its certificate credential.", "Pass --certificate <name>.key.pem (written by `h2r-setup azure certificate`).").to_problem());
            };
            let pass = match read_passphrase(a.passphrase_file.as_ref()) {
                Ok(p) => p,
                Err(p) => return fail(&p),
            };
            let cred = match certificate::load(path, &pass) {
                Ok(c) => c,
                Err(e) => return fail(&e.to_problem().as_input()),
            };
            drop(pass);
            rt.block_on(async {
                let cancel = Cancel::new();
                cancel_on_ctrl_c(&cancel);
                signin::verify_customer_owned(&req, &cred, &|_| {}, &cancel).await
            })
        }
    };
    print_report(&report, a.format);
    if !report.ok {
        // Every failure is also one sentence (and what to do) on stderr.
        if report.hint.is_empty() {
            eprintln!("error: {}", report.message);
        } else {
            eprintln!("error: {} {}", report.message, report.hint);
        }
    }
    report_exit(&report)
}

fn admin_consent(a: AdminConsentArgs) -> ExitCode {
    let mut req = a.target.request();
    req.timeout_ms = a.timeout_ms;
    let on_event = event_printer(a.no_browser, "grant admin consent");
    let rt = runtime();
    let result = rt.block_on(async {
        let cancel = Cancel::new();
        cancel_on_ctrl_c(&cancel);
        signin::admin_consent(&req, a.target.app.into(), &on_event, &cancel).await
    });
    match result {
        Ok(g) => {
            match a.format {
                Format::Json => print_json(&serde_json::json!({"ok": true, "tenant": g.tenant})),
                Format::Text => println!(
                    "Admin consent granted{}. Sign in again to check the permissions.",
                    g.tenant
                        .map(|t| format!(" for tenant {t}"))
                        .unwrap_or_default()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let p = e.to_problem();
            if a.format == Format::Json {
                print_json(
                    &serde_json::json!({"ok": false, "code": p.code, "message": p.message, "hint": p.hint}),
                );
            }
            fail(&p)
        }
    }
}

fn generate_certificate(a: CertificateArgs) -> ExitCode {
    let req = CertificateRequest {
        common_name: a.common_name.clone(),
        days: a.days,
        bits: a.bits,
    };
    if let Err(e) = req.validate() {
        return fail(&e.to_problem());
    }
    let pass = match read_passphrase(a.passphrase_file.as_ref()) {
        Ok(p) => p,
        Err(p) => return fail(&p),
    };
    if let Err(e) = certificate::check_passphrase(&pass) {
        return fail(&e.to_problem().as_input());
    }
    let cred = match certificate::generate(&req) {
        Ok(c) => c,
        Err(e) => return fail(&e.to_problem()),
    };
    match certificate::save(&cred, &a.out, &a.name, &pass) {
        Ok(saved) => {
            match a.format {
                Format::Json => print_json(&saved),
                Format::Text => {
                    println!("Upload to the app registration (Certificates & secrets > Certificates): {}", saved.cer.display());
                    println!("Same certificate, PEM: {}", saved.pem.display());
                    println!(
                        "Certificate with passphrase-protected private key (for Hire2Retire): {}",
                        saved.key.display()
                    );
                    println!(
                        "Thumbprint (SHA-1, as the Entra portal lists it): {}",
                        saved.info.thumbprint_sha1
                    );
                    println!("SHA-256: {}", saved.info.thumbprint_sha256);
                    println!("Expires: {}", saved.info.not_after);
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_problem().as_input()),
    }
}
