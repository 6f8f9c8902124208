//! What the remote shows of this release, asked after the fact: whether the
//! push reached it, a tag of ours that someone else pushed at another
//! commit, a branch that moved on. A failed push is explained from it.

use anyhow::{Context, Result, bail};

use super::Run;
use crate::adapters::{git, relay};
use crate::out::ui::{self, Tone};
use crate::release::Action;

/// What the remote holds of a release.
pub(super) struct Seen {
    /// One of our tags at our commit, or the branch at the release commit.
    pub reached: bool,
    /// `(tag, commit)` of our tags that the remote has at another commit.
    pub foreign: Vec<(String, String)>,
    /// Where the release branch is on the remote, when it is neither where
    /// the release started nor the release commit.
    pub moved: Option<String>,
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

impl Run<'_> {
    /// Asks the remote what it holds of this release.
    pub(super) fn ask_origin(&self) -> Result<Seen> {
        let remote = &self.journal.remote;
        let target = self.journal.commit.as_ref().unwrap_or(&self.journal.start);
        let tags = git::remote_tag_commits(self.sh, remote)?;
        let mut seen = Seen {
            reached: false,
            foreign: Vec::new(),
            moved: None,
        };
        for tag in self.journal.tags() {
            match tags.iter().find(|(t, _)| t == tag) {
                Some((_, at)) if at == target => seen.reached = true,
                Some((_, at)) => seen.foreign.push((tag.to_string(), at.clone())),
                None => {}
            }
        }
        let branch = self.release_branch().unwrap_or(&self.journal.branch);
        let at = git::remote_branch(self.sh, remote, branch)?;
        // The branch's tip is the second commit (`next-dev`) when there is one.
        let tip = self
            .journal
            .next_commit
            .as_ref()
            .or(self.journal.commit.as_ref());
        if at.is_some() && at.as_ref() == tip {
            seen.reached = true;
        } else if self.release_branch().is_none()
            && at.as_ref().is_some_and(|a| *a != self.journal.start)
        {
            seen.moved = at;
        }
        Ok(seen)
    }

    /// Whether the remote has this release: asked when a push may have run
    /// (the run ended during it); without asking when the journal shows no
    /// push happened.
    pub fn on_remote(&self) -> Result<bool> {
        if !self.journal.push_attempted {
            return Ok(false);
        }
        Ok(self.ask_origin()?.reached)
    }

    /// The note on a release whose next step is the push: whether `remote`
    /// has it is asked (a run may have ended after its push went through).
    pub fn pending_push_note(&self, remote: &str) -> String {
        let tags = self.unpushed_tags().join(", ");
        match self.on_remote() {
            Ok(true) => format!(
                "the push of {tags} reached {remote} before the run ended: `cargo xtask release --execute` finishes the release"
            ),
            Ok(false) => format!(
                "HEAD is a release whose tags {tags} are not on {remote}: `cargo xtask release --execute` pushes them, `--abort` undoes the release commit and tags"
            ),
            Err(err) => format!(
                "HEAD is a release whose push to {remote} may have gone through ({tags}), and {remote} cannot be asked ({err:#}): when it can, `cargo xtask release --execute` finishes the release, `--abort` undoes it if the push did not land"
            ),
        }
    }

    /// The remote branch's tip the PR flow's push replaced, if it replaced one.
    fn replaced(&self) -> Option<&str> {
        self.journal.actions.iter().find_map(|a| match a {
            Action::Push {
                lease: Some(old), ..
            } => Some(old.as_str()),
            _ => None,
        })
    }

    /// The PR flow's push undone, only while the remote branch's tip is
    /// still the release commit (someone may have pushed to it since; then
    /// it is theirs and stays): the branch put back at the tip the push
    /// replaced (with a lease on the release commit), or deleted when the
    /// push created it.
    pub(super) fn unpush_branch(&self) -> Result<()> {
        let Some(release) = self.release_branch() else {
            return Ok(());
        };
        let remote = &self.journal.remote;
        let Some(at) = git::remote_branch(self.sh, remote, release)? else {
            return Ok(());
        };
        // The branch's tip is the second commit (`next-dev`) when there is one.
        let ours = match self
            .journal
            .next_commit
            .as_ref()
            .or(self.journal.commit.as_ref())
        {
            Some(commit) => Some(commit.clone()),
            None if git::branch_exists(self.sh, release)? => {
                Some(git::rev_parse(self.sh, &format!("refs/heads/{release}"))?)
            }
            None => None,
        };
        if ours.as_deref() != Some(at.as_str()) {
            bail!(
                "{remote}'s {release} is at {} (not the release commit {}): someone pushed to it: it is left alone; delete it with `git push {remote} :refs/heads/{release}` if it should go, then rerun `cargo xtask release --abort`",
                short(&at),
                ours.as_deref().map_or("(none)", short)
            );
        }
        let Some(old) = self.replaced() else {
            git::push_delete_branch(self.sh, remote, release)?;
            ui::status(
                Tone::Good,
                "Deleted",
                &format!(
                    "{release} on {remote} (it was the release commit {})",
                    short(&at)
                ),
            );
            return Ok(());
        };
        git::push_lease(self.sh, remote, release, Some(old), &at).with_context(|| {
            format!(
                "cannot put {remote}'s {release} back at {old}, where it was before the release: push it yourself with `git push --force-with-lease={release}:{at} {remote} {old}:refs/heads/{release}`, then rerun `cargo xtask release --abort`"
            )
        })?;
        ui::status(
            Tone::Good,
            "Restored",
            &format!(
                "{release} on {remote} to {} (its tip before the release; it was the release commit {})",
                short(old),
                short(&at)
            ),
        );
        Ok(())
    }

    /// Why a push failed, from what the remote shows: a colleague's release
    /// of the same version, the branch moved on, or neither (rerun). A push
    /// the remote shows did not happen is recorded as not attempted, so
    /// `--abort` needs no network.
    pub(super) fn after_push_failure(
        &mut self,
        action: &Action,
        err: anyhow::Error,
    ) -> anyhow::Error {
        match action {
            Action::Push {
                new_branch: false,
                remote,
                ..
            } => {
                let seen = match self.ask_origin() {
                    Ok(seen) => seen,
                    Err(why) => return self.unseen_push_failed(remote, err, why),
                };
                if !seen.reached {
                    self.journal.push_attempted = false;
                    if let Err(e) = self.save() {
                        return err.context(format!("{e:#}"));
                    }
                }
                err.context(self.rejected(remote, &seen))
            }
            Action::Push { remote, lease, .. } => self.branch_push_failed(remote, lease, err),
            _ => err.context(
                "the release is pushed; rerun `cargo xtask release --execute` to finish the remaining steps",
            ),
        }
    }

    /// The PR flow's push failed. When the remote shows it did not land,
    /// nothing left this clone: the release is undone, as after a failure
    /// before the push (the next run plans afresh, with the remote as it is
    /// then). When the remote cannot tell, the journal stays, on the branch.
    fn branch_push_failed(
        &mut self,
        remote: &str,
        lease: &Option<String>,
        err: anyhow::Error,
    ) -> anyhow::Error {
        let release = self.release_branch().unwrap_or_default().to_string();
        let next = "`cargo xtask release --execute` finishes the release, `cargo xtask release --abort` undoes it";
        match self.ask_origin().map(|seen| seen.reached) {
            Ok(false) => {}
            // One ref's push that git ended with an error did not land.
            Err(_) if relay::exited_non_zero(&err) => {}
            Ok(true) => {
                return err.context(format!(
                    "git said the push of {release} failed, but {remote} has it: {next}"
                ));
            }
            Err(why) => {
                return err.context(format!(
                    "the push of {release} failed and {remote} cannot tell whether it landed ({why:#}): {next}, once {remote} can be reached"
                ));
            }
        }
        let moved = match lease {
            Some(old) => format!(
                " ({remote}'s {release} was at {} when the release was planned; if someone pushed to it since, the lease refused to overwrite it: rerun to look again)",
                short(old)
            ),
            None => String::new(),
        };
        match self.undo() {
            Ok(()) => err.context(format!(
                "the push failed{moved}; the release was undone: the files, HEAD and the branches are as they were"
            )),
            Err(undo) => err.context(format!(
                "the push failed{moved}; undoing the release failed too: {undo:#}; finish with `cargo xtask release --abort`"
            )),
        }
    }

    /// The atomic push of the branch and tags failed and the remote cannot
    /// be asked. When git ran to its end and said no, nothing landed (an
    /// atomic push updates every ref or none): the journal records the push
    /// as not attempted, so `--abort` needs no network. When git was ended
    /// by a signal, the journal keeps saying it may have landed.
    fn unseen_push_failed(
        &mut self,
        remote: &str,
        err: anyhow::Error,
        why: anyhow::Error,
    ) -> anyhow::Error {
        let next = "rerun `cargo xtask release --execute` to push them, or `cargo xtask release --abort` to undo them";
        if !relay::exited_non_zero(&err) {
            return err.context(format!(
                "the push failed and {remote} cannot be asked whether it landed ({why:#}): the release commit and tags stay local; {next}"
            ));
        }
        self.journal.push_attempted = false;
        if let Err(e) = self.save() {
            return err.context(format!("{e:#}"));
        }
        err.context(format!(
            "the push failed, so nothing reached {remote} (git's atomic push lands every ref or none; {remote} cannot be reached to look: {why:#}): the release commit and tags stay local; {next} (no network needed)"
        ))
    }

    /// The message for a push of the release branch and tags that failed.
    fn rejected(&self, remote: &str, seen: &Seen) -> String {
        let target = self.journal.commit.as_ref().unwrap_or(&self.journal.start);
        if let Some((tag, at)) = seen.foreign.first() {
            let version = self
                .journal
                .releases
                .iter()
                .find(|r| &r.tag == tag)
                .map_or(tag.as_str(), |r| r.display.as_str());
            return format!(
                "{remote} has {tag} at {} (not the release commit {}): someone released {version}; undo yours with `cargo xtask release --abort` and plan again",
                short(at),
                short(target)
            );
        }
        if seen.moved.is_some() {
            return format!(
                "{remote}/{} moved: undo with `cargo xtask release --abort`, pull, and plan again",
                self.journal.branch
            );
        }
        "the push failed: the release commit and tags stay local; rerun `cargo xtask release --execute` to push them, or `cargo xtask release --abort` to undo them".into()
    }
}
