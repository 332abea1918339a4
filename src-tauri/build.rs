use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    // The build commit shown in the About view (issue 10): H2R_BUILD_COMMIT if set (CI), else
    // the checkout's HEAD, else "unknown". Rebuilt when HEAD moves (its reflog changes).
    println!("cargo:rerun-if-env-changed=H2R_BUILD_COMMIT");
    let commit = std::env::var("H2R_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let dir = PathBuf::from(dir);
        for f in ["HEAD", "logs/HEAD"] {
            if dir.join(f).exists() {
                println!("cargo:rerun-if-changed={}", dir.join(f).display());
            }
        }
    }
    println!("cargo:rustc-env=H2R_BUILD_COMMIT={commit}");
    tauri_build::build()
}
