//! `h2r-setup keys generate|rotate`.

use super::output::{fail, print_json};
use clap::Subcommand;
use h2r_setup::agent_config::folder::{self, RotateRequest};
use h2r_setup::agent_config::CONFIG_FILE;
use h2r_setup::keys::{self, Passphrase, PrivateKey, PublicKey};
use h2r_setup::Diagnostic;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

#[derive(Subcommand)]
pub enum Cmd {
    /// Generate an RSA key pair: DIR/privateKey.pem (owner-only) and DIR/publicKey.pem
    Generate {
        /// Folder to write the key pair into (created owner-only if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Key size in bits
        #[arg(long, default_value_t = keys::DEFAULT_BITS, value_parser = parse_bits)]
        bits: usize,
        /// Protect privateKey.pem with the passphrase on the first line of this file
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Overwrite an existing key pair
        #[arg(long)]
        force: bool,
    },
    /// Rotate the agent folder's key: new pair, config re-sealed, old set archived, atomic switch
    Rotate {
        /// The agent folder (privateKey.pem, publicKey.pem, config.jwe)
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// Size of the new key (default: the old key's size)
        #[arg(long, value_parser = parse_bits)]
        bits: Option<usize>,
        /// Passphrase of privateKey.pem (the new key is protected with it too)
        #[arg(long, value_name = "F")]
        passphrase_file: Option<PathBuf>,
        /// Imported key: the admin's new public key (PEM)
        #[arg(long, value_name = "PUB")]
        public_key: Option<PathBuf>,
        /// Imported key: the config JSON to seal to it (`-` reads standard input)
        #[arg(long = "in", value_name = "PLAIN.json|-")]
        input: Option<PathBuf>,
        /// How many replaced sets the archive beside the folder keeps (expired ones are deleted)
        #[arg(long, value_name = "N", default_value_t = 1)]
        keep_archives: usize,
    },
}

fn parse_bits(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(b) if keys::ALLOWED_BITS.contains(&b) => Ok(b),
        _ => Err("choose 2048, 3072 or 4096".into()),
    }
}

pub(crate) fn problem_exit(e: &dyn Diagnostic) -> ExitCode {
    fail(&e.to_problem())
}

pub(crate) fn read_passphrase(path: Option<&Path>) -> Result<Option<Passphrase>, ExitCode> {
    match path {
        None => Ok(None),
        Some(p) => Passphrase::from_file(p)
            .map(Some)
            .map_err(|e| problem_exit(&e)),
    }
}

/// Read a file or standard input (`-`) into zeroized memory.
pub(crate) fn read_input(path: &Path) -> Result<Zeroizing<Vec<u8>>, ExitCode> {
    // A payload sealed into config.jwe is at most a few hundred KB (issue 12: bounded reads).
    const MAX_INPUT: u64 = 4 << 20;
    let mut buf = Zeroizing::new(Vec::new());
    let res = if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut buf)
            .map(|_| ())
            .and_then(|()| {
                if buf.len() as u64 > MAX_INPUT {
                    Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("more than {MAX_INPUT} bytes"),
                    ))
                } else {
                    Ok(())
                }
            })
    } else {
        h2r_setup::keys::files::read_limited(path, MAX_INPUT).map(|b| buf = b)
    };
    match res {
        Ok(()) => Ok(buf),
        Err(e) => {
            let what = if path.as_os_str() == "-" {
                "standard input".to_string()
            } else {
                path.display().to_string()
            };
            Err(fail(
                &h2r_setup::error::cli::CliError::unreadable(what, e).to_problem(),
            ))
        }
    }
}

pub fn run(cmd: Cmd) -> ExitCode {
    match cmd {
        Cmd::Generate {
            out,
            bits,
            passphrase_file,
            force,
        } => {
            let passphrase = match read_passphrase(passphrase_file.as_deref()) {
                Ok(p) => p,
                Err(code) => return code,
            };
            // Check before spending seconds on generation.
            if !force {
                for name in [keys::PRIVATE_KEY_FILE, keys::PUBLIC_KEY_FILE] {
                    let p = out.join(name);
                    if p.symlink_metadata().is_ok() {
                        return problem_exit(&keys::KeyError::Exists {
                            path: p.display().to_string(),
                        });
                    }
                }
            }
            let key = match PrivateKey::generate(bits) {
                Ok(k) => k,
                Err(e) => return problem_exit(&e),
            };
            match keys::write_key_pair(&out, &key, passphrase.as_ref(), force) {
                Ok(written) => {
                    if out.join(CONFIG_FILE).exists() {
                        eprintln!(
                            "warning: {} was sealed to the previous key and no longer opens; use `h2r-setup keys rotate` to replace a key in use.",
                            out.join(CONFIG_FILE).display()
                        );
                    }
                    print_json(&written);
                    ExitCode::SUCCESS
                }
                Err(e) => problem_exit(&e),
            }
        }
        Cmd::Rotate {
            dir,
            bits,
            passphrase_file,
            public_key,
            input,
            keep_archives,
        } => {
            let passphrase = match read_passphrase(passphrase_file.as_deref()) {
                Ok(p) => p,
                Err(code) => return code,
            };
            let new_public_key = match public_key.as_deref().map(PublicKey::from_file).transpose() {
                Ok(k) => k,
                Err(e) => return problem_exit(&e),
            };
            let new_plaintext = match input.as_deref().map(read_input).transpose() {
                Ok(p) => p,
                Err(code) => return code,
            };
            let archive = folder::ArchivePolicy {
                keep: keep_archives,
            };
            let req = RotateRequest {
                bits,
                passphrase,
                new_public_key,
                new_plaintext,
                new_key: None,
                archive,
            };
            match folder::rotate(&dir, req) {
                Ok(report) => {
                    print_json(&report);
                    for w in &report.warnings {
                        eprintln!("warning: {w}");
                    }
                    eprintln!("Paste the new public key into the Hire2Retire portal (connection settings), then restart the agent.");
                    ExitCode::SUCCESS
                }
                Err(e) => problem_exit(&e),
            }
        }
    }
}
