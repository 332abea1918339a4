//! `h2r-setup agent-config seal|open|create|status`.

use super::keys::{problem_exit, read_input, read_passphrase};
use super::output::{fail, print_json};
use clap::Subcommand;
use h2r_setup::agent_config::{self, folder, AgentPayload, SecretString};
use h2r_setup::keys::files::{self, Access};
use h2r_setup::keys::{self, PrivateKey, PublicKey};
use h2r_setup::profile::{Connection, HybridConnection};
use h2r_setup::Problem;
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
        /// Replace an existing set (the old one is archived)
        #[arg(long)]
        force: bool,
    },
    /// Describe an agent folder (fingerprints, generation, archives) without opening it
    Status {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
}

pub fn run(cmd: Cmd) -> ExitCode {
    match cmd {
        Cmd::Seal { public_key, input, out } => {
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
                return fail(&Problem::new("agent_config.io", format!("Could not write {}: {e}.", out.display()), ""), 2);
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
        Cmd::Open { private_key, passphrase_file, input } => {
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
        Cmd::Create { dir, profile, password_file, public_key, bits, passphrase_file, force } => {
            let connection = match read_profile(&profile) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let password = match read_input(&password_file) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let Ok(text) = std::str::from_utf8(&password) else {
                return fail(&Problem::new("agent_config.password", "The password is not UTF-8 text.", ""), 2);
            };
            let line = text.split('\n').next().unwrap_or("");
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                return fail(&Problem::new("agent_config.password", "The AD service account password is empty.", ""), 2);
            }
            let payload = AgentPayload::new(connection, SecretString::new(line));
            let json = payload.to_json();
            let result = if let Some(pub_path) = public_key {
                match PublicKey::from_file(&pub_path) {
                    Ok(k) => folder::create(&dir, folder::KeySource::Imported { public: &k }, &json, force),
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
                folder::create(&dir, folder::KeySource::Generated { key: &key, passphrase: passphrase.as_ref() }, &json, force)
            };
            match result {
                Ok(info) => {
                    print_json(&info);
                    ExitCode::SUCCESS
                }
                Err(e) => problem_exit(&e),
            }
        }
        Cmd::Status { dir } => match folder::status(&dir) {
            Ok(s) => {
                print_json(&s);
                ExitCode::SUCCESS
            }
            Err(e) => problem_exit(&e),
        },
    }
}

fn read_profile(path: &std::path::Path) -> Result<HybridConnection, ExitCode> {
    let bytes = std::fs::read(path).map_err(|e| {
        fail(&Problem::new("agent_config.io", format!("Could not read {}: {e}.", path.display()), ""), 2)
    })?;
    if let Ok(Connection::HybridOnprem(c)) = serde_json::from_slice::<Connection>(&bytes) {
        return Ok(c);
    }
    serde_json::from_slice::<HybridConnection>(&bytes).map_err(|e| {
        fail(
            &Problem::new(
                "agent_config.profile",
                format!("{} is not an On-Premise connection profile ({e}).", path.display()),
                "Give the profile JSON the wizard saved (kind \"hybrid-onprem\").",
            ),
            2,
        )
    })
}
