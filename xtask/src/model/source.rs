//! Where the workspace model reads its files: a folder on disk, texts in
//! memory (a missing file is simply absent), or texts over a folder (the
//! planned tree); and the record of the texts the model has read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};

use crate::worktree::{self, Kind, Refusal, Tree, lexical};

/// The files of a workspace, by path relative to its root.
#[derive(Debug, Clone)]
pub struct Source {
    /// The work tree files are read from; `None`: only `texts` exist.
    disk: Option<Tree>,
    /// Texts by relative path, read in place of the files on disk.
    texts: BTreeMap<String, String>,
}

impl Source {
    /// The files of the folder `root`.
    pub fn disk(root: &Path) -> Source {
        Source {
            disk: Some(Tree::new(root)),
            texts: BTreeMap::new(),
        }
    }

    /// Only `texts` (relative path → content); no disk is read.
    #[cfg(test)]
    pub fn memory(texts: impl IntoIterator<Item = (String, String)>) -> Source {
        Source {
            disk: None,
            texts: texts.into_iter().collect(),
        }
    }

    /// The same files with `texts` in place of theirs.
    pub fn with_texts(&self, texts: impl IntoIterator<Item = (String, String)>) -> Source {
        let mut out = self.clone();
        out.texts.extend(texts);
        out
    }

    /// The text of `rel`: an error when there is no such file, it is not
    /// UTF-8, or it is no file the xtask reads (outside the repository, a
    /// link: see `worktree`).
    pub fn read(&self, rel: &str) -> Result<String> {
        if let Some(text) = self.texts.get(rel) {
            return Ok(text.clone());
        }
        let Some(tree) = &self.disk else {
            lexical(rel)?;
            return Err(anyhow!("no such file")).context(format!("cannot read {rel}"));
        };
        tree.read(rel)
    }

    /// `Ok` when `rel` is a path the xtask may read and write, there or not
    /// yet; else why not (outside the repository, through a link out of it,
    /// a link itself), and the fix.
    pub fn check(&self, rel: &str) -> Result<(), Refusal> {
        match &self.disk {
            Some(tree) if !self.texts.contains_key(rel) => tree.kind(rel).map(|_| ()),
            _ => lexical(rel),
        }
    }

    /// Whether anything is at `rel`: a file, a folder, or something a read
    /// refuses (a link, broken or not, is never "no file yet").
    fn exists(&self, rel: &str) -> bool {
        self.texts.contains_key(rel)
            || self
                .disk
                .as_ref()
                .is_some_and(|t| t.kind(rel) != Ok(Kind::Absent))
    }

    /// Whether `rel` (`.`: the root) is a folder; in memory, whether a
    /// text lies under it.
    pub fn is_folder(&self, rel: &str) -> bool {
        match &self.disk {
            Some(tree) if rel == "." => tree.root().is_dir(),
            Some(tree) => tree.kind(rel) == Ok(Kind::Dir),
            None => rel == "." || self.texts.keys().any(|p| p.starts_with(&format!("{rel}/"))),
        }
    }

    /// Whether a file is at `rel`, or something a read refuses (a link, a
    /// FIFO): either way, not a folder and not nothing.
    pub fn is_file(&self, rel: &str) -> bool {
        self.texts.contains_key(rel)
            || self
                .disk
                .as_ref()
                .is_some_and(|t| !matches!(t.kind(rel), Ok(Kind::Absent | Kind::Dir)))
    }

    /// The names of the folders directly in `rel` (`.` or empty: the root), sorted.
    pub fn subdirs(&self, rel: &str) -> Vec<String> {
        let rel = if rel.is_empty() { "." } else { rel };
        let prefix = prefix(rel);
        let mut names: BTreeSet<String> = self
            .texts
            .keys()
            .filter_map(|path| path.strip_prefix(&prefix)?.split_once('/'))
            .map(|(name, _)| name.to_string())
            .collect();
        if let Some(tree) = &self.disk {
            names.extend(tree.subdirs(rel));
        }
        names.into_iter().collect()
    }

    /// The names of the files directly in the folder `rel` (`.`: the
    /// root), sorted; in memory, the texts directly under it.
    pub fn files(&self, rel: &str) -> Vec<String> {
        let rel = if rel.is_empty() { "." } else { rel };
        let prefix = prefix(rel);
        let mut names: BTreeSet<String> = self
            .texts
            .keys()
            .filter_map(|path| path.strip_prefix(&prefix))
            .filter(|name| !name.contains('/'))
            .map(str::to_string)
            .collect();
        if let Some(tree) = &self.disk {
            names.extend(tree.files(rel));
        }
        names.into_iter().collect()
    }

    /// The text of a `--config` file: on disk, relative to the current
    /// folder (the user's own path, which may lie outside the repository);
    /// in memory, under its path as written.
    pub fn config(&self, file: &Path) -> Result<String> {
        let text = match &self.disk {
            Some(_) => worktree::read_given(file, &file.display().to_string()),
            None => file
                .to_str()
                .and_then(|f| self.texts.get(f))
                .cloned()
                .ok_or_else(|| anyhow!("no such file")),
        };
        text.with_context(|| format!("cannot read the configuration {}", file.display()))
    }
}

/// What the paths in the folder `rel` start with: nothing at the root.
fn prefix(rel: &str) -> String {
    if rel == "." {
        String::new()
    } else {
        format!("{rel}/")
    }
}

/// The files the model was read from, by path relative to the root. Each
/// text is held once, shared with the edits planned on it (a 50 MB
/// changelog is not copied to say what changes in it).
#[derive(Debug, Default, Clone)]
pub struct Files(BTreeMap<String, Arc<String>>, BTreeSet<String>);

impl Files {
    pub fn get(&self, rel: &str) -> Option<&str> {
        self.0.get(rel).map(|t| t.as_str())
    }

    /// The text of `rel` as read, shared.
    pub fn shared(&self, rel: &str) -> Option<Arc<String>> {
        self.0.get(rel).cloned()
    }

    /// The text of a file the model has read.
    pub fn text(&self, rel: &str) -> &str {
        self.get(rel)
            .unwrap_or_else(|| panic!("{rel} was not loaded"))
    }

    /// Every file read, by relative path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Reads `rel` from `source` once, and records it; a file that does
    /// not exist is recorded as absent, with no text (a changelog the first
    /// release creates).
    pub fn read_or_absent(&mut self, source: &Source, rel: &str) -> Result<&str> {
        if !self.0.contains_key(rel) && !source.exists(rel) {
            self.0.insert(rel.to_string(), Arc::default());
            self.1.insert(rel.to_string());
        }
        self.read(source, rel)
    }

    /// Whether `rel` was recorded as absent by `read_or_absent`.
    pub fn is_absent(&self, rel: &str) -> bool {
        self.1.contains(rel)
    }

    /// Reads `rel` from `source` once, and records it.
    pub fn read(&mut self, source: &Source, rel: &str) -> Result<&str> {
        // One look-up: a workspace of 3,000 members reads 3,000 manifests.
        let text = match self.0.entry(rel.to_string()) {
            std::collections::btree_map::Entry::Occupied(found) => found.into_mut(),
            std::collections::btree_map::Entry::Vacant(place) => {
                place.insert(Arc::new(source.read(rel)?))
            }
        };
        Ok(text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory(paths: &[&str]) -> Source {
        Source::memory(
            paths
                .iter()
                .map(|p| (p.to_string(), format!("text of {p}"))),
        )
    }

    #[test]
    fn memory_reads_only_its_texts() {
        let source = memory(&["Cargo.toml", "crates/a/Cargo.toml"]);
        assert_eq!(source.read("Cargo.toml").unwrap(), "text of Cargo.toml");
        assert!(source.is_file("crates/a/Cargo.toml"));
        assert!(!source.is_file("crates/a"));
        assert!(!source.is_file("README.md"));
        let err = source.read("README.md").unwrap_err();
        assert_eq!(format!("{err:#}"), "cannot read README.md: no such file");
    }

    #[test]
    fn memory_folders_come_from_the_paths() {
        let source = memory(&[
            "Cargo.toml",
            "crates/b/Cargo.toml",
            "crates/a/src/lib.rs",
            "docs/x.md",
        ]);
        assert_eq!(source.subdirs("."), ["crates", "docs"]);
        assert_eq!(source.subdirs(""), ["crates", "docs"]);
        assert_eq!(source.subdirs("crates"), ["a", "b"]);
        assert_eq!(source.subdirs("crates/a"), ["src"]);
        assert!(source.subdirs("docs").is_empty());
        assert!(source.subdirs("nowhere").is_empty());
    }

    #[test]
    fn texts_replace_those_of_the_source() {
        let source = memory(&["Cargo.toml"]).with_texts([("Cargo.toml".into(), "new".into())]);
        assert_eq!(source.read("Cargo.toml").unwrap(), "new");
    }

    #[test]
    fn a_memory_configuration_is_found_under_its_path() {
        let source = memory(&["release.toml"]);
        assert_eq!(
            source.config(Path::new("release.toml")).unwrap(),
            "text of release.toml"
        );
        let err = source.config(Path::new("other.toml")).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "cannot read the configuration other.toml: no such file"
        );
    }

    #[test]
    fn files_record_what_was_read() {
        let source = memory(&["a", "b"]);
        let mut files = Files::default();
        assert_eq!(files.read(&source, "b").unwrap(), "text of b");
        assert!(files.read(&source, "c").is_err());
        assert_eq!(files.paths().collect::<Vec<_>>(), ["b"]);
        assert_eq!(files.get("a"), None);
    }
}
