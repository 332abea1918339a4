//! "Save a support report": one ZIP with what support needs to help, and no secret.
//!
//! Contents: `README.txt` (what is inside), `about.json` (version, build, OS), `connection.json`
//! (the profile: it has no secret fields; string values are redacted anyway), `checks.json`
//! (the latest result of every check the caller passes: LDAP per host with certificate and
//! stage, sign-in outcome with AADSTS code and trace/correlation IDs, Exchange) and `log.txt`
//! (the last lines of the app's log). Everything passes through [`Redactor`]: the secrets the
//! caller knows (password, passphrases, tokens) are replaced wherever they appear, and so are
//! values that look like secrets (`password=…`, bearer tokens, JWTs, PEM private keys, JSON
//! members named like secrets). Entries are stored uncompressed, so a byte scan of the file
//! sees exactly what support will read.

use crate::error::{Diagnostic, Problem};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Lines of the log kept (the newest).
pub const LOG_LINES: usize = 500;
/// Largest log file read (from its end).
pub const MAX_LOG_BYTES: u64 = 4 << 20;
const REDACTED: &str = "[redacted]";

/// Errors of the support report. Codes: `support_report.*`.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("The support report could not be written to {path}: {source}.")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("The connection file {path} could not be read ({detail}).")]
    Connection { path: String, detail: String },
}

impl crate::error::Registered for ReportError {
    const AREA: &'static str = "support_report";
    fn samples() -> Vec<Self> {
        vec![
            ReportError::Write {
                path: "report.txt".into(),
                source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            },
            ReportError::Connection {
                path: "conn.json".into(),
                detail: "not JSON".into(),
            },
        ]
    }
}

impl Diagnostic for ReportError {
    fn code(&self) -> &'static str {
        match self {
            ReportError::Write { .. } => "support_report.write",
            ReportError::Connection { .. } => "support_report.connection",
        }
    }
    fn hint(&self) -> String {
        match self {
            ReportError::Write { .. } => {
                "Choose a folder you may write to, with some free space.".into()
            }
            ReportError::Connection { .. } => {
                "Choose the connection profile the wizard saved (JSON), or leave it out.".into()
            }
        }
    }
}

/// Replaces secrets in text.
#[derive(Default)]
pub struct Redactor {
    known: Vec<zeroize::Zeroizing<String>>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// A secret the caller knows (the AD password, a passphrase, a token): never in the report.
    pub fn secret(&mut self, s: &str) -> &mut Self {
        if s.len() >= 3 {
            self.known.push(zeroize::Zeroizing::new(s.to_string()));
            // JSON-escaped form too (a password with a quote or backslash).
            let esc = serde_json::to_string(s).unwrap_or_default();
            let esc = esc.trim_matches('"').to_string();
            if esc != s {
                self.known.push(zeroize::Zeroizing::new(esc));
            }
        }
        self
    }

    /// Redact known secrets and secret-looking values.
    pub fn text(&self, input: &str) -> String {
        let mut s = input.to_string();
        let mut known: Vec<&str> = self.known.iter().map(|k| k.as_str()).collect();
        known.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for k in known {
            s = s.replace(k, REDACTED);
        }
        s = redact_pem_private_keys(&s);
        let mut out = String::with_capacity(s.len());
        for line in s.split_inclusive('\n') {
            out.push_str(&redact_line(line));
        }
        out
    }

    /// Redact a JSON value: secret-named members entirely, every string through [`Self::text`].
    pub fn json(&self, v: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.json(x)).collect()),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| {
                        if secret_name(k)
                            && !x.is_null()
                            && x != &Value::Bool(false)
                            && x != &Value::Bool(true)
                        {
                            (k.clone(), Value::String(REDACTED.into()))
                        } else {
                            (k.clone(), self.json(x))
                        }
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

fn secret_name(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    [
        "password",
        "passphrase",
        "secret",
        "token",
        "assertion",
        "private_key",
        "privatekey",
        "credential",
        "cookie",
        "authorization",
    ]
    .iter()
    .any(|n| k.contains(n))
        && !k.ends_with("_expires_at")
        && !k.contains("fingerprint")
}

fn redact_pem_private_keys(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("-----BEGIN ") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let header_end = from
            .find("-----\n")
            .or_else(|| from[11..].find("-----").map(|i| i + 11));
        let is_private = from.get(..60).unwrap_or(from).contains("PRIVATE KEY");
        match (is_private, from.find("-----END ")) {
            (true, Some(end)) => {
                let after_end = from[end + 9..]
                    .find("-----")
                    .map(|i| end + 9 + i + 5)
                    .unwrap_or(from.len());
                out.push_str("[redacted private key]");
                rest = &from[after_end..];
            }
            _ => {
                let skip = header_end.map(|i| i + 5).unwrap_or(11).min(from.len());
                out.push_str(&from[..skip]);
                rest = &from[skip..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `key=value` / `key: value` / `"key":"value"` with a secret-looking key, bearer tokens, JWTs.
fn redact_line(line: &str) -> String {
    let mut words: Vec<String> = vec![];
    let mut redact_next = false;
    for w in line.split_inclusive([' ', '\t', '&', ',', '\n']) {
        let lower = w.to_ascii_lowercase();
        if redact_next && lower.trim() == "bearer" {
            words.push(w.to_string());
            continue;
        }
        if redact_next {
            let trail: String = w
                .chars()
                .rev()
                .take_while(|c| matches!(c, ' ' | '\t' | '&' | ',' | '\n'))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            words.push(format!("{REDACTED}{trail}"));
            redact_next = false;
            continue;
        }
        if lower.trim() == "bearer" {
            redact_next = true;
            words.push(w.to_string());
            continue;
        }
        let mut w2 = w.to_string();
        for sep in ['=', ':'] {
            if let Some(i) = w2.find(sep) {
                let key =
                    w2[..i].trim_matches(|c: char| c == '"' || c == '\'' || c == '{' || c == '?');
                if secret_name(key) {
                    let trail: String = w2
                        .chars()
                        .rev()
                        .take_while(|c| matches!(c, ' ' | '\t' | '&' | ',' | '\n' | '}'))
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let value = w2[i + 1..w2.len() - trail.len()].trim();
                    if value.is_empty() {
                        redact_next = true;
                    } else {
                        w2 = format!("{}{sep}{REDACTED}{trail}", &w2[..i]);
                    }
                    break;
                }
            }
        }
        // A JWT (three base64url parts starting with eyJ).
        if let Some(p) = w2.find("eyJ") {
            let tail = &w2[p..];
            let tok: String = tail
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if tok.matches('.').count() >= 2 && tok.len() > 20 {
                w2 = w2.replacen(&tok, REDACTED, 1);
            }
        }
        words.push(w2);
    }
    words.concat()
}

/// What the report holds besides the log.
#[derive(Debug, Default)]
pub struct ReportInput {
    /// The connection profile (no secret by construction; redacted anyway).
    pub connection: Option<serde_json::Value>,
    /// The latest result of each check this session, by name (`ldap`, `sign_in`, `exchange`).
    pub checks: Vec<(String, serde_json::Value)>,
    /// Log files to take the last lines of.
    pub log_files: Vec<PathBuf>,
}

/// `about.json`.
#[derive(Debug, Clone, Serialize)]
pub struct About {
    pub app: &'static str,
    pub version: &'static str,
    pub build: Option<&'static str>,
    pub os: &'static str,
    pub arch: &'static str,
    pub os_release: Option<String>,
    pub created_at: String,
}

pub fn about() -> About {
    let os_release = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_string())
            })
        });
    About {
        app: "Hire2Retire Setup",
        version: env!("CARGO_PKG_VERSION"),
        build: option_env!("H2R_BUILD_ID"),
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
        os_release,
        created_at: crate::agent_config::folder::utc_rfc3339(),
    }
}

/// Where the desktop app writes its log (tauri-plugin-log's default folder), if known.
pub fn default_log_dir() -> Option<PathBuf> {
    const ID: &str = "com.hire2retire.setup";
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match std::env::consts::OS {
        "linux" => std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".local/share")))
            .map(|d| d.join(ID).join("logs")),
        "macos" => home.map(|h| h.join("Library/Logs").join(ID)),
        "windows" => {
            std::env::var_os("LOCALAPPDATA").map(|d| PathBuf::from(d).join(ID).join("logs"))
        }
        _ => None,
    }
}

/// The `*.log` files of a folder.
pub fn log_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().map(|x| x == "log").unwrap_or(false))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn tail_lines(path: &Path, n: usize) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let start = len.saturating_sub(MAX_LOG_BYTES);
    if f.seek(SeekFrom::Start(start)).is_err() {
        return String::new();
    }
    let mut buf = vec![];
    let _ = f.take(MAX_LOG_BYTES).read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(n);
    lines[from..].join("\n") + "\n"
}

const README: &str = "Hire2Retire Setup support report\n\
================================\n\n\
This archive was made by Hire2Retire Setup for support. It holds no password, passphrase,\n\
token or private key: known secrets and anything that looks like one were replaced by\n\
[redacted] before writing. Read every file before you send it.\n\n\
  about.json       version and build of Hire2Retire Setup, operating system, when it was made\n\
  connection.json  the connection profile (names, hosts, ports, Base DNs, account names; no secret)\n\
  checks.json      the latest result of each check of this session (LDAP per host with the\n\
                   certificate and the stage reached; sign-in with AADSTS code, trace and\n\
                   correlation IDs; Exchange Online)\n\
  log.txt          the last lines of the app's log\n";

/// Build the report's files (name, bytes), all redacted.
pub fn build(input: &ReportInput, redactor: &Redactor) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![("README.txt".to_string(), README.as_bytes().to_vec())];
    let about = serde_json::to_value(about()).expect("about serialises");
    files.push(("about.json".into(), pretty(&redactor.json(&about))));
    let conn = input.connection.clone().unwrap_or(serde_json::Value::Null);
    files.push(("connection.json".into(), pretty(&redactor.json(&conn))));
    let checks: serde_json::Map<String, serde_json::Value> = input
        .checks
        .iter()
        .map(|(k, v)| (k.clone(), redactor.json(v)))
        .collect();
    files.push((
        "checks.json".into(),
        pretty(&serde_json::Value::Object(checks)),
    ));
    let mut log = String::new();
    for f in &input.log_files {
        log.push_str(&format!(
            "==> {} <==\n",
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        log.push_str(&tail_lines(f, LOG_LINES));
    }
    if log.is_empty() {
        log.push_str("(no log file was found)\n");
    }
    files.push(("log.txt".into(), redactor.text(&log).into_bytes()));
    files
}

fn pretty(v: &serde_json::Value) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(v).expect("json serialises");
    b.push(b'\n');
    b
}

/// Write the report to `out` (owner-only, atomic).
pub fn write(
    out: &Path,
    input: &ReportInput,
    redactor: &Redactor,
) -> Result<Vec<String>, ReportError> {
    let files = build(input, redactor);
    let zip = zip_stored(&files);
    crate::keys::files::write_atomic(out, &zip, crate::keys::files::Access::OwnerOnly).map_err(
        |e| ReportError::Write {
            path: out.display().to_string(),
            source: e,
        },
    )?;
    Ok(files.into_iter().map(|(n, _)| n).collect())
}

/// Read a connection profile for the report.
pub fn read_connection(path: &Path) -> Result<serde_json::Value, ReportError> {
    let bad = |detail: String| ReportError::Connection {
        path: path.display().to_string(),
        detail,
    };
    let bytes = crate::keys::files::read_limited(path, 1 << 20).map_err(|e| {
        if crate::keys::files::is_too_large(&e) {
            bad("it is larger than any profile".into())
        } else {
            bad(e.to_string())
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| bad(format!("not JSON: {e}")))
}

impl From<ReportError> for Problem {
    fn from(e: ReportError) -> Problem {
        e.to_problem()
    }
}

// ---------------------------------------------------------------------------------------------
// A ZIP of stored (uncompressed) entries: APPNOTE 6.3.x local headers, central directory, end
// record. Readable by every unzip tool; CRC-32 from `crc32fast`.

fn zip_stored(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out: Vec<u8> = vec![];
    let mut central: Vec<u8> = vec![];
    // 1980-01-01 00:00 in DOS time (a fixed time: the report's own time is in about.json).
    let (dos_time, dos_date) = (0u16, (1u16 << 5) | 1);
    for (name, data) in files {
        let crc = crc32fast::hash(data);
        let offset = out.len() as u32;
        let n = name.as_bytes();
        let mut local = vec![];
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&20u16.to_le_bytes()); // version needed
        local.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
        local.extend_from_slice(&0u16.to_le_bytes()); // stored
        local.extend_from_slice(&dos_time.to_le_bytes());
        local.extend_from_slice(&dos_date.to_le_bytes());
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&(data.len() as u32).to_le_bytes());
        local.extend_from_slice(&(data.len() as u32).to_le_bytes());
        local.extend_from_slice(&(n.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(n);
        out.extend_from_slice(&local);
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&0x031Eu16.to_le_bytes()); // made by: Unix, 3.0
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0x0800u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&dos_time.to_le_bytes());
        central.extend_from_slice(&dos_date.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(n.len() as u16).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes()); // extra
        central.extend_from_slice(&0u16.to_le_bytes()); // comment
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attrs
        central.extend_from_slice(&(0o100600u32 << 16).to_le_bytes()); // external: -rw-------
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(n);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    let _ = out.flush();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_known_and_secret_looking_values() {
        let mut r = Redactor::new();
        r.secret("Sentinel-Pw-1\"x");
        let t = r.text("bind as svc with Sentinel-Pw-1\"x failed; password=hunter22 & client_secret: abc123 Authorization: Bearer ya29.tok\n");
        assert!(!t.contains("Sentinel-Pw-1"), "{t}");
        assert!(
            !t.contains("hunter22") && !t.contains("abc123") && !t.contains("ya29.tok"),
            "{t}"
        );
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";
        assert!(!r.text(&format!("token {jwt} end")).contains(jwt));
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----\n";
        assert!(!r.text(pem).contains("MIIEv"));
        let public = "-----BEGIN PUBLIC KEY-----\nMIIBI\n-----END PUBLIC KEY-----\n";
        assert!(r.text(public).contains("MIIBI"), "public keys stay");
        let v = r.json(&serde_json::json!({"refresh_token": "rt-1", "nested": {"password": "p", "fingerprint": "keep"}, "msg": "x Sentinel-Pw-1\"x"}));
        let s = v.to_string();
        assert!(
            !s.contains("rt-1")
                && !s.contains("\"p\"")
                && !s.contains("Sentinel-Pw-1")
                && s.contains("keep"),
            "{s}"
        );
    }
}
