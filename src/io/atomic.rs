//! Writing an output file without damaging anything, even as root.
//!
//! What `-o PATH` does, by what PATH is:
//! - a regular file, or nothing yet: the bytes go to a temporary file in the same folder, which
//!   replaces PATH by a rename only when complete and synced. On Linux the temporary file is
//!   opened with `O_TMPFILE`, so it has no name until it is complete: a run killed by a signal
//!   (SIGTERM, SIGINT, SIGHUP, SIGKILL) leaves nothing behind. Where the file system refuses
//!   `O_TMPFILE`, a named temporary file is used and removed on any error and on SIGTERM,
//!   SIGINT and SIGHUP.
//! - a symbolic link (also a chain of them, or one whose target does not exist yet): the file
//!   it points to is written as above, atomically, and the link stays a link.
//! - a character device, a FIFO or a socket (`/dev/null`, `/dev/stdout`, a pipe): the bytes are
//!   written into it, never renamed over it.
//! - a folder, a block device, or a path whose folder does not exist: refused with the rule
//!   ([`Error::OutputPath`], exit code 2); nothing is written.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

fn refuse(path: &Path, rule: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::OutputPath {
        file: path.display().to_string(),
        rule: rule.into(),
        hint: hint.into(),
    }
}

/// The file a path names once symbolic links are followed (as far as they lead: the target of
/// a dangling link is where the file will be created).
fn resolve(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p).map_err(|e| Error::Io {
                    file: p.display().to_string(),
                    action: "cannot read the link",
                    error: e,
                })?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(refuse(
        path,
        "too many levels of symbolic links",
        "give the file itself",
    ))
}

/// Write `bytes` to `path` without damaging anything (see the module documentation): complete
/// or not at all for files, straight into devices and pipes, refused for folders and block
/// devices. On any error the target is untouched and no temporary file is left behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let file = path.display().to_string();
    let err = |e: std::io::Error| Error::Io {
        file: file.clone(),
        action: "cannot write",
        error: e,
    };
    // What the path is, links followed.
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(refuse(
                path,
                "is a folder",
                "give a file name, e.g. DIR/out.json",
            ))
        }
        Ok(m) if !m.is_file() => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                if m.file_type().is_block_device() {
                    return Err(refuse(
                        path,
                        "is a block device (a disk): tradenet does not write to disks",
                        "give a file name",
                    ));
                }
            }
            // A character device, FIFO or socket: write into it, never rename over it.
            let mut f = OpenOptions::new().write(true).open(path).map_err(err)?;
            return f.write_all(bytes).and_then(|_| f.flush()).map_err(err);
        }
        _ => {}
    }
    let target = resolve(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(refuse(
                path,
                format!("'{}' is not a folder", dir.display()),
                "give a path in an existing folder",
            ))
        }
        Err(_) => {
            return Err(refuse(
                path,
                format!("the folder '{}' does not exist", dir.display()),
                "create it first, or give a path in an existing folder",
            ))
        }
    }
    let mode = new_mode(&target);
    #[cfg(target_os = "linux")]
    if let Some(f) = unnamed_temp(&dir, mode) {
        return write_unnamed(f, bytes, &dir, &target).map_err(err);
    }
    write_named(bytes, &dir, &target, mode).map_err(err)
}

/// The permissions of the output: the target's, or what a new file gets under the umask.
fn new_mode(target: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(target) {
            Ok(m) => m.permissions().mode() & 0o7777,
            Err(_) => {
                // SAFETY: umask only reads and restores the process's file-creation mask.
                let mask = unsafe {
                    let m = libc::umask(0o022);
                    libc::umask(m);
                    m
                };
                0o666 & !(mask as u32)
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = target;
        0o644
    }
}

/// An `O_TMPFILE` file in `dir` (no name until linked), or `None` where the file system or
/// kernel does not offer it.
#[cfg(target_os = "linux")]
fn unnamed_temp(dir: &Path, mode: u32) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(mode)
        .open(dir)
        .ok()
}

/// Write, sync, give the unnamed file a temporary name and rename it over the target. The
/// name exists only between the link and the rename.
#[cfg(target_os = "linux")]
fn write_unnamed(mut f: File, bytes: &[u8], dir: &Path, target: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    f.write_all(bytes)?;
    f.sync_all()?;
    let proc_path = std::ffi::CString::new(format!("/proc/self/fd/{}", f.as_raw_fd()))
        .expect("no NUL in a /proc path");
    for attempt in 0..100u32 {
        let name = dir.join(format!(
            ".tradenet-{}-{}-{attempt}.tmp",
            std::process::id(),
            unique()
        ));
        let c_name =
            std::ffi::CString::new(name.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: both paths are valid NUL-terminated strings; linkat only reads them.
        let rc = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                proc_path.as_ptr(),
                libc::AT_FDCWD,
                c_name.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if rc != 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                continue;
            }
            return Err(e);
        }
        return std::fs::rename(&name, target).inspect_err(|_| {
            let _ = std::fs::remove_file(&name);
        });
    }
    Err(std::io::Error::other("no free temporary name"))
}

/// A number that differs between calls in one process.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The fallback: a named temporary file, removed on error (by `tempfile`) and on SIGTERM,
/// SIGINT and SIGHUP (by [`cleanup::Guard`]).
fn write_named(bytes: &[u8], dir: &Path, target: &Path, mode: u32) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".tradenet-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let _guard = cleanup::Guard::new(tmp.path());
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Removing the named temporary file when the process is stopped by a signal.
mod cleanup {
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// The temporary file's path while one is being written (a leaked `CString`), else null.
    static TEMP: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

    /// Registers a temporary path for removal on SIGTERM, SIGINT and SIGHUP while it lives.
    pub struct Guard;

    impl Guard {
        pub fn new(path: &Path) -> Guard {
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                if let Ok(c) = CString::new(path.as_os_str().as_bytes()) {
                    install();
                    let old = TEMP.swap(c.into_raw(), Ordering::SeqCst);
                    free(old);
                }
            }
            #[cfg(not(unix))]
            let _ = path;
            Guard
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            free(TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst));
        }
    }

    fn free(p: *mut libc::c_char) {
        if !p.is_null() {
            // SAFETY: every non-null pointer stored in TEMP came from CString::into_raw and is
            // taken out of TEMP (by swap) exactly once.
            drop(unsafe { CString::from_raw(p) });
        }
    }

    #[cfg(unix)]
    extern "C" fn on_signal(sig: libc::c_int) {
        let p = TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst);
        // SAFETY: unlink, signal and raise are async-signal-safe; p is a valid C string
        // (leaked on purpose: the process is ending).
        unsafe {
            if !p.is_null() {
                libc::unlink(p);
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    #[cfg(unix)]
    fn install() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
                // SAFETY: installs a handler that only calls async-signal-safe functions.
                unsafe {
                    libc::signal(sig, on_signal as *const () as libc::sighandler_t);
                }
            }
        });
    }
}
