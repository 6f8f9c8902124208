//! `release --abort` and the undo after a failure before the push: the
//! repository back as it was before the release.

use anyhow::{Context, Result, bail};

use super::Run;
use crate::adapters::git;
use crate::edit::atomic_write;
use crate::release::journal;
use crate::worktree::Tree;

impl Run<'_> {
    /// Puts the repository back as it was before the release: tags, HEAD,
    /// index, files, branch; then forgets the journal. Each part looks
    /// before it acts, so an interrupted undo can simply run again.
    pub fn undo(&self) -> Result<()> {
        let sh = self.sh;
        if self.journal.pushed() && self.release_branch().is_some() {
            // The PR flow pushed only its branch: taken back while it is ours.
            self.unpush_branch()?;
        } else if self.journal.pushed() {
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
            if let Some(at) = git::tag_commit(sh, tag)?
                && (ours(&at) || target.as_deref() == Some(at.as_str()))
            {
                git::delete_tag(sh, tag)?;
            }
        }
        let head = git::head(sh)?;
        if head != self.journal.start {
            if target.is_none() && self.next_commit_at_head()?.is_none() {
                bail!(
                    "HEAD moved to {head} since the release started at {}: move it back (`git reset --soft {}`) if that commit is the release's, then rerun --abort",
                    self.journal.start,
                    self.journal.start
                );
            }
            git::reset_soft(sh, &self.journal.start)?;
        }
        let mut paths: Vec<String> = self.journal.files.iter().map(|f| f.path.clone()).collect();
        for file in &self.journal.next_files {
            if !paths.contains(&file.path) {
                paths.push(file.path.clone());
            }
        }
        git::set_index(sh, &paths, &self.journal.index)?;
        let tree = Tree::new(self.root);
        for path in &paths {
            tree.remove_temp(path);
        }
        // The second commit's files first: back to the release's texts,
        // then those back to the start's.
        let next = atomic_write::undo(self.root, &self.next_edits.iter().collect::<Vec<_>>());
        let first = atomic_write::undo(self.root, &self.edits.iter().collect::<Vec<_>>());
        let undone = next.and(first);
        if let Some(release) = self.release_branch() {
            if git::branch(sh)?.as_deref() == Some(release) {
                git::switch(sh, &self.journal.branch)?;
            }
            match &self.journal.branch_before {
                // It was here before the release reset it: back where it was.
                Some(old) => git::set_branch(sh, release, old)?,
                None if git::branch_exists(sh, release)? => git::delete_branch(sh, release)?,
                None => {}
            }
        }
        // A file still holding the release's text was not restored: keep the
        // journal so `--abort` can try again. Files others changed since are
        // left to their owner and named in `undone`.
        let restored = self
            .edits
            .iter()
            .chain(&self.next_edits)
            .all(|e| self.read(&e.path).as_deref() != Some(e.after.as_str()));
        if restored {
            journal::remove(&self.path)?;
        }
        undone
    }

    /// `release --abort`: undoes the release unless it reached the remote.
    /// Only a push that may have run (the run ended during it) is asked
    /// about: after `--no-push`, or a push origin refused, no network.
    pub fn abort(&self) -> Result<()> {
        if !self.journal.pushed()
            && let Some(i) = self.journal.push_index()
            && self.journal.done == i
            && self.journal.push_attempted
        {
            let remote = &self.journal.remote;
            let seen = self.ask_origin().with_context(|| {
                format!(
                    "cannot tell whether the push reached {remote} (the run ended during it): `--abort` asks {remote}, which must be reachable; rerun it then, or finish the release with `cargo xtask release --execute`"
                )
            })?;
            if seen.reached && self.release_branch().is_some() {
                self.unpush_branch()?;
            } else if seen.reached {
                bail!(
                    "the release reached {remote} (the push went through before the run ended): run `cargo xtask release --execute` to finish it, or delete its tags with `cargo xtask rollback TAG`"
                );
            }
        }
        self.undo()
    }
}
