//! Runs a release plan: its actions one by one, journaled so that a failure
//! or a crash at any point ends either with the repository as it was, or in
//! a state that `release --execute` resumes and `release --abort` undoes.
//!
//! Every action checks what the repository already shows before acting (a
//! crash may come after git did the work but before the journal says so),
//! so running an action twice does it once.
//!
//! This file holds the run itself; its parts are the actions one by one
//! (`steps`), what moved since the journal was written (`moved`), the undo
//! (`undo`) and a release found without a journal (`recover`).

mod moved;
mod next;
mod origin;
mod recover;
mod steps;
mod undo;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::Shell;

use super::journal::{self, Entry, File, Journal};
use super::lock;
use super::{Action, ReleasePlan};
use crate::adapters::git;
use crate::edit::FileEdit;
use crate::out::ui::{self, Tone};
use crate::worktree::Tree;

pub use recover::{head_rolled_back, recover};
pub use steps::refresh_pull_request;

/// The journal of a release under way, and where it is kept.
pub struct Run<'a> {
    sh: &'a Shell,
    root: &'a Path,
    path: PathBuf,
    pub journal: Journal,
    /// The journal's files with their contents.
    edits: Vec<FileEdit>,
    /// The second commit's (`next-dev`), from the release commit's texts.
    next_edits: Vec<FileEdit>,
    /// Begun by this process: the repository is as the journal recorded it
    /// a moment ago, so nothing can have moved.
    fresh: bool,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Released,
    /// Stopped before the push (`--no-push`).
    Committed,
    PullRequest,
}

impl Outcome {
    pub fn status(self) -> &'static str {
        match self {
            Outcome::Released => "released",
            Outcome::Committed => "committed",
            Outcome::PullRequest => "pull-request",
        }
    }
}

/// Where the journal of this checkout lives.
pub fn journal_path(sh: &Shell) -> Result<PathBuf> {
    git::git_path(sh, journal::NAME)
}

/// Takes this checkout's release lock (beside the journal) for the run, or
/// says who holds it; a lock left by a process that is gone is taken over.
pub fn hold(sh: &Shell) -> Result<lock::Lock> {
    let path = git::git_path(sh, lock::NAME)?;
    let held = lock::acquire(&path)?;
    if let Some(old) = &held.took_over {
        let today = chrono::Utc::now().date_naive();
        ui::status(
            Tone::Warn,
            "Took over",
            &format!(
                "the release lock of a run that ended without removing it ({}; the process is gone)",
                old.describe(&lock::host_name(), today)
            ),
        );
    }
    journal::clear_temp(&journal_path(sh)?);
    Ok(held)
}

/// Stops when a release runs in this checkout: what it is doing is not for
/// another command to read or plan from.
pub fn not_running(sh: &Shell) -> Result<()> {
    let path = git::git_path(sh, lock::NAME)?;
    match lock::holder(&path)? {
        Some(holder) => Err(lock::running(&holder, &path)),
        None => Ok(()),
    }
}

/// The release under way in this checkout, if any.
pub fn pending<'a>(sh: &'a Shell, root: &'a Path) -> Result<Option<Run<'a>>> {
    let path = journal_path(sh)?;
    let Some(journal) = journal::load(&path)? else {
        return Ok(None);
    };
    let read = |files: &[File]| -> Result<Vec<FileEdit>> {
        files
            .iter()
            .map(|f| {
                let (before, after) = (git::blob(sh, &f.before)?, git::blob(sh, &f.after)?);
                Ok(FileEdit::new(&f.path, before, after))
            })
            .collect()
    };
    let (edits, next_edits) = (read(&journal.files)?, read(&journal.next_files)?);
    Ok(Some(Run {
        sh,
        root,
        path,
        journal,
        edits,
        next_edits,
        fresh: false,
    }))
}

/// One line for `versions` and the dry run: what is under way and the commands.
pub fn in_progress_note(journal: &Journal) -> String {
    let next = journal
        .actions
        .get(journal.done)
        .map_or_else(|| "finishing".to_string(), Action::describe);
    format!(
        "a release of {} is in progress (next step: {next}): `cargo xtask release --execute` finishes it, `cargo xtask release --abort` undoes it",
        journal.summary()
    )
}

/// Records the plan and the repository as it is, before anything changes.
pub fn begin<'a>(sh: &'a Shell, root: &'a Path, plan: &ReleasePlan) -> Result<Run<'a>> {
    let path = journal_path(sh)?;
    if path.exists() {
        bail!(
            "a release is in progress already ({}): finish it with `cargo xtask release --execute` or undo it with `cargo xtask release --abort`",
            path.display()
        );
    }
    let branch =
        git::branch(sh)?.context("HEAD is detached: switch to the release branch first")?;
    let edits: Vec<FileEdit> = plan.edits.changed().cloned().collect();
    let next_edits: Vec<FileEdit> = plan.next_edits.changed().cloned().collect();
    let record = |edits: &[FileEdit]| -> Result<Vec<File>> {
        edits.iter().map(|e| journal_file(sh, e)).collect()
    };
    let (files, next_files) = (record(&edits)?, record(&next_edits)?);
    // The index entries of every file either commit writes, as they were.
    let paths = plan.files();
    let existing = git::tag_names(sh)?;
    let journal = Journal {
        start: git::head(sh)?,
        branch,
        remote: plan
            .actions
            .iter()
            .find_map(|a| match a {
                Action::Push { remote, .. } => Some(remote.clone()),
                _ => None,
            })
            .unwrap_or_default(),
        releases: plan
            .releases
            .iter()
            .map(|r| Entry {
                package: r.package.clone(),
                display: r.shown.clone(),
                tag: r.tag.clone(),
                from: r.from.to_string(),
            })
            .collect(),
        index: git::index_entries(sh, &paths)?,
        next_files,
        existing_tags: plan
            .tags()
            .into_iter()
            .filter(|t| existing.contains(t))
            .collect(),
        files,
        actions: plan.actions.clone(),
        done: 0,
        commit: None,
        next_commit: None,
        branch_before: branch_before(sh, plan)?,
        push_attempted: false,
    };
    journal::save(&path, &journal)?;
    Ok(Run {
        sh,
        root,
        path,
        journal,
        edits,
        next_edits,
        fresh: true,
    })
}

/// Where the PR flow's branch is here before the release resets it.
fn branch_before(sh: &Shell, plan: &ReleasePlan) -> Result<Option<String>> {
    let Some(name) = plan.actions.iter().find_map(|a| match a {
        Action::Branch(name) => Some(name),
        _ => None,
    }) else {
        return Ok(None);
    };
    if !git::branch_exists(sh, name)? {
        return Ok(None);
    }
    git::rev_parse(sh, &format!("refs/heads/{name}")).map(Some)
}

/// The journal's record of `edit`: its texts stored as blobs.
fn journal_file(sh: &Shell, edit: &FileEdit) -> Result<File> {
    Ok(File {
        path: edit.path.clone(),
        before: git::store_blob(sh, &edit.before)?,
        after: git::store_blob(sh, &edit.after)?,
    })
}

impl Run<'_> {
    fn save(&self) -> Result<()> {
        journal::save(&self.path, &self.journal)
    }

    /// The file's text; a file that does not exist reads as no text, as
    /// the edit that creates it records its `before`.
    fn read(&self, path: &str) -> Option<String> {
        match Tree::new(self.root).read_if_present(path) {
            Ok(text) => Some(text.unwrap_or_default()),
            Err(_) => None,
        }
    }

    /// The release branch of the PR flow, if the plan makes one.
    fn release_branch(&self) -> Option<&str> {
        self.journal.actions.iter().find_map(|a| match a {
            Action::Branch(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// The commit HEAD is at if it is this release's commit: the journal's,
    /// or (after a crash right after `git commit`) a child of the start
    /// with the planned message.
    fn release_commit_at_head(&self) -> Result<Option<String>> {
        let head = git::head(self.sh)?;
        if self.journal.commit.as_deref() == Some(head.as_str()) {
            return Ok(Some(head));
        }
        let Some(message) = self.journal.actions.iter().find_map(|a| match a {
            Action::Commit { message, .. } => Some(message),
            _ => None,
        }) else {
            return Ok(None);
        };
        let (subject, parent) = git::subject_and_parent(self.sh, &head)?;
        Ok((parent.as_deref() == Some(self.journal.start.as_str())
            && message.lines().next() == Some(subject.as_str()))
        .then_some(head))
    }

    /// Runs the remaining actions. A failure before the push undoes the
    /// release; a failed push keeps it for a later run.
    pub fn run(mut self, push: bool, json: bool) -> Result<Outcome> {
        let drift = if self.fresh {
            Vec::new()
        } else {
            self.moved()?
        };
        if !drift.is_empty() {
            bail!(
                "a release of {} is in progress, but the repository is not as it left it: {}: undo the release with `cargo xtask release --abort` (your changes are kept), or put things back (`git stash`, `git switch`) and rerun `cargo xtask release --execute`",
                self.journal.summary(),
                drift.join("; ")
            );
        }
        let tree = Tree::new(self.root);
        for file in self.journal.files.iter().chain(&self.journal.next_files) {
            tree.remove_temp(&file.path);
        }
        while self.journal.done < self.journal.actions.len() {
            let action = self.journal.actions[self.journal.done].clone();
            if matches!(action, Action::Push { .. }) && !push {
                self.stop_before_push(&action)?;
                return Ok(Outcome::Committed);
            }
            let pushed = self.journal.pushed();
            if matches!(action, Action::Push { .. }) {
                self.journal.push_attempted = true;
                self.save()?;
            }
            if let Err(err) = self.step(&action, json) {
                if pushed || matches!(action, Action::Push { .. }) {
                    return Err(self.after_push_failure(&action, err));
                }
                return Err(match self.undo() {
                    Ok(()) => err.context(
                        "the release was undone: files, commit, tags and branches are as they were",
                    ),
                    Err(undo) => err.context(format!(
                        "undoing the release failed too: {undo:#}; finish with `cargo xtask release --abort`"
                    )),
                });
            }
            self.journal.done += 1;
            self.save()?;
        }
        journal::remove(&self.path)?;
        Ok(
            if self
                .journal
                .actions
                .iter()
                .any(|a| matches!(a, Action::PullRequest { .. }))
            {
                Outcome::PullRequest
            } else {
                ui::status(Tone::Good, "Released", &self.journal.tags().join(", "));
                Outcome::Released
            },
        )
    }

    fn stop_before_push(&self, action: &Action) -> Result<()> {
        if let (
            Some(_),
            Action::Push {
                remote,
                refs,
                lease,
                ..
            },
        ) = (self.release_branch(), action)
        {
            // The PR flow's branch is the user's to push: no release stays open.
            git::switch(self.sh, &self.journal.branch)?;
            journal::remove(&self.path)?;
            ui::status(
                Tone::Warn,
                "Stopped",
                &format!(
                    "before pushing (--no-push): push the branch with `{}`",
                    super::push_command(remote, refs, true, lease.as_deref())
                ),
            );
        } else {
            ui::status(
                Tone::Warn,
                "Stopped",
                "before pushing (--no-push): `cargo xtask release --execute` pushes this release, `--abort` undoes it",
            );
        }
        Ok(())
    }

    /// The tags of the plan that the remote lacks, sorted (for messages).
    pub fn unpushed_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = self
            .journal
            .tags()
            .into_iter()
            .map(str::to_string)
            .collect();
        tags.sort();
        tags
    }
}
