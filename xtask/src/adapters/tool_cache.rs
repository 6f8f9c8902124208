//! The tools the project installs for itself (cargo-semver-checks for the
//! API checks, cargo-http-registry for the publishing end-to-end test), kept
//! in a per-user cache keyed by tool and version,
//! `$CARGO_HOME/xtask-tools/<tool>-<version>/`: a second clone, a worktree
//! or a CI cache restore of `~/.cargo` finds them built. `XTASK_TOOLS` names
//! another folder (its `bin/` holds the tools) and wins.
//!
//! A cached tool is used only when it answers `--version` with its exact
//! version; a missing or broken one is built again. A build goes into a
//! temporary folder of the cache, renamed into place once complete, so two
//! clones installing at once never see half a tool.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

/// A tool installed with `cargo install --locked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tool {
    /// The crate, and its binary.
    pub name: &'static str,
    pub version: &'static str,
    /// What makes it print `<name> <version>` (a cargo subcommand answers
    /// for its subcommand).
    pub version_args: &'static [&'static str],
}

/// The folder of installed tools that overrides the cache.
pub const TOOLS_ENV: &str = "XTASK_TOOLS";

/// The cache's folder in `CARGO_HOME`.
const CACHE: &str = "xtask-tools";

/// Where `tool` is installed: `XTASK_TOOLS`, else its folder in the
/// per-user cache (under `CARGO_HOME`, else `~/.cargo`), else, with no home
/// at all, `root`'s `target/e2e-tools/`.
pub fn dir(tool: &Tool, root: &Path) -> PathBuf {
    // An empty value is no value, as for most variables of this kind.
    if let Some(dir) = std::env::var_os(TOOLS_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home.map(|h| PathBuf::from(h).join(".cargo")));
    match cargo_home {
        Some(cargo) => cargo.join(CACHE).join(key(tool)),
        None => root.join("target/e2e-tools"),
    }
}

/// `<tool>-<version>`: one folder per version, so a project that moves to
/// another version never runs the old one.
fn key(tool: &Tool) -> String {
    format!("{}-{}", tool.name, tool.version)
}

/// The tool's binary in the installation folder `dir`.
fn bin_in(tool: &Tool, dir: &Path) -> PathBuf {
    dir.join("bin")
        .join(format!("{}{}", tool.name, std::env::consts::EXE_SUFFIX))
}

/// Whether the first line `--version` prints is `<name> <version>`, that
/// very version (pure).
pub fn answers(tool: &Tool, stdout: &str) -> bool {
    let first = stdout.lines().next().unwrap_or_default().trim();
    first.rsplit_once(' ').map(|(_, v)| v) == Some(tool.version)
}

/// Whether the binary at `bin` runs and says it is `tool`'s version.
fn works(sh: &Shell, tool: &Tool, bin: &Path) -> bool {
    if !bin.is_file() {
        return false;
    }
    let args = tool.version_args;
    let out = cmd!(sh, "{bin} {args...}").quiet().ignore_status().output();
    out.is_ok_and(|out| answers(tool, &String::from_utf8_lossy(&out.stdout)))
}

/// The installed tool, when it answers with its version; never a broken one.
pub fn find(sh: &Shell, tool: &Tool, root: &Path) -> Option<PathBuf> {
    let bin = bin_in(tool, &dir(tool, root));
    works(sh, tool, &bin).then_some(bin)
}

/// The installed tool, built first (minutes, once per machine) when it is
/// missing or broken.
pub fn ensure(sh: &Shell, tool: &Tool, root: &Path) -> Result<PathBuf> {
    if let Some(bin) = find(sh, tool, root) {
        return Ok(bin);
    }
    let dir = dir(tool, root);
    let parent = dir.parent().context("the tools folder has no parent")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    // Built beside its place, under a name of this process: a rename is atomic.
    let tmp = parent.join(format!(".{}.{}.tmp", key(tool), std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let (name, version) = (tool.name, tool.version);
    crate::out::ui::status(
        crate::out::ui::Tone::Good,
        "Installing",
        &format!("{name} {version} into {} (once per machine)", dir.display()),
    );
    let path = path_with(
        &tmp.join("bin"),
        &std::env::var_os("PATH").unwrap_or_default(),
    );
    let mut install = cmd!(
        sh,
        "cargo install --locked {name} --version {version} --root {tmp}"
    );
    if let Some(path) = path {
        install = install.env("PATH", path);
    }
    let built = install
        .run()
        .with_context(|| format!("cannot install {name} {version}"));
    let placed = built.and_then(|()| place(sh, tool, &tmp, &dir));
    let _ = std::fs::remove_dir_all(&tmp);
    placed
}

/// `paths` (a PATH) with `bin` first. cargo warns that an install's `bin`
/// is not on PATH: true, and of a folder renamed a moment later; on PATH
/// for the install, it is not said. An empty entry (the current folder) is
/// dropped; a folder PATH cannot hold gives `None`: PATH stays as it is,
/// and so does the warning.
fn path_with(bin: &Path, paths: &std::ffi::OsStr) -> Option<std::ffi::OsString> {
    let entries = std::env::split_paths(paths).filter(|p| !p.as_os_str().is_empty());
    std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(entries)).ok()
}

/// Moves the complete installation `tmp` to `dir`; another process may
/// have put a working one there meanwhile, which is then used.
fn place(sh: &Shell, tool: &Tool, tmp: &Path, dir: &Path) -> Result<PathBuf> {
    let (name, version) = (tool.name, tool.version);
    if !works(sh, tool, &bin_in(tool, tmp)) {
        bail!("cargo install finished, but {name} does not answer `--version` with {version}");
    }
    if dir.exists() {
        if works(sh, tool, &bin_in(tool, dir)) {
            return Ok(bin_in(tool, dir));
        }
        // A broken installation: set aside, then removed.
        let aside = tmp.with_extension("broken");
        std::fs::rename(dir, &aside)
            .with_context(|| format!("cannot move the broken {} aside", dir.display()))?;
        let _ = std::fs::remove_dir_all(&aside);
    }
    if let Err(err) = std::fs::rename(tmp, dir) {
        // Another installer was first: its tool is as good as ours.
        if works(sh, tool, &bin_in(tool, dir)) {
            return Ok(bin_in(tool, dir));
        }
        return Err(err)
            .with_context(|| format!("cannot move {} to {}", tmp.display(), dir.display()));
    }
    Ok(bin_in(tool, dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn the_install_folder_goes_first_on_path_and_no_empty_entry_is_added() {
        let bin = Path::new("/c/tools/.x.tmp/bin");
        let with = |paths: &str| path_with(bin, std::ffi::OsStr::new(paths));
        assert_eq!(
            with("/usr/bin:/bin").unwrap(),
            "/c/tools/.x.tmp/bin:/usr/bin:/bin"
        );
        // Unset or empty PATH, or an empty entry: the current folder is not added.
        assert_eq!(with("").unwrap(), "/c/tools/.x.tmp/bin");
        assert_eq!(
            with("/usr/bin::/bin:").unwrap(),
            "/c/tools/.x.tmp/bin:/usr/bin:/bin"
        );
        // A folder PATH cannot hold: PATH is left as it is.
        assert_eq!(
            path_with(Path::new("/c/a:b/bin"), std::ffi::OsStr::new("/bin")),
            None
        );
    }

    const TOOL: Tool = Tool {
        name: "cargo-demo",
        version: "1.2.3",
        version_args: &["--version"],
    };

    #[test]
    fn a_tool_answers_with_its_exact_version() {
        assert!(answers(&TOOL, "cargo-demo 1.2.3\n"));
        assert!(answers(&TOOL, "cargo-demo 1.2.3"));
        for no in [
            "",
            "cargo-demo 1.2.30\n",
            "cargo-demo 1.2.4\n",
            "1.2.3x\n",
            "error: 1.2.3 missing",
        ] {
            assert!(!answers(&TOOL, no), "{no:?}");
        }
        assert_eq!(key(&TOOL), "cargo-demo-1.2.3");
    }

    /// A fake tool, a shell script, stands for the real one: a working one
    /// is found, a broken one never, and an install puts a working one in
    /// place of a broken one.
    #[cfg(unix)]
    #[test]
    fn a_broken_tool_is_never_used_and_a_complete_one_is_placed() {
        use std::os::unix::fs::PermissionsExt;
        let base = std::env::temp_dir().join(format!("xtask-tools-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let script = |dir: &Path, says: &str| {
            std::fs::create_dir_all(dir.join("bin")).unwrap();
            let bin = bin_in(&TOOL, dir);
            std::fs::write(&bin, format!("#!/bin/sh\necho '{says}'\n")).unwrap();
            std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        let sh = Shell::new().unwrap();
        let (dir, tmp) = (base.join(key(&TOOL)), base.join(".new"));
        assert!(!works(&sh, &TOOL, &bin_in(&TOOL, &dir)));
        script(&dir, "cargo-demo 1.2.2");
        assert!(!works(&sh, &TOOL, &bin_in(&TOOL, &dir)), "another version");
        script(&tmp, "cargo-demo 1.2.3");
        assert_eq!(place(&sh, &TOOL, &tmp, &dir).unwrap(), bin_in(&TOOL, &dir));
        assert!(works(&sh, &TOOL, &bin_in(&TOOL, &dir)));
        assert!(!tmp.exists());
        // A working one in place is kept; an incomplete build is refused.
        script(&tmp, "cargo-demo 1.2.3");
        assert_eq!(place(&sh, &TOOL, &tmp, &dir).unwrap(), bin_in(&TOOL, &dir));
        std::fs::remove_dir_all(&tmp).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        let err = place(&sh, &TOOL, &tmp, &dir).unwrap_err();
        assert!(format!("{err}").contains("does not answer"), "{err}");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
