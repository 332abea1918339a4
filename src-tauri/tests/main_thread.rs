//! Issue 12: work that can block (file I/O on a folder that may be a network share, key
//! derivation) never runs on the main thread. Tauri runs a synchronous command on the main
//! thread, so only the quick, pure commands listed here may be synchronous; every other command
//! is `async` (and hands blocking work to `spawn_blocking`).

/// Synchronous commands: memory only, no file, no network, no key derivation.
const SYNC_ALLOWED: &[&str] = &[
    "validate_draft",
    "wizard_steps",
    "exchange_roles",
    "graph_permissions",
    "app_info",
    "identity_info",
    "identity_cancel",
    "identity_cancel_certificate",
    "identity_consent_link",
    "keys_cancel",
    "keys_import",
    "keys_pending",
    "keys_discard",
    "ldap_cancel",
    "exchange_cancel",
    "set_ad_password",
    "clear_ad_password",
    "ad_password_status",
];

fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_quick_pure_commands_are_synchronous() {
    let mut files = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut sync = Vec::new();
    let mut commands = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if !line.trim_start().starts_with("#[tauri::command") {
                continue;
            }
            let sig = lines
                .by_ref()
                .map(str::trim)
                .find(|l| l.starts_with("pub "))
                .unwrap_or_default();
            commands += 1;
            if let Some(rest) = sig.strip_prefix("pub fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                sync.push(name);
            }
        }
    }
    assert!(commands > 30, "found the commands ({commands})");
    let unexpected: Vec<_> = sync
        .iter()
        .filter(|n| !SYNC_ALLOWED.contains(&n.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "synchronous commands run on the main thread; make these async with spawn_blocking: {unexpected:?}");
}
