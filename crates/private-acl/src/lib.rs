//! Windows: owner-only access lists for private files and folders (issue 10).
//!
//! On unix a private file is created with mode 0600 by `open(2)` itself. Windows has no mode:
//! a new file inherits the access list (DACL) of its folder, which under a user's profile
//! usually also grants SYSTEM and the Administrators group, and elsewhere (a shared drive, a
//! folder the admin picked) may grant much more. So right after a private file or folder is
//! created, while it is still empty, its DACL is replaced by a *protected* one (no inherited
//! entries) with a single entry: full control for the user running the wizard. Folders carry
//! the entry to the files later created in them (object and container inheritance).
//!
//! Plain files only: nothing here needs a symbolic link, Developer Mode or any privilege
//! beyond owning the file. Compiled only on Windows; exercised by the hosted CI workflow.

#[cfg(windows)]
mod imp {
    use std::ffi::c_void;
    use std::io;
    use std::os::windows::io::AsRawHandle;
    use std::path::Path;

    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::Security::Authorization::{SetSecurityInfo, SE_FILE_OBJECT};
    use windows_sys::Win32::Security::{
        AddAccessAllowedAceEx, GetLengthSid, GetTokenInformation, InitializeAcl, TokenUser, ACL,
        ACL_REVISION, CONTAINER_INHERIT_ACE, DACL_SECURITY_INFORMATION, OBJECT_INHERIT_ACE,
        PROTECTED_DACL_SECURITY_INFORMATION, TOKEN_QUERY, TOKEN_USER,
    };
    use windows_sys::Win32::Storage::FileSystem::FILE_ALL_ACCESS;
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    /// The SID of the user this process runs as (the token's user), as raw bytes.
    fn current_user_sid() -> io::Result<Vec<u8>> {
        let mut token: HANDLE = std::ptr::null_mut();
        // SAFETY: GetCurrentProcess returns a pseudo-handle; token receives a new handle we close.
        if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let result = (|| {
            let mut len = 0u32;
            // SAFETY: a null buffer with length 0 asks for the needed length.
            unsafe { GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len) };
            if len == 0 {
                return Err(io::Error::last_os_error());
            }
            // u64 storage keeps the TOKEN_USER header suitably aligned.
            let mut buf = vec![0u64; (len as usize).div_ceil(8)];
            // SAFETY: buf has at least `len` bytes.
            if unsafe {
                GetTokenInformation(
                    token,
                    TokenUser,
                    buf.as_mut_ptr().cast::<c_void>(),
                    len,
                    &mut len,
                )
            } == 0
            {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: the buffer now starts with a TOKEN_USER whose Sid points inside the buffer.
            let sid = unsafe { (*buf.as_ptr().cast::<TOKEN_USER>()).User.Sid };
            // SAFETY: sid is a valid SID returned by the system.
            let sid_len = unsafe { GetLengthSid(sid) } as usize;
            // SAFETY: the SID occupies sid_len bytes at sid.
            Ok(unsafe { std::slice::from_raw_parts(sid.cast::<u8>(), sid_len) }.to_vec())
        })();
        // SAFETY: token is a handle we opened.
        unsafe { CloseHandle(token) };
        result
    }

    /// Replace the DACL of an open file or folder by one protected entry: full control for the
    /// current user (inherited by new children when `folder`).
    fn restrict_handle(object: &impl AsRawHandle, folder: bool) -> io::Result<()> {
        let handle = object.as_raw_handle() as HANDLE;
        let mut sid = current_user_sid()?;
        let sid_ptr = sid.as_mut_ptr().cast::<c_void>();
        // ACL header (8) + ACCESS_ALLOWED_ACE header (8, the SidStart u32 overlaps the SID) + SID,
        // rounded up to a multiple of 4 as InitializeAcl requires.
        let acl_len = (8 + 8 + sid.len() + 3) & !3;
        let mut acl_buf = vec![0u32; acl_len / 4];
        let acl = acl_buf.as_mut_ptr().cast::<ACL>();
        let flags = if folder {
            OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE
        } else {
            0
        };
        // SAFETY: acl points to acl_len writable bytes, 4-aligned; sid_ptr is a valid SID.
        unsafe {
            if InitializeAcl(acl, acl_len as u32, ACL_REVISION) == 0 {
                return Err(io::Error::last_os_error());
            }
            if AddAccessAllowedAceEx(acl, ACL_REVISION, flags, FILE_ALL_ACCESS, sid_ptr) == 0 {
                return Err(io::Error::last_os_error());
            }
            let rc = SetSecurityInfo(
                handle,
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                acl,
                std::ptr::null(),
            );
            if rc != 0 {
                return Err(io::Error::from_raw_os_error(rc as i32));
            }
        }
        Ok(())
    }

    /// Owner-only access list for a file just created (still empty).
    pub fn restrict_file(file: &std::fs::File) -> io::Result<()> {
        restrict_handle(file, false)
    }

    /// Owner-only access list for a folder (inherited by what is created in it later).
    pub fn restrict_dir(path: &Path) -> io::Result<()> {
        // FILE_FLAG_BACKUP_SEMANTICS is needed to open a directory handle.
        use std::os::windows::fs::OpenOptionsExt;
        use windows_sys::Win32::Storage::FileSystem::FILE_FLAG_BACKUP_SEMANTICS;
        const READ_CONTROL: u32 = 0x0002_0000;
        const WRITE_DAC: u32 = 0x0004_0000;
        let dir = std::fs::OpenOptions::new()
            .access_mode(READ_CONTROL | WRITE_DAC)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
            .open(path)?;
        restrict_handle(&dir, true)
    }
}

#[cfg(windows)]
pub use imp::{restrict_dir, restrict_file};

/// Read back with the system's own tool: the file and the folder each hold exactly one entry,
/// full control for the user running the test, and nothing inherited.
#[cfg(all(test, windows))]
mod tests {
    use std::process::Command;

    #[test]
    fn a_restricted_file_and_folder_grant_only_the_current_user() {
        let dir = std::env::temp_dir().join(format!("h2r-acl-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        super::restrict_dir(&dir).unwrap();
        let path = dir.join("private.txt");
        let file = std::fs::File::create(&path).unwrap();
        super::restrict_file(&file).unwrap();
        drop(file);
        let me = String::from_utf8(Command::new("whoami").output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_lowercase();
        for p in [&dir, &path] {
            let out = Command::new("icacls").arg(p).output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
            // One access entry per line, `NAME:(flags)(rights)`; the path itself has no `:(`.
            let entries: Vec<&str> = text.lines().filter(|l| l.contains(":(")).collect();
            assert_eq!(entries.len(), 1, "{}: {text}", p.display());
            assert!(entries[0].contains(&format!("{me}:")), "{text}");
            assert!(entries[0].contains("(f)"), "full control: {text}");
            assert!(!entries[0].contains("(i)"), "nothing inherited: {text}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
