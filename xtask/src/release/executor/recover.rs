//! A release found without its journal (lost, or the commit made by hand):
//! recognised from HEAD's subject — a release commit naming versions the
//! tree has — never from tags at HEAD alone. Its remaining work is to tag
//! HEAD where a tag is missing and to push; undoing it resets to the parent.

use std::path::Path;

use anyhow::Result;
use xshell::Shell;

use super::{Run, journal_file, journal_path};
use crate::adapters::git;
use crate::edit::FileEdit;
use crate::model::workspace::Workspace;
use crate::release::journal::{Entry, File, Journal};
use crate::release::subject::parse_commit_subject;
use crate::release::{Action, planner};

/// The unfinished release HEAD is, if it is one: a release commit, or one
/// below the tool's move to the next development version (`next-dev`).
pub fn recover<'a>(sh: &'a Shell, root: &'a Path, ws: &Workspace) -> Result<Option<Run<'a>>> {
    let Candidate {
        release,
        next,
        subject,
        parent,
    } = candidate(sh)?;
    let Some((releases, actions)) = named_releases(ws, &subject, next.is_none())? else {
        return Ok(None);
    };
    let remote = ws.config.remote.clone();
    let branch = released_on(sh, ws)?;
    let on_remote = git::remote_tags(sh, &remote)?;
    let mut complete = true;
    for r in &releases {
        complete &=
            on_remote.contains(&r.tag) && git::tag_commit(sh, &r.tag)?.as_deref() == Some(&release);
    }
    if complete || rolled_back(sh, &remote, &branch, &release, &releases, &on_remote)? {
        return Ok(None);
    }
    let Some(parent) = parent else {
        return Ok(None);
    };
    let (mut actions, mut done) = ordered(sh, actions, &release)?;
    let mut next_files = (Vec::new(), Vec::new());
    if let Some((head, message)) = &next {
        let paths = git::changed_files(sh, &release, head)?;
        next_files = commit_edits(sh, &release, head, &paths)?;
        let commit = Action::CommitNext {
            message: message.clone(),
            files: paths,
        };
        actions.splice(0..0, [Action::WriteNext, commit]);
        done += 2;
    }
    actions.push(Action::Push {
        remote: remote.clone(),
        refs: std::iter::once(branch.clone())
            .chain(releases.iter().map(|r| r.tag.clone()))
            .collect(),
        new_branch: false,
        lease: None,
    });
    let mut paths = git::changed_files(sh, &parent, &release)?;
    let (edits, files) = commit_edits(sh, &parent, &release, &paths)?;
    let second = next_files.1.iter().map(|f| f.path.clone());
    paths.extend(second.filter(|p| !files.iter().any(|f| f.path == *p)));
    let journal = Journal {
        start: parent.clone(),
        branch,
        remote,
        releases,
        index: git::tree_entries(sh, &parent, &paths)?,
        files,
        next_files: next_files.1,
        existing_tags: Vec::new(),
        actions,
        done,
        commit: Some(release),
        next_commit: next.map(|(head, _)| head),
        branch_before: None,
        // Unknown: the remote is asked.
        push_attempted: true,
    };
    Ok(Some(Run {
        sh,
        root,
        path: journal_path(sh)?,
        journal,
        edits,
        next_edits: next_files.0,
        fresh: false,
    }))
}

/// The commit that may be a release: HEAD, or below the tool's move to the
/// next development version (`next-dev`) its parent, whose versions are no
/// longer the work tree's.
struct Candidate {
    release: String,
    /// HEAD and its subject, when it is the move to the next version.
    next: Option<(String, String)>,
    /// The release's subject and parent.
    subject: String,
    parent: Option<String>,
}

fn candidate(sh: &Shell) -> Result<Candidate> {
    let head = git::head(sh)?;
    let (subject, parent) = git::subject_and_parent(sh, &head)?;
    let next_dev = crate::model::config::NEXT_DEV_MESSAGE;
    Ok(match (parse_commit_subject(next_dev, &subject), parent) {
        (Some(_), Some(below)) => {
            let (below_subject, grandparent) = git::subject_and_parent(sh, &below)?;
            Candidate {
                release: below,
                next: Some((head, subject)),
                subject: below_subject,
                parent: grandparent,
            }
        }
        (_, parent) => Candidate {
            release: head,
            next: None,
            subject,
            parent,
        },
    })
}

/// The tag actions with those already at `release` first (done), then the
/// missing ones; and how many are done.
fn ordered(sh: &Shell, actions: Vec<Action>, release: &str) -> Result<(Vec<Action>, usize)> {
    let (mut made, mut missing) = (Vec::new(), Vec::new());
    for action in actions {
        let at_release = match &action {
            Action::Tag { name, .. } => git::tag_commit(sh, name)?.as_deref() == Some(release),
            _ => false,
        };
        match at_release {
            true => made.push(action),
            false => missing.push(action),
        }
    }
    let done = made.len();
    made.extend(missing);
    Ok((made, done))
}

/// Whether HEAD is a release commit of the tag flow (its own subject, the
/// `commit-message` form, not a merge or a squash of one) that was rolled
/// back: see [`rolled_back`]. A release pull request's commit is never
/// pushed with its tags, so this never applies to it.
pub fn head_rolled_back(sh: &Shell, ws: &Workspace) -> Result<bool> {
    let head = git::head(sh)?;
    let (subject, _) = git::subject_and_parent(sh, &head)?;
    let Some((releases, _)) = named_releases(ws, &subject, true)? else {
        return Ok(false);
    };
    let remote = &ws.config.remote;
    let on_remote = git::remote_tags(sh, remote)?;
    let branch = released_on(sh, ws)?;
    rolled_back(sh, remote, &branch, &head, &releases, &on_remote)
}

/// The branch a release commit at HEAD went on: HEAD's, when releases run
/// there (`branches`), else the main line.
fn released_on(sh: &Shell, ws: &Workspace) -> Result<String> {
    let current = git::branch(sh)?;
    Ok(ws.config.release_branch(current.as_deref()).to_string())
}

/// Whether the release commit `head` was rolled back (`cargo xtask
/// rollback`): the remote's branch holds it, so it was pushed, and since the
/// push is atomic its tags went with it; a tag now missing both here and on
/// the remote was deleted on purpose. Derived from what the remote shows,
/// so every clone agrees. A tag here that the remote lacks is still to push.
fn rolled_back(
    sh: &Shell,
    remote: &str,
    branch: &str,
    head: &str,
    releases: &[Entry],
    on_remote: &[String],
) -> Result<bool> {
    let mut deleted = false;
    for r in releases {
        let here = git::tag_commit(sh, &r.tag)?.is_some();
        let there = on_remote.contains(&r.tag);
        if here && !there {
            return Ok(false);
        }
        deleted |= !here && !there;
    }
    if !deleted {
        return Ok(false);
    }
    let Some(tip) = git::remote_branch(sh, remote, branch)? else {
        return Ok(false);
    };
    git::contains(sh, &tip, head)
}

/// The releases a release commit's subject names, with a tag action each;
/// `None` unless it is one and (`in_tree`: it is HEAD) each version is the
/// one the tree has.
fn named_releases(
    ws: &Workspace,
    subject: &str,
    in_tree: bool,
) -> Result<Option<(Vec<Entry>, Vec<Action>)>> {
    let Some(named) = parse_commit_subject(&ws.config.commit_message, subject) else {
        return Ok(None);
    };
    let mut releases = Vec::new();
    let mut actions = Vec::new();
    for (name, text) in named {
        let Some(package) = ws.package(&name) else {
            return Ok(None);
        };
        let version = match crate::text::version::parse_any(&text) {
            Ok(version) if !in_tree => version,
            Ok(version) if package.tag.same(&version, &package.version) => package.version.clone(),
            _ => return Ok(None),
        };
        let tag = package.tag.render(&version)?;
        actions.push(Action::Tag {
            name: tag.clone(),
            message: planner::tag_message(ws, package, &text),
        });
        releases.push(Entry {
            package: name,
            display: package.labelled(&version),
            tag,
            from: String::new(),
        });
    }
    Ok(Some((releases, actions)))
}

/// The commit's file edits (`parent` -> `head`), and their journal records.
fn commit_edits(
    sh: &Shell,
    parent: &str,
    head: &str,
    paths: &[String],
) -> Result<(Vec<FileEdit>, Vec<File>)> {
    let mut edits = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        let (before, after) = (git::show(sh, parent, path)?, git::show(sh, head, path)?);
        let edit = FileEdit::new(path, before, after);
        files.push(journal_file(sh, &edit)?);
        edits.push(edit);
    }
    Ok((edits, files))
}
