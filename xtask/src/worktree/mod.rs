//! Floor: the work tree. The one way to read or write a file of the
//! repository: a path relative to the root is resolved inside it (no
//! absolute path, no `..` above the root, nothing in `.git`, no link on the
//! way that leads out), the file itself is never a link (a link is refused,
//! broken, looping or not: nothing is read or written through one), only
//! regular files are opened, and writes go through a temporary file created
//! new beside the file, renamed over it. See docs/security.md.
//!
//! Files that are not the repository's (the journal and lock in the git
//! dir, the venv, `target/`, `dist/`, a `--config` file the user names) are
//! not read here; their code says so.
//! Uses no other floor.

mod huge_pages;
mod resolve;
mod write;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

pub use resolve::{Kind, Refusal, lexical};
pub use write::temp_path;

/// The work tree at a root: every file a command reads or writes in it.
#[derive(Debug, Clone)]
pub struct Tree {
    /// Canonical: what every resolved path must stay under.
    root: PathBuf,
}

impl Tree {
    /// The tree at `root` (its own links resolved: the root is the user's choice).
    pub fn new(root: &Path) -> Tree {
        Tree {
            root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// The root, as given (its links resolved).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What `rel` names; a refusal when it is no path a command may touch.
    pub fn kind(&self, rel: &str) -> Result<Kind, Refusal> {
        resolve::resolve(&self.root, rel).map(|e| e.kind)
    }

    /// The text of the regular file `rel`: an error when there is none, it is
    /// refused (see `kind`), or it is not UTF-8 (with the line).
    pub fn read(&self, rel: &str) -> Result<String> {
        self.read_if_present(rel)?
            .ok_or_else(|| anyhow!("no such file"))
            .with_context(|| format!("cannot read {rel}"))
    }

    /// `read`, with `None` when nothing is at `rel` (no file and no link).
    pub fn read_if_present(&self, rel: &str) -> Result<Option<String>> {
        let entry = resolve::resolve(&self.root, rel)?;
        match entry.kind {
            Kind::Absent => Ok(None),
            Kind::File => read_text(&entry.path, rel).map(Some),
            Kind::Dir | Kind::Other => bail!("{}", not_regular(rel)),
        }
    }

    /// The path of the regular file `rel`, for a tool that reads it itself.
    pub fn file_path(&self, rel: &str) -> Result<PathBuf> {
        let entry = resolve::resolve(&self.root, rel)?;
        match entry.kind {
            Kind::File => Ok(entry.path),
            Kind::Absent => Err(anyhow!("no such file")).context(format!("cannot read {rel}")),
            Kind::Dir | Kind::Other => bail!("{}", not_regular(rel)),
        }
    }

    /// Whether the file `rel` may not be written (its permissions say so).
    pub fn is_readonly(&self, rel: &str) -> Result<bool> {
        let entry = resolve::resolve(&self.root, rel)?;
        Ok(entry.meta.is_some_and(|m| m.permissions().readonly()))
    }

    /// Writes `text` to `rel` through a temporary file and a rename, keeping
    /// the file's permissions. A link, a folder or a special file at `rel`
    /// is refused; a file that does not exist is created.
    pub fn write(&self, rel: &str, text: &str) -> Result<()> {
        let entry = resolve::resolve(&self.root, rel)?;
        if matches!(entry.kind, Kind::Dir | Kind::Other) {
            bail!("{}", not_regular(rel));
        }
        write::replace(&entry.path, entry.meta.as_ref(), text)
            .with_context(|| format!("cannot write {rel}"))
    }

    /// Removes the file `rel` (nothing there is fine); never a link or a folder.
    pub fn remove(&self, rel: &str) -> Result<()> {
        let entry = resolve::resolve(&self.root, rel)?;
        match entry.kind {
            Kind::Absent => Ok(()),
            Kind::File => {
                std::fs::remove_file(&entry.path).with_context(|| format!("cannot remove {rel}"))
            }
            Kind::Dir | Kind::Other => bail!("{}", not_regular(rel)),
        }
    }

    /// Creates the folder `rel` and the folders on its way that are not
    /// there yet (a folder there already is fine); each is resolved as every
    /// path is, so none is made through a link out of the tree.
    pub fn create_dir(&self, rel: &str) -> Result<()> {
        let mut so_far = PathBuf::new();
        for part in Path::new(rel).components() {
            so_far.push(part);
            let shown = so_far.to_string_lossy().replace('\\', "/");
            let entry = resolve::resolve(&self.root, &shown)?;
            match entry.kind {
                Kind::Dir => {}
                Kind::Absent => std::fs::create_dir(&entry.path)
                    .with_context(|| format!("cannot create the folder {shown}"))?,
                Kind::File | Kind::Other => {
                    bail!("{shown} is not a folder: move it away, or configure another folder")
                }
            }
        }
        Ok(())
    }

    /// Removes a temporary file a run that ended early left beside `rel`
    /// (a link there: the link itself). Best effort: the next write of `rel`
    /// removes it anyway.
    pub fn remove_temp(&self, rel: &str) {
        if let Ok(entry) = resolve::resolve(&self.root, rel) {
            let _ = write::remove_stale(&temp_path(&entry.path));
        }
    }

    /// The names of the folders directly in `rel` (`.`: the root), sorted;
    /// a link to a folder counts (reading under it is checked, as every read).
    pub fn subdirs(&self, rel: &str) -> Vec<String> {
        self.entries(rel, |path| path.is_dir())
    }

    /// The names of the files directly in the folder `rel`, sorted.
    pub fn files(&self, rel: &str) -> Vec<String> {
        self.entries(rel, |path| !path.is_dir())
    }

    fn entries(&self, rel: &str, keep: impl Fn(&Path) -> bool) -> Vec<String> {
        let Ok(entry) = resolve::resolve(&self.root, rel) else {
            return Vec::new();
        };
        let Ok(listed) = std::fs::read_dir(&entry.path) else {
            return Vec::new();
        };
        let mut names: Vec<String> = listed
            .filter_map(|e| e.ok())
            .filter(|e| keep(&e.path()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        names
    }
}

/// The text of a file the user named outside the tree (`--config FILE`):
/// links are followed, since the user chose the path; only a regular file
/// is opened.
pub fn read_given(path: &Path, shown: &str) -> Result<String> {
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {shown}"))?;
    if !meta.is_file() {
        bail!("{}", not_regular(shown));
    }
    read_text(path, shown)
}

fn not_regular(rel: &str) -> String {
    format!(
        "{rel} is not a regular file (a FIFO, a socket, a device or a folder): put the file's text there"
    )
}

/// The UTF-8 text of the regular file at `path` (`rel` in messages), opened
/// without following a link (it was resolved as a file; one swapped in
/// since is refused).
fn read_text(path: &Path, rel: &str) -> Result<String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(write::O_NOFOLLOW);
    }
    let mut bytes = Vec::new();
    options
        .open(path)
        .and_then(|mut file: File| {
            // Sized from the start: one allocation, a big file's in huge pages.
            let size = file.metadata().map_or(0, |m| m.len());
            bytes
                .try_reserve_exact(usize::try_from(size).unwrap_or(usize::MAX))
                .map_err(std::io::Error::other)?;
            huge_pages::advise(&mut bytes);
            file.read_to_end(&mut bytes)
        })
        .with_context(|| format!("cannot read {rel}"))?;
    // The standard library's check, compiled optimised: a debug build's own
    // check of a 5 MiB changelog costs more than the rest of `changelog notes`.
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        anyhow!("{rel}:{line}: not UTF-8 text: save the file as UTF-8")
    })
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    /// `tree/` (the work tree) beside `outside/` (a file and a folder).
    fn scratch(name: &str) -> (PathBuf, Tree) {
        let dir = std::env::temp_dir().join(format!("xtask-tree-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("tree/docs")).unwrap();
        fs::create_dir_all(dir.join("outside/folder")).unwrap();
        fs::write(dir.join("outside/secret"), "secret").unwrap();
        fs::write(dir.join("outside/folder/x.md"), "outside").unwrap();
        fs::write(dir.join("tree/docs/x.md"), "inside").unwrap();
        let tree = Tree::new(&dir.join("tree"));
        (dir, tree)
    }

    fn refused(tree: &Tree, rel: &str) -> String {
        tree.kind(rel).unwrap_err().to_string()
    }

    #[test]
    fn kinds_of_plain_entries() {
        let (_, tree) = scratch("kinds");
        assert_eq!(tree.kind("docs/x.md"), Ok(Kind::File));
        assert_eq!(tree.kind("docs"), Ok(Kind::Dir));
        assert_eq!(tree.kind("."), Ok(Kind::Dir));
        assert_eq!(tree.kind("docs/none.md"), Ok(Kind::Absent));
        assert_eq!(tree.kind("none/deeper/x.md"), Ok(Kind::Absent));
        assert_eq!(tree.kind("docs/x.md/below"), Ok(Kind::Absent));
        assert_eq!(tree.read("docs/x.md").unwrap(), "inside");
        assert_eq!(
            format!("{:#}", tree.read("docs/none.md").unwrap_err()),
            "cannot read docs/none.md: no such file"
        );
    }

    #[test]
    fn a_big_file_is_read_whole_and_an_empty_one_empty() {
        let (dir, tree) = scratch("big");
        // 5 MiB and a few bytes: a buffer in huge pages with a tail in small ones.
        let line = "- **core**: a line of a big changelog ö\n";
        let text = line.repeat((5 << 20) / line.len() + 1);
        fs::write(dir.join("tree/docs/big.md"), &text).unwrap();
        assert_eq!(tree.read("docs/big.md").unwrap(), text);
        fs::write(dir.join("tree/docs/empty.md"), "").unwrap();
        assert_eq!(tree.read("docs/empty.md").unwrap(), "");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_folder_link_inside_is_followed_one_outside_is_refused() {
        let (dir, tree) = scratch("folders");
        symlink("docs", dir.join("tree/manual")).unwrap();
        symlink(dir.join("outside/folder"), dir.join("tree/elsewhere")).unwrap();
        assert_eq!(tree.read("manual/x.md").unwrap(), "inside");
        let outside = dir.join("outside/folder").display().to_string();
        assert_eq!(
            refused(&tree, "elsewhere/x.md"),
            format!(
                "elsewhere/x.md goes through the symlink `elsewhere` -> `{outside}`, which leads outside the repository: name a file inside the repository, relative to its root, or replace the link by the folder itself"
            )
        );
        // `..` above a folder a link led to may not climb out either.
        symlink(dir.join("tree/docs"), dir.join("tree/up")).unwrap();
        assert_eq!(tree.kind("up/../docs/x.md"), Ok(Kind::File));
        assert!(refused(&tree, "docs/../../outside/secret").contains("is outside the repository"));
    }

    #[test]
    fn a_link_as_the_file_itself_is_refused_every_way() {
        let (dir, tree) = scratch("file-links");
        symlink("docs/x.md", dir.join("tree/inside.md")).unwrap();
        symlink(dir.join("outside/secret"), dir.join("tree/secret.md")).unwrap();
        symlink("loop.md", dir.join("tree/loop.md")).unwrap();
        symlink("missing.md", dir.join("tree/broken.md")).unwrap();
        symlink(".git", dir.join("tree/meta")).unwrap();
        fs::create_dir_all(dir.join("tree/.git/hooks")).unwrap();
        assert_eq!(
            refused(&tree, "inside.md"),
            "inside.md is a symlink (-> `docs/x.md`): no file is read or written through a link: name `docs/x.md` instead, or replace the link by the file itself"
        );
        let secret = dir.join("outside/secret").display().to_string();
        assert_eq!(
            refused(&tree, "secret.md"),
            format!(
                "secret.md is a symlink to `{secret}`, outside the repository: no file is read or written through a link: replace the link by the file itself (`git rm` the link, then add and commit the file)"
            )
        );
        assert_eq!(
            refused(&tree, "loop.md"),
            "loop.md is a symlink that loops (-> `loop.md`): replace the link by the file itself (`git rm` the link, then add and commit the file)"
        );
        assert_eq!(
            refused(&tree, "broken.md"),
            "broken.md is a broken symlink (-> `missing.md`, which does not exist): restore its target, or replace the link by the file itself (`git rm` the link, then add and commit the file)"
        );
        assert!(refused(&tree, "meta/hooks/pre-commit").contains("which leads into `.git`"));
        // Nothing was followed: the outside file is as it was, and writes
        // and removals are refused the same way.
        assert!(tree.write("secret.md", "new").is_err());
        assert!(tree.remove("secret.md").is_err());
        assert!(tree.write("broken.md", "new").is_err());
        assert_eq!(
            fs::read_to_string(dir.join("outside/secret")).unwrap(),
            "secret"
        );
        assert!(fs::symlink_metadata(dir.join("tree/missing.md")).is_err());
    }

    #[test]
    fn writes_replace_the_file_and_keep_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, tree) = scratch("writes");
        let file = dir.join("tree/docs/x.md");
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        tree.write("docs/x.md", "new").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        tree.write("docs/new.md", "created").unwrap();
        assert_eq!(tree.read("docs/new.md").unwrap(), "created");
        tree.remove("docs/new.md").unwrap();
        assert_eq!(tree.kind("docs/new.md"), Ok(Kind::Absent));
        assert!(tree.write("docs", "a folder").is_err());
        assert_eq!(fs::read_dir(dir.join("tree/docs")).unwrap().count(), 1);
    }

    #[test]
    fn special_files_and_bad_text_are_refused_before_use() {
        let (dir, tree) = scratch("special");
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.join("tree/pipe"))
            .status()
            .unwrap();
        assert!(fifo.success());
        assert_eq!(tree.kind("pipe"), Ok(Kind::Other));
        assert_eq!(
            tree.read("pipe").unwrap_err().to_string(),
            "pipe is not a regular file (a FIFO, a socket, a device or a folder): put the file's text there"
        );
        fs::write(dir.join("tree/latin1.md"), b"ok\nd\xe9j\xe0\n").unwrap();
        assert_eq!(
            tree.read("latin1.md").unwrap_err().to_string(),
            "latin1.md:2: not UTF-8 text: save the file as UTF-8"
        );
    }

    #[test]
    fn folders_are_created_inside_and_never_through_a_link_out() {
        let (dir, tree) = scratch("mkdir");
        tree.create_dir(".changes/deeper").unwrap();
        tree.create_dir(".changes").unwrap();
        assert_eq!(tree.kind(".changes/deeper"), Ok(Kind::Dir));
        symlink(dir.join("outside/folder"), dir.join("tree/out")).unwrap();
        let err = tree.create_dir("out/new").unwrap_err().to_string();
        assert!(err.contains("outside the repository"), "{err}");
        assert!(!dir.join("outside/folder/new").exists());
        assert_eq!(
            tree.create_dir("docs/x.md/y").unwrap_err().to_string(),
            "docs/x.md is not a folder: move it away, or configure another folder"
        );
        assert!(tree.create_dir("../escape").is_err());
    }

    #[test]
    fn listings_name_folders_and_files() {
        let (dir, tree) = scratch("listings");
        fs::write(dir.join("tree/a.yml"), "").unwrap();
        symlink("docs", dir.join("tree/manual")).unwrap();
        assert_eq!(tree.subdirs("."), ["docs", "manual"]);
        assert_eq!(tree.files("."), ["a.yml"]);
        assert!(tree.subdirs("none").is_empty());
    }
}
