//! Every code the core can produce, walked from one sample of every error variant
//! ([`Registered::samples`]) plus the outcome codes of check reports. The shell adds its own
//! and renders `docs/error-codes.md` and `ui/src/api/error-codes.ts` from the same list
//! (`src-tauri`'s `error_codes_are_registered_and_documented` test fails when they are stale).

use super::{ErrorClass, Registered};
use std::collections::BTreeMap;

/// One code with what it means, as documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    /// The area (prefix) and its title, e.g. `keys` / "Keys".
    pub area: &'static str,
    pub class: Option<ErrorClass>,
    /// An example message (errors) or what the outcome means (report outcomes).
    pub message: String,
    pub hint: String,
}

/// The titles of the areas, in the order the document lists them.
pub const AREAS: &[(&str, &str)] = &[
    (
        "validate",
        "Validation (fields of the wizard and of profile files)",
    ),
    ("keys", "Key pair"),
    ("agent_config", "Agent config and agent folder"),
    ("ldap", "Domain controller check (LDAPS)"),
    (
        "identity",
        "Microsoft sign-in, consent and certificate credentials",
    ),
    ("exchange", "Exchange Online check"),
    ("settings", "Saved settings"),
    ("support_report", "Support report"),
    ("cli", "Command line only"),
    ("app", "Window only"),
    ("secrets", "Window only: passwords kept in memory"),
    ("agent", "Window only: agent setup"),
    ("handoff", "Window only: portal hand-off"),
    ("about", "Window only: About and logs"),
];

/// The entries of one error enum: one per distinct code of its samples.
pub fn entries_of<E: Registered>() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for e in E::samples() {
        if out.iter().any(|x| x.code == e.code()) {
            continue;
        }
        let p = e.to_problem();
        // An enum with an empty AREA (the shell's) spans several areas: each code's prefix.
        let area = if E::AREA.is_empty() {
            let prefix = p.code.split('.').next().unwrap_or("");
            AREAS
                .iter()
                .find(|(a, _)| *a == prefix)
                .map_or("?", |(a, _)| *a)
        } else {
            E::AREA
        };
        out.push(Entry {
            code: p.code,
            area,
            class: Some(p.class),
            message: p.message,
            hint: p.hint,
        });
    }
    out
}

/// Codes a check report carries when it is not an error (e.g. `exchange.missing_roles`).
pub fn outcome(area: &'static str, code: &str, meaning: &str) -> Entry {
    Entry {
        code: code.to_string(),
        area,
        class: None,
        message: meaning.to_string(),
        hint: String::new(),
    }
}

/// The validation codes: one real field issue of each (`validate::codes::samples`). They are
/// named by what they are about (`host.has_port`, `base_dn.no_dc`), all in area `validate`.
pub fn validation() -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for i in crate::validate::codes::samples() {
        if out.iter().any(|x| x.code == i.code) {
            continue;
        }
        out.push(Entry {
            code: i.code,
            area: "validate",
            class: Some(ErrorClass::Input),
            message: format!("{} ({})", i.message, i.field.unwrap_or_default()),
            hint: i.hint,
        });
    }
    out
}

impl Registered for crate::ldap::LdapError {
    const AREA: &'static str = "ldap";
    fn samples() -> Vec<Self> {
        crate::ldap::errors::samples()
    }
}

/// Every code of the core library.
pub fn core() -> Vec<Entry> {
    let mut v = validation();
    v.extend(entries_of::<crate::ldap::LdapError>());
    v.extend(entries_of::<crate::keys::KeyError>());
    v.extend(entries_of::<crate::agent_config::ConfigError>());
    v.extend(entries_of::<crate::identity::IdentityError>());
    v.extend(crate::identity::signin::outcomes());
    v.extend(entries_of::<crate::exchange::errors::ExchangeError>());
    v.extend(crate::exchange::check::outcomes());
    v.extend(entries_of::<crate::settings::SettingsError>());
    v.extend(entries_of::<crate::support_report::ReportError>());
    v.extend(entries_of::<super::cli::CliError>());
    v
}

/// What is wrong with a list of entries: duplicate codes, codes without their area's prefix
/// or with a bare `problem`/`io`/`internal`, errors without a hint, window hints naming CLI
/// options. Empty when the list is sound.
pub fn check(entries: &[Entry]) -> Vec<String> {
    let mut faults = Vec::new();
    let mut seen: BTreeMap<&str, &'static str> = BTreeMap::new();
    for e in entries {
        if let Some(area) = seen.insert(&e.code, e.area) {
            faults.push(format!(
                "{} is produced by two areas ({area}, {})",
                e.code, e.area
            ));
        }
        let valid = e
            .code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
        // Validation codes are named by the field they are about (`host.has_port`); they must
        // not take another area's prefix.
        let prefix = e.code.split('.').next().unwrap_or("");
        let prefixed = if e.area == "validate" {
            !AREAS.iter().any(|(a, _)| *a == prefix && *a != "validate")
        } else {
            e.code.starts_with(&format!("{}.", e.area))
        };
        if !valid || !prefixed || !e.code.contains('.') {
            faults.push(format!(
                "{} is not a lower-case code of area {}",
                e.code, e.area
            ));
        }
        if !AREAS.iter().any(|(a, _)| *a == e.area) {
            faults.push(format!("{}: area {} has no title in AREAS", e.code, e.area));
        }
        if ["problem", "io", "internal"].contains(&e.code.as_str()) {
            faults.push(format!("{} has no area prefix", e.code));
        }
        if e.class.is_some() && e.hint.trim().is_empty() {
            faults.push(format!("{} has no hint", e.code));
        }
        if e.class.is_none() && e.message.trim().is_empty() {
            faults.push(format!("outcome {} has no meaning", e.code));
        }
        if e.area != "cli" && (names_an_option(&e.hint) || e.hint.contains("h2r-setup ")) {
            faults.push(format!(
                "{}: the hint names CLI options: {}",
                e.code, e.hint
            ));
        }
    }
    faults
}

/// Whether `text` names a CLI option such as `--passphrase-file` (not a PEM line's dashes).
fn names_an_option(text: &str) -> bool {
    text.match_indices("--").any(|(i, _)| {
        text[i + 2..].starts_with(|c: char| c.is_ascii_lowercase())
            && (i == 0 || text[..i].ends_with([' ', '(']))
    })
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `docs/error-codes.md`.
pub fn render_markdown(entries: &[Entry]) -> String {
    let mut out = String::from(
        "# Error codes\n\n\
         <!-- Generated from the error registry (src/error/registry.rs and the shell's\n\
         src-tauri/src/error.rs). Do not edit: run\n\
         `H2R_BLESS=1 cargo test -p h2r-setup-app error_codes` after changing an error. -->\n\n\
         Every error Hire2Retire Setup reports is `{code, message, hint}`: a stable code (never\n\
         reworded, safe to match on), one plain sentence, and what to do about it. The window\n\
         shows the message and the hint; the CLI prints them on stderr (and in its JSON output)\n\
         and exits with **2** when the input given is not usable (*input*) and **1** when a check\n\
         or an operation failed (*failure*). Messages below are examples: the real ones name the\n\
         host, file or account involved. *Outcome* codes are not errors: they are the `code` of a\n\
         check report and say how the check ended.\n",
    );
    for (area, title) in AREAS {
        let mut rows: Vec<&Entry> = entries.iter().filter(|e| e.area == *area).collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by(|a, b| a.code.cmp(&b.code));
        out.push_str(&format!(
            "\n## {title}\n\n| code | class | example message | what to do |\n|---|---|---|---|\n"
        ));
        for e in rows {
            let class = match e.class {
                Some(ErrorClass::Input) => "input",
                Some(ErrorClass::Failure) => "failure",
                None => "outcome",
            };
            out.push_str(&format!(
                "| `{}` | {class} | {} | {} |\n",
                e.code,
                cell(&e.message),
                cell(&e.hint)
            ));
        }
    }
    out
}

/// `ui/src/api/error-codes.ts`: the codes the window may see, as a type.
pub fn render_typescript(entries: &[Entry]) -> String {
    let mut codes: Vec<&str> = entries.iter().map(|e| e.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut out = String::from(
        "// Generated from the error registry (src/error/registry.rs + src-tauri/src/error.rs).\n\
         // Do not edit: run `H2R_BLESS=1 cargo test -p h2r-setup-app error_codes`.\n\n\
         export const ERROR_CODES = [\n",
    );
    for c in codes {
        out.push_str(&format!("  '{c}',\n"));
    }
    out.push_str("] as const;\n\nexport type ErrorCode = (typeof ERROR_CODES)[number];\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_is_unique_prefixed_and_has_a_hint() {
        let entries = core();
        assert!(entries.len() > 50, "{} codes", entries.len());
        let faults = check(&entries);
        assert!(faults.is_empty(), "{}", faults.join("\n"));
    }

    #[test]
    fn the_checker_finds_faults() {
        let bad = vec![
            outcome("keys", "keys.x", "x"),
            outcome("keys", "keys.x", "again"),
            Entry {
                code: "io".into(),
                area: "keys",
                class: Some(ErrorClass::Failure),
                message: "m".into(),
                hint: " ".into(),
            },
        ];
        let f = check(&bad);
        assert!(f.iter().any(|s| s.contains("two areas")), "{f:?}");
        assert!(f.iter().any(|s| s.contains("no area prefix")), "{f:?}");
        assert!(f.iter().any(|s| s.contains("no hint")), "{f:?}");
    }

    #[test]
    fn markdown_escapes_table_cells() {
        let md = render_markdown(&[outcome("keys", "keys.ok", "a | b\nc")]);
        assert!(
            md.contains("| `keys.ok` | outcome | a \\| b c |  |"),
            "{md}"
        );
    }
}
