//! Replacing a file of the tree: its text goes to a temporary file beside
//! it, created new (`O_EXCL`, never through a link) after a stale one is
//! removed, then renamed over the file. A rename replaces the path's entry
//! itself: it never writes through a link that sits there.

use std::fs::{self, Metadata, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The temporary file a write of `target` goes through.
pub fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.xtask-tmp"))
}

/// Writes `text` at `path` (resolved: a regular file, or nothing yet),
/// keeping the permissions of the file it replaces (`meta`).
pub fn replace(path: &Path, meta: Option<&Metadata>, text: &str) -> std::io::Result<()> {
    let temp = temp_path(path);
    let written = remove_stale(&temp)
        .and_then(|()| create(&temp, meta, text))
        .and_then(|()| fs::rename(&temp, path));
    // A write cut short (disk full, a file-size limit) leaves no stray file.
    if written.is_err() {
        let _ = remove_stale(&temp);
    }
    written
}

/// Removes what a run that ended early left at a temporary path: a file,
/// or a link (the link itself, never what it points to). A folder there is
/// not ours: the write fails.
pub fn remove_stale(temp: &Path) -> std::io::Result<()> {
    match fs::remove_file(temp) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        done => done,
    }
}

/// A new file at `temp` holding `text`: refused when anything is there.
fn create(temp: &Path, meta: Option<&Metadata>, text: &str) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(O_NOFOLLOW);
    }
    let mut file = options.open(temp)?;
    if let Some(meta) = meta {
        // Through the open file: no path, so no link, is followed.
        let _ = file.set_permissions(meta.permissions());
    }
    file.write_all(text.as_bytes())
}

/// `O_NOFOLLOW`, by target (`O_CREAT | O_EXCL` already refuses a link at the
/// path; this says so twice). Linux's value differs by architecture.
#[cfg(all(
    any(target_os = "linux", target_os = "android"),
    any(
        target_arch = "arm",
        target_arch = "aarch64",
        target_arch = "powerpc",
        target_arch = "powerpc64"
    )
))]
pub const O_NOFOLLOW: i32 = 0o100000;
#[cfg(all(
    any(target_os = "linux", target_os = "android"),
    not(any(
        target_arch = "arm",
        target_arch = "aarch64",
        target_arch = "powerpc",
        target_arch = "powerpc64"
    ))
))]
pub const O_NOFOLLOW: i32 = 0o400000;
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
pub const O_NOFOLLOW: i32 = 0x100;

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_temporary_path_is_removed_never_written_through() {
        let dir = scratch("temp-link");
        fs::write(dir.join("outside"), "precious").unwrap();
        fs::write(dir.join("a"), "1").unwrap();
        std::os::unix::fs::symlink(dir.join("outside"), dir.join(".a.xtask-tmp")).unwrap();
        replace(&dir.join("a"), None, "one").unwrap();
        assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "one");
        assert_eq!(fs::read_to_string(dir.join("outside")).unwrap(), "precious");
        assert!(fs::symlink_metadata(dir.join(".a.xtask-tmp")).is_err());
        assert!(!fs::symlink_metadata(dir.join("a")).unwrap().is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn no_follow_refuses_a_link() {
        use std::os::unix::fs::OpenOptionsExt;
        let dir = scratch("nofollow");
        fs::write(dir.join("outside"), "precious").unwrap();
        std::os::unix::fs::symlink(dir.join("outside"), dir.join("link")).unwrap();
        let opened = OpenOptions::new()
            .read(true)
            .custom_flags(O_NOFOLLOW)
            .open(dir.join("link"));
        assert!(opened.is_err(), "O_NOFOLLOW has the wrong value");
        assert!(
            OpenOptions::new()
                .read(true)
                .custom_flags(O_NOFOLLOW)
                .open(dir.join("outside"))
                .is_ok()
        );
    }
}
