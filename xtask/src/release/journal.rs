//! The release journal: what a release under way set out to do, what the
//! repository looked like before it, and how far it got. It lives in the git
//! directory (never committed, one per worktree; no work-tree file, so read
//! with `std::fs`), is rewritten atomically after every step, and is removed
//! when the release completes or is undone, so a crash can be resumed or aborted.
//!
//! The format is one record per line, fields separated by tabs, with `\\`,
//! `\t`, `\n` and `\r` escaped: readable with `cat`, and parsed without a
//! serializer dependency.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Action, journal_action};

const MAGIC: &str = "xtask-release-journal 1";
/// The journal's name inside the git directory.
pub const NAME: &str = "xtask-release";

/// One file the release writes: the blob ids of its bytes before and after
/// (in git's object database, so the journal stays small).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub before: String,
    pub after: String,
}

/// `(package, new version as status lines show it, tag, old version)` of one release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub package: String,
    pub display: String,
    pub tag: String,
    /// The version it moves from; empty when unknown (a release recovered
    /// from its commit, or a journal written before this field).
    pub from: String,
}

impl Entry {
    /// `core 0.8.0 -> 0.9.0`, for status lines.
    pub fn moving(&self) -> String {
        if self.from.is_empty() {
            format!("{} -> {}", self.package, self.display)
        } else {
            format!("{} {} -> {}", self.package, self.from, self.display)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Journal {
    /// HEAD when the release started.
    pub start: String,
    /// The branch checked out when it started.
    pub branch: String,
    pub remote: String,
    pub releases: Vec<Entry>,
    pub files: Vec<File>,
    /// The files the second commit (`next-dev`) writes: from their text in
    /// the release commit to the next development version's.
    pub next_files: Vec<File>,
    /// `git ls-files --stage` lines of the files, as the index had them.
    pub index: Vec<String>,
    /// Planned tags that existed before the release (never deleted by an abort).
    pub existing_tags: Vec<String>,
    pub actions: Vec<Action>,
    /// How many actions are done.
    pub done: usize,
    /// The release commit, once made.
    pub commit: Option<String>,
    /// The next development version's commit (`next-dev`), once made.
    pub next_commit: Option<String>,
    /// The PR flow's local branch before the release reset it (an undo puts it back).
    pub branch_before: Option<String>,
    /// Whether a push may have reached the remote: set before it runs,
    /// cleared when the remote shows it did not. A journal without the
    /// record does not know, and counts as one.
    pub push_attempted: bool,
}

fn escape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(field: &str) -> Result<String> {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            other => bail!(
                "bad escape `\\{}`",
                other.map(String::from).unwrap_or_default()
            ),
        }
    }
    Ok(out)
}

fn record(out: &mut String, fields: &[&str]) {
    let escaped: Vec<String> = fields.iter().map(|f| escape(f)).collect();
    out.push_str(&escaped.join("\t"));
    out.push('\n');
}

impl Journal {
    /// The journal as text (pure).
    pub fn render(&self) -> String {
        let mut out = format!("{MAGIC}\n");
        record(&mut out, &["start", &self.start]);
        record(&mut out, &["branch", &self.branch]);
        record(&mut out, &["remote", &self.remote]);
        for r in &self.releases {
            record(
                &mut out,
                &["release", &r.package, &r.display, &r.tag, &r.from],
            );
        }
        for f in &self.files {
            record(&mut out, &["file", &f.path, &f.before, &f.after]);
        }
        for f in &self.next_files {
            record(&mut out, &["next-file", &f.path, &f.before, &f.after]);
        }
        for line in &self.index {
            record(&mut out, &["index", line]);
        }
        for tag in &self.existing_tags {
            record(&mut out, &["existing-tag", tag]);
        }
        for action in &self.actions {
            let fields = journal_action::fields(action);
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            record(&mut out, &fields);
        }
        if let Some(commit) = &self.commit {
            record(&mut out, &["commit", commit]);
        }
        if let Some(commit) = &self.next_commit {
            record(&mut out, &["next-commit", commit]);
        }
        if let Some(before) = &self.branch_before {
            record(&mut out, &["branch-before", before]);
        }
        let attempted = if self.push_attempted { "yes" } else { "no" };
        record(&mut out, &["push-attempted", attempted]);
        record(&mut out, &["done", &self.done.to_string()]);
        out
    }

    /// Reads the text `render` wrote (pure).
    pub fn parse(text: &str) -> Result<Journal> {
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            bail!("not a release journal of this version (first line is not `{MAGIC}`)");
        }
        let mut journal = Journal {
            push_attempted: true,
            ..Journal::default()
        };
        let mut ended = false;
        for (n, line) in lines.enumerate() {
            let fields = line
                .split('\t')
                .map(unescape)
                .collect::<Result<Vec<String>>>()
                .with_context(|| format!("line {}", n + 2))?;
            let one = |i: usize| -> Result<String> {
                fields
                    .get(i)
                    .cloned()
                    .with_context(|| format!("line {}: `{}` lacks a field", n + 2, fields[0]))
            };
            match fields[0].as_str() {
                "start" => journal.start = one(1)?,
                "branch" => journal.branch = one(1)?,
                "remote" => journal.remote = one(1)?,
                "release" => journal.releases.push(Entry {
                    package: one(1)?,
                    display: one(2)?,
                    tag: one(3)?,
                    from: fields.get(4).cloned().unwrap_or_default(),
                }),
                "file" => journal.files.push(File {
                    path: one(1)?,
                    before: one(2)?,
                    after: one(3)?,
                }),
                "next-file" => journal.next_files.push(File {
                    path: one(1)?,
                    before: one(2)?,
                    after: one(3)?,
                }),
                "index" => journal.index.push(one(1)?),
                "existing-tag" => journal.existing_tags.push(one(1)?),
                "action" => journal.actions.push(
                    journal_action::parse(&fields[1..])
                        .with_context(|| format!("line {}", n + 2))?,
                ),
                "commit" => journal.commit = Some(one(1)?),
                "next-commit" => journal.next_commit = Some(one(1)?),
                "branch-before" => journal.branch_before = Some(one(1)?),
                "push-attempted" => journal.push_attempted = one(1)? != "no",
                "done" => {
                    journal.done = one(1)?
                        .parse()
                        .with_context(|| format!("line {}: `done` is not a number", n + 2))?;
                    ended = true;
                }
                other => bail!("line {}: unknown record `{other}`", n + 2),
            }
        }
        // `done` is written last: without it the file is cut short.
        if !ended || journal.done > journal.actions.len() {
            bail!("the journal is incomplete");
        }
        Ok(journal)
    }

    /// The index of the push action, if the plan pushes.
    pub fn push_index(&self) -> Option<usize> {
        self.actions
            .iter()
            .position(|a| matches!(a, Action::Push { .. }))
    }

    /// Whether the push has completed (a crash during it leaves this false:
    /// ask the remote).
    pub fn pushed(&self) -> bool {
        self.push_index().is_some_and(|i| self.done > i)
    }

    /// The planned tags.
    pub fn tags(&self) -> Vec<&str> {
        self.actions
            .iter()
            .filter_map(|a| match a {
                Action::Tag { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }

    /// `name v1.2.3, name v0.4.0` for messages.
    pub fn summary(&self) -> String {
        let list: Vec<String> = self
            .releases
            .iter()
            .map(|r| format!("{} {}", r.package, r.display))
            .collect();
        list.join(", ")
    }
}

/// Writes `text` to `path` so that a crash leaves the old or the new file,
/// never a mix: a temporary file beside it, flushed to disk, then renamed.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let temp = temp_of(path);
    let written = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        if let Some(dir) = path.parent().and_then(|d| fs::File::open(d).ok()) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.with_context(|| format!("cannot write the release journal {}", path.display()))
}

fn temp_of(path: &Path) -> PathBuf {
    path.with_extension("tmp")
}

/// Removes the temporary file a crash during `save` left: only the holder
/// of the release lock may (a running release writes it).
pub fn clear_temp(path: &Path) {
    let _ = fs::remove_file(temp_of(path));
}

/// The journal at `path`, if there is one.
pub fn load(path: &Path) -> Result<Option<Journal>> {
    match fs::read_to_string(path) {
        Ok(text) => Journal::parse(&text).map(Some).with_context(|| {
            format!(
                "{} is damaged: remove it (`rm {}`) and repair the repository by hand (`git status`, `git tag --points-at HEAD`)",
                path.display(),
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

pub fn save(path: &Path, journal: &Journal) -> Result<()> {
    write_atomic(path, &journal.render())
}

pub fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Journal {
        Journal {
            start: "abc123".into(),
            branch: "main".into(),
            remote: "origin".into(),
            releases: vec![
                Entry {
                    package: "demo-core".into(),
                    display: "0.5.0".into(),
                    tag: "v0.5.0".into(),
                    from: "0.4.0".into(),
                },
                Entry {
                    package: "demo-py".into(),
                    display: "0.3.1-rc.1 (PyPI 0.3.1rc1)".into(),
                    tag: "py-v0.3.1-rc.1".into(),
                    from: String::new(),
                },
            ],
            files: vec![File {
                path: "CHANGELOG.md".into(),
                before: "0123abcd".into(),
                after: "4567ef01".into(),
            }],
            next_files: vec![File {
                path: "core/Cargo.toml".into(),
                before: "89ab0123".into(),
                after: "cdef4567".into(),
            }],
            index: vec!["100644 0123abcd 0\tCHANGELOG.md".into()],
            existing_tags: vec![],
            actions: vec![
                Action::Branch("release/next".into()),
                Action::Write,
                Action::Commit {
                    message: "release: demo-core v0.5.0".into(),
                    files: vec!["Cargo.lock".into(), "CHANGELOG.md".into()],
                },
                Action::Tag {
                    name: "v0.5.0".into(),
                    message: "demo-core 0.5.0".into(),
                },
                Action::WriteNext,
                Action::CommitNext {
                    message: "chore(release): start demo-core v0.6.0-dev.0".into(),
                    files: vec!["core/Cargo.toml".into()],
                },
                Action::Push {
                    remote: "origin".into(),
                    refs: vec!["main".into(), "v0.5.0".into()],
                    new_branch: false,
                    lease: None,
                },
                Action::Push {
                    remote: "origin".into(),
                    refs: vec!["release/next".into()],
                    new_branch: true,
                    lease: None,
                },
                Action::Push {
                    remote: "origin".into(),
                    refs: vec!["release/next".into()],
                    new_branch: true,
                    lease: Some("89abcdef".into()),
                },
                Action::SwitchBack("main".into()),
                Action::PullRequest {
                    base: "main".into(),
                    head: "release/next".into(),
                    title: "chore(release): prepare v0.5.0".into(),
                    body: "### Fixed\n\n- x\t(#3)\n".into(),
                    update: false,
                },
                Action::PullRequest {
                    base: "main".into(),
                    head: "release/next".into(),
                    title: "chore(release): prepare v0.5.0".into(),
                    body: String::new(),
                    update: true,
                },
            ],
            done: 3,
            commit: Some("def456".into()),
            next_commit: Some("0f1e2d".into()),
            branch_before: Some("fedcba".into()),
            push_attempted: true,
        }
    }

    #[test]
    fn render_then_parse_gives_the_journal_back() {
        let journal = sample();
        assert_eq!(Journal::parse(&journal.render()).unwrap(), journal);
        let bare = Journal {
            commit: None,
            done: 0,
            ..Journal::default()
        };
        assert_eq!(Journal::parse(&bare.render()).unwrap(), bare);
        // An older journal, without the record: a push may have happened.
        let text = bare.render().replace("push-attempted\tno\n", "");
        assert!(Journal::parse(&text).unwrap().push_attempted);
    }

    #[test]
    fn escapes_round_trip_and_bad_ones_are_refused() {
        for text in ["", "plain", "\\", "\\\\n", "\t\n\r", "é\u{1F600}"] {
            assert_eq!(unescape(&escape(text)).unwrap(), text);
            assert!(!escape(text).contains(['\t', '\n', '\r']));
        }
        assert!(unescape("\\x").is_err());
        assert!(unescape("trailing\\").is_err());
    }

    #[test]
    fn a_journal_cut_short_or_foreign_is_refused() {
        let text = sample().render();
        let cut = &text[..text.rfind("done").unwrap()];
        assert_eq!(
            Journal::parse(cut).unwrap_err().to_string(),
            "the journal is incomplete"
        );
        assert!(Journal::parse("something else\n").is_err());
        assert!(
            Journal::parse(&format!("{MAGIC}\nnonsense\tx\ndone\t0\n"))
                .unwrap_err()
                .to_string()
                .contains("unknown record `nonsense`")
        );
        assert!(Journal::parse(&format!("{MAGIC}\ndone\t9\n")).is_err());
    }

    #[test]
    fn pushed_counts_the_push_as_started_once_it_is_the_done_step() {
        let mut journal = sample();
        journal.actions.truncate(7);
        journal.done = 6;
        assert!(!journal.pushed());
        journal.done = 7;
        assert!(journal.pushed());
        assert_eq!(journal.tags(), ["v0.5.0"]);
        assert_eq!(
            journal.summary(),
            "demo-core 0.5.0, demo-py 0.3.1-rc.1 (PyPI 0.3.1rc1)"
        );
    }

    #[test]
    fn write_atomic_replaces_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("xtask-journal-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(NAME);
        save(&path, &sample()).unwrap();
        assert_eq!(load(&path).unwrap(), Some(sample()));
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        remove(&path).unwrap();
        assert_eq!(load(&path).unwrap(), None);
        remove(&path).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }
}
