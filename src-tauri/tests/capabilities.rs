//! Issue 12: the window is granted exactly what the UI uses. Adding a permission means changing
//! this list on purpose (and saying why in the commit).

use serde_json::Value;

/// Every permission the main window may hold, with its scope.
const ALLOWED: &[&str] = &[
    // app commands' IPC, channels, window basics
    "core:default",
    // the "Copy" buttons
    "clipboard-manager:allow-write-text",
    // the agent-folder and certificate-folder pickers
    "dialog:allow-open",
    // links to the portal and documentation, https only
    r#"opener:allow-open-url allow=[{"url":"https://*"}]"#,
];

fn describe(p: &Value) -> String {
    match p {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            let id = o.get("identifier").and_then(Value::as_str).unwrap_or("?");
            let mut s = id.to_string();
            for key in ["allow", "deny"] {
                if let Some(v) = o.get(key) {
                    s.push_str(&format!(" {key}={v}"));
                }
            }
            s
        }
        other => other.to_string(),
    }
}

#[test]
fn the_window_holds_only_the_permissions_the_ui_uses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files, vec![dir.join("default.json")], "one capability file");
    let cap: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(
        cap.get("remote").is_none(),
        "no remote URL may call the app"
    );
    let mut got: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(describe)
        .collect();
    got.sort();
    let mut want: Vec<String> = ALLOWED.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
    for banned in ["store:", "log:", "fs:", "shell:", "http:"] {
        assert!(
            !got.iter().any(|p| p.starts_with(banned)),
            "{banned} is not granted"
        );
    }
}
