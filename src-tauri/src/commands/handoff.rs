//! The portal hand-off (issue 11): every value of the Hire2Retire portal's On-Premise service
//! connection form, in the portal's order, from the connection and the public key in its agent
//! folder — shown with Copy buttons, copied as one text, saved as a `.txt` and a `.json` file.
//! No secret is part of any of it (the public key is public).

use crate::commands::profile::draft_to_connection;
use crate::error::{AppError, CmdResult, ShellError};
use h2r_setup::agent_config::handoff::Handoff;
use h2r_setup::keys::PUBLIC_KEY_FILE;
use h2r_setup::profile::Connection;
use h2r_setup::validate::Draft;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime};

/// Every code this file produces (for the lead's registry test).
pub const ALL_CODES: &[&str] = &[
    "handoff.not_hybrid",
    "handoff.no_folder",
    "handoff.write",
    "handoff.internal",
];

/// The hand-off and the plain text "Copy all" and the text file give.
#[derive(Debug, Clone, Serialize)]
pub struct HandoffView {
    #[serde(flatten)]
    pub values: Handoff,
    pub text: String,
}

/// Build the hand-off from a validated hybrid draft and the public key as it is in `folder`
/// (the core's `agent_config::handoff`, the same the CLI's `agent-config handoff` prints).
pub fn build(connection: &Connection, folder: &Path) -> CmdResult<Handoff> {
    let Connection::HybridOnprem(c) = connection else {
        return Err(ShellError::NotHybrid("The portal hand-off").into());
    };
    if !folder.join(PUBLIC_KEY_FILE).is_file() {
        return Err(ShellError::NoPublicKey(folder.display().to_string()).into());
    }
    Ok(Handoff::for_folder(c, folder)?)
}

/// The two files "Save as file" writes: `<stem>.txt` and `<stem>.json`, beside each other.
pub fn file_pair(chosen: &Path) -> (PathBuf, PathBuf) {
    (chosen.with_extension("txt"), chosen.with_extension("json"))
}

pub fn write_files(h: &Handoff, chosen: &Path) -> CmdResult<Vec<PathBuf>> {
    let (txt, json) = file_pair(chosen);
    let body = serde_json::to_string_pretty(h).map_err(|e| {
        AppError::from(ShellError::stopped(
            "The hand-off could not be written as JSON",
            e,
        ))
    })?;
    for (path, text) in [(&txt, h.to_text()), (&json, format!("{body}\n"))] {
        std::fs::write(path, text).map_err(|e| {
            AppError::from(ShellError::HandoffWrite {
                path: path.display().to_string(),
                detail: e.to_string(),
            })
        })?;
    }
    Ok(vec![txt, json])
}

/// The hand-off values for the window.
#[tauri::command(rename_all = "snake_case")]
pub async fn handoff_values(draft: Draft, folder: String) -> CmdResult<HandoffView> {
    let connection = draft_to_connection(&draft)?;
    // Reads publicKey.pem from the agent folder (maybe a network share): off the main thread.
    let values =
        crate::commands::profile::blocking("Reading the agent folder stopped", move || {
            build(&connection, Path::new(folder.trim()))
        })
        .await?;
    let text = values.to_text();
    Ok(HandoffView { values, text })
}

/// "Save as file": asks where (the system's save dialog), writes the `.txt` and the `.json`.
/// Returns the paths written, or an empty list when the admin cancelled the dialog.
#[tauri::command(rename_all = "snake_case")]
pub async fn handoff_save<R: Runtime>(
    app: AppHandle<R>,
    draft: Draft,
    folder: String,
) -> CmdResult<Vec<String>> {
    use tauri_plugin_dialog::DialogExt;
    let connection = draft_to_connection(&draft)?;
    let folder = PathBuf::from(folder.trim());
    let values =
        crate::commands::profile::blocking("Reading the agent folder stopped", move || {
            build(&connection, &folder)
        })
        .await?;
    let stem = safe_stem(&values.connection_name);
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Save the portal hand-off (a .txt and a .json file)")
            .set_file_name(format!("{stem}-portal-handoff.txt"))
            .add_filter("Text", &["txt"])
            .blocking_save_file()
    })
    .await
    .map_err(|e| AppError::from(ShellError::stopped("The save dialog stopped", e)))?;
    let Some(chosen) = chosen.and_then(|p| p.as_path().map(Path::to_path_buf)) else {
        return Ok(Vec::new());
    };
    let written = crate::commands::profile::blocking("Writing the hand-off stopped", move || {
        write_files(&values, &chosen)
    })
    .await?;
    Ok(written
        .into_iter()
        .map(|p| p.display().to_string())
        .collect())
}

/// A file name from the connection name: letters, digits, `-` and `_` only.
pub fn safe_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "connection".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use h2r_setup::agent_config::handoff::HandoffDc;

    fn sample() -> Handoff {
        Handoff {
            connection_name: "Connection-OnPremise Service".into(),
            domain_controllers: vec![
                HandoffDc {
                    hosts: "dc1.example-domain.com,10.0.0.5".into(),
                    port: 636,
                    base_dn: "DC=example-domain,DC=com".into(),
                },
                HandoffDc {
                    hosts: "dc2.example-domain.com".into(),
                    port: 636,
                    base_dn: "OU=Staff,DC=example-domain,DC=com".into(),
                },
            ],
            public_key_pem: "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n".into(),
            public_key_fingerprint: "abc".into(),
        }
    }

    #[test]
    fn text_is_in_the_portals_order_with_its_labels() {
        let t = sample().to_text();
        let pos = |s: &str| t.find(s).unwrap_or_else(|| panic!("{s} missing"));
        assert!(pos("Connection Name: Connection-OnPremise Service") < pos("Domain controller 1"));
        assert!(pos("Host: dc1.example-domain.com,10.0.0.5") < pos("Port: 636"));
        assert!(pos("Port: 636") < pos("Base DN: DC=example-domain,DC=com"));
        assert!(pos("Domain controller 2") < pos("-----BEGIN PUBLIC KEY-----"));
        assert!(pos("-----END PUBLIC KEY-----") < pos("Link account"));
    }

    #[test]
    fn json_has_the_documented_fields() {
        let v = serde_json::to_value(sample()).unwrap();
        for k in [
            "connection_name",
            "domain_controllers",
            "public_key_pem",
            "public_key_fingerprint",
        ] {
            assert!(v.get(k).is_some(), "{k}");
        }
        assert_eq!(
            v["domain_controllers"][0]["hosts"],
            "dc1.example-domain.com,10.0.0.5"
        );
        assert_eq!(v["domain_controllers"][0]["port"], 636);
    }

    #[test]
    fn save_writes_a_txt_and_a_json_beside_each_other() {
        let dir = std::env::temp_dir().join(format!("h2r-handoff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let written = write_files(&sample(), &dir.join("x-portal-handoff.txt")).unwrap();
        assert_eq!(
            written,
            vec![
                dir.join("x-portal-handoff.txt"),
                dir.join("x-portal-handoff.json")
            ]
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&written[1]).unwrap()).unwrap();
        assert_eq!(json["connection_name"], "Connection-OnPremise Service");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn file_stem_is_safe() {
        assert_eq!(
            safe_stem("Connection-OnPremise Service"),
            "Connection-OnPremise-Service"
        );
        assert_eq!(safe_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(safe_stem("  "), "connection");
    }
}
