//! Crash safety of every folder change: a child `h2r-setup keys rotate` (built with the
//! `test-hooks` feature) is stopped at every injected write point (H2R_SETUP_TEST_PAUSE_AT=N) and
//! SIGKILLed there. After each kill the folder either opens exactly as the agent reads it
//! (DIR/config.jwe with DIR/privateKey.pem, old or new matching pair), or `agent-config status`
//! reports the interrupted change and `agent-config recover` restores a matching pair. Either
//! way the next rotation succeeds and leaves only the agent's files.

use crate::keys::{cli, stderr, BIN};
use h2r_setup::agent_config::folder::{self, FolderState, PAUSE_ENV, RESUME_ENV};
use h2r_setup::keys::PublicKey;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

const PLAIN: &[u8] = br#"{"version":1,"secrets":{"ad_service_account_password":"crash-test"}}"#;

enum Run {
    KilledAt(String),
    Finished,
}

/// Run `keys rotate` and SIGKILL it at write point `n`.
// Every path that returns waits for the child; only a failed assertion (a panic) leaves it,
// and the test process then exits and the child is reaped with it.
#[allow(clippy::zombie_processes)]
fn rotate_killed_at(dir: &Path, n: usize) -> Run {
    let mut child = Command::new(BIN)
        .args([
            "keys",
            "rotate",
            "--dir",
            dir.to_str().unwrap(),
            "--bits",
            "2048",
        ])
        .env(PAUSE_ENV, n.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let mut rest = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            let status = child.wait().unwrap();
            assert!(
                status.success(),
                "rotation failed without a kill at point {n}: {rest}"
            );
            return Run::Finished;
        }
        if let Some(point) = line.strip_prefix("H2R_SETUP_PAUSED ") {
            child.kill().unwrap(); // SIGKILL on Unix
            let status = child.wait().unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
            }
            let _ = status;
            let name = point.split_whitespace().last().unwrap_or_default();
            return Run::KilledAt(name.to_string());
        }
        rest.push_str(&line);
    }
}

/// The agent's view: stable paths only. Returns the live key id.
fn assert_consistent(dir: &Path, context: &str) -> String {
    let (plain, header) = folder::open_folder(dir, None)
        .unwrap_or_else(|e| panic!("{context}: folder does not open: {e}"));
    assert_eq!(&plain[..], PLAIN, "{context}");
    let public = PublicKey::from_file(&dir.join("publicKey.pem")).unwrap();
    assert_eq!(
        public.fingerprint(),
        header.kid,
        "{context}: publicKey.pem matches the config"
    );
    header.kid
}

fn plain_folder(dir: &Path) {
    let d = dir.to_str().unwrap();
    assert!(
        cli(&["keys", "generate", "--out", d, "--bits", "2048"], None)
            .status
            .success()
    );
    let o = cli(
        &[
            "agent-config",
            "seal",
            "--public-key",
            dir.join("publicKey.pem").to_str().unwrap(),
            "--in",
            "-",
            "--out",
            dir.join("config.jwe").to_str().unwrap(),
        ],
        Some(PLAIN),
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn only_agent_files(dir: &Path, ctx: &str) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["config.jwe", "privateKey.pem", "publicKey.pem"],
        "{ctx}"
    );
}

/// Kill at every point of one rotation, starting from a fresh copy of the folder each time.
fn kill_at_every_point(make: impl Fn(&Path)) -> Vec<String> {
    let mut points = vec![];
    let template = tempfile::tempdir().unwrap();
    let original = template.path().join("agent");
    std::fs::create_dir(&original).unwrap();
    make(&original);
    for n in 1.. {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("agent");
        copy_tree(&original, &dir);
        let archive = template.path().join("agent.archive");
        if archive.exists() {
            copy_tree(&archive, &tmp.path().join("agent.archive"));
        }
        let before = assert_consistent(&dir, "before");
        match rotate_killed_at(&dir, n) {
            Run::Finished => {
                let after = assert_consistent(&dir, "after a complete rotation");
                assert_ne!(before, after);
                only_agent_files(&dir, "after a complete rotation");
                break;
            }
            Run::KilledAt(point) => {
                let ctx = format!("killed at point {n} ({point})");
                points.push(point.clone());
                let st = folder::status(&dir).unwrap_or_else(|e| panic!("{ctx}: status: {e}"));
                let live = match st.state {
                    FolderState::Ready => assert_consistent(&dir, &ctx),
                    FolderState::InterruptedBeforeSwitch | FolderState::InterruptedDuringSwitch => {
                        // The CLI says what it found and how to finish.
                        let o = cli(
                            &["agent-config", "status", "--dir", dir.to_str().unwrap()],
                            None,
                        );
                        assert!(stderr(&o).contains("recover"), "{ctx}: {}", stderr(&o));
                        let o = cli(
                            &["agent-config", "recover", "--dir", dir.to_str().unwrap()],
                            None,
                        );
                        assert!(o.status.success(), "{ctx}: recover: {}", stderr(&o));
                        let kid = assert_consistent(&dir, &format!("{ctx}, recovered"));
                        if st.state == FolderState::InterruptedBeforeSwitch {
                            assert_eq!(kid, before, "{ctx}: rolled back to the old set");
                        } else {
                            assert_ne!(kid, before, "{ctx}: finished to the new set");
                        }
                        assert_eq!(
                            folder::status(&dir).unwrap().state,
                            FolderState::Ready,
                            "{ctx}"
                        );
                        kid
                    }
                    FolderState::KeyMismatch => panic!(
                        "{ctx}: the folder holds a mismatched pair and no record of the change"
                    ),
                };
                // The next rotation succeeds and leaves only the agent's files.
                let o = cli(
                    &[
                        "keys",
                        "rotate",
                        "--dir",
                        dir.to_str().unwrap(),
                        "--bits",
                        "2048",
                    ],
                    None,
                );
                assert!(
                    o.status.success(),
                    "{ctx}: rotation after the crash: {}",
                    stderr(&o)
                );
                let again = assert_consistent(&dir, &format!("{ctx}, then rotated"));
                assert_ne!(live, again);
                only_agent_files(&dir, &ctx);
            }
        }
        assert!(n < 200, "runaway");
    }
    points
}

#[test]
fn sigkill_at_every_write_point_of_a_first_rotation_leaves_a_working_folder() {
    let points = kill_at_every_point(plain_folder);
    eprintln!("{} write points: {points:?}", points.len());
    assert!(points.len() >= 8, "{points:?}");
    for p in ["committed", "file-switched", "archived", "pending-removed"] {
        assert!(points.iter().any(|x| x == p), "{p} in {points:?}");
    }
}

#[test]
fn sigkill_at_every_write_point_of_a_later_rotation_leaves_a_working_folder() {
    let points = kill_at_every_point(|dir| {
        plain_folder(dir);
        let o = cli(
            &[
                "keys",
                "rotate",
                "--dir",
                dir.to_str().unwrap(),
                "--bits",
                "2048",
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
    });
    assert!(
        points.iter().any(|x| x == "expired-archive-deleted"),
        "{points:?}"
    );
}

#[cfg(unix)]
#[test]
fn sigkill_at_every_write_point_of_a_migration_from_the_link_layout_leaves_a_working_folder() {
    let points = kill_at_every_point(|dir| {
        std::fs::remove_dir(dir).unwrap();
        super::folder::make_legacy_folder(dir, "unused");
        // The legacy helper seals its own payload; seal ours so assert_consistent applies.
        let key =
            h2r_setup::keys::PrivateKey::from_file(&dir.join("privateKey.pem"), None).unwrap();
        let cfg = std::fs::read_link(dir.join("current")).unwrap();
        std::fs::write(
            dir.join(cfg).join("config.jwe"),
            h2r_setup::agent_config::seal(PLAIN, &key.public_key()).unwrap(),
        )
        .unwrap();
    });
    assert!(
        points.iter().any(|x| x == "legacy-link-removed"),
        "{points:?}"
    );
    assert!(
        points.iter().any(|x| x == "legacy-set-archived"),
        "{points:?}"
    );
}

/// Every file under `root` with its bytes (links as `-> target`), sorted.
fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(p).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let md = std::fs::symlink_metadata(&p).unwrap();
            if md.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.push((rel, format!("-> {}", t.display()).into_bytes()));
            } else if md.is_dir() {
                out.push((format!("{rel}/"), vec![]));
                walk(root, &p, out);
            } else {
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = vec![];
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Issue 12: a change works on the folder it opened and checked, not on its path. A rotation
/// is paused right after it opened and locked the folder; meanwhile the folder's parent is
/// renamed and a link to a look-alike folder is put at its old path. The rotation's writes land
/// in the folder it opened (now under the renamed parent) and its archive beside it; the
/// link's target is left byte-identical. (Path-based code followed the link: its writes went
/// into the look-alike, or failed there.)
#[cfg(unix)]
#[test]
fn a_parent_swapped_for_a_link_after_open_cannot_redirect_the_rotation() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    let dir = site.join("agent");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    plain_folder(&dir);
    let before = assert_consistent(&dir, "before");
    // The look-alike the link will point to: a copy of the folder (with a work folder, so that
    // path-based code could write into it).
    let evil = tmp.path().join("evil");
    std::fs::create_dir(&evil).unwrap();
    copy_tree(&dir, &evil.join("agent"));
    std::fs::create_dir_all(evil.join("agent/.h2r-pending/new")).unwrap();
    std::fs::create_dir_all(evil.join("agent/.h2r-pending/old")).unwrap();
    let evil_before = snapshot(&evil);

    let resume = tmp.path().join("resume");
    let mut child = Command::new(BIN)
        .args([
            "keys",
            "rotate",
            "--dir",
            dir.to_str().unwrap(),
            "--bits",
            "2048",
        ])
        .env(PAUSE_ENV, "1")
        .env(RESUME_ENV, &resume)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the rotation stopped before its first write point"
        );
        if line.starts_with("H2R_SETUP_PAUSED 1 ") {
            break;
        }
    }
    // The swap, while the rotation holds the opened folder.
    let moved = tmp.path().join("moved");
    std::fs::rename(&site, &moved).unwrap();
    std::os::unix::fs::symlink(&evil, &site).unwrap();
    std::fs::write(&resume, b"").unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "rotation: {rest}");

    let evil_after = snapshot(&evil);
    assert!(
        evil_after == evil_before,
        "the link's target is untouched: before {:?}, after {:?}",
        evil_before.iter().map(|e| &e.0).collect::<Vec<_>>(),
        evil_after.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    let opened = moved.join("agent");
    let after = assert_consistent(&opened, "the opened folder");
    assert_ne!(after, before, "the opened folder holds the new key");
    only_agent_files(&opened, "the opened folder");
    let archive = moved.join("agent.archive");
    assert_eq!(
        std::fs::read_dir(&archive).unwrap().count(),
        1,
        "the old set is archived beside the opened folder"
    );
}

/// Copy a folder, keeping symlinks as symlinks (like `cp -a`).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        let md = std::fs::symlink_metadata(&src).unwrap();
        if md.file_type().is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dst).unwrap();
        } else if md.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}
