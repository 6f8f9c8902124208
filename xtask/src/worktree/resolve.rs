//! A path relative to the work tree, resolved one component at a time to
//! the entry it names: never outside the tree, never through a link that
//! leads out of it, never a link itself. What is refused says why and how
//! to fix it (`Refusal`).

use std::fs::{self, Metadata};
use std::path::{Component, Path, PathBuf};

/// What a path names in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Nothing: no entry, no link (a changelog the first release creates).
    Absent,
    File,
    Dir,
    /// A FIFO, a socket, a device: never opened (reading a FIFO waits forever).
    Other,
}

/// The entry a relative path names: its physical path (the folders it
/// lies in resolved, its own name kept) and what is there.
#[derive(Debug)]
pub struct Entry {
    pub path: PathBuf,
    pub kind: Kind,
    pub meta: Option<Metadata>,
}

/// Why a path is not one the xtask reads or writes, and the fix; `rel` is
/// the path as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub rel: String,
    /// Says what the path is, after its name: `is outside the repository`.
    pub reason: String,
    pub fix: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.rel, self.reason, self.fix)
    }
}

impl std::error::Error for Refusal {}

impl Refusal {
    fn new(rel: &str, reason: impl Into<String>, fix: &str) -> Refusal {
        Refusal {
            rel: rel.to_string(),
            reason: reason.into(),
            fix: fix.to_string(),
        }
    }

    /// The refusal of a configured value, named by its key: `` `changelog =
    /// "../x.md"` is outside the repository: … ``.
    pub fn of_key(&self, key: &str) -> String {
        format!("`{key} = \"{}\"` {}: {}", self.rel, self.reason, self.fix)
    }
}

const INSIDE: &str = "name a file inside the repository, relative to its root";
const LINK_FILE: &str =
    "replace the link by the file itself (`git rm` the link, then add and commit the file)";
const LINK_DIR: &str = "replace the link by the folder itself";

/// The checks that need no disk: no absolute path, no `..` above the root,
/// nothing inside `.git` (git's own files, never a file of the tree).
pub fn lexical(rel: &str) -> Result<(), Refusal> {
    let mut depth = 0usize;
    for component in Path::new(rel).components() {
        match component {
            Component::Prefix(_) | Component::RootDir => {
                return Err(Refusal::new(rel, "is an absolute path", INSIDE));
            }
            Component::ParentDir if depth == 0 => {
                return Err(Refusal::new(rel, "is outside the repository", INSIDE));
            }
            Component::ParentDir => depth -= 1,
            Component::CurDir => {}
            Component::Normal(name) if name.eq_ignore_ascii_case(".git") => {
                return Err(Refusal::new(
                    rel,
                    "is inside `.git`, git's own folder",
                    "name a file of the work tree",
                ));
            }
            Component::Normal(_) => depth += 1,
        }
    }
    Ok(())
}

/// Resolves `rel` inside `root` (canonical). Each folder on the way may be
/// a link that stays inside; the entry itself may not be a link at all.
pub fn resolve(root: &Path, rel: &str) -> Result<Entry, Refusal> {
    lexical(rel)?;
    let components: Vec<Component> = Path::new(rel).components().collect();
    let mut here = root.to_path_buf();
    for (i, component) in components.iter().enumerate() {
        let last = i + 1 == components.len();
        let name = match component {
            Component::Normal(name) => name,
            Component::ParentDir => {
                // Physical `..`: above a folder a link led to, it may leave.
                if here == root || !here.pop() || !here.starts_with(root) {
                    return Err(Refusal::new(rel, "is outside the repository", INSIDE));
                }
                continue;
            }
            _ => continue,
        };
        let next = here.join(name);
        let meta = match fs::symlink_metadata(&next) {
            Ok(meta) => meta,
            Err(e) if absent(&e) => return Ok(nothing(next, &components[i + 1..])),
            Err(e) => {
                let fix = "check the permissions of the folders on its way";
                return Err(Refusal::new(rel, format!("cannot be read ({e})"), fix));
            }
        };
        let shown = shown(&components[..=i]);
        if meta.file_type().is_symlink() {
            if last {
                return Err(link_itself(root, rel, &shown, &next));
            }
            here = through_link(root, rel, &shown, &next)?;
            if !here.is_dir() {
                return Ok(nothing(here, &components[i + 1..]));
            }
            continue;
        }
        if last {
            let kind = match meta.file_type() {
                t if t.is_file() => Kind::File,
                t if t.is_dir() => Kind::Dir,
                _ => Kind::Other,
            };
            return Ok(Entry {
                path: next,
                kind,
                meta: Some(meta),
            });
        }
        if !meta.is_dir() {
            // `Cargo.toml/x`: there is nothing under a file.
            return Ok(nothing(next, &components[i + 1..]));
        }
        here = next;
    }
    Ok(Entry {
        kind: Kind::Dir,
        meta: fs::metadata(&here).ok(),
        path: here,
    })
}

/// Not found, or a file where a folder was expected.
fn absent(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::NotFound || e.raw_os_error() == Some(ENOTDIR)
}

/// The entry of a path that does not exist: `at` and the rest of the path.
fn nothing(at: PathBuf, rest: &[Component]) -> Entry {
    Entry {
        path: rest.iter().fold(at, |p, c| p.join(c)),
        kind: Kind::Absent,
        meta: None,
    }
}

/// The first components of a path, as written.
fn shown(components: &[Component]) -> String {
    components
        .iter()
        .collect::<PathBuf>()
        .to_string_lossy()
        .into_owned()
}

/// The folder a link on the way leads to, when it stays inside the tree.
fn through_link(root: &Path, rel: &str, link: &str, at: &Path) -> Result<PathBuf, Refusal> {
    let target = link_target(at);
    match fs::canonicalize(at) {
        Ok(path)
            if path
                .strip_prefix(root)
                .is_ok_and(|p| lexical(&p.to_string_lossy()).is_ok()) =>
        {
            Ok(path)
        }
        Ok(path) if path.starts_with(root) => Err(Refusal::new(
            rel,
            format!(
                "goes through the symlink `{link}` -> `{target}`, which leads into `.git`, git's own folder"
            ),
            "name a file of the work tree",
        )),
        Ok(_) => Err(Refusal::new(
            rel,
            format!(
                "goes through the symlink `{link}` -> `{target}`, which leads outside the repository"
            ),
            &format!("{INSIDE}, or {LINK_DIR}"),
        )),
        Err(e) if e.raw_os_error() == Some(ELOOP) => Err(Refusal::new(
            rel,
            format!("goes through the symlink `{link}` -> `{target}`, which loops"),
            LINK_DIR,
        )),
        Err(_) => Err(Refusal::new(
            rel,
            format!("goes through the broken symlink `{link}` -> `{target}`"),
            &format!("restore the link's target, or {LINK_DIR}"),
        )),
    }
}

/// The refusal of a link as the entry itself: broken, looping, leading
/// outside, or inside (then its target is named, to configure instead).
fn link_itself(root: &Path, rel: &str, link: &str, at: &Path) -> Refusal {
    let target = link_target(at);
    let what = if link == rel {
        "is".to_string()
    } else {
        format!("goes through `{link}`, which is")
    };
    match fs::canonicalize(at) {
        Err(e) if e.raw_os_error() == Some(ELOOP) => Refusal::new(
            rel,
            format!("{what} a symlink that loops (-> `{target}`)"),
            LINK_FILE,
        ),
        Err(_) => Refusal::new(
            rel,
            format!("{what} a broken symlink (-> `{target}`, which does not exist)"),
            &format!("restore its target, or {LINK_FILE}"),
        ),
        Ok(path) => match path.strip_prefix(root) {
            Ok(inside) => Refusal::new(
                rel,
                format!("{what} a symlink (-> `{target}`)"),
                &format!(
                    "no file is read or written through a link: name `{}` instead, or replace the link by the file itself",
                    inside.to_string_lossy()
                ),
            ),
            Err(_) => Refusal::new(
                rel,
                format!("{what} a symlink to `{target}`, outside the repository"),
                &format!("no file is read or written through a link: {LINK_FILE}"),
            ),
        },
    }
}

fn link_target(at: &Path) -> String {
    fs::read_link(at)
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `ELOOP` (too many links) and `ENOTDIR`, by target: std has no stable
/// `ErrorKind` for either.
#[cfg(any(target_os = "linux", target_os = "android"))]
const ELOOP: i32 = 40;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const ELOOP: i32 = 62;
const ENOTDIR: i32 = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_refusals() {
        assert_eq!(
            lexical("../x.md").unwrap_err().to_string(),
            format!("../x.md is outside the repository: {INSIDE}")
        );
        assert_eq!(
            lexical("a/../../x.md").unwrap_err().reason,
            "is outside the repository"
        );
        assert_eq!(lexical("/etc/x").unwrap_err().reason, "is an absolute path");
        assert_eq!(
            lexical(".git/hooks/pre-commit").unwrap_err().reason,
            "is inside `.git`, git's own folder"
        );
        assert_eq!(
            lexical("sub/.GIT/config").unwrap_err().reason,
            "is inside `.git`, git's own folder"
        );
        for ok in ["CHANGELOG.md", "a/../b.md", "./a/b", ".", ".github/x.yml"] {
            assert!(lexical(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn a_key_names_the_value() {
        let refusal = lexical("../outside.md").unwrap_err();
        assert_eq!(
            refusal.of_key("changelog"),
            format!("`changelog = \"../outside.md\"` is outside the repository: {INSIDE}")
        );
    }
}
