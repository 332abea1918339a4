//! `h2r-setup agent-config seal|open|create|status|recover|set-password|prune`.

use super::keys::{problem_exit, read_input, read_passphrase};
use super::output::{fail, print_json};
use clap::Subcommand;
use h2r_setup::agent_config::{
    self, connection, folder, handoff, instructions, password, SecretString,
};
use h2r_setup::error::cli::CliError;
use h2r_setup::keys::files::{self, Access};
use h2r_setup::keys::{self, PrivateKey, PublicKey};
use h2r_setup::profile::HybridConnection;
use h2r_setup::Diagnostic;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Cmd {
    /// Seal exactly the given JSON to a public key (JWE RSA-OAEP-256 + A256GCM)
    Seal {
        /// The agent's public key (PEM)
        #[arg(long, value_name = "PUB")]
        public_key: PathBuf,
        /// The plaintext JSON (`-` reads standard input, so a secret need not touch disk)
        #[arg(long = "in", value_name = "PLAIN.json|-")]
        input: PathBuf,
        /// Where to write the sealed config (owner-only, atomic)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Open a sealed config and print exactly the sealed JSON on standard output
    Open {
        /// The agent's private key (PEM)
        #[arg(long, value_name = "KEY")]
        private_key: PathBuf,
        /// Passphrase of the private key, on the first line of this file
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// The sealed config (config.jwe)
        #[arg(long = "in", value_name = "FILE")]
        input: PathBuf,
    },
    /// Write a complete agent folder (what the agent's /config mount needs) from a profile
    Create {
        /// The agent folder to write
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The On-Premise connection profile (JSON, no secrets)
        #[arg(long, value_name = "PROFILE.json")]
        profile: PathBuf,
        /// The AD service account password, on the first line (`-` reads standard input)
        #[arg(long, value_name = "F|-")]
        password_file: PathBuf,
        /// Seal to this imported public key instead of generating a pair (no private key written)
        #[arg(long, value_name = "PUB")]
        public_key: Option<PathBuf>,
        /// Size of a generated key
        #[arg(long, default_value_t = keys::DEFAULT_BITS)]
        bits: usize,
        /// Protect the generated privateKey.pem with this passphrase file
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Replace an existing set (the old one is archived beside the folder)
        #[arg(long)]
        force: bool,
        /// How many replaced sets the archive beside the folder keeps (expired ones are deleted)
        #[arg(long, value_name = "N", default_value_t = 1)]
        keep_archives: usize,
    },
    /// Describe an agent folder as it is (key, state, interrupted change, archives) without opening it
    Status {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
    /// Finish or roll back a change of the folder that was interrupted (crash, power loss)
    Recover {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// How many replaced sets the archive beside the folder keeps
        #[arg(long, value_name = "N", default_value_t = 1)]
        keep_archives: usize,
    },
    /// Seal a new AD service account password into config.jwe (checked by a bind against the DCs first)
    SetPassword {
        /// The agent folder
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The new password, on the first line (`-` reads standard input)
        #[arg(long, value_name = "F|-")]
        password_file: PathBuf,
        /// Passphrase of privateKey.pem, on the first line of this file
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Bound of the bind check per host, in milliseconds
        #[arg(long, value_name = "MS")]
        timeout_ms: Option<u64>,
        /// How many replaced sets the archive beside the folder keeps
        #[arg(long, value_name = "N", default_value_t = 1)]
        keep_archives: usize,
    },
    /// Print what the Hire2Retire portal's On-Premise form needs (no secret), in the portal's order
    Handoff {
        /// The agent folder (its publicKey.pem is what the portal needs)
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The connection profile (default: the connection file beside the folder)
        #[arg(long, value_name = "FILE")]
        connection: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: HandoffFormat,
    },
    /// Print the commands that set up the agent (Docker or Azure Container Instances)
    Instructions {
        /// The agent folder
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[arg(long, value_enum)]
        target: TargetArg,
        /// The shell of the machine the commands run on
        #[arg(long, value_enum, default_value = "bash")]
        shell: ShellArg,
        /// The connection profile (default: the connection file beside the folder)
        #[arg(long, value_name = "FILE")]
        connection: Option<PathBuf>,
        /// Print JSON (script and placeholders) instead of the script
        #[arg(long)]
        json: bool,
    },
    /// Delete archived sets beyond the newest N (the archive beside the folder)
    Prune {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[arg(long, value_name = "N", default_value_t = 1)]
        keep_archives: usize,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum TargetArg {
    Docker,
    Aci,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ShellArg {
    Bash,
    Powershell,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum HandoffFormat {
    Text,
    Json,
}

fn connection_for(
    dir: &std::path::Path,
    given: Option<PathBuf>,
) -> Result<HybridConnection, ExitCode> {
    let path = given.unwrap_or_else(|| connection::connection_file_for(dir));
    read_profile(&path)
}

/// The first line of a password file or standard input, non-empty.
fn read_password_line(path: &std::path::Path) -> Result<SecretString, ExitCode> {
    let password = read_input(path)?;
    let Ok(text) = std::str::from_utf8(&password) else {
        return Err(fail(
            &CliError::Password("The password is not UTF-8 text.").to_problem(),
        ));
    };
    let line = text.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(fail(
            &CliError::Password("The AD service account password is empty.").to_problem(),
        ));
    }
    Ok(SecretString::new(line))
}

pub fn run(cmd: Cmd) -> ExitCode {
    match cmd {
        Cmd::Seal {
            public_key,
            input,
            out,
        } => {
            let key = match PublicKey::from_file(&public_key) {
                Ok(k) => k,
                Err(e) => return problem_exit(&e),
            };
            let plain = match read_input(&input) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let sealed = match agent_config::seal(&plain, &key) {
                Ok(s) => s,
                Err(e) => return problem_exit(&e),
            };
            if let Err(e) = files::write_atomic(&out, sealed.as_bytes(), Access::OwnerOnly) {
                return problem_exit(&agent_config::ConfigError::Io {
                    action: "write",
                    path: out.display().to_string(),
                    source: e,
                });
            }
            print_json(&serde_json::json!({
                "out": out,
                "kid": key.fingerprint(),
                "fingerprint": key.fingerprint(),
                "bits": key.bits(),
                "alg": agent_config::ALG,
                "enc": agent_config::ENC,
                "cty": agent_config::CONFIG_CTY,
            }));
            ExitCode::SUCCESS
        }
        Cmd::Open {
            private_key,
            passphrase_file,
            input,
        } => {
            let passphrase = match read_passphrase(passphrase_file.as_deref()) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let key = match PrivateKey::from_file(&private_key, passphrase.as_ref()) {
                Ok(k) => k,
                Err(e) => return problem_exit(&e),
            };
            let text = match folder::read_config(&input) {
                Ok(t) => t,
                Err(e) => return problem_exit(&e),
            };
            match agent_config::open(&text, &key, &input.display().to_string()) {
                Ok(plain) => {
                    let mut out = std::io::stdout().lock();
                    if out.write_all(&plain).and_then(|()| out.flush()).is_err() {
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => problem_exit(&e),
            }
        }
        Cmd::Create {
            dir,
            profile,
            password_file,
            public_key,
            bits,
            passphrase_file,
            force,
            keep_archives,
        } => {
            let connection = match read_profile(&profile) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let password = match read_password_line(&password_file) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let policy = folder::ArchivePolicy {
                keep: keep_archives,
            };
            let result = if let Some(pub_path) = public_key {
                match PublicKey::from_file(&pub_path) {
                    Ok(k) => connection::create_for_connection(
                        &connection,
                        &dir,
                        folder::KeySource::Imported { public: &k },
                        password,
                        force,
                        &policy,
                    ),
                    Err(e) => return problem_exit(&e),
                }
            } else {
                let passphrase = match read_passphrase(passphrase_file.as_deref()) {
                    Ok(p) => p,
                    Err(code) => return code,
                };
                let key = match PrivateKey::generate(bits) {
                    Ok(k) => k,
                    Err(e) => return problem_exit(&e),
                };
                let source = folder::KeySource::Generated {
                    key: &key,
                    passphrase: passphrase.as_ref(),
                };
                connection::create_for_connection(
                    &connection,
                    &dir,
                    source,
                    password,
                    force,
                    &policy,
                )
            };
            match result {
                Ok(created) => {
                    print_json(&created);
                    for w in &created.folder.warnings {
                        eprintln!("warning: {w}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => problem_exit(&e),
            }
        }
        Cmd::Status { dir } => match folder::status(&dir) {
            Ok(s) => {
                print_json(&s);
                match s.state {
                    folder::FolderState::Ready => {}
                    folder::FolderState::InterruptedBeforeSwitch | folder::FolderState::InterruptedDuringSwitch => eprintln!(
                        "A change of this folder was interrupted; run `h2r-setup agent-config recover --dir {}` to finish or roll it back.",
                        dir.display()
                    ),
                    folder::FolderState::KeyMismatch => {
                        eprintln!("config.jwe is sealed to another key than publicKey.pem; the agent cannot open it.")
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => problem_exit(&e),
        },
        Cmd::Recover { dir, keep_archives } => match folder::recover(
            &dir,
            &folder::ArchivePolicy {
                keep: keep_archives,
            },
        ) {
            Ok(r) => {
                print_json(&r);
                ExitCode::SUCCESS
            }
            Err(e) => problem_exit(&e),
        },
        Cmd::Handoff {
            dir,
            connection,
            format,
        } => {
            let conn = match connection_for(&dir, connection) {
                Ok(c) => c,
                Err(code) => return code,
            };
            match handoff::Handoff::for_folder(&conn, &dir) {
                Ok(h) => {
                    match format {
                        HandoffFormat::Json => print_json(&h),
                        HandoffFormat::Text => print!("{}", h.to_text()),
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => problem_exit(&e),
            }
        }
        Cmd::Instructions {
            dir,
            target,
            shell,
            connection,
            json,
        } => {
            let conn_file = connection
                .clone()
                .unwrap_or_else(|| connection::connection_file_for(&dir));
            let conn = match connection_for(&dir, connection) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let st = match folder::status(&dir) {
                Ok(s) => s,
                Err(e) => return problem_exit(&e),
            };
            let ca = connection::ca_file_for(&dir);
            let input = instructions::Input {
                connection_name: &conn.name,
                dir: &dir,
                has_private_key: st.origin == h2r_setup::profile::KeyOrigin::Generated,
                connection_file: &conn_file,
                ca_file: if ca.exists() { Some(&ca) } else { None },
            };
            let target = match target {
                TargetArg::Docker => instructions::Target::Docker,
                TargetArg::Aci => instructions::Target::Aci,
            };
            let shell = match shell {
                ShellArg::Bash => instructions::Shell::Bash,
                ShellArg::Powershell => instructions::Shell::Powershell,
            };
            let out = instructions::generate(&input, target, shell);
            if json {
                print_json(&out);
            } else {
                print!("{}", out.script);
            }
            ExitCode::SUCCESS
        }
        Cmd::Prune { dir, keep_archives } => match folder::prune_archive(
            &dir,
            &folder::ArchivePolicy {
                keep: keep_archives,
            },
        ) {
            Ok(left) => {
                print_json(
                    &serde_json::json!({ "archive_dir": folder::archive_dir_for(&dir), "archived": left }),
                );
                ExitCode::SUCCESS
            }
            Err(e) => problem_exit(&e),
        },
        Cmd::SetPassword {
            dir,
            password_file,
            passphrase_file,
            timeout_ms,
            keep_archives,
        } => {
            let password = match read_password_line(&password_file) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let passphrase = match read_passphrase(passphrase_file.as_deref()) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => return fail(&CliError::Runtime(e.to_string()).to_problem()),
            };
            let policy = folder::ArchivePolicy {
                keep: keep_archives,
            };
            match rt.block_on(password::set_password(
                dir, passphrase, policy, password, timeout_ms,
            )) {
                Ok(done) => {
                    print_json(&done);
                    eprintln!("{}", done.next_step);
                    ExitCode::SUCCESS
                }
                Err(e) => problem_exit(&e),
            }
        }
    }
}

/// The profile, read and validated as `ldap check` reads it (one reader for the CLI).
fn read_profile(path: &std::path::Path) -> Result<HybridConnection, ExitCode> {
    super::ldap::read_connection_file(path).map_err(|p| fail(&p))
}
