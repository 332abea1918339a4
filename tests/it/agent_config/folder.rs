//! The agent folder: create (generated / imported), status, rotation, archive.

use crate::keys::{assert_one_error_line, cli, stderr};
use h2r_setup::agent_config::folder::{self, KeySource, RotateRequest};
use h2r_setup::agent_config::{self, AgentPayload, SecretString};
use h2r_setup::keys::{Passphrase, PrivateKey, PublicKey};
use h2r_setup::profile::{HybridConnection, KeyOrigin};
use h2r_setup::Diagnostic;
use std::path::Path;
use zeroize::Zeroizing;

fn payload(pw: &str) -> Zeroizing<Vec<u8>> {
    let conn = HybridConnection { service_account: "svc@example.com".into(), ..Default::default() };
    AgentPayload::new(conn, SecretString::new(pw)).to_json()
}

fn no_plaintext_secret_on_disk(dir: &Path, secret: &str) {
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(secret), "{} holds the secret in plaintext", entry.display());
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let md = std::fs::symlink_metadata(&p).unwrap();
        if md.is_dir() {
            out.extend(walk(&p));
        } else if md.is_file() {
            out.push(p);
        }
    }
    out
}

#[test]
fn create_generated_folder_opens_like_the_agent_and_rotates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    let plain = payload("Adm1n!pw");
    let info = folder::create(&dir, KeySource::Generated { key: &key, passphrase: None }, &plain, false).unwrap();
    assert_eq!(info.origin, KeyOrigin::Generated);
    assert_eq!(info.fingerprint, key.public_key().fingerprint());
    assert_eq!(info.agent_files, vec![dir.join("privateKey.pem"), dir.join("config.jwe")]);
    let (opened, header) = folder::open_folder(&dir, None).unwrap();
    assert_eq!(&opened[..], &plain[..]);
    assert_eq!(header.kid, info.fingerprint);
    no_plaintext_secret_on_disk(&dir, "Adm1n!pw");
    #[cfg(unix)]
    {
        use crate::keys::mode;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("generations")), 0o700);
        for f in walk(&dir) {
            assert_eq!(mode(&f), 0o600, "{}", f.display());
        }
    }
    // A second create refuses; nothing changes.
    let e = folder::create(&dir, KeySource::Generated { key: &key, passphrase: None }, &plain, false).unwrap_err();
    assert_eq!(e.code(), "keys.exists");
    // Rotation: new key, same bytes re-sealed, old set archived owner-only.
    let report = folder::rotate(&dir, RotateRequest { bits: Some(2048), ..Default::default() }).unwrap();
    assert_eq!(report.old_fingerprint, info.fingerprint);
    assert_ne!(report.new_fingerprint, report.old_fingerprint);
    assert_eq!(PublicKey::from_pem(&report.public_key_pem, "new").unwrap().fingerprint(), report.new_fingerprint);
    let (opened, header) = folder::open_folder(&dir, None).unwrap();
    assert_eq!(&opened[..], &plain[..]);
    assert_eq!(header.kid, report.new_fingerprint);
    let archived = report.archived_to.expect("archived");
    let old_key = PrivateKey::from_file(&archived.join("privateKey.pem"), None).unwrap();
    assert_eq!(old_key.public_key().fingerprint(), info.fingerprint);
    let old_cfg = std::fs::read_to_string(archived.join("config.jwe")).unwrap();
    assert_eq!(&agent_config::open(&old_cfg, &old_key, "old").unwrap()[..], &plain[..]);
    #[cfg(unix)]
    {
        use crate::keys::mode;
        assert_eq!(mode(&dir.join("archive")), 0o700);
        assert_eq!(mode(&archived), 0o700);
        assert_eq!(mode(&archived.join("privateKey.pem")), 0o600);
    }
    let st = folder::status(&dir).unwrap();
    assert_eq!(st.fingerprint, report.new_fingerprint);
    assert_eq!(st.config_kid, report.new_fingerprint);
    assert_eq!(st.archived.len(), 1);
    assert_eq!(std::fs::read_dir(dir.join("generations")).unwrap().count(), 1, "only the live generation");
    no_plaintext_secret_on_disk(&dir, "Adm1n!pw");
}

#[test]
fn rotate_plain_folder_with_passphrase_via_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let d = dir.to_str().unwrap();
    let pass = tmp.path().join("..pass");
    std::fs::write(&pass, "rotate me\n").unwrap();
    let pass_s = pass.to_str().unwrap();
    let o = cli(&["keys", "generate", "--out", d, "--bits", "2048", "--passphrase-file", pass_s], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let cfg = dir.join("config.jwe");
    let o = cli(&["agent-config", "seal", "--public-key", dir.join("publicKey.pem").to_str().unwrap(), "--in", "-", "--out", cfg.to_str().unwrap()], Some(&payload("pw1")));
    assert!(o.status.success(), "{}", stderr(&o));
    // Without the passphrase: refused, nothing changed.
    let before = std::fs::read(dir.join("privateKey.pem")).unwrap();
    let o = cli(&["keys", "rotate", "--dir", d], None);
    assert_one_error_line(&o, 1, "protected by a passphrase");
    assert_eq!(std::fs::read(dir.join("privateKey.pem")).unwrap(), before);
    let o = cli(&["keys", "rotate", "--dir", d, "--passphrase-file", pass_s], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_ne!(v["old_fingerprint"], v["new_fingerprint"]);
    assert_eq!(v["bits"], 2048, "keeps the old size by default");
    assert!(stderr(&o).contains("portal"));
    // The new key is protected with the same passphrase; the config opens through stable paths.
    assert!(std::fs::read_to_string(dir.join("privateKey.pem")).unwrap().starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let p = Passphrase::from_file(&pass).unwrap();
    let (opened, _) = folder::open_folder(dir, Some(&p)).unwrap();
    assert_eq!(&opened[..], &payload("pw1")[..]);
    let o = cli(&["agent-config", "open", "--private-key", dir.join("privateKey.pem").to_str().unwrap(), "--passphrase-file", pass_s, "--in", cfg.to_str().unwrap()], None);
    assert_eq!(o.stdout, &payload("pw1")[..]);
    // Rotate again (linked layout) with a new size.
    let o = cli(&["keys", "rotate", "--dir", d, "--passphrase-file", pass_s, "--bits", "3072"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let st = folder::status(dir).unwrap();
    assert_eq!(st.bits, 3072);
    assert!(st.passphrase_protected);
    assert_eq!(st.archived.len(), 2);
}

#[test]
fn imported_key_folder_has_no_private_key_and_rotation_reseals_to_the_new_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let admin_key = PrivateKey::generate(2048).unwrap();
    let public = admin_key.public_key();
    let info = folder::create(&dir, KeySource::Imported { public: &public }, &payload("pw-a"), false).unwrap();
    assert_eq!(info.origin, KeyOrigin::Imported);
    assert_eq!(info.agent_files, vec![dir.join("config.jwe")]);
    assert!(!dir.join("privateKey.pem").exists());
    let sealed = folder::read_config(&dir.join("config.jwe")).unwrap();
    assert_eq!(&agent_config::open(&sealed, &admin_key, "c").unwrap()[..], &payload("pw-a")[..]);
    // Rotation without the new key: a clear error, nothing changes.
    let e = folder::rotate(&dir, RotateRequest::default()).unwrap_err();
    assert!(e.to_string().contains("imported"), "{e}");
    let o = cli(&["keys", "rotate", "--dir", dir.to_str().unwrap()], None);
    assert_one_error_line(&o, 1, "imported");
    // With the admin's new key and the password asked again (CLI, from stdin).
    let new_admin = PrivateKey::generate(2048).unwrap();
    let newpub = tmp.path().join("new.pem");
    std::fs::write(&newpub, new_admin.public_key().to_pem()).unwrap();
    let o = cli(&["keys", "rotate", "--dir", dir.to_str().unwrap(), "--public-key", newpub.to_str().unwrap(), "--in", "-"], Some(&payload("pw-b")));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["old_fingerprint"], public.fingerprint());
    assert_eq!(v["new_fingerprint"], new_admin.public_key().fingerprint());
    let sealed = folder::read_config(&dir.join("config.jwe")).unwrap();
    assert_eq!(&agent_config::open(&sealed, &new_admin, "c").unwrap()[..], &payload("pw-b")[..]);
    assert!(!dir.join("privateKey.pem").exists());
    // The same key again is refused.
    let e = folder::rotate(
        &dir,
        RotateRequest { new_public_key: Some(new_admin.public_key()), new_plaintext: Some(payload("x")), ..Default::default() },
    )
    .unwrap_err();
    assert!(e.to_string().contains("already in use"), "{e}");
}

#[test]
fn cli_create_writes_what_the_agent_mount_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("config");
    let profile = tmp.path().join("profile.json");
    std::fs::write(
        &profile,
        r#"{"kind":"hybrid-onprem","name":"Connection-OnPremise Service","domain_controllers":[{"hosts":["dc1.example.com"],"port":636,"base_dn":"DC=example,DC=com"}],"service_account":"svc@example.com"}"#,
    )
    .unwrap();
    let o = cli(
        &["agent-config", "create", "--dir", dir.to_str().unwrap(), "--profile", profile.to_str().unwrap(), "--password-file", "-", "--bits", "2048"],
        Some(b"S3cret-Pw\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (opened, _) = folder::open_folder(&dir, None).unwrap();
    let p = AgentPayload::from_json(&opened).unwrap();
    assert_eq!(p.secrets.ad_service_account_password.expose(), "S3cret-Pw");
    assert_eq!(p.connection.domain_controllers[0].hosts, ["dc1.example.com"]);
    no_plaintext_secret_on_disk(&dir, "S3cret-Pw");
    let o = cli(&["agent-config", "status", "--dir", dir.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn rotate_async_cancel_leaves_the_folder_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    folder::create(&dir, KeySource::Generated { key: &key, passphrase: None }, &payload("pw"), false).unwrap();
    let before = folder::status(&dir).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let cancel = h2r_setup::keys::CancelFlag::new();
    let c2 = cancel.clone();
    let res = rt.block_on(folder::rotate_async(
        dir.clone(),
        RotateRequest { bits: Some(4096), ..Default::default() },
        move |_| c2.cancel(),
        cancel,
    ));
    assert_eq!(res.unwrap_err().code(), "keys.cancelled");
    assert_eq!(folder::status(&dir).unwrap(), before);
    let report = rt
        .block_on(folder::rotate_async(dir.clone(), RotateRequest::default(), |_| {}, Default::default()))
        .unwrap();
    assert_eq!(report.bits, 2048);
    assert_eq!(folder::open_folder(&dir, None).unwrap().1.kid, report.new_fingerprint);
}

#[test]
fn rotation_updates_the_key_facts_inside_the_wizard_payload() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    let old = key.public_key();
    let conn = HybridConnection {
        service_account: "svc@example.com".into(),
        agent_key: Some(h2r_setup::profile::AgentKey { fingerprint: old.fingerprint(), bits: 2048, origin: KeyOrigin::Generated }),
        ..Default::default()
    };
    let plain = AgentPayload::new(conn, SecretString::new("Adm1n!pw")).to_json();
    folder::create(&dir, KeySource::Generated { key: &key, passphrase: None }, &plain, false).unwrap();
    let report = folder::rotate(&dir, RotateRequest { bits: Some(2048), ..Default::default() }).unwrap();
    let (opened, header) = folder::open_folder(&dir, None).unwrap();
    let payload = AgentPayload::from_json(&opened).unwrap();
    let facts = payload.connection.agent_key.unwrap();
    assert_eq!(facts.fingerprint, report.new_fingerprint, "the profile inside names the key it is sealed to");
    assert_eq!(header.kid, report.new_fingerprint);
    assert_eq!(payload.secrets.ad_service_account_password.expose(), "Adm1n!pw");
}

#[cfg(unix)]
#[test]
fn a_second_rotation_of_the_same_folder_is_refused_while_one_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    folder::create(&dir, KeySource::Generated { key: &key, passphrase: None }, &payload("pw"), false).unwrap();
    let held = std::fs::File::open(&dir).unwrap();
    held.lock().unwrap();
    let e = folder::rotate(&dir, RotateRequest { bits: Some(2048), ..Default::default() }).unwrap_err();
    assert_eq!(e.code(), "agent_config.busy");
    assert_eq!(folder::open_folder(&dir, None).unwrap().1.kid, key.public_key().fingerprint(), "nothing changed");
    drop(held);
    folder::rotate(&dir, RotateRequest { bits: Some(2048), ..Default::default() }).unwrap();
}
