//! What moved in the repository since the journal was written: a release
//! goes on only from the state it left.

use anyhow::Result;

use super::Run;
use crate::adapters::git;
use crate::release::Action;

impl Run<'_> {
    /// What differs from the state the journal expects, as sentences; empty
    /// when the release can go on.
    pub(super) fn moved(&self) -> Result<Vec<String>> {
        let mut found = Vec::new();
        let branch = git::branch(self.sh)?;
        let allowed: Vec<&str> = std::iter::once(self.journal.branch.as_str())
            .chain(self.release_branch())
            .collect();
        if !branch.as_deref().is_some_and(|b| allowed.contains(&b)) {
            found.push(format!(
                "HEAD is on {} instead of {}",
                branch
                    .as_deref()
                    .map_or("no branch".into(), |b| format!("`{b}`")),
                allowed.join(" or ")
            ));
        }
        let head = git::head(self.sh)?;
        if head != self.journal.start
            && self.release_commit_at_head()?.is_none()
            && self.next_commit_at_head()?.is_none()
        {
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
        // The PR flow writes on its own branch only: back on the branch it
        // started from (before the branch step, or after the switch back),
        // the files are as they were.
        let elsewhere = self.release_branch().is_some()
            && branch.as_deref() == Some(self.journal.branch.as_str());
        // Once the second write (`next-dev`) may have begun, its files are
        // judged by it; a file only the second commit writes is as it was
        // before that.
        let next = self.next_written();
        for file in &self.edits {
            if next.is_some() && !elsewhere && self.written_next(&file.path) {
                continue;
            }
            if !self.holds(file, elsewhere, written) {
                found.push(format!("{} changed since the release wrote it", file.path));
            }
        }
        for file in &self.next_edits {
            let in_first = self.edits.iter().any(|e| e.path == file.path);
            let ok = match (elsewhere, next) {
                (true, _) | (false, None) => {
                    in_first || self.read(&file.path).as_deref() == Some(file.before.as_str())
                }
                (false, Some(done)) => self.holds(file, false, done),
            };
            if !ok {
                found.push(format!("{} changed since the release wrote it", file.path));
            }
        }
        Ok(found)
    }

    /// Whether `file` holds what the journal expects: its text before the
    /// release on the branch it started from (`elsewhere`), its new text
    /// once `written`, either while the write may be part-way.
    fn holds(&self, file: &crate::edit::FileEdit, elsewhere: bool, written: bool) -> bool {
        let now = self.read(&file.path);
        let before = now.as_deref() == Some(file.before.as_str());
        let after = now.as_deref() == Some(file.after.as_str());
        match (elsewhere, written) {
            (true, _) => before,
            (false, true) => after,
            (false, false) => before || after,
        }
    }
}
