//! Process-wide protections taken at start, before any secret is in memory (issue 10).
//!
//! The wizard holds the AD password and private keys in memory: a core dump would write them
//! to disk (and crash reporters may upload it). On unix the core-file size limit is set to 0
//! (soft and hard, so nothing in the process can raise it again) and, on Linux, the process is
//! marked non-dumpable (`PR_SET_DUMPABLE` 0: no core dump even when a core pattern pipes to a
//! handler such as systemd-coredump, and other processes of the same user cannot ptrace it or
//! read its memory through /proc).

use std::io;

/// Disable core dumps for this process. Errors are returned (the caller reports them and
/// carries on: failing to start over this would help no one).
pub fn disable_core_dumps() -> io::Result<()> {
    #[cfg(unix)]
    {
        let zero = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads a valid rlimit struct; it only affects this process.
        if unsafe { libc::setrlimit(libc::RLIMIT_CORE, &zero) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        // SAFETY: PR_SET_DUMPABLE takes one integer argument; the rest are ignored.
        if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0 as libc::c_ulong, 0, 0, 0) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn core_dumps_are_off_after_start() {
        disable_core_dumps().unwrap();
        let mut lim = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes into a valid rlimit struct.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut lim) }, 0);
        assert_eq!(
            (lim.rlim_cur, lim.rlim_max),
            (0, 0),
            "soft and hard core limits are 0"
        );
        // The hard limit cannot be raised again by this (unprivileged or not) process's code
        // paths without CAP_SYS_RESOURCE; as root it could, so only the value is asserted.
        #[cfg(target_os = "linux")]
        {
            // SAFETY: PR_GET_DUMPABLE takes no argument and returns the flag.
            let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
            assert_eq!(dumpable, 0, "the process is not dumpable");
        }
    }
}
