//! The release pull request's branch, whose name never changes: what the
//! remote and this clone hold of it, whether a new release may replace it
//! (only the tool's own release commit on top of main's history), and
//! closing it when nothing is left to release.

use anyhow::{Result, bail};
use xshell::Shell;

use crate::adapters::git::{self, Listed};
use crate::adapters::github;
use crate::edit::Edits;
use crate::model::workspace::Workspace;
use crate::out::ui::{self, Tone};
use crate::release::subject::parse_pr_subject;
use crate::release::{Action, ReleasePlan, executor};

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// The commits of a release branch that are not the tool's own (pure): of
/// `commits` (newest first, those main lacks), only the oldest may be its
/// release commit, and the one above it its move to the next development
/// version (`next-dev`) — each with its subject, never amended or rebased
/// (author and committer times agree); every other is someone's.
pub fn foreign<'a>(template: &str, commits: &'a [Listed]) -> Vec<&'a Listed> {
    let untouched = |c: &Listed| c.authored == c.committed;
    let release = |c: &Listed| parse_pr_subject(template, &c.subject).is_some() && untouched(c);
    let next_dev = |c: &Listed| {
        let subject = crate::model::config::NEXT_DEV_MESSAGE;
        crate::release::subject::parse_commit_subject(subject, &c.subject).is_some() && untouched(c)
    };
    let Some((oldest, newer)) = commits.split_last() else {
        return Vec::new();
    };
    let mut found: Vec<&Listed> = newer.iter().collect();
    if let [above] = newer
        && release(oldest)
        && next_dev(above)
    {
        found.clear();
    }
    if !release(oldest) {
        found.push(oldest);
    }
    found
}

/// `1a2b3c4 docs: fix the notes, …` for messages (pure).
fn list(commits: &[&Listed]) -> String {
    let names: Vec<String> = commits
        .iter()
        .map(|c| format!("{} {}", short(&c.sha), c.subject))
        .collect();
    names.join(", ")
}

/// Where the release PR's branch is on the remote (`None`: not there),
/// after making sure that replacing it, and the local branch of that name,
/// loses nobody's work; a branch holding a commit that is not the tool's
/// release commit stops the release with what to do. `branch` is the
/// release PR's branch of this run's base (`Config::pr_branch_for`).
pub fn inspect(sh: &Shell, ws: &Workspace, branch: &str) -> Result<Option<String>> {
    let remote = &ws.config.remote;
    let template = &ws.config.pr_commit_message;
    let tip = git::remote_branch(sh, remote, branch)?;
    if let Some(tip) = &tip {
        git::fetch_branch(sh, remote, branch)?;
        let commits = git::commits_not_in(sh, tip, "HEAD")?;
        let theirs = foreign(template, &commits);
        if !theirs.is_empty() {
            bail!(
                "{remote}'s {branch} holds commits that are not the release commit this tool made ({}): it is never overwritten: merge its pull request as it is, or move the edit to {} and delete the branch (`git push {remote} :refs/heads/{branch}`), then rerun; nothing was changed",
                list(&theirs),
                ws.config.release_branch(git::branch(sh)?.as_deref())
            );
        }
    }
    if git::branch_exists(sh, branch)? {
        let local = git::rev_parse(sh, &format!("refs/heads/{branch}"))?;
        if tip.as_deref() != Some(local.as_str()) {
            let commits = git::commits_not_in(sh, &local, "HEAD")?;
            let theirs = foreign(template, &commits);
            if !theirs.is_empty() {
                bail!(
                    "the local branch {branch} holds commits that are neither on {remote}'s {branch} nor the release commit this tool made ({}): they may be your work: push them, or delete the branch (`git branch -D {branch}`), then rerun; nothing was changed",
                    list(&theirs)
                );
            }
        }
    }
    Ok(tip)
}

/// [`inspect`] for a run: `--execute` stops on what it finds; a dry run
/// says it in a warning (also when the remote cannot be asked) and plans
/// as if the branch were new.
pub fn look(sh: &Shell, ws: &Workspace, branch: &str, execute: bool) -> Result<Option<String>> {
    match inspect(sh, ws, branch) {
        Err(err) if !execute => {
            ui::status(
                Tone::Warn,
                "warning",
                &format!("--execute will refuse: {err:#}"),
            );
            Ok(None)
        }
        found => found,
    }
}

/// Whether the remote's branch at `tip` is exactly the release commit
/// `plan` would make: its parent is HEAD (main as it is now), its subject is
/// the plan's, and it changes the plan's files, each to what the plan
/// writes, and no other file (the same tree) — and with `next-dev`, `tip`
/// is the second commit the plan makes on top of it, checked the same way.
/// Then nothing is committed or pushed again.
pub fn is_current(sh: &Shell, plan: &ReleasePlan, tip: &str) -> Result<bool> {
    let head = git::head(sh)?;
    let next = plan.actions.iter().find_map(|a| match a {
        Action::CommitNext { message, .. } => Some(message.as_str()),
        _ => None,
    });
    let release = match next {
        None => tip.to_string(),
        Some(message) => {
            let (_, parent) = git::subject_and_parent(sh, tip)?;
            let Some(parent) = parent else {
                return Ok(false);
            };
            if !is_commit(sh, tip, (&parent, message), &plan.next_edits)? {
                return Ok(false);
            }
            parent
        }
    };
    is_commit(sh, &release, (&head, &plan.commit_message), &plan.edits)
}

/// Whether `commit` has the parent `parent`, the subject of `message`, and
/// changes exactly the files of `edits`, each to what they write.
fn is_commit(
    sh: &Shell,
    commit: &str,
    (parent, message): (&str, &str),
    edits: &Edits,
) -> Result<bool> {
    let (subject, found) = git::subject_and_parent(sh, commit)?;
    if found.as_deref() != Some(parent) || subject != message.lines().next().unwrap_or_default() {
        return Ok(false);
    }
    let mut changed = git::changed_files(sh, parent, commit)?;
    let mut planned: Vec<String> = edits.changed().map(|e| e.path.clone()).collect();
    changed.sort();
    planned.sort();
    if changed != planned {
        return Ok(false);
    }
    for edit in edits.changed() {
        if git::show(sh, commit, &edit.path)? != *edit.after {
            return Ok(false);
        }
    }
    Ok(true)
}

/// When the remote's branch at `tip` is current (see [`is_current`]): says
/// so, and refreshes the pull request's title and body (`execute`) or shows
/// the command that does; `false` when the release must be rebuilt.
pub fn refresh_if_current(
    sh: &Shell,
    ws: &Workspace,
    plan: &ReleasePlan,
    tip: &str,
    (execute, json): (bool, bool),
) -> Result<bool> {
    if !is_current(sh, plan, tip)? {
        return Ok(false);
    }
    let what = match execute {
        true => "its title and body are refreshed",
        false => "--execute only refreshes its title and body",
    };
    let note = format!(
        "the release PR is current: {}'s {} is this release's commit {} on {}'s HEAD; {what}",
        ws.config.remote,
        plan.branch,
        short(tip),
        plan.base
    );
    ui::status(Tone::Good, "Current", &note);
    if execute {
        executor::refresh_pull_request(sh, plan, json)?;
    } else if !json {
        let pr = plan
            .actions
            .iter()
            .filter(|a| matches!(a, Action::PullRequest { .. }));
        for action in pr {
            ui::println(&format!("$ {}", action.render(&plan.edits)));
        }
    }
    Ok(true)
}

/// Nothing is left to release while the release PR's branch is on the
/// remote at `tip`: closes its pull request (with gh, or says how) and
/// deletes the branch there (with a lease on `tip`) and here.
pub fn close(sh: &Shell, ws: &Workspace, branch: &str, tip: &str) -> Result<()> {
    let remote = &ws.config.remote;
    let comment = "Nothing is left to release: closed by cargo xtask release";
    match github::ready(sh) {
        Ok(()) => {
            if let Some(number) = github::open_pr(sh, branch)? {
                github::close_pr(sh, &number, comment)?;
                ui::status(Tone::Good, "Closed", &format!("pull request #{number}"));
            }
        }
        Err(why) => ui::status(
            Tone::Warn,
            "Next",
            &format!(
                "{}: close the pull request of {branch} with: gh pr close {branch} --comment \"{comment}\" (GitHub closes it too when its branch is deleted)",
                why.why()
            ),
        ),
    }
    git::push_lease(sh, remote, branch, None, tip)?;
    ui::status(
        Tone::Good,
        "Deleted",
        &format!(
            "{branch} on {remote} (it was the release commit {}): nothing is left to release",
            short(tip)
        ),
    );
    if git::branch(sh)?.as_deref() != Some(branch) && git::branch_exists(sh, branch)? {
        git::delete_branch(sh, branch)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "chore(release): prepare v{version}";

    fn commit(subject: &str, committed: i64) -> Listed {
        Listed {
            sha: format!("{:0<40}", subject.len()),
            subject: subject.into(),
            authored: 100,
            committed,
        }
    }

    #[test]
    fn only_the_tools_release_commit_on_top_of_main_may_be_replaced() {
        let release = commit("chore(release): prepare v0.5.0", 100);
        let fix = commit("docs: fix the notes", 200);
        let subjects = |found: Vec<&Listed>| -> Vec<String> {
            found.iter().map(|c| c.subject.clone()).collect()
        };
        // Merged already (nothing main lacks), or the release commit alone.
        assert!(foreign(TEMPLATE, &[]).is_empty());
        assert!(foreign(TEMPLATE, std::slice::from_ref(&release)).is_empty());
        // A person's commit on top of it, or in its place.
        assert_eq!(
            subjects(foreign(TEMPLATE, &[fix.clone(), release.clone()])),
            ["docs: fix the notes"]
        );
        assert_eq!(
            subjects(foreign(TEMPLATE, std::slice::from_ref(&fix))),
            ["docs: fix the notes"]
        );
        // The release commit amended (committed later than authored).
        let amended = commit("chore(release): prepare v0.5.0", 300);
        assert_eq!(foreign(TEMPLATE, &[amended]).len(), 1);
        // Two release commits: the newer one is no release of this tool's.
        assert_eq!(
            foreign(TEMPLATE, &[release.clone(), release.clone()]).len(),
            1
        );
        // Its move to the next development version on top is its own too,
        // unless amended, or with a person's commit above it.
        let next = commit("chore(release): start demo v0.6.0-dev.0", 100);
        assert!(foreign(TEMPLATE, &[next.clone(), release.clone()]).is_empty());
        let touched = commit("chore(release): start demo v0.6.0-dev.0", 300);
        assert_eq!(foreign(TEMPLATE, &[touched, release.clone()]).len(), 1);
        assert_eq!(
            foreign(TEMPLATE, &[fix.clone(), next.clone(), release]).len(),
            2
        );
        assert_eq!(foreign(TEMPLATE, std::slice::from_ref(&next)).len(), 1);
        assert_eq!(
            list(&[&fix]),
            format!("{} docs: fix the notes", &fix.sha[..7])
        );
    }
}
