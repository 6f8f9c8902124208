//! Runs a release plan: its actions one by one, journaled so that a failure
//! or a crash at any point ends either with the repository as it was, or in
//! a state that `release --execute` resumes and `release --abort` undoes.
//!
//! Every action checks what the repository already shows before acting (a
//! crash may come after git did the work but before the journal says so),
//! so running an action twice does it once.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use xshell::Shell;

use super::journal::{self, Entry, File, Journal};
use super::{Action, ReleasePlan};
use crate::edits::FileEdit;
use crate::ui::{self, Tone};
use crate::workspace::Workspace;
use crate::{atomic_write, git};

/// The journal of a release under way, and where it is kept.
pub struct Run<'a> {
    sh: &'a Shell,
    root: &'a Path,
    path: PathBuf,
    pub journal: Journal,
    /// The journal's files with their contents.
    edits: Vec<FileEdit>,
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

/// The release under way in this checkout, if any.
pub fn pending<'a>(sh: &'a Shell, root: &'a Path) -> Result<Option<Run<'a>>> {
    let path = journal_path(sh)?;
    let Some(journal) = journal::load(&path)? else {
        return Ok(None);
    };
    let mut edits = Vec::new();
    for f in &journal.files {
        edits.push(FileEdit {
            path: f.path.clone(),
            before: git::blob(sh, &f.before)?,
            after: git::blob(sh, &f.after)?,
        });
    }
    Ok(Some(Run {
        sh,
        root,
        path,
        journal,
        edits,
    }))
}

/// One line for `versions` and the dry run: what is under way and the commands.
pub fn in_progress_note(journal: &Journal) -> String {
    let next = journal
        .actions
        .get(journal.done)
        .map_or_else(|| "finishing".to_string(), describe);
    format!(
        "a release of {} is in progress (next step: {next}): `cargo xtask release --execute` finishes it, `cargo xtask release --abort` undoes it",
        journal.summary()
    )
}

fn describe(action: &Action) -> String {
    match action {
        Action::Branch(name) => format!("create the branch {name}"),
        Action::Write => "write the files".into(),
        Action::Commit { .. } => "commit".into(),
        Action::Tag { name, .. } => format!("tag {name}"),
        Action::Push { refs, .. } => format!("push {}", refs.join(" ")),
        Action::SwitchBack(branch) => format!("switch back to {branch}"),
        Action::PullRequest { .. } => "open the pull request".into(),
    }
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
    let mut files = Vec::new();
    for e in &edits {
        files.push(File {
            path: e.path.clone(),
            before: git::store_blob(sh, &e.before)?,
            after: git::store_blob(sh, &e.after)?,
        });
    }
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let existing = git::tags(sh)?;
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
                display: r.display.clone(),
                tag: r.tag.clone(),
            })
            .collect(),
        index: git::index_entries(sh, &paths)?,
        existing_tags: plan
            .tags()
            .into_iter()
            .filter(|t| existing.contains(t))
            .collect(),
        files,
        actions: plan.actions.clone(),
        done: 0,
        commit: None,
    };
    journal::save(&path, &journal)?;
    Ok(Run {
        sh,
        root,
        path,
        journal,
        edits,
    })
}

impl Run<'_> {
    fn save(&self) -> Result<()> {
        journal::save(&self.path, &self.journal)
    }

    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join(path)).ok()
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

    /// What differs from the state the journal expects, as sentences; empty
    /// when the release can go on.
    fn drift(&self) -> Result<Vec<String>> {
        let mut found = Vec::new();
        let branch = git::branch(self.sh)?;
        let allowed: Vec<&str> = std::iter::once(self.journal.branch.as_str())
            .chain(self.release_branch())
            .collect();
        if !branch.as_deref().is_some_and(|b| allowed.contains(&b)) {
            found.push(format!(
                "HEAD is on {} instead of {}",
                branch.map_or("no branch".into(), |b| format!("`{b}`")),
                allowed.join(" or ")
            ));
        }
        let head = git::head(self.sh)?;
        if head != self.journal.start && self.release_commit_at_head()?.is_none() {
            found.push(format!(
                "HEAD moved to {head} (the release started at {} and its commit is {})",
                self.journal.start,
                self.journal.commit.as_deref().unwrap_or("not made")
            ));
        }
        let written = self
            .journal
            .actions
            .iter()
            .position(|a| *a == Action::Write)
            .is_some_and(|i| self.journal.done > i);
        for file in &self.edits {
            let now = self.read(&file.path);
            let ok = now.as_deref() == Some(file.after.as_str())
                || (!written && now.as_deref() == Some(file.before.as_str()));
            if !ok {
                found.push(format!("{} changed since the release wrote it", file.path));
            }
        }
        Ok(found)
    }

    /// Runs the remaining actions. A failure before the push undoes the
    /// release; a failed push keeps it for a later run.
    pub fn run(mut self, push: bool, json: bool) -> Result<Outcome> {
        let drift = self.drift()?;
        if !drift.is_empty() {
            bail!(
                "a release of {} is in progress, but the repository is not as it left it: {}: undo the release with `cargo xtask release --abort` (your changes are kept), or put things back (`git stash`, `git switch`) and rerun `cargo xtask release --execute`",
                self.journal.summary(),
                drift.join("; ")
            );
        }
        for file in &self.journal.files {
            let _ = std::fs::remove_file(atomic_write::temp_path(&self.root.join(&file.path)));
        }
        while self.journal.done < self.journal.actions.len() {
            let action = self.journal.actions[self.journal.done].clone();
            if matches!(action, Action::Push { .. }) && !push {
                self.stop_before_push(&action)?;
                return Ok(Outcome::Committed);
            }
            let pushed = self.journal.pushed();
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
        if let (Some(release), Action::Push { remote, .. }) = (self.release_branch(), action) {
            // The PR flow's branch is the user's to push: no release stays open.
            git::switch(self.sh, &self.journal.branch)?;
            journal::remove(&self.path)?;
            ui::status(
                Tone::Warn,
                "Stopped",
                &format!(
                    "before pushing (--no-push): push the branch with `git push --set-upstream {remote} {release}`"
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

    fn after_push_failure(&self, action: &Action, err: anyhow::Error) -> anyhow::Error {
        match action {
            Action::Push {
                new_branch: false, ..
            } => err.context(
                "the push failed: the release commit and tags stay local; rerun `cargo xtask release --execute` to push them, or `cargo xtask release --abort` to undo them",
            ),
            Action::Push { remote, .. } => {
                let release = self.release_branch().unwrap_or_default().to_string();
                let back = git::switch(self.sh, &self.journal.branch);
                let _ = journal::remove(&self.path);
                let err = err.context(format!(
                    "the push failed: the branch {release} stays local; push it with `git push --set-upstream {remote} {release}`, or delete it with `git branch -D {release}`"
                ));
                match back {
                    Ok(()) => err,
                    Err(e) => err.context(format!("{e:#}")),
                }
            }
            _ => err.context(
                "the release is pushed; rerun `cargo xtask release --execute` to finish the remaining steps",
            ),
        }
    }

    /// Does one action, or notices it is done already.
    fn step(&mut self, action: &Action, json: bool) -> Result<()> {
        let sh = self.sh;
        match action {
            Action::Branch(name) => {
                if git::branch(sh)?.as_deref() == Some(name.as_str()) {
                    return Ok(());
                }
                if git::branch_exists(sh, name) {
                    bail!(
                        "the branch {name} exists already: delete it (`git branch -D {name}`) or release another version"
                    );
                }
                ui::status(Tone::Good, "Branching", name);
                git::switch_new(sh, name)
            }
            Action::Write => {
                for r in &self.journal.releases {
                    ui::status(
                        Tone::Good,
                        "Bumping",
                        &format!("{} -> {}", r.package, r.display),
                    );
                }
                // A crash part-way leaves some files written: write the rest.
                let todo: Vec<&FileEdit> = self
                    .edits
                    .iter()
                    .filter(|e| self.read(&e.path).as_deref() != Some(e.after.as_str()))
                    .collect();
                atomic_write::apply(self.root, &todo)
            }
            Action::Commit { message, files } => {
                if let Some(commit) = self.release_commit_at_head()? {
                    self.journal.commit = Some(commit);
                    return Ok(());
                }
                ui::status(Tone::Good, "Committing", message);
                git::commit(sh, files, message)?;
                self.journal.commit = Some(git::head(sh)?);
                Ok(())
            }
            Action::Tag { name, message } => {
                let target = self
                    .journal
                    .commit
                    .clone()
                    .unwrap_or_else(|| self.journal.start.clone());
                if let Some(at) = git::tag_commit(sh, name) {
                    if at == target && git::annotation(sh, name)?.as_deref() == Some(message) {
                        return Ok(());
                    }
                    bail!(
                        "the tag {name} exists already at {at}: delete it (`git tag --delete {name}`) if it is a leftover, then rerun"
                    );
                }
                ui::status(Tone::Good, "Tagging", name);
                failpoint("tag")?;
                git::tag(sh, name, message)
            }
            Action::Push {
                remote,
                refs,
                new_branch,
            } => {
                let shown = if *new_branch {
                    format!("git push --set-upstream {remote} {}", refs.join(" "))
                } else {
                    format!("git push --atomic {remote} {}", refs.join(" "))
                };
                ui::status(Tone::Good, "Pushing", &shown);
                if *new_branch {
                    git::push_branch(sh, remote, &refs[0])
                } else {
                    git::push_atomic(sh, remote, refs)
                }
            }
            Action::SwitchBack(branch) => {
                if git::branch(sh)?.as_deref() != Some(branch.as_str()) {
                    git::switch(sh, branch)?;
                }
                Ok(())
            }
            Action::PullRequest {
                base,
                head,
                title,
                body,
            } => open_pull_request(sh, base, head, title, body, json),
        }
    }

    /// Puts the repository back as it was before the release: tags, HEAD,
    /// index, files, branch; then forgets the journal. Each part looks
    /// before it acts, so an interrupted undo can simply run again.
    pub fn undo(&self) -> Result<()> {
        let sh = self.sh;
        if self.journal.pushed() {
            bail!(
                "the release was pushed to {}: it cannot be undone here; delete its tags with `cargo xtask rollback TAG` ({})",
                self.journal.remote,
                self.journal.tags().join(", ")
            );
        }
        let target = self.release_commit_at_head()?;
        let ours =
            |at: &str| at == self.journal.start || Some(at) == self.journal.commit.as_deref();
        for tag in self.journal.tags() {
            if self.journal.existing_tags.iter().any(|t| t == tag) {
                continue;
            }
            if let Some(at) = git::tag_commit(sh, tag)
                && (ours(&at) || target.as_deref() == Some(at.as_str()))
            {
                git::delete_tag(sh, tag)?;
            }
        }
        let head = git::head(sh)?;
        if head != self.journal.start {
            if target.is_none() {
                bail!(
                    "HEAD moved to {head} since the release started at {}: move it back (`git reset --soft {}`) if that commit is the release's, then rerun --abort",
                    self.journal.start,
                    self.journal.start
                );
            }
            git::reset_soft(sh, &self.journal.start)?;
        }
        let paths: Vec<String> = self.journal.files.iter().map(|f| f.path.clone()).collect();
        git::set_index(sh, &paths, &self.journal.index)?;
        for file in &self.journal.files {
            let _ = std::fs::remove_file(atomic_write::temp_path(&self.root.join(&file.path)));
        }
        let undone = atomic_write::undo(self.root, &self.edits.iter().collect::<Vec<_>>());
        if let Some(release) = self.release_branch() {
            if git::branch(sh)?.as_deref() == Some(release) {
                git::switch(sh, &self.journal.branch)?;
            }
            if git::branch_exists(sh, release) {
                git::delete_branch(sh, release)?;
            }
        }
        // A file still holding the release's text was not restored: keep the
        // journal so `--abort` can try again. Files others changed since are
        // left to their owner and named in `undone`.
        let restored = self
            .edits
            .iter()
            .all(|e| self.read(&e.path).as_deref() != Some(e.after.as_str()));
        if restored {
            journal::remove(&self.path)?;
        }
        undone
    }

    /// `release --abort`: undoes the release unless it reached the remote.
    pub fn abort(&self) -> Result<()> {
        if !self.journal.pushed()
            && let Some(i) = self.journal.push_index()
            && self.journal.done == i
            && self.push_reached_remote()?
        {
            bail!(
                "the release reached {} (the push went through before the run ended): run `cargo xtask release --execute` to finish it, or delete its tags with `cargo xtask rollback TAG`",
                self.journal.remote
            );
        }
        self.undo()
    }

    /// Whether the remote holds the release's commit or one of its tags.
    fn push_reached_remote(&self) -> Result<bool> {
        let remote = &self.journal.remote;
        let tags = git::remote_tags(self.sh, remote)?;
        if self
            .journal
            .tags()
            .iter()
            .any(|t| tags.iter().any(|r| r == t))
        {
            return Ok(true);
        }
        let branch = self.release_branch().unwrap_or(&self.journal.branch);
        let at = git::remote_branch(self.sh, remote, branch)?;
        Ok(at.is_some() && at == self.journal.commit)
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

fn open_pull_request(
    sh: &Shell,
    base: &str,
    head: &str,
    title: &str,
    body: &str,
    json: bool,
) -> Result<()> {
    if !json {
        println!("{body}");
    }
    let signed_in = xshell::cmd!(sh, "gh auth status")
        .quiet()
        .ignore_stdout()
        .ignore_stderr()
        .run()
        .is_ok();
    if signed_in {
        xshell::cmd!(
            sh,
            "gh pr create --base {base} --head {head} --title {title} --body {body}"
        )
        .run()?;
        ui::status(Tone::Good, "Opened", &format!("a pull request for {head}"));
    } else {
        ui::status(
            Tone::Warn,
            "Next",
            &format!(
                "gh is not installed or not signed in; open the pull request with: gh pr create --base {base} --head {head} --title \"{title}\" --body-file <the new changelog section>"
            ),
        );
    }
    Ok(())
}

/// Test hook: `XTASK_FAIL_AT=tag` makes that step fail, so the tests can
/// prove the undo after a commit without a git wrapper.
fn failpoint(step: &str) -> Result<()> {
    match std::env::var("XTASK_FAIL_AT") {
        Ok(at) if at == step => bail!("injected failure (XTASK_FAIL_AT={at})"),
        _ => Ok(()),
    }
}

/// A release whose journal is gone (lost, or the commit made by hand):
/// recognised from HEAD's subject — a release commit naming versions the
/// tree has — never from tags at HEAD alone. Its remaining work is to tag
/// HEAD where a tag is missing and to push; undoing it resets to the parent.
pub fn recover<'a>(sh: &'a Shell, root: &'a Path, ws: &Workspace) -> Result<Option<Run<'a>>> {
    let head = git::head(sh)?;
    let (subject, parent) = git::subject_and_parent(sh, &head)?;
    let Some(named) = super::parse_commit_subject(&ws.config.commit_message, &subject) else {
        return Ok(None);
    };
    let mut releases = Vec::new();
    let mut actions = Vec::new();
    for (name, text) in named {
        let Some(package) = ws.package(&name) else {
            return Ok(None);
        };
        match crate::version::parse_any(&text) {
            Ok(version) if version == package.version => {}
            _ => return Ok(None),
        }
        let tag = package.tag.render(&package.version)?;
        actions.push(Action::Tag {
            name: tag.clone(),
            message: super::planner::tag_message(ws, package, &text),
        });
        releases.push(Entry {
            package: name,
            display: text,
            tag,
        });
    }
    let remote = ws.config.remote.clone();
    let branch = ws.config.branch.clone();
    let refs: Vec<String> = std::iter::once(branch.clone())
        .chain(releases.iter().map(|r| r.tag.clone()))
        .collect();
    let on_remote = git::remote_tags(sh, &remote)?;
    let complete = releases.iter().all(|r| {
        on_remote.contains(&r.tag) && git::tag_commit(sh, &r.tag).as_deref() == Some(&head)
    });
    if complete {
        return Ok(None);
    }
    actions.push(Action::Push {
        remote: remote.clone(),
        refs,
        new_branch: false,
    });
    let Some(parent) = parent else {
        return Ok(None);
    };
    let files = git::changed_files(sh, &parent, &head)?;
    let mut edits = Vec::new();
    let mut journal_files = Vec::new();
    for path in &files {
        let edit = FileEdit {
            path: path.clone(),
            before: git::show(sh, &parent, path)?,
            after: git::show(sh, &head, path)?,
        };
        journal_files.push(File {
            path: path.clone(),
            before: git::store_blob(sh, &edit.before)?,
            after: git::store_blob(sh, &edit.after)?,
        });
        edits.push(edit);
    }
    let journal = Journal {
        start: parent.clone(),
        branch,
        remote,
        releases,
        index: git::tree_entries(sh, &parent, &files)?,
        files: journal_files,
        existing_tags: Vec::new(),
        actions,
        done: 0,
        commit: Some(head),
    };
    Ok(Some(Run {
        sh,
        root,
        path: journal_path(sh)?,
        journal,
        edits,
    }))
}
