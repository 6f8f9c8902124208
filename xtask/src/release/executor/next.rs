//! The second commit of a release with `next-dev`: the next development
//! version written on the release commit's tree and committed after the
//! tags. Each step looks first, as every step does: a file written already
//! is not written again, a commit made already is only recorded.

use anyhow::Result;

use super::Run;
use crate::adapters::git;
use crate::out::ui::{self, Tone};
use crate::release::Action;

impl Run<'_> {
    /// Writes the next development version's files not written yet.
    pub(super) fn write_next(&self) -> Result<()> {
        super::steps::failpoint("write-next")?;
        self.write_missing(&self.next_edits)
    }

    /// Commits them, unless HEAD is that commit already (a crash right
    /// after `git commit`).
    pub(super) fn commit_next(&mut self, message: &str, files: &[String]) -> Result<()> {
        if let Some(commit) = self.next_commit_at_head()? {
            self.journal.next_commit = Some(commit);
            return Ok(());
        }
        ui::status(Tone::Good, "Committing", message);
        git::commit(self.sh, files, &[], message)?;
        self.journal.next_commit = Some(git::head(self.sh)?);
        Ok(())
    }

    /// HEAD, if it is this release's second commit: the journal's, or a
    /// child of the release commit with the planned message.
    pub(super) fn next_commit_at_head(&self) -> Result<Option<String>> {
        let Some(message) = self.journal.actions.iter().find_map(|a| match a {
            Action::CommitNext { message, .. } => Some(message),
            _ => None,
        }) else {
            return Ok(None);
        };
        let head = git::head(self.sh)?;
        if self.journal.next_commit.as_deref() == Some(head.as_str()) {
            return Ok(Some(head));
        }
        let release = self
            .journal
            .commit
            .as_deref()
            .unwrap_or(&self.journal.start);
        let (subject, parent) = git::subject_and_parent(self.sh, &head)?;
        Ok(
            (parent.as_deref() == Some(release)
                && message.lines().next() == Some(subject.as_str()))
            .then_some(head),
        )
    }

    /// How far the second write got: `None` before it may have begun,
    /// `Some(false)` while it may be part-way, `Some(true)` once done.
    pub(super) fn next_written(&self) -> Option<bool> {
        let at = self
            .journal
            .actions
            .iter()
            .position(|a| *a == Action::WriteNext)?;
        match self.journal.done {
            done if done < at => None,
            done => Some(done > at),
        }
    }

    /// Whether a file of the release commit is the second commit's too.
    pub(super) fn written_next(&self, path: &str) -> bool {
        self.next_edits.iter().any(|e| e.path == path)
    }
}
