//! Process hardening shared by the CLI and the desktop app, without `unsafe` (rustix).
//!
//! Both processes hold the AD password, tokens and private keys in memory, so a crash must not
//! write them to a core file, and files they create must be owner-only from the start.

/// What [`harden_process`] managed to do (each step is best effort: a failure is reported, not
/// fatal, because the process is still correct without it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hardening {
    /// The core-file size limit is 0 (soft and hard).
    pub core_dumps_off: bool,
    /// Linux: the process is not dumpable (no core file, no ptrace by other same-user processes).
    pub not_dumpable: bool,
    /// Steps that failed, in words (for the log).
    pub failures: Vec<String>,
}

/// Disable core dumps for this process (and its children: the limit is inherited).
pub fn harden_process() -> Hardening {
    let mut h = Hardening::default();
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        match setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        ) {
            Ok(()) => h.core_dumps_off = true,
            Err(e) => h
                .failures
                .push(format!("core-file limit not set to 0 ({e})")),
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        match set_dumpable_behavior(DumpableBehavior::NotDumpable) {
            Ok(()) => h.not_dumpable = true,
            Err(e) => h
                .failures
                .push(format!("process not marked non-dumpable ({e})")),
        }
    }
    // Windows writes no core file by default (Windows Error Reporting's LocalDumps is opt-in by
    // the machine's administrator); nothing to do.
    h
}

/// Every file this process creates afterwards is owner-only unless created with an explicit
/// mode (Unix umask 077). Returns the previous mask.
#[cfg(unix)]
pub fn owner_only_new_files() -> u32 {
    use rustix::fs::Mode;
    rustix::process::umask(Mode::from_raw_mode(0o077)).bits() as u32
}

/// On Windows new files inherit the user profile's access list (owner, SYSTEM, Administrators).
#[cfg(not(unix))]
pub fn owner_only_new_files() -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn core_dumps_are_off_after_hardening() {
        let h = harden_process();
        assert!(h.core_dumps_off && h.not_dumpable, "{h:?}");
        let lim = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((lim.current, lim.maximum), (Some(0), Some(0)));
        assert_eq!(
            rustix::process::dumpable_behavior().unwrap(),
            rustix::process::DumpableBehavior::NotDumpable
        );
    }
}
