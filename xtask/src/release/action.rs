//! One step of a release plan, as the dry run prints it, the journal
//! records it and `--execute` runs it (pure).

use crate::edit::Edits;

/// One step of a release. The plan holds them in order: the dry run prints
/// them, `--execute` runs the very same list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Create the release branch and switch to it (the PR flow).
    Branch(String),
    /// Write the plan's file edits, all or nothing.
    Write,
    /// Commit these files (the written ones git does not ignore).
    Commit { message: String, files: Vec<String> },
    /// An annotated tag at the release commit.
    Tag { name: String, message: String },
    /// Write the next development version's edits (`next-dev`), on the
    /// release commit's tree, all or nothing.
    WriteNext,
    /// Commit them: the second commit, after the tags (`next-dev`).
    CommitNext { message: String, files: Vec<String> },
    /// `git push --atomic remote refs…`, or `--set-upstream` for the PR
    /// flow's branch, replacing the remote's with a lease on its old tip.
    Push {
        remote: String,
        refs: Vec<String>,
        new_branch: bool,
        /// The remote branch's tip the push replaces (`--force-with-lease`).
        lease: Option<String>,
    },
    /// Back to the branch the release started from (the PR flow).
    SwitchBack(String),
    /// Open the pull request with gh when it is signed in, else say how;
    /// `update`: the branch was there, so its pull request is edited.
    PullRequest {
        base: String,
        head: String,
        title: String,
        body: String,
        update: bool,
    },
}

impl Action {
    /// The step as a maintainer would type it.
    pub fn render(&self, edits: &Edits) -> String {
        match self {
            Action::Branch(name) => format!("git switch --force-create {name}"),
            Action::Write => {
                let files: Vec<&str> = edits.changed().map(|e| e.path.as_str()).collect();
                format!("# write {} (the diff above)", files.join(", "))
            }
            Action::Commit { message, files } => {
                format!("git commit -m \"{message}\" -- {}", files.join(" "))
            }
            Action::Tag { name, message } => format!("git tag --annotate {name} -m \"{message}\""),
            Action::WriteNext => {
                "# write the next development version (the second diff above)".into()
            }
            Action::CommitNext { message, files } => {
                format!("git commit -m \"{message}\" -- {}", files.join(" "))
            }
            Action::Push {
                remote,
                refs,
                new_branch,
                lease,
            } => push_command(remote, refs, *new_branch, lease.as_deref()),
            Action::SwitchBack(branch) => format!("git switch {branch}"),
            Action::PullRequest {
                base,
                head,
                title,
                update,
                ..
            } => pr_command(base, head, title, *update),
        }
    }
}

/// The push as it runs: atomic for a branch and its tags, `--set-upstream`
/// for the PR flow's branch, with a lease on the remote's old tip when it
/// replaces one.
pub fn push_command(
    remote: &str,
    refs: &[String],
    new_branch: bool,
    lease: Option<&str>,
) -> String {
    match (new_branch, lease) {
        (true, Some(old)) => format!(
            "git push --force-with-lease={}:{old} --set-upstream {remote} {}",
            refs.join(" "),
            refs.join(" ")
        ),
        (true, None) => format!("git push --set-upstream {remote} {}", refs.join(" ")),
        (false, _) => format!("git push --atomic {remote} {}", refs.join(" ")),
    }
}

/// The gh command that opens the release PR, or updates the one of a
/// branch that was there already.
pub fn pr_command(base: &str, head: &str, title: &str, update: bool) -> String {
    if update {
        format!("gh pr edit {head} --title \"{title}\" --body-file <the new changelog section>")
    } else {
        format!(
            "gh pr create --base {base} --head {head} --title \"{title}\" --body-file <the new changelog section>"
        )
    }
}

impl Action {
    /// The action in words, for the note on a release under way.
    pub fn describe(&self) -> String {
        match self {
            Action::Branch(name) => format!("create the branch {name}"),
            Action::Write => "write the files".into(),
            Action::Commit { .. } => "commit".into(),
            Action::Tag { name, .. } => format!("tag {name}"),
            Action::WriteNext => "write the next development version".into(),
            Action::CommitNext { .. } => "commit the next development version".into(),
            Action::Push { refs, .. } => format!("push {}", refs.join(" ")),
            Action::SwitchBack(branch) => format!("switch back to {branch}"),
            Action::PullRequest { update: true, .. } => "update the pull request".into(),
            Action::PullRequest { .. } => "open the pull request".into(),
        }
    }
}
