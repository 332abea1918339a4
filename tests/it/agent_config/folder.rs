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
    let conn = HybridConnection {
        service_account: "svc@example.com".into(),
        ..Default::default()
    };
    AgentPayload::new(conn, SecretString::new(pw)).to_json()
}

fn no_plaintext_secret_on_disk(dir: &Path, secret: &str) {
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "{} holds the secret in plaintext",
            entry.display()
        );
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
    let info = folder::create(
        &dir,
        KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        &plain,
        false,
    )
    .unwrap();
    assert_eq!(info.origin, KeyOrigin::Generated);
    assert_eq!(info.fingerprint, key.public_key().fingerprint());
    assert_eq!(
        info.agent_files,
        vec![dir.join("privateKey.pem"), dir.join("config.jwe")]
    );
    assert_eq!(
        info.written,
        vec![
            dir.join("privateKey.pem"),
            dir.join("publicKey.pem"),
            dir.join("config.jwe")
        ]
    );
    assert_only_agent_files(&dir, &["config.jwe", "privateKey.pem", "publicKey.pem"]);
    let (opened, header) = folder::open_folder(&dir, None).unwrap();
    assert_eq!(&opened[..], &plain[..]);
    assert_eq!(header.kid, info.fingerprint);
    no_plaintext_secret_on_disk(&dir, "Adm1n!pw");
    #[cfg(unix)]
    {
        use crate::keys::mode;
        assert_eq!(mode(&dir), 0o700);
        for f in walk(&dir) {
            assert_eq!(mode(&f), 0o600, "{}", f.display());
        }
    }
    // A second create refuses; nothing changes.
    let e = folder::create(
        &dir,
        KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        &plain,
        false,
    )
    .unwrap_err();
    assert_eq!(e.code(), "agent_config.folder_in_use");
    assert!(
        !e.hint().contains("--"),
        "no CLI flag in a hint the window shows: {}",
        e.hint()
    );
    // Rotation: new key, same bytes re-sealed, old set archived owner-only.
    let report = rotate_2048(&dir).unwrap();
    assert_eq!(report.old_fingerprint, info.fingerprint);
    assert_ne!(report.new_fingerprint, report.old_fingerprint);
    assert_eq!(
        PublicKey::from_pem(&report.public_key_pem, "new")
            .unwrap()
            .fingerprint(),
        report.new_fingerprint
    );
    let (opened, header) = folder::open_folder(&dir, None).unwrap();
    assert_eq!(&opened[..], &plain[..]);
    assert_eq!(header.kid, report.new_fingerprint);
    let archived = report.archived_to.expect("archived");
    assert!(
        !archived.starts_with(&dir),
        "archives are outside the agent folder: {}",
        archived.display()
    );
    assert_eq!(archived.parent().unwrap(), tmp.path().join("agent.archive"));
    assert_only_agent_files(&dir, &["config.jwe", "privateKey.pem", "publicKey.pem"]);
    let old_key = PrivateKey::from_file(&archived.join("privateKey.pem"), None).unwrap();
    assert_eq!(old_key.public_key().fingerprint(), info.fingerprint);
    let old_cfg = std::fs::read_to_string(archived.join("config.jwe")).unwrap();
    assert_eq!(
        &agent_config::open(&old_cfg, &old_key, "old").unwrap()[..],
        &plain[..]
    );
    #[cfg(unix)]
    {
        use crate::keys::mode;
        assert_eq!(mode(&tmp.path().join("agent.archive")), 0o700);
        assert_eq!(mode(&archived), 0o700);
        assert_eq!(mode(&archived.join("privateKey.pem")), 0o600);
    }
    let st = folder::status(&dir).unwrap();
    assert_eq!(st.fingerprint, report.new_fingerprint);
    assert_eq!(st.config_kid, report.new_fingerprint);
    assert_eq!(st.archived.len(), 1);
    assert_eq!(st.state, folder::FolderState::Ready);
    assert_eq!(st.layout, folder::Layout::Files);
    assert_eq!(st.public_key_pem, report.public_key_pem);
    assert!(st.last_changed_at.is_some());
    no_plaintext_secret_on_disk(&dir, "Adm1n!pw");
}

#[test]
fn rotate_plain_folder_with_passphrase_via_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let dir_buf = tmp.path().join("agent");
    let dir = dir_buf.as_path();
    let d = dir.to_str().unwrap();
    let pass = tmp.path().join("pass");
    std::fs::write(&pass, "rotate me\n").unwrap();
    let pass_s = pass.to_str().unwrap();
    let o = cli(
        &[
            "keys",
            "generate",
            "--out",
            d,
            "--bits",
            "2048",
            "--passphrase-file",
            pass_s,
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let cfg = dir.join("config.jwe");
    let o = cli(
        &[
            "agent-config",
            "seal",
            "--public-key",
            dir.join("publicKey.pem").to_str().unwrap(),
            "--in",
            "-",
            "--out",
            cfg.to_str().unwrap(),
        ],
        Some(&payload("pw1")),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Without the passphrase: refused, nothing changed.
    let before = std::fs::read(dir.join("privateKey.pem")).unwrap();
    let o = cli(&["keys", "rotate", "--dir", d], None);
    assert_one_error_line(&o, 1, "protected by a passphrase");
    assert_eq!(std::fs::read(dir.join("privateKey.pem")).unwrap(), before);
    let o = cli(
        &["keys", "rotate", "--dir", d, "--passphrase-file", pass_s],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_ne!(v["old_fingerprint"], v["new_fingerprint"]);
    assert_eq!(v["bits"], 2048, "keeps the old size by default");
    assert!(stderr(&o).contains("portal"));
    // The new key is protected with the same passphrase; the config opens through stable paths.
    assert!(std::fs::read_to_string(dir.join("privateKey.pem"))
        .unwrap()
        .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let p = Passphrase::from_file(&pass).unwrap();
    let (opened, _) = folder::open_folder(dir, Some(&p)).unwrap();
    assert_eq!(&opened[..], &payload("pw1")[..]);
    let o = cli(
        &[
            "agent-config",
            "open",
            "--private-key",
            dir.join("privateKey.pem").to_str().unwrap(),
            "--passphrase-file",
            pass_s,
            "--in",
            cfg.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.stdout, &payload("pw1")[..]);
    // Rotate again with a new size; the retention keeps the last replaced set unless told.
    let o = cli(
        &[
            "keys",
            "rotate",
            "--dir",
            d,
            "--passphrase-file",
            pass_s,
            "--bits",
            "3072",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let st = folder::status(dir).unwrap();
    assert_eq!(st.bits, 3072);
    assert!(st.passphrase_protected);
    assert_eq!(
        st.archived.len(),
        1,
        "default retention: the last replaced set"
    );
    let o = cli(
        &[
            "keys",
            "rotate",
            "--dir",
            d,
            "--passphrase-file",
            pass_s,
            "--bits",
            "2048",
            "--keep-archives",
            "3",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(folder::status(dir).unwrap().archived.len(), 2);
    let o = cli(
        &["agent-config", "prune", "--dir", d, "--keep-archives", "0"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(folder::status(dir).unwrap().archived.is_empty());
}

#[test]
fn imported_key_folder_has_no_private_key_and_rotation_reseals_to_the_new_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let admin_key = PrivateKey::generate(2048).unwrap();
    let public = admin_key.public_key();
    let info = folder::create(
        &dir,
        KeySource::Imported { public: &public },
        &payload("pw-a"),
        false,
    )
    .unwrap();
    assert_eq!(info.origin, KeyOrigin::Imported);
    assert_eq!(info.agent_files, vec![dir.join("config.jwe")]);
    assert!(!dir.join("privateKey.pem").exists());
    let sealed = folder::read_config(&dir.join("config.jwe")).unwrap();
    assert_eq!(
        &agent_config::open(&sealed, &admin_key, "c").unwrap()[..],
        &payload("pw-a")[..]
    );
    // Rotation without the new key: a clear error, nothing changes.
    let e = folder::rotate(&dir, RotateRequest::default()).unwrap_err();
    assert!(e.to_string().contains("imported"), "{e}");
    let o = cli(&["keys", "rotate", "--dir", dir.to_str().unwrap()], None);
    assert_one_error_line(&o, 1, "imported");
    // With the admin's new key and the password asked again (CLI, from stdin).
    let new_admin = PrivateKey::generate(2048).unwrap();
    let newpub = tmp.path().join("new.pem");
    std::fs::write(&newpub, new_admin.public_key().to_pem()).unwrap();
    let o = cli(
        &[
            "keys",
            "rotate",
            "--dir",
            dir.to_str().unwrap(),
            "--public-key",
            newpub.to_str().unwrap(),
            "--in",
            "-",
        ],
        Some(&payload("pw-b")),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["old_fingerprint"], public.fingerprint());
    assert_eq!(v["new_fingerprint"], new_admin.public_key().fingerprint());
    let sealed = folder::read_config(&dir.join("config.jwe")).unwrap();
    assert_eq!(
        &agent_config::open(&sealed, &new_admin, "c").unwrap()[..],
        &payload("pw-b")[..]
    );
    assert!(!dir.join("privateKey.pem").exists());
    // The same key again is refused.
    let e = folder::rotate(
        &dir,
        RotateRequest {
            new_public_key: Some(new_admin.public_key()),
            new_plaintext: Some(payload("x")),
            ..Default::default()
        },
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
    let o = super::cli_create(&dir, &profile, b"S3cret-Pw\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let (opened, _) = folder::open_folder(&dir, None).unwrap();
    let p = AgentPayload::from_json(&opened).unwrap();
    assert_eq!(p.secrets.ad_service_account_password.expose(), "S3cret-Pw");
    assert_eq!(
        p.connection.domain_controllers[0].hosts,
        ["dc1.example.com"]
    );
    no_plaintext_secret_on_disk(&dir, "S3cret-Pw");
    let o = cli(
        &["agent-config", "status", "--dir", dir.to_str().unwrap()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["state"], "ready");
    assert_eq!(v["layout"], "files");
}

#[test]
fn rotate_async_cancel_leaves_the_folder_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    folder::create(
        &dir,
        KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        &payload("pw"),
        false,
    )
    .unwrap();
    let before = folder::status(&dir).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let cancel = h2r_setup::cancel::Cancel::new();
    let c2 = cancel.clone();
    let res = rt.block_on(folder::rotate_async(
        dir.clone(),
        RotateRequest {
            bits: Some(4096),
            ..Default::default()
        },
        move |_| c2.cancel(),
        cancel,
    ));
    assert_eq!(res.unwrap_err().code(), "keys.cancelled");
    assert_eq!(folder::status(&dir).unwrap(), before);
    let report = rt
        .block_on(folder::rotate_async(
            dir.clone(),
            RotateRequest::default(),
            |_| {},
            Default::default(),
        ))
        .unwrap();
    assert_eq!(report.bits, 2048);
    assert_eq!(
        folder::open_folder(&dir, None).unwrap().1.kid,
        report.new_fingerprint
    );
}

#[test]
fn rotation_updates_the_key_facts_inside_the_wizard_payload() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    let old = key.public_key();
    let conn = HybridConnection {
        service_account: "svc@example.com".into(),
        agent_key: Some(h2r_setup::profile::AgentKey {
            fingerprint: old.fingerprint(),
            bits: 2048,
            origin: KeyOrigin::Generated,
        }),
        ..Default::default()
    };
    let plain = AgentPayload::new(conn, SecretString::new("Adm1n!pw")).to_json();
    folder::create(
        &dir,
        KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        &plain,
        false,
    )
    .unwrap();
    let report = rotate_2048(&dir).unwrap();
    let (opened, header) = folder::open_folder(&dir, None).unwrap();
    let payload = AgentPayload::from_json(&opened).unwrap();
    let facts = payload.connection.agent_key.unwrap();
    assert_eq!(
        facts.fingerprint, report.new_fingerprint,
        "the profile inside names the key it is sealed to"
    );
    assert_eq!(header.kid, report.new_fingerprint);
    assert_eq!(
        payload.secrets.ad_service_account_password.expose(),
        "Adm1n!pw"
    );
}

#[cfg(unix)]
#[test]
fn a_second_rotation_of_the_same_folder_is_refused_while_one_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    folder::create(
        &dir,
        KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        &payload("pw"),
        false,
    )
    .unwrap();
    let held = std::fs::File::open(&dir).unwrap();
    held.lock().unwrap();
    let e = rotate_2048(&dir).unwrap_err();
    assert_eq!(e.code(), "agent_config.busy");
    assert_eq!(
        folder::open_folder(&dir, None).unwrap().1.kid,
        key.public_key().fingerprint(),
        "nothing changed"
    );
    drop(held);
    rotate_2048(&dir).unwrap();
}

/// The folder holds exactly these names (no link, no work folder, no archive).
fn assert_only_agent_files(dir: &Path, names: &[&str]) {
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found, names,
        "the agent folder holds exactly what the agent needs"
    );
    for n in names {
        let md = std::fs::symlink_metadata(dir.join(n)).unwrap();
        assert!(md.file_type().is_file(), "{n} is a plain regular file");
    }
}

/// Rotate to a new 2048-bit key (what an unsafe folder must refuse).
fn rotate_2048(dir: &Path) -> Result<folder::RotationReport, agent_config::ConfigError> {
    folder::rotate(
        dir,
        RotateRequest {
            bits: Some(2048),
            ..Default::default()
        },
    )
}

/// Replace the folder's set with a new generated key (what an unsafe folder must refuse).
fn replace_with_new_key(dir: &Path) -> Result<folder::FolderInfo, agent_config::ConfigError> {
    let key = PrivateKey::generate(2048).unwrap();
    folder::create(
        dir,
        KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        &payload("x"),
        true,
    )
}

fn generated_folder(dir: &Path, pw: &str) -> String {
    let key = PrivateKey::generate(2048).unwrap();
    folder::create(
        dir,
        KeySource::Generated {
            key: &key,
            passphrase: None,
        },
        &payload(pw),
        false,
    )
    .unwrap()
    .fingerprint
}

/// `cp -r` (no link or mode flags) and a tar without link support of a created and of a rotated
/// folder both open with `agent-config open`.
#[cfg(unix)]
#[test]
fn copies_of_created_and_rotated_folders_open_with_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let created = generated_folder(&dir, "copy-me");
    let check = |copy: &Path, kid: &str, how: &str| {
        let o = cli(
            &[
                "agent-config",
                "open",
                "--private-key",
                copy.join("privateKey.pem").to_str().unwrap(),
                "--in",
                copy.join("config.jwe").to_str().unwrap(),
            ],
            None,
        );
        assert!(o.status.success(), "{how}: {}", stderr(&o));
        assert_eq!(o.stdout, &payload("copy-me")[..], "{how}");
        assert_eq!(
            PublicKey::from_file(&copy.join("publicKey.pem"))
                .unwrap()
                .fingerprint(),
            kid,
            "{how}"
        );
    };
    let mut kid = created;
    for round in ["created", "rotated"] {
        if round == "rotated" {
            kid = rotate_2048(&dir).unwrap().new_fingerprint;
        }
        let cp = tmp.path().join(format!("cp-{round}"));
        let st = std::process::Command::new("cp")
            .args(["-r", dir.to_str().unwrap(), cp.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(st.success());
        check(&cp, &kid, &format!("cp -r of the {round} folder"));
        // tar stores links as links: its listing shows none, so a copy tool without link support
        // loses nothing.
        let tarball = tmp.path().join(format!("{round}.tar"));
        let st = std::process::Command::new("tar")
            .args([
                "-cf",
                tarball.to_str().unwrap(),
                "-C",
                dir.to_str().unwrap(),
                ".",
            ])
            .status()
            .unwrap();
        assert!(st.success());
        let listing = std::process::Command::new("tar")
            .args(["-tvf", tarball.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&listing.stdout)
                .lines()
                .any(|l| l.starts_with('l')),
            "no link in the tar"
        );
        let out = tmp.path().join(format!("tar-{round}"));
        std::fs::create_dir(&out).unwrap();
        let st = std::process::Command::new("tar")
            .args([
                "-xf",
                tarball.to_str().unwrap(),
                "-C",
                out.to_str().unwrap(),
                "--no-same-owner",
                "--no-same-permissions",
            ])
            .status()
            .unwrap();
        assert!(st.success());
        check(&out, &kid, &format!("tar copy of the {round} folder"));
        // And nothing in the folder is a link.
        for f in std::fs::read_dir(&dir).unwrap() {
            assert!(!f.unwrap().file_type().unwrap().is_symlink());
        }
    }
}

/// A planted link at each entry name is refused, and its target is never read or changed.
#[cfg(unix)]
#[test]
fn a_planted_link_at_any_entry_name_is_refused() {
    for name in [
        "privateKey.pem",
        "publicKey.pem",
        "config.jwe",
        ".h2r-pending",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("agent");
        generated_folder(&dir, "pw");
        let secret = tmp.path().join("id_ed25519");
        std::fs::write(&secret, "SECRET-OF-ANOTHER-FILE").unwrap();
        let p = dir.join(name);
        if p.exists() {
            std::fs::remove_file(&p).unwrap();
        }
        std::os::unix::fs::symlink(&secret, &p).unwrap();
        let e = rotate_2048(&dir).unwrap_err();
        assert_eq!(e.code(), "agent_config.unsafe_entry", "{name}: {e}");
        let e = folder::status(&dir).unwrap_err();
        assert_eq!(e.code(), "agent_config.unsafe_entry", "{name}: {e}");
        let e = replace_with_new_key(&dir).unwrap_err();
        assert_eq!(
            e.code(),
            "agent_config.unsafe_entry",
            "{name}: replace refuses too: {e}"
        );
        assert_eq!(
            std::fs::read_to_string(&secret).unwrap(),
            "SECRET-OF-ANOTHER-FILE"
        );
        assert!(
            std::fs::symlink_metadata(&p)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{name}: left as found"
        );
    }
    // A planted archive folder beside it (a link to elsewhere) is refused, not followed.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    generated_folder(&dir, "pw");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(&elsewhere, tmp.path().join("agent.archive")).unwrap();
    let r = rotate_2048(&dir).unwrap();
    assert!(
        !r.warnings.is_empty(),
        "the new key is live; the archive problem is a warning"
    );
    assert!(r.archived_to.is_none());
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        1,
        "nothing moved into the link's target"
    );
    assert_eq!(
        folder::open_folder(&dir, None).unwrap().1.kid,
        r.new_fingerprint
    );
}

#[cfg(unix)]
#[test]
fn a_folder_others_may_write_to_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let kid = generated_folder(&dir, "pw");
    for mode in [0o770, 0o707, 0o777] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode)).unwrap();
        let e = rotate_2048(&dir).unwrap_err();
        assert_eq!(e.code(), "agent_config.unsafe_folder", "{mode:o}");
        let e = replace_with_new_key(&dir).unwrap_err();
        assert_eq!(e.code(), "agent_config.unsafe_folder", "{mode:o}");
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(
        folder::status(&dir).unwrap().fingerprint,
        kid,
        "nothing changed"
    );
}

/// Issue 12: a folder owned by another account (here `nobody`) is refused even with mode 0700.
/// Needs root to give the folder away (CI runs as root); said and skipped otherwise.
#[cfg(unix)]
#[test]
fn a_folder_owned_by_another_user_is_refused() {
    use std::os::unix::fs::MetadataExt;
    if std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(1)
        != 0
    {
        eprintln!("skipped: giving a folder to another user needs root");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let kid = generated_folder(&dir, "pw");
    const NOBODY: u32 = 65534;
    std::os::unix::fs::chown(&dir, Some(NOBODY), Some(NOBODY)).unwrap();
    let e = rotate_2048(&dir).unwrap_err();
    assert_eq!(e.code(), "agent_config.unsafe_folder", "{e}");
    assert!(e.to_string().contains(&dir.display().to_string()), "{e}");
    let e = replace_with_new_key(&dir).unwrap_err();
    assert_eq!(e.code(), "agent_config.unsafe_folder", "{e}");
    std::os::unix::fs::chown(&dir, Some(0), Some(0)).unwrap();
    assert_eq!(
        folder::status(&dir).unwrap().fingerprint,
        kid,
        "nothing changed"
    );
}

/// Two creates (and a create and a rotation) at once: one wins, the other is refused or waits;
/// the folder ends consistent.
#[cfg(unix)]
#[test]
fn concurrent_creates_and_rotations_leave_one_consistent_set() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    std::fs::create_dir(&dir).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let keys: Vec<PrivateKey> = (0..4)
        .map(|_| PrivateKey::generate(2048).unwrap())
        .collect();
    let barrier = std::sync::Barrier::new(4);
    let results: Vec<Result<String, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = keys
            .iter()
            .map(|k| {
                let (dir, barrier) = (&dir, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    folder::create(
                        dir,
                        KeySource::Generated {
                            key: k,
                            passphrase: None,
                        },
                        &payload("pw"),
                        true,
                    )
                    .map(|i| i.fingerprint)
                    .map_err(|e| e.code().to_string())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.iter().any(|r| r.is_ok()), "{results:?}");
    for r in &results {
        if let Err(code) = r {
            assert_eq!(code, "agent_config.busy", "{results:?}");
        }
    }
    let kid = folder::open_folder(&dir, None).unwrap().1.kid;
    assert!(results.iter().any(|r| r.as_deref() == Ok(kid.as_str())));
    assert!(!dir.join(".h2r-pending").exists());
    // A held lock (another window) makes create busy too, and nothing changes.
    let held = std::fs::File::open(&dir).unwrap();
    held.lock().unwrap();
    let e = folder::create(
        &dir,
        KeySource::Generated {
            key: &keys[0],
            passphrase: None,
        },
        &payload("pw"),
        true,
    )
    .unwrap_err();
    assert_eq!(e.code(), "agent_config.busy");
    drop(held);
    assert_eq!(folder::open_folder(&dir, None).unwrap().1.kid, kid);
}

/// A folder of the older layout (links into `generations/`) is migrated on the next rotation:
/// plain files afterwards, its old sets moved to the archive outside the folder.
#[cfg(unix)]
#[test]
fn an_older_link_layout_folder_is_migrated_on_the_next_rotation() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    make_legacy_folder(&dir, "legacy-pw");
    let st = folder::status(&dir).unwrap();
    assert_eq!(st.layout, folder::Layout::Links);
    assert_eq!(
        &folder::open_folder(&dir, None).unwrap().0[..],
        &payload("legacy-pw")[..]
    );
    let r = rotate_2048(&dir).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_only_agent_files(&dir, &["config.jwe", "privateKey.pem", "publicKey.pem"]);
    assert_eq!(
        &folder::open_folder(&dir, None).unwrap().0[..],
        &payload("legacy-pw")[..]
    );
    let st = folder::status(&dir).unwrap();
    assert_eq!(st.layout, folder::Layout::Files);
    assert_eq!(st.fingerprint, r.new_fingerprint);
    // The old key that matched the old config is in the archive.
    let old = r.archived_to.unwrap();
    let old_key = PrivateKey::from_file(&old.join("privateKey.pem"), None).unwrap();
    assert_eq!(old_key.public_key().fingerprint(), r.old_fingerprint);
}

/// Issue 12, the older layout: its `generations` folder, its `current` link and its `archive`
/// folder planted as links to a folder elsewhere (holding a look-alike generation) are refused
/// or left alone, never followed: nothing elsewhere is read as the live key, moved or deleted.
#[cfg(unix)]
#[test]
fn planted_links_in_an_older_layout_folder_are_refused_not_followed() {
    use std::os::unix::fs::symlink;
    fn listing(root: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }
    for planted in ["generations", "current", "archive"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("agent");
        make_legacy_folder(&dir, "legacy-pw");
        // Elsewhere: a look-alike of the older layout, written by "another account".
        let elsewhere = tmp.path().join("elsewhere");
        make_legacy_folder(&elsewhere, "not-ours");
        let before = listing(&elsewhere);
        let p = dir.join(planted);
        if planted == "current" {
            std::fs::remove_file(&p).unwrap();
            symlink(
                elsewhere
                    .join("generations")
                    .join("20260101T000000Z_abcdefgh"),
                &p,
            )
            .unwrap();
        } else {
            std::fs::rename(&p, tmp.path().join(format!("{planted}.moved"))).unwrap();
            symlink(elsewhere.join(planted), &p).unwrap();
        }
        let r = rotate_2048(&dir);
        match planted {
            // The live key is found through these: a planted one is refused outright.
            "generations" | "current" => {
                let e = r.unwrap_err();
                assert_eq!(e.code(), "agent_config.unsafe_entry", "{planted}: {e}");
                let e = folder::status(&dir).unwrap_err();
                assert_eq!(e.code(), "agent_config.unsafe_entry", "{planted}: {e}");
            }
            // The older archive is not needed to rotate; whatever happens, it is not followed.
            _ => {
                if let Err(e) = r {
                    assert_eq!(e.code(), "agent_config.unsafe_entry", "{planted}: {e}");
                }
            }
        }
        assert_eq!(
            listing(&elsewhere),
            before,
            "{planted}: elsewhere untouched"
        );
        assert!(
            std::fs::symlink_metadata(&p)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(true),
            "{planted}: the planted link is not replaced by a followed copy"
        );
    }
}

/// Write the layout of the previous version by hand.
#[cfg(unix)]
pub(crate) fn make_legacy_folder(dir: &Path, pw: &str) {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let key = PrivateKey::generate(2048).unwrap();
    let gen = "20260101T000000Z_abcdefgh";
    let g = dir.join("generations").join(gen);
    std::fs::create_dir_all(&g).unwrap();
    std::fs::create_dir_all(dir.join("archive").join("20251201T000000Z_old")).unwrap();
    for p in [
        dir.to_path_buf(),
        dir.join("generations"),
        g.clone(),
        dir.join("archive"),
        dir.join("archive").join("20251201T000000Z_old"),
    ] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    std::fs::write(
        g.join("privateKey.pem"),
        key.to_pem(None).unwrap().as_bytes(),
    )
    .unwrap();
    std::fs::write(g.join("publicKey.pem"), key.public_key().to_pem()).unwrap();
    std::fs::write(
        g.join("config.jwe"),
        agent_config::seal(&payload(pw), &key.public_key()).unwrap(),
    )
    .unwrap();
    symlink(Path::new("generations").join(gen), dir.join("current")).unwrap();
    for n in ["privateKey.pem", "publicKey.pem", "config.jwe"] {
        symlink(Path::new("current").join(n), dir.join(n)).unwrap();
    }
}

#[test]
fn a_missing_folder_is_a_typed_error_with_a_way_out() {
    let tmp = tempfile::tempdir().unwrap();
    let gone = tmp.path().join("moved-away");
    for e in [
        folder::status(&gone).unwrap_err(),
        folder::rotate(&gone, RotateRequest::default()).unwrap_err(),
        folder::open_folder(&gone, None).unwrap_err(),
    ] {
        assert_eq!(e.code(), "agent_config.folder_missing", "{e}");
        assert!(!e.to_string().contains("os error"), "no raw OS error: {e}");
        assert!(
            e.hint().contains("Locate") && e.hint().contains("create a new"),
            "{}",
            e.hint()
        );
        assert!(
            !e.hint().contains("--") && !e.hint().contains('`'),
            "no CLI words in the window's hint"
        );
    }
    let o = cli(
        &["agent-config", "status", "--dir", gone.to_str().unwrap()],
        None,
    );
    assert_one_error_line(&o, 2, "was not found");
}
