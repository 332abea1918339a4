//! Settings survive a crash (issue 12): the settings file is read and parsed by the core; a
//! truncated, garbage or newer-version file is reported and never overwritten; saves are atomic.

use h2r_setup::settings::{self, SavedConnection, Settings};
use h2r_setup::Diagnostic;
use serde_json::json;
use std::path::Path;

fn saved(id: &str) -> SavedConnection {
    let conn = h2r_setup::validate::validate_value(&json!({"kind": "azure-ad", "name": format!("Connection {id}"),
        "application": {"kind": "customer-owned", "cloud": "global",
            "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e", "tenant_id": "72f988bf-86f1-41af-91ab-2d7cd011db47"}}))
    .connection
    .expect("valid");
    SavedConnection {
        id: id.into(),
        saved_at: "2026-12-02T00:00:00Z".into(),
        complete: true,
        connection: conn,
        ldap_check: None,
        exchange_check: None,
    }
}

fn two_connections(path: &Path) -> Vec<u8> {
    let mut s = Settings::default();
    s.upsert(saved("a"));
    s.upsert(saved("b"));
    settings::save_file(path, &s).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn saved_settings_round_trip_owner_only_in_the_store_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app").join(settings::STORE_FILE);
    assert_eq!(
        settings::load_file(&path).unwrap().connections.len(),
        0,
        "a missing file is empty settings"
    );
    let bytes = two_connections(&path);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        v[settings::STORE_KEY]["version"],
        json!(Settings::CURRENT_VERSION),
        "the layout tauri-plugin-store wrote"
    );
    let back = settings::load_file(&path).unwrap();
    assert_eq!(
        back.connections
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["b", "a"]
    );
    #[cfg(unix)]
    assert_eq!(h2r_setup::keys::files::mode_of(&path).unwrap(), 0o600);
    // no temp file left next to it
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );
}

#[test]
fn truncated_garbage_unversioned_and_newer_settings_are_reported_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(settings::STORE_FILE);
    let good = two_connections(&path);
    let newer = serde_json::to_vec(&json!({"settings": {"version": Settings::CURRENT_VERSION + 1, "connections": [], "profiles": {}}})).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "settings.unreadable",
        ),
        ("empty", Vec::new(), "settings.unreadable"),
        (
            "garbage",
            b"\x00\xff garbage \x13\x37".to_vec(),
            "settings.unreadable",
        ),
        (
            "not an object",
            b"[1, 2, 3]".to_vec(),
            "settings.unreadable",
        ),
        (
            "wrong shape",
            br#"{"settings": {"version": 1, "connections": 7}}"#.to_vec(),
            "settings.unreadable",
        ),
        (
            "no version",
            br#"{"settings": {"connections": [], "profiles": {}}}"#.to_vec(),
            "settings.unreadable",
        ),
        (
            "version not a number",
            br#"{"settings": {"version": "one", "connections": [], "profiles": {}}}"#.to_vec(),
            "settings.unreadable",
        ),
        ("newer", newer, "settings.newer_version"),
    ];
    for (name, bytes, code) in cases {
        std::fs::write(&path, &bytes).unwrap();
        let err = settings::load_file(&path).expect_err(name);
        assert_eq!(err.code(), code, "{name}: {err}");
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{name}: names the file: {err}"
        );
        assert!(
            !err.hint().is_empty() && !err.hint().contains("--"),
            "{name}: {}",
            err.hint()
        );
        // The next save is refused and the file keeps its bytes.
        let mut s = Settings::default();
        s.upsert(saved("c"));
        let err = settings::save_file(&path, &s).expect_err(name);
        assert_eq!(err.code(), code, "{name}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: untouched");
    }
    // Larger than the limit (a sparse file: no disk used): refused before it is read, and kept.
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(settings::MAX_SETTINGS_BYTES + 1).unwrap();
    drop(f);
    let err = settings::load_file(&path).expect_err("oversized");
    assert_eq!(err.code(), "settings.unreadable");
    assert!(err.to_string().contains("larger than"), "{err}");
    let mut s = Settings::default();
    s.upsert(saved("c"));
    settings::save_file(&path, &s).expect_err("oversized: the save is refused");
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        settings::MAX_SETTINGS_BYTES + 1
    );
}

/// The saved record is made in the core: a reopened connection keeps its id, a new one gets a
/// random UUID, and the save time is now, in RFC 3339 UTC.
#[test]
fn a_saved_record_keeps_its_id_or_gets_a_new_one_and_the_time_of_the_save() {
    let conn = saved("x").connection;
    let kept = SavedConnection::new(Some("kept-id".into()), conn.clone(), true, None, None);
    assert_eq!(kept.id, "kept-id");
    let a = SavedConnection::new(None, conn.clone(), false, None, None);
    let b = SavedConnection::new(Some("  ".into()), conn, false, None, None);
    assert_ne!(a.id, b.id);
    for id in [&a.id, &b.id] {
        assert!(h2r_setup::validate::is_guid(id), "{id}");
    }
    let t = &a.saved_at;
    assert!(
        t.len() == 20 && t.starts_with("20") && t.ends_with('Z') && t.as_bytes()[10] == b'T',
        "{t}"
    );
}
