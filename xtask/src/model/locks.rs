//! The `Cargo.lock` files versions are written in: the root workspace's and
//! each standalone package's, in its folder. A lock git does not ignore
//! (a tracked one) moves with every released crate it lists, its own
//! workspace's and the path dependencies it locks; one git ignores, or none
//! at all, is left alone, and `versions` says so.

use anyhow::Result;

use crate::model::package::{LOCK, Member, rel_join};
use crate::model::source::{Files, Source};
use crate::text::lockfile::{self, LockEntry};

/// Which of the paths given are ignored by git (the caller asks git; the
/// model runs no subprocess).
pub type Ignored<'a> = &'a dyn Fn(&[String]) -> Result<Vec<String>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    /// There, and not ignored: it moves with the crates it lists.
    Live,
    /// Git ignores it (a lock committed only on release branches): left alone.
    Ignored,
    /// No file: left alone.
    Absent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockFile {
    /// `Cargo.lock`, `bindings/python/Cargo.lock`.
    pub path: String,
    /// The folder of its Cargo workspace (the `cargo_root` of its members).
    pub dir: String,
    pub state: LockState,
    /// Its entries without a source, read once (a lock of 3,000 members is
    /// looked up by several checks and edits).
    pub(crate) entries: std::sync::OnceLock<Vec<LockEntry>>,
}

impl LockFile {
    pub fn is_live(&self) -> bool {
        self.state == LockState::Live
    }

    /// Its entries without a source (its workspace's members and the path
    /// packages it locks); none unless it is live.
    pub fn entries(&self, files: &Files) -> &[LockEntry] {
        self.entries.get_or_init(|| {
            if !self.is_live() {
                return Vec::new();
            }
            files
                .get(&self.path)
                .map(lockfile::entries)
                .unwrap_or_default()
                .into_iter()
                .filter(|e| !e.has_source)
                .collect()
        })
    }

    /// How `versions` shows a lock left alone.
    pub fn left_alone(&self) -> Option<&'static str> {
        match self.state {
            LockState::Live => None,
            LockState::Ignored => Some("ignored by git: left alone"),
            LockState::Absent => Some("no file: left alone"),
        }
    }

    /// `cargo …` run for this lock: in its folder, named by `--manifest-path`
    /// unless it is the root's.
    pub fn cargo(&self, args: &str) -> String {
        match self.dir.as_str() {
            "." => format!("cargo {args}"),
            dir => format!("cargo {args} --manifest-path {dir}/Cargo.toml"),
        }
    }
}

/// A Cargo workspace cargo runs in for a package: its folder, and whether
/// its lock is live. `--locked` holds cargo to a live lock; without one
/// there is none to hold it to (a lock git ignores is stale after a bump).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoRoot {
    pub dir: String,
    pub locked: bool,
}

impl CargoRoot {
    /// The root workspace, with its lock.
    pub fn here() -> CargoRoot {
        CargoRoot {
            dir: ".".into(),
            locked: true,
        }
    }

    /// `--locked`, when there is a live lock to hold cargo to.
    pub fn locked_arg(&self) -> Vec<String> {
        self.locked
            .then(|| "--locked".to_string())
            .into_iter()
            .collect()
    }

    /// `--manifest-path DIR/Cargo.toml` for a workspace other than the root's.
    pub fn manifest_arg(&self) -> Vec<String> {
        match self.dir.as_str() {
            "." => Vec::new(),
            dir => vec!["--manifest-path".into(), rel_join(dir, "Cargo.toml")],
        }
    }
}

/// The Cargo workspaces of `members` (each once, in their order), each
/// locked when its lock is live.
pub fn cargo_roots<'a>(
    members: impl IntoIterator<Item = &'a Member>,
    locks: &[LockFile],
) -> Vec<CargoRoot> {
    let mut out: Vec<CargoRoot> = Vec::new();
    for member in members {
        if out.iter().any(|r| r.dir == member.cargo_root) {
            continue;
        }
        let locked = locks
            .iter()
            .any(|l| l.dir == member.cargo_root && l.is_live());
        out.push(CargoRoot {
            dir: member.cargo_root.clone(),
            locked,
        });
    }
    out
}

/// The lock of each Cargo workspace among `members` (the root's first), with
/// the live ones read into `files`; `ignored` says which git ignores.
pub fn read(
    files: &mut Files,
    source: &Source,
    members: &[Member],
    ignored: Ignored,
) -> Result<Vec<LockFile>> {
    let mut dirs: Vec<&str> = Vec::new();
    for member in members {
        if !dirs.contains(&member.cargo_root.as_str()) {
            dirs.push(&member.cargo_root);
        }
    }
    let paths: Vec<String> = dirs.iter().map(|d| rel_join(d, LOCK)).collect();
    let present: Vec<String> = paths
        .iter()
        .filter(|p| source.is_file(p))
        .cloned()
        .collect();
    let ignored = ignored(&present)?;
    let mut out = Vec::new();
    for (dir, path) in dirs.into_iter().zip(paths) {
        let state = if !present.contains(&path) {
            LockState::Absent
        } else if ignored.contains(&path) {
            LockState::Ignored
        } else {
            files.read(source, &path)?;
            LockState::Live
        };
        out.push(LockFile {
            path,
            dir: dir.to_string(),
            state,
            entries: Default::default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(dir: &str, state: LockState) -> LockFile {
        LockFile {
            path: rel_join(dir, LOCK),
            dir: dir.into(),
            state,
            entries: Default::default(),
        }
    }

    #[test]
    fn a_lock_left_alone_says_why() {
        assert_eq!(lock(".", LockState::Live).left_alone(), None);
        assert_eq!(
            lock("py", LockState::Ignored).left_alone(),
            Some("ignored by git: left alone")
        );
        assert_eq!(
            lock("py", LockState::Absent).left_alone(),
            Some("no file: left alone")
        );
    }

    #[test]
    fn cargo_names_the_locks_workspace() {
        assert_eq!(
            lock(".", LockState::Live).cargo("update --workspace --offline"),
            "cargo update --workspace --offline"
        );
        assert_eq!(
            lock("bindings/python", LockState::Live).cargo("update --workspace --offline"),
            "cargo update --workspace --offline --manifest-path bindings/python/Cargo.toml"
        );
    }
}
