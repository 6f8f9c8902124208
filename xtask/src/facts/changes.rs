//! The change files (`.changes/*.md`) and towncrier news fragments waiting
//! for a release, read through the work tree and resolved against the
//! packages: each with the packages it names and what it is for each. What
//! is wrong with one is a problem naming its `FILE:LINE` and the fix; `check`
//! lists them and a release refuses to plan while one remains.

use std::collections::BTreeMap;

use anyhow::Result;
use xshell::Shell;

use crate::adapters::git;
use crate::changelog::{self, Kind};
use crate::model::package::{Package, rel_join};
use crate::model::workspace::Workspace;
use crate::worktree::Tree;

/// One pending file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// From the root: `.changes/streaming.md`.
    pub path: String,
    /// The file as read: what a release deletes, or rewrites without the
    /// lines it consumed.
    pub text: String,
    /// `(package name, what it is for it, front-matter line)`; a fragment
    /// names its own package, at line 0.
    pub packages: Vec<(String, Kind, usize)>,
    /// The entry's text.
    pub body: String,
    /// A fragment's issue or pull request number.
    pub issue: Option<u64>,
    /// The commit that added the file (`added_by`): its drafted note is
    /// left out when the file's entry is in the release.
    pub added_by: Option<String>,
}

impl Pending {
    /// What the file is for `package`, if it names it.
    pub fn kind_for(&self, package: &str) -> Option<&Kind> {
        self.packages
            .iter()
            .find(|(name, _, _)| name == package)
            .map(|(_, kind, _)| kind)
    }
}

/// Every pending file, sorted by path, and what is wrong with the others.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub pending: Vec<Pending>,
    pub problems: Vec<String>,
}

impl Changes {
    /// The files naming `package`, in path order.
    pub fn of<'a>(&'a self, package: &'a str) -> impl Iterator<Item = &'a Pending> + 'a {
        self.pending
            .iter()
            .filter(move |p| p.kind_for(package).is_some())
    }
}

/// The name of a file that is no change: a README, a dotfile (`.gitkeep`).
pub fn ignored(name: &str) -> bool {
    name.starts_with('.') || name.eq_ignore_ascii_case("README.md")
}

/// Reads the configured folders through `tree` (a folder not there yet holds none).
pub fn read(tree: &Tree, ws: &Workspace) -> Changes {
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    let mut folders = vec![ws.config.changes.clone()];
    folders.extend(ws.packages.iter().filter_map(|p| p.fragments.clone()));
    for folder in folders {
        for name in tree.files(&folder).into_iter().filter(|n| !ignored(n)) {
            let path = rel_join(&folder, &name);
            match tree.read(&path) {
                Ok(text) => texts.push((path, text)),
                Err(err) => problems.push(format!("{err:#}")),
            }
        }
    }
    let mut changes = of_texts(ws, &texts);
    problems.append(&mut changes.problems);
    changes.problems = problems;
    changes
}

/// The pending files of `texts` (`(path from the root, text)`): those in
/// the `changes` folder are change files, those in a package's `fragments`
/// folder its fragments (pure).
pub fn of_texts(ws: &Workspace, texts: &[(String, String)]) -> Changes {
    let mut out = Changes::default();
    for (path, text) in texts {
        let (folder, name) = path.rsplit_once('/').unwrap_or((".", path));
        let fragments_of = ws
            .packages
            .iter()
            .find(|p| p.fragments.as_deref() == Some(folder));
        let read = match fragments_of {
            Some(package) => fragment(package, path, name, text),
            None if !name.ends_with(".md") => Err(vec![format!(
                "{path}: not a change file: change files end in `.md` (see {}/README.md): rename it, or move it out of {folder}",
                ws.config.changes
            )]),
            None => change_file(ws, path, text),
        };
        match read {
            Ok(pending) => out.pending.push(pending),
            Err(problems) => out.problems.extend(problems),
        }
    }
    out.pending.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn fragment(package: &Package, path: &str, name: &str, text: &str) -> Result<Pending, Vec<String>> {
    let read = changelog::parse_fragment(name).map_err(|why| vec![format!("{path}: {why}")])?;
    let body = changelog::fragment_body(path, text)?;
    Ok(Pending {
        path: path.to_string(),
        text: text.to_string(),
        packages: vec![(package.name.clone(), read.kind, 0)],
        body,
        issue: read.issue,
        added_by: None,
    })
}

fn change_file(ws: &Workspace, path: &str, text: &str) -> Result<Pending, Vec<String>> {
    let file = changelog::parse_change(path, text)?;
    let mut problems = Vec::new();
    let mut packages: Vec<(String, Kind, usize)> = Vec::new();
    for named in file.named {
        let found = ws
            .packages
            .iter()
            .find(|p| p.name == named.package || p.flag == named.package);
        match found {
            None => problems.push(format!(
                "{path}:{}: `{}` is no package of this workspace: name one of {}",
                named.line,
                named.package,
                known(ws)
            )),
            Some(p) if packages.iter().any(|(n, _, _)| *n == p.name) => problems.push(format!(
                "{path}:{}: `{}` names {} a second time: keep one line for it",
                named.line, named.package, p.name
            )),
            Some(p) => packages.push((p.name.clone(), named.kind, named.line)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Pending {
        path: path.to_string(),
        text: text.to_string(),
        packages,
        body: file.body,
        issue: None,
        added_by: None,
    })
}

/// `edgequake-llm (or rust), edgequake-litellm (or py)`.
fn known(ws: &Workspace) -> String {
    let names: Vec<String> = ws
        .packages
        .iter()
        .map(|p| format!("{} (or {})", p.name, p.flag))
        .collect();
    names.join(", ")
}

/// Fills each pending file's `added_by` from git: the newest commit that
/// added it. No pending file, no git call.
pub fn added_by(sh: &Shell, changes: &mut Changes) -> Result<()> {
    if changes.pending.is_empty() {
        return Ok(());
    }
    let paths: Vec<String> = changes.pending.iter().map(|p| p.path.clone()).collect();
    let adding: BTreeMap<String, String> = git::adding_commits(sh, &paths)?;
    for pending in &mut changes.pending {
        pending.added_by = adding.get(&pending.path).cloned();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws() -> Workspace {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/changes");
        Workspace::load(&root, None, &|_| Ok(Vec::new())).unwrap()
    }

    #[test]
    fn the_fixture_reads_change_files_and_fragments() {
        let ws = ws();
        let changes = read(&Tree::new(&ws.root), &ws);
        assert!(changes.problems.is_empty(), "{:#?}", changes.problems);
        let listed: Vec<(String, Vec<String>)> = changes
            .pending
            .iter()
            .map(|p| {
                let kinds = p
                    .packages
                    .iter()
                    .map(|(n, k, _)| format!("{n}: {}", k.word));
                (p.path.clone(), kinds.collect())
            })
            .collect();
        assert_eq!(
            listed,
            [
                (
                    ".changes/dot-lengths.md".to_string(),
                    vec!["vecstore: patch".to_string(), "vecstore-py: fixed".into()]
                ),
                (
                    ".changes/streaming.md".into(),
                    vec!["vecstore: minor".into()]
                ),
                (
                    "vecstore-py/newsfragments/41.feature.md".into(),
                    vec!["vecstore-py: feature".into()]
                ),
                (
                    "vecstore-py/newsfragments/42.bugfix".into(),
                    vec!["vecstore-py: bugfix".into()]
                ),
            ]
        );
        assert_eq!(changes.pending[2].issue, Some(41));
        assert_eq!(changes.of("vecstore-py").count(), 3);
    }

    #[test]
    fn malformed_files_of_each_kind_are_problems_with_their_line() {
        let ws = ws();
        let texts: Vec<(String, String)> = [
            (
                ".changes/unknown.md",
                "---\nvecstore: minor\nvecstor: patch\n---\n\nText.\n",
            ),
            (
                ".changes/twice.md",
                "---\nrust: minor\nvecstore: patch\n---\n\nText.\n",
            ),
            (".changes/level.md", "---\npy: big\n---\n\nText.\n"),
            (".changes/empty.md", "---\npy: fixed\n---\n"),
            (".changes/notes.txt", "text"),
            ("vecstore-py/newsfragments/7.feat.md", "Text.\n"),
            ("vecstore-py/newsfragments/8.doc.md", "\n\n"),
        ]
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .to_vec();
        let changes = of_texts(&ws, &texts);
        assert!(changes.pending.is_empty(), "{:?}", changes.pending);
        assert_eq!(
            changes.problems,
            [
                ".changes/unknown.md:3: `vecstor` is no package of this workspace: name one of vecstore (or rust), vecstore-py (or py)",
                ".changes/twice.md:3: `vecstore` names vecstore a second time: keep one line for it",
                ".changes/level.md:2: `big` is no level or section: use one of major, minor, patch, added, changed, deprecated, removed, fixed, security",
                ".changes/empty.md:3: no text below the front matter: write what changed, as users should read it",
                ".changes/notes.txt: not a change file: change files end in `.md` (see .changes/README.md): rename it, or move it out of .changes",
                "vecstore-py/newsfragments/7.feat.md: `7.feat.md`: `feat` is no fragment type: use one of feature, bugfix, doc, removal, misc, deprecation, security, added, changed, deprecated, removed, fixed, breaking",
                "vecstore-py/newsfragments/8.doc.md:1: the fragment is empty: write what changed, as users should read it",
            ]
        );
    }
}
