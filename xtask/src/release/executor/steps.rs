//! The actions of a plan, one by one. Each looks at what the repository
//! already shows before acting (a crash may come after git did the work but
//! before the journal says so), so doing an action twice does it once.

use anyhow::{Result, bail};
use xshell::Shell;

use super::Run;
use crate::adapters::git;
use crate::adapters::github;
use crate::edit::{FileEdit, atomic_write};
use crate::out::ui::{self, Tone};
use crate::release::{Action, ReleasePlan, pr_command, push_command};

impl Run<'_> {
    /// Does one action, or notices it is done already.
    pub(super) fn step(&mut self, action: &Action, json: bool) -> Result<()> {
        match action {
            Action::Branch(name) => self.branch(name),
            Action::Write => self.write(),
            Action::Commit { message, files } => self.commit(message, files),
            Action::Tag { name, message } => self.tag(name, message),
            Action::WriteNext => self.write_next(),
            Action::CommitNext { message, files } => self.commit_next(message, files),
            Action::Push {
                remote,
                refs,
                new_branch,
                lease,
            } => self.push(remote, refs, *new_branch, lease.as_deref()),
            Action::SwitchBack(branch) => {
                if git::branch(self.sh)?.as_deref() != Some(branch.as_str()) {
                    git::switch(self.sh, branch)?;
                }
                Ok(())
            }
            Action::PullRequest {
                base,
                head,
                title,
                body,
                update,
            } => pull_request(self.sh, (base, head), title, body, *update, json),
        }
    }

    /// The release PR's branch at the start: created, or reset when it is
    /// here already (the plan checked that it holds nobody's work; the
    /// journal keeps its old tip for an undo).
    fn branch(&self, name: &str) -> Result<()> {
        if git::branch(self.sh)?.as_deref() == Some(name) {
            return Ok(());
        }
        match &self.journal.branch_before {
            Some(old) => {
                let old = old.get(..7).unwrap_or(old);
                ui::status(Tone::Good, "Branching", &format!("{name} (was {old})"));
                git::switch_reset(self.sh, name)
            }
            None => {
                ui::status(Tone::Good, "Branching", name);
                git::switch_new(self.sh, name)
            }
        }
    }

    fn write(&self) -> Result<()> {
        for r in &self.journal.releases {
            ui::status(Tone::Good, "Bumping", &r.moving());
        }
        self.write_missing(&self.edits)
    }

    /// Writes each of `edits` not written yet: a crash part-way leaves some
    /// files written, and the rest are written by the next run.
    pub(super) fn write_missing(&self, edits: &[FileEdit]) -> Result<()> {
        let todo: Vec<&FileEdit> = edits
            .iter()
            .filter(|e| self.read(&e.path).as_deref() != Some(e.after.as_str()))
            .collect();
        atomic_write::apply(self.root, &todo)
    }

    fn commit(&mut self, message: &str, files: &[String]) -> Result<()> {
        if let Some(commit) = self.release_commit_at_head()? {
            self.journal.commit = Some(commit);
            return Ok(());
        }
        ui::status(Tone::Good, "Committing", message);
        // No text is no file: the change files the release consumed.
        let removed: Vec<String> = self
            .edits
            .iter()
            .filter(|e| e.after.is_empty())
            .map(|e| e.path.clone())
            .collect();
        git::commit(self.sh, files, &removed, message)?;
        self.journal.commit = Some(git::head(self.sh)?);
        Ok(())
    }

    fn tag(&self, name: &str, message: &str) -> Result<()> {
        let sh = self.sh;
        let target = self
            .journal
            .commit
            .clone()
            .unwrap_or_else(|| self.journal.start.clone());
        if let Some(at) = git::tag_commit(sh, name)? {
            if at == target && git::annotation(sh, name)?.as_deref() == Some(message) {
                return Ok(());
            }
            bail!(
                "the tag {name} exists already at {at}: delete it (`git tag --delete {name}`) if it is a leftover, then rerun"
            );
        }
        ui::status(Tone::Good, "Tagging", name);
        failpoint("tag")?;
        // At the release commit, also when HEAD moved on to the next
        // development version (a release recovered without its journal).
        git::tag(sh, name, message, &target)
    }

    fn push(
        &self,
        remote: &str,
        refs: &[String],
        new_branch: bool,
        lease: Option<&str>,
    ) -> Result<()> {
        ui::status(
            Tone::Good,
            "Pushing",
            &push_command(remote, refs, new_branch, lease),
        );
        match (new_branch, lease) {
            (true, Some(old)) => git::push_lease(self.sh, remote, &refs[0], Some(&refs[0]), old),
            (true, None) => git::push_branch(self.sh, remote, &refs[0]),
            (false, _) => git::push_atomic(self.sh, remote, refs),
        }
    }
}

/// A release PR that is current needs nothing but its title and body
/// refreshed (with gh), or the command said.
pub fn refresh_pull_request(sh: &Shell, plan: &ReleasePlan, json: bool) -> Result<()> {
    for action in &plan.actions {
        if let Action::PullRequest {
            base,
            head,
            title,
            body,
            update,
        } = action
        {
            pull_request(sh, (base, head), title, body, *update, json)?;
        }
    }
    Ok(())
}

/// Opens the release PR with gh, or updates the open one of its branch
/// (title and body); without gh, says the command.
fn pull_request(
    sh: &Shell,
    (base, head): (&str, &str),
    title: &str,
    body: &str,
    update: bool,
    json: bool,
) -> Result<()> {
    if !json {
        ui::println(body);
    }
    if let Err(why) = github::ready(sh) {
        let what = if update { "update" } else { "open" };
        ui::status(
            Tone::Warn,
            "Next",
            &format!(
                "{}; {what} the pull request with: {}",
                why.why(),
                pr_command(base, head, title, update)
            ),
        );
        return Ok(());
    }
    match github::open_pr(sh, head)? {
        Some(number) => {
            github::edit_pr(sh, &number, title, body)?;
            ui::status(
                Tone::Good,
                "Updated",
                &format!("pull request #{number} ({head})"),
            );
        }
        None => {
            github::create_pr(sh, base, head, title, body)?;
            ui::status(Tone::Good, "Opened", &format!("a pull request for {head}"));
        }
    }
    Ok(())
}

/// Test hook: `XTASK_FAIL_AT=tag` makes that step fail, and
/// `XTASK_KILL_AT=write-next` kills the process with SIGKILL at its start,
/// so the tests can prove the undo and the resume at steps no git call
/// marks.
pub(super) fn failpoint(step: &str) -> Result<()> {
    if std::env::var("XTASK_KILL_AT").is_ok_and(|at| at == step) {
        crate::adapters::signals::kill_self();
    }
    match std::env::var("XTASK_FAIL_AT") {
        Ok(at) if at == step => bail!("injected failure (XTASK_FAIL_AT={at})"),
        _ => Ok(()),
    }
}
