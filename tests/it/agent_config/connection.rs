//! The core's "create the agent folder for this connection" / "rotate this connection's keys"
//! (used by the CLI and the window alike), what the agent gets sealed (issue 13), the portal
//! hand-off and the agent setup commands (issue 11), and the AD password change (issue 14).

use crate::keys::{assert_one_error_line, cli, stderr};
use h2r_setup::agent_config::connection::{self, RotateConnection};
use h2r_setup::agent_config::folder::{self, ArchivePolicy, KeySource};
use h2r_setup::agent_config::instructions::{self, Input, Shell, Target};
use h2r_setup::agent_config::{handoff, AgentPayload, SecretString};
use h2r_setup::keys::PrivateKey;
use h2r_setup::profile::{Connection, DomainController, HybridConnection, KeyOrigin, TlsTrust};
use h2r_setup::Diagnostic;
use std::path::{Path, PathBuf};

const FAKE_CA: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBfakeCAforTests\n-----END CERTIFICATE-----\n";

fn profile(ca_file: Option<PathBuf>, hosts: &[&str], base_dn: &str) -> HybridConnection {
    HybridConnection {
        name: "Connection-OnPremise Service".into(),
        domain_controllers: vec![DomainController {
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            port: 636,
            base_dn: base_dn.into(),
            tls: ca_file.map(TlsTrust::CaFile).unwrap_or_default(),
        }],
        service_account: "svc@example.com".into(),
        ..Default::default()
    }
}

/// Every file under `dir` with its bytes (for "nothing changed" checks).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd {
            let p = e.unwrap().path();
            let md = std::fs::symlink_metadata(&p).unwrap();
            if md.is_dir() {
                out.extend(snapshot(&p));
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn cli_and_core_create_make_the_same_profile_and_folder_and_seal_no_local_path() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = tmp.path().join("my-ca.pem");
    std::fs::write(&ca, FAKE_CA).unwrap();
    let conn = profile(
        Some(ca.clone()),
        &["dc1.example.com", "dc2.example.com"],
        "DC=example,DC=com",
    );
    // The core, as the window calls it.
    let core_dir = tmp.path().join("core-agent");
    let key = PrivateKey::generate(2048).unwrap();
    let created = create_generated(&conn, &core_dir, &key, "Pw-core");
    // The CLI.
    let cli_dir = tmp.path().join("cli-agent");
    let pf = tmp.path().join("profile.json");
    std::fs::write(
        &pf,
        serde_json::to_vec(&Connection::HybridOnprem(conn.clone())).unwrap(),
    )
    .unwrap();
    let o = super::cli_create(&cli_dir, &pf, b"Pw-core\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cli_conn: HybridConnection = serde_json::from_value(v["connection"].clone()).unwrap();
    // The same profile (apart from the key itself and the folder's path).
    let normalise = |c: &HybridConnection| {
        let mut c = c.clone();
        let k = c.agent_key.as_mut().unwrap();
        assert_eq!(k.origin, KeyOrigin::Generated);
        assert_eq!(k.bits, 2048);
        k.fingerprint = "K".into();
        assert!(
            c.agent_folder.take().is_some(),
            "the profile names its folder"
        );
        c
    };
    assert_eq!(normalise(&created.connection), normalise(&cli_conn));
    assert_eq!(
        created.connection.agent_folder.as_deref(),
        Some(core_dir.as_path())
    );
    assert_eq!(cli_conn.agent_folder.as_deref(), Some(cli_dir.as_path()));
    // The same folder.
    let names = |d: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&core_dir), names(&cli_dir));
    let open = |d: &Path| {
        let (plain, h) = folder::open_folder(d, None).unwrap();
        (
            AgentPayload::from_json(&plain).unwrap(),
            h.kid,
            String::from_utf8(plain.to_vec()).unwrap(),
        )
    };
    let (core_p, core_kid, core_text) = open(&core_dir);
    let (cli_p, cli_kid, cli_text) = open(&cli_dir);
    assert_eq!(
        core_p.connection.agent_key.as_ref().unwrap().fingerprint,
        core_kid
    );
    assert_eq!(
        cli_p.connection.agent_key.as_ref().unwrap().fingerprint,
        cli_kid
    );
    let strip = |mut p: AgentPayload| {
        p.connection.agent_key = None;
        p
    };
    assert_eq!(strip(core_p.clone()), strip(cli_p));
    // Issue 13: the CA certificate itself is sealed; no path of this computer is.
    assert_eq!(core_p.ca_certificates.len(), 1);
    assert_eq!(core_p.ca_certificates[0].pem, FAKE_CA);
    assert_eq!(
        core_p.ca_certificates[0].hosts,
        ["dc1.example.com", "dc2.example.com"]
    );
    for text in [&core_text, &cli_text] {
        let tmp_s = tmp.path().to_string_lossy();
        assert!(
            !text.contains(tmp_s.as_ref()),
            "no path of the wizard's machine in the sealed config: {text}"
        );
        assert!(
            !text.contains("ca_file") && !text.contains("agent_folder"),
            "{text}"
        );
    }
    // The connection file and CA bundle beside the folder (no secret) for the agent host.
    let cf = created.connection_file.clone().unwrap();
    assert_eq!(cf, tmp.path().join("core-agent.connection.json"));
    let cf_text = std::fs::read_to_string(&cf).unwrap();
    assert!(
        !cf_text.contains("Pw-core") && !cf_text.contains(tmp.path().to_string_lossy().as_ref()),
        "{cf_text}"
    );
    assert_eq!(
        std::fs::read_to_string(created.ca_file.unwrap()).unwrap(),
        FAKE_CA
    );
}

#[test]
fn rotating_a_connection_updates_its_profile_and_follows_a_moved_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = profile(None, &["dc1.example.com"], "DC=example,DC=com");
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    let created = create_generated(&conn, &dir, &key, "pw");
    // The admin moved the folder: the saved path is gone, a typed error says so.
    let moved = tmp.path().join("moved");
    std::fs::rename(&dir, &moved).unwrap();
    let e = connection::rotate_for_connection(
        &created.connection,
        RotateConnection {
            bits: Some(2048),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "agent_config.folder_missing");
    let e = connection::folder_for_connection(&created.connection, None).unwrap_err();
    assert_eq!(e.code(), "agent_config.folder_missing");
    // Located: the rotation runs there and the profile records the new place and key.
    let r = connection::rotate_for_connection(
        &created.connection,
        RotateConnection {
            bits: Some(2048),
            folder: Some(moved.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.connection.agent_folder.as_deref(), Some(moved.as_path()));
    assert_eq!(
        r.connection.agent_key.as_ref().unwrap().fingerprint,
        r.report.new_fingerprint
    );
    assert!(r.report.rotated_at.ends_with('Z'));
    let f = connection::folder_for_connection(&r.connection, None).unwrap();
    assert!(f.matches_saved);
    // The old profile no longer matches what is on disk.
    let f = connection::folder_for_connection(&created.connection, Some(&moved)).unwrap();
    assert!(!f.matches_saved);
    assert_eq!(f.status.fingerprint, r.report.new_fingerprint);
}

/// An error after the new key is live (the archive cannot be written) is a success with a
/// warning, and the profile names the new key.
#[cfg(unix)]
#[test]
fn a_failure_after_the_switch_is_a_warning_and_the_profile_names_the_live_key() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = profile(None, &["dc1.example.com"], "DC=example,DC=com");
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    let created = create_generated(&conn, &dir, &key, "pw");
    // A file where the archive folder goes: archiving fails after the switch.
    std::fs::write(tmp.path().join("agent.archive"), "in the way").unwrap();
    let r = connection::rotate_for_connection(
        &created.connection,
        RotateConnection {
            bits: Some(2048),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!r.report.warnings.is_empty(), "{:?}", r.report);
    assert_eq!(
        r.connection.agent_key.as_ref().unwrap().fingerprint,
        r.report.new_fingerprint
    );
    assert_eq!(
        folder::open_folder(&dir, None).unwrap().1.kid,
        r.report.new_fingerprint,
        "the new key is live"
    );
    // Once the obstacle is gone, recovery archives the old set; nothing was lost.
    std::fs::remove_file(tmp.path().join("agent.archive")).unwrap();
    let rec = folder::recover(&dir, &ArchivePolicy::default()).unwrap();
    assert!(
        matches!(
            rec,
            folder::Recovery::Finished {
                archived_to: Some(_),
                ..
            }
        ),
        "{rec:?}"
    );
    let st = folder::status(&dir).unwrap();
    assert_eq!(st.state, folder::FolderState::Ready);
    assert_eq!(st.archived.len(), 1);
}

#[test]
fn handoff_has_the_portal_values_in_the_portal_order() {
    let tmp = tempfile::tempdir().unwrap();
    let mut conn = profile(None, &["dc1.example.com", "10.0.0.5"], "DC=example,DC=com");
    conn.domain_controllers.push(DomainController {
        hosts: vec!["dc3.other.example".into()],
        port: 636,
        base_dn: "DC=other,DC=example".into(),
        tls: TlsTrust::default(),
    });
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    create_generated(&conn, &dir, &key, "S3cr3t");
    let o = cli(
        &[
            "agent-config",
            "handoff",
            "--dir",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let mut expected = vec![
        "connection_name",
        "domain_controllers",
        "public_key_pem",
        "public_key_fingerprint",
    ];
    expected.sort();
    let mut got = keys.clone();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(v["connection_name"], "Connection-OnPremise Service");
    assert_eq!(
        v["domain_controllers"][0],
        serde_json::json!({"hosts": "dc1.example.com,10.0.0.5", "port": 636, "base_dn": "DC=example,DC=com"})
    );
    assert_eq!(v["domain_controllers"][1]["hosts"], "dc3.other.example");
    assert_eq!(v["public_key_pem"], key.public_key().to_pem());
    assert_eq!(v["public_key_fingerprint"], key.public_key().fingerprint());
    let h: handoff::Handoff = serde_json::from_value(v).unwrap();
    let o = cli(
        &["agent-config", "handoff", "--dir", dir.to_str().unwrap()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text, h.to_text());
    let pos = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?} in {text}"));
    assert!(pos("Connection Name:") < pos("Host: dc1.example.com,10.0.0.5"));
    assert!(
        pos("Host: dc1") < pos("Port: 636") && pos("Port: 636") < pos("Base DN: DC=example,DC=com")
    );
    assert!(pos("Base DN: DC=other") < pos("-----BEGIN PUBLIC KEY-----"));
    assert!(pos("-----BEGIN PUBLIC KEY-----") < pos("Link account"));
    assert!(!text.contains("S3cr3t"));
}

/// Issue 11: `agent-config instructions` prints the core's commands for every target and shell
/// (script, or JSON with the placeholders), and each hand-off command explains itself with --help.
#[test]
fn instructions_from_the_cli_are_the_cores_and_the_hand_off_commands_have_help() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = profile(None, &["dc1.example.com"], "DC=example,DC=com");
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    create_generated(&conn, &dir, &key, "S3cr3t");
    let cf = connection::connection_file_for(&dir);
    for (t, target) in [("docker", Target::Docker), ("aci", Target::Aci)] {
        for (sh, shell) in [("bash", Shell::Bash), ("powershell", Shell::Powershell)] {
            let want = instructions::generate(&input(&conn.name, &dir, &cf, None), target, shell);
            let args = [
                "agent-config",
                "instructions",
                "--dir",
                dir.to_str().unwrap(),
                "--target",
                t,
                "--shell",
                sh,
            ];
            let o = cli(&args, None);
            assert!(o.status.success(), "{t}/{sh}: {}", stderr(&o));
            assert_eq!(
                String::from_utf8(o.stdout).unwrap(),
                want.script,
                "{t}/{sh}"
            );
            let o = cli(&[&args[..], &["--json"]].concat(), None);
            assert!(o.status.success(), "{t}/{sh}: {}", stderr(&o));
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["script"], want.script.as_str(), "{t}/{sh}");
            assert_eq!(
                v["placeholders"].as_array().map(Vec::len),
                Some(want.placeholders.len()),
                "{t}/{sh}"
            );
            assert!(!want.script.contains("S3cr3t"), "{t}/{sh}: no secret");
        }
    }
    for (cmd, option) in [
        (&["agent-config", "handoff"][..], "--format"),
        (&["agent-config", "instructions"][..], "--target"),
        (&["agent-config", "status"][..], "--dir"),
        (&["agent-config", "recover"][..], "--dir"),
        (&["support-report"][..], "--out"),
    ] {
        let o = cli(&[cmd, &["--help"]].concat(), None);
        assert!(o.status.success(), "{cmd:?} --help: {}", stderr(&o));
        let help = String::from_utf8(o.stdout).unwrap();
        assert!(
            help.contains("Usage:") && help.contains(option),
            "{cmd:?} --help:\n{help}"
        );
    }
}

/// The agent folder of `conn` in `dir`, with a generated key (no passphrase).
fn create_generated(
    conn: &HybridConnection,
    dir: &Path,
    key: &PrivateKey,
    password: &str,
) -> connection::CreatedForConnection {
    connection::create_for_connection(
        conn,
        dir,
        KeySource::Generated {
            key,
            passphrase: None,
        },
        SecretString::new(password),
        false,
        &ArchivePolicy::default(),
    )
    .unwrap()
}

fn input<'a>(name: &'a str, dir: &'a Path, cf: &'a Path, ca: Option<&'a Path>) -> Input<'a> {
    Input {
        connection_name: name,
        dir,
        has_private_key: true,
        connection_file: cf,
        ca_file: ca,
    }
}

const MARKERS: [&str; 4] = [
    "__FROM_PORTAL_IMAGE_TAG__",
    "__FROM_AZURE_RESOURCE_GROUP__",
    "__FROM_AZURE_LOCATION__",
    "__FROM_AZURE_STORAGE_ACCOUNT__",
];

/// The only unfilled values are the marked placeholders, each explained.
fn assert_only_marked_placeholders(i: &instructions::Instructions) {
    let s = &i.script;
    let mut rest = s.as_str();
    while let Some(p) = rest.find("__") {
        let after = &rest[p + 2..];
        let end = after.find("__").expect("a closed marker");
        let marker = format!("__{}__", &after[..end]);
        if marker != "__FROM_…__" {
            assert!(
                MARKERS.contains(&marker.as_str()),
                "unexpected marker {marker} in\n{s}"
            );
            assert!(
                i.placeholders.iter().any(|p| p.marker == marker),
                "{marker} is explained"
            );
        }
        rest = &after[end + 2..];
    }
    for bad in ["<", "TODO", "FIXME", "xxx", "CHANGEME"] {
        assert!(!s.contains(bad), "{bad:?} in\n{s}");
    }
    for p in &i.placeholders {
        assert!(s.contains(&p.marker), "{} is used", p.marker);
        assert!(!p.explanation.is_empty());
    }
}

#[test]
fn generated_bash_passes_shellcheck_and_has_only_marked_placeholders() {
    if std::process::Command::new("shellcheck")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("shellcheck is not installed: run scripts/setup-keys.sh");
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("agent");
    let cf = tmp.path().join("agent.connection.json");
    let ca = tmp.path().join("agent.ca.pem");
    for target in [Target::Docker, Target::Aci] {
        for ca in [None, Some(ca.as_path())] {
            let i = instructions::generate(
                &input("Connection-OnPremise Service", &dir, &cf, ca),
                target,
                Shell::Bash,
            );
            assert_only_marked_placeholders(&i);
            let f = tmp.path().join("setup.sh");
            std::fs::write(&f, &i.script).unwrap();
            let o = std::process::Command::new("shellcheck")
                .args(["--severity=style", "--shell=bash", f.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{target:?}: shellcheck:\n{}\n{}",
                String::from_utf8_lossy(&o.stdout),
                i.script
            );
            // Comments explain the commands: at least one comment per two command lines.
            let comments = i.script.lines().filter(|l| l.starts_with('#')).count();
            let commands = i
                .script
                .lines()
                .filter(|l| !l.starts_with('#') && !l.starts_with("  ") && !l.is_empty())
                .count();
            assert!(
                comments * 2 >= commands,
                "{comments} comments for {commands} commands"
            );
            assert!(
                i.script.contains("h2r-setup ldap check --connection"),
                "preflight"
            );
        }
        let ps = instructions::generate(
            &input("Connection-OnPremise Service", &dir, &cf, None),
            target,
            Shell::Powershell,
        );
        assert_only_marked_placeholders(&ps);
        assert!(ps.script.contains("Read-Host") && ps.script.contains("-AsSecureString"));
    }
    let docker = instructions::generate(
        &input("Connection-OnPremise Service", &dir, &cf, None),
        Target::Docker,
        Shell::Bash,
    )
    .script;
    assert!(docker.contains("NAME='connection-onpremise-service'"));
    assert!(
        docker.contains("install -d -m 0700 -o \"$AGENT_UID\""),
        "folder created, owned by the container user"
    );
    assert!(
        docker.contains("--env-file \"$ENV_FILE\""),
        "secrets through an owner-only env file"
    );
    assert!(
        docker.contains("read -r -s -p"),
        "the password is prompted, not written"
    );
    let aci = instructions::generate(
        &input("Connection-OnPremise Service", &dir, &cf, None),
        Target::Aci,
        Shell::Bash,
    )
    .script;
    assert!(
        aci.contains("--azure-file-volume-mount-path /config")
            && aci.contains("--secure-environment-variables")
    );
}

/// Names and paths with spaces, quotes, `$`, backticks and newlines stay one value in bash.
#[test]
fn hostile_names_and_paths_cannot_break_out_of_their_quoting() {
    let cases = [
        "plain",
        "with space",
        "it's",
        "\"double\"",
        "$(touch /tmp/h2r-pwned)",
        "${HOME}",
        "`id`",
        "back\\slash",
        "semi;colon && echo x",
        "new\nline",
        "'; rm -rf ~; '",
        "ümlaut ✓",
    ];
    let tmp = tempfile::tempdir().unwrap();
    for case in cases {
        let dir = tmp.path().join(case.replace('/', "_"));
        let cf = tmp
            .path()
            .join(format!("{}.connection.json", case.replace('/', "_")));
        for target in [Target::Docker, Target::Aci] {
            let i = instructions::generate(&input(case, &dir, &cf, None), target, Shell::Bash);
            // Evaluate only the assignments, then print the values back.
            let assigns: String = i
                .script
                .lines()
                .filter(|l| {
                    l.starts_with("SOURCE_DIR=")
                        || l.starts_with("CONNECTION_FILE=")
                        || l.starts_with("NAME=")
                })
                .map(|l| format!("{l}\n"))
                .collect();
            let script =
                format!("{assigns}printf '%s\\0' \"$SOURCE_DIR\" \"$CONNECTION_FILE\" \"$NAME\"");
            let o = std::process::Command::new("bash")
                .args(["-c", &script])
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{case:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let vals: Vec<String> = o
                .stdout
                .split(|b| *b == 0)
                .filter(|v| !v.is_empty())
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .collect();
            assert_eq!(vals[0], dir.display().to_string(), "{case:?}");
            assert_eq!(vals[1], cf.display().to_string(), "{case:?}");
            assert!(
                vals[2]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{case:?}: {}",
                vals[2]
            );
            assert!(!Path::new("/tmp/h2r-pwned").exists());
        }
        // The generated PowerShell: the folder and the connection file are assigned once each, as
        // one quoted string; with those strings taken out, nothing of the value is left anywhere
        // (no comment or command carries it raw, so a newline in it cannot start a new command).
        for target in [Target::Docker, Target::Aci] {
            let i =
                instructions::generate(&input(case, &dir, &cf, None), target, Shell::Powershell);
            let qdir = instructions::ps_quote(&dir.display().to_string());
            let qcf = instructions::ps_quote(&cf.display().to_string());
            assert_eq!(
                i.script.matches(&format!("$SourceDir = {qdir}\n")).count(),
                1,
                "{case:?}: {target:?}"
            );
            assert_eq!(
                i.script
                    .matches(&format!("$ConnectionFile = {qcf}\n"))
                    .count(),
                1,
                "{case:?}: {target:?}"
            );
            let rest = i.script.replace(&qdir, "").replace(&qcf, "");
            if case.len() > 5 {
                assert!(!rest.contains(case), "{case:?}: {target:?}: raw in\n{rest}");
            }
            let name_line = rest
                .lines()
                .find(|l| l.starts_with("$Name = "))
                .unwrap_or_else(|| panic!("{case:?}: {target:?}: no $Name"));
            assert!(
                name_line["$Name = ".len()..]
                    .trim_matches('\'')
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{case:?}: {name_line}"
            );
        }
        // PowerShell: single-quoted, every quote doubled, so `$`, backticks and `"` are literal.
        let q = instructions::ps_quote(case);
        assert!(q.starts_with('\'') && q.ends_with('\''));
        let inner = &q[1..q.len() - 1];
        assert_eq!(inner.replace("''", "'"), case, "{case:?}");
        assert!(!inner.replace("''", "").contains('\''), "{case:?}");
    }
}

/// Issue 14: the new password is checked by a bind first; a refused one changes nothing.
#[test]
fn set_password_binds_first_and_a_refused_password_leaves_the_folder_byte_identical() {
    use crate::ldap::fixture::{samba, OU_DN, SVC, SVC_PASS};
    let Some(ad) = samba() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut conn = profile(Some(ad.ca()), &["127.0.0.1"], OU_DN);
    conn.service_account = SVC.into();
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    create_generated(&conn, &dir, &key, "the-old-password");
    let before = snapshot(tmp.path());
    let o = cli(
        &[
            "agent-config",
            "set-password",
            "--dir",
            dir.to_str().unwrap(),
            "--password-file",
            "-",
        ],
        Some(b"Wrong-Pass-1\n"),
    );
    assert_one_error_line(&o, 1, "did not accept the new password");
    assert!(!stderr(&o).contains("Wrong-Pass-1"));
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "a refused password changes nothing on disk"
    );
    let o = cli(
        &[
            "agent-config",
            "set-password",
            "--dir",
            dir.to_str().unwrap(),
            "--password-file",
            "-",
        ],
        Some(format!("{SVC_PASS}\n").as_bytes()),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("restart the agent"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["fingerprint"], key.public_key().fingerprint(), "same key");
    assert_eq!(v["check"]["ok"], true);
    let (plain, header) = folder::open_folder(&dir, None).unwrap();
    assert_eq!(header.kid, key.public_key().fingerprint());
    let p = AgentPayload::from_json(&plain).unwrap();
    assert_eq!(p.secrets.ad_service_account_password.expose(), SVC_PASS);
    // The previous config went to the archive, outside the folder.
    let archived = folder::status(&dir).unwrap().archived;
    assert_eq!(archived.len(), 1);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["config.jwe", "privateKey.pem", "publicKey.pem"]);
}

/// Issue 11: a cancelled create (the window's Cancel while the key is protected) leaves the
/// folder as it was: nothing written into a new folder, the old set kept when replacing.
#[test]
fn a_cancelled_create_leaves_the_folder_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = profile(None, &["dc1.example.com"], "DC=example,DC=com");
    let dir = tmp.path().join("agent");
    let key = PrivateKey::generate(2048).unwrap();
    let cancelled = h2r_setup::cancel::Cancel::new();
    cancelled.cancel();
    let other = PrivateKey::generate(2048).unwrap();
    let create = |key: &PrivateKey, replace: bool, cancel: &h2r_setup::cancel::Cancel| {
        connection::create_for_connection_cancellable(
            &conn,
            &dir,
            KeySource::Generated {
                key,
                passphrase: None,
            },
            SecretString::new("S3cr3t"),
            replace,
            &ArchivePolicy::default(),
            cancel,
        )
    };
    let e = create(&key, false, &cancelled).unwrap_err();
    assert_eq!(e.code(), "keys.cancelled", "{e}");
    assert!(
        !dir.exists() || std::fs::read_dir(&dir).unwrap().count() == 0,
        "nothing written"
    );
    let first = create(&key, false, &h2r_setup::cancel::Cancel::new()).unwrap();
    let before = folder::status(&dir).unwrap().fingerprint;
    assert_eq!(before, first.folder.fingerprint);
    let e = create(&other, true, &cancelled).unwrap_err();
    assert_eq!(e.code(), "keys.cancelled", "{e}");
    assert_eq!(
        folder::status(&dir).unwrap().fingerprint,
        before,
        "the set is kept"
    );
    let replaced = create(&other, true, &h2r_setup::cancel::Cancel::new()).unwrap();
    assert_ne!(
        replaced.folder.fingerprint, before,
        "not cancelled: replaced"
    );
}

/// `agent-config create --profile` reads the profile through the CLI's one reader: the window's
/// validation, a host list as the form types it, and (as it always accepted) an On-Premise
/// object without `kind`; a file named `-` is a file there, never standard input (which
/// carries the password).
#[test]
fn the_cli_profile_reader_takes_a_typed_kindless_profile_and_a_file_named_dash() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = profile(
        None,
        &["dc1.example.com", "dc2.example.com"],
        "DC=example,DC=com",
    );
    let mut v = serde_json::to_value(&conn).unwrap();
    v.as_object_mut().unwrap().remove("kind");
    v["domain_controllers"][0]["hosts"] = serde_json::json!(" dc1.example.com , dc2.example.com ");
    v["domain_controllers"][0]["port"] = serde_json::json!("636");
    let pf = tmp.path().join("-");
    std::fs::write(&pf, serde_json::to_vec(&v).unwrap()).unwrap();
    let dir = tmp.path().join("agent");
    let o = super::cli_create(&dir, &pf, b"Pw-dash\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let made: HybridConnection = serde_json::from_value(out["connection"].clone()).unwrap();
    assert_eq!(
        made.domain_controllers[0].hosts,
        ["dc1.example.com", "dc2.example.com"]
    );
    assert_eq!(made.domain_controllers[0].port, 636);
    // An invalid one is refused with its field, and nothing is written.
    v["domain_controllers"][0]["port"] = serde_json::json!("389x");
    std::fs::write(&pf, serde_json::to_vec(&v).unwrap()).unwrap();
    let bad_dir = tmp.path().join("bad-agent");
    let o = super::cli_create(&bad_dir, &pf, b"Pw-dash\n");
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("domain_controllers[0].port"),
        "{}",
        stderr(&o)
    );
    assert!(
        !bad_dir.exists(),
        "nothing is written for an invalid profile"
    );
}
