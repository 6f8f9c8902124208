//! The actions of a plan, one by one. Each looks at what the repository
//! already shows before acting (a crash may come after git did the work but
//! before the journal says so), so doing an action twice does it once.

use anyhow::{Result, bail};
use xshell::Shell;

use super::Run;
use crate::adapters::git;
use crate::edit::{FileEdit, atomic_write};
use crate::out::ui::{self, Tone};
use crate::release::{Action, push_command};

impl Run<'_> {
    /// Does one action, or notices it is done already.
    pub(super) fn step(&mut self, action: &Action, json: bool) -> Result<()> {
        match action {
            Action::Branch(name) => self.branch(name),
            Action::Write => self.write(),
            Action::Commit { message, files } => self.commit(message, files),
            Action::Tag { name, message } => self.tag(name, message),
            Action::Push {
                remote,
                refs,
                new_branch,
            } => self.push(remote, refs, *new_branch),
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
            } => open_pull_request(self.sh, base, head, title, body, json),
        }
    }

    fn branch(&self, name: &str) -> Result<()> {
        if git::branch(self.sh)?.as_deref() == Some(name) {
            return Ok(());
        }
        if git::branch_exists(self.sh, name)? {
            bail!(
                "the branch {name} exists already: delete it (`git branch -D {name}`) or release another version"
            );
        }
        ui::status(Tone::Good, "Branching", name);
        git::switch_new(self.sh, name)
    }

    fn write(&self) -> Result<()> {
        for r in &self.journal.releases {
            ui::status(Tone::Good, "Bumping", &r.moving());
        }
        // A crash part-way leaves some files written: write the rest.
        let todo: Vec<&FileEdit> = self
            .edits
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
        git::commit(self.sh, files, message)?;
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
        git::tag(sh, name, message)
    }

    fn push(&self, remote: &str, refs: &[String], new_branch: bool) -> Result<()> {
        ui::status(
            Tone::Good,
            "Pushing",
            &push_command(remote, refs, new_branch),
        );
        if new_branch {
            git::push_branch(self.sh, remote, &refs[0])
        } else {
            git::push_atomic(self.sh, remote, refs)
        }
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
