//! Crash safety of rotation: a child `h2r-setup keys rotate` is stopped at every injected write
//! point (H2R_SETUP_TEST_PAUSE_AT=N) and SIGKILLed there; after each kill the folder must open
//! exactly as the agent reads it (DIR/config.jwe with DIR/privateKey.pem), and the next
//! rotation must succeed.

use crate::keys::{cli, stderr, BIN};
use h2r_setup::agent_config::folder::{self, PAUSE_ENV};
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
fn rotate_killed_at(dir: &Path, n: usize) -> Run {
    let mut child = Command::new(BIN)
        .args(["keys", "rotate", "--dir", dir.to_str().unwrap(), "--bits", "2048"])
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
            assert!(status.success(), "rotation failed without a kill at point {n}: {rest}");
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

/// The agent's view: stable paths only.
fn assert_consistent(dir: &Path, context: &str) -> String {
    let (plain, header) = folder::open_folder(dir, None).unwrap_or_else(|e| panic!("{context}: folder does not open: {e}"));
    assert_eq!(&plain[..], PLAIN, "{context}");
    let public = PublicKey::from_file(&dir.join("publicKey.pem")).unwrap();
    assert_eq!(public.fingerprint(), header.kid, "{context}: publicKey.pem matches the config");
    header.kid
}

fn plain_folder(dir: &Path) {
    let d = dir.to_str().unwrap();
    assert!(cli(&["keys", "generate", "--out", d, "--bits", "2048"], None).status.success());
    let o = cli(
        &["agent-config", "seal", "--public-key", dir.join("publicKey.pem").to_str().unwrap(), "--in", "-", "--out", dir.join("config.jwe").to_str().unwrap()],
        Some(PLAIN),
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Kill at every point of one rotation, starting from a fresh copy of the folder's state each
/// time; then check recovery by a complete rotation from the crashed state.
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
        let before = assert_consistent(&dir, "before");
        match rotate_killed_at(&dir, n) {
            Run::Finished => {
                let after = assert_consistent(&dir, "after a complete rotation");
                assert_ne!(before, after);
                break;
            }
            Run::KilledAt(point) => {
                let ctx = format!("killed at point {n} ({point})");
                let kid = assert_consistent(&dir, &ctx);
                points.push(point);
                // Recovery: the next rotation completes and the folder is consistent again.
                let o = cli(&["keys", "rotate", "--dir", dir.to_str().unwrap(), "--bits", "2048"], None);
                assert!(o.status.success(), "{ctx}: rotation after the crash: {}", stderr(&o));
                let again = assert_consistent(&dir, &format!("{ctx}, then rotated"));
                assert_ne!(kid, again);
                let gens = std::fs::read_dir(dir.join("generations")).unwrap().count();
                assert_eq!(gens, 1, "{ctx}: leftovers were cleaned up or archived");
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
    assert!(points.len() >= 10, "the plain-to-linked conversion and the switch have many points: {points:?}");
    assert!(points.iter().any(|p| p == "current-switched"));
    assert!(points.iter().any(|p| p == "archived"));
}

#[test]
fn sigkill_at_every_write_point_of_a_later_rotation_leaves_a_working_folder() {
    let points = kill_at_every_point(|dir| {
        plain_folder(dir);
        let o = cli(&["keys", "rotate", "--dir", dir.to_str().unwrap(), "--bits", "2048"], None);
        assert!(o.status.success(), "{}", stderr(&o));
    });
    assert!(points.len() >= 5, "{points:?}");
}

/// Copy a folder, keeping symlinks as symlinks (like `cp -a`).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
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
