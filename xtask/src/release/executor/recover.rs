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

/// The unfinished release HEAD is, if it is one.
pub fn recover<'a>(sh: &'a Shell, root: &'a Path, ws: &Workspace) -> Result<Option<Run<'a>>> {
    let head = git::head(sh)?;
    let (subject, parent) = git::subject_and_parent(sh, &head)?;
    let Some((releases, mut actions)) = named_releases(ws, &subject)? else {
        return Ok(None);
    };
    let remote = ws.config.remote.clone();
    let branch = released_on(sh, ws)?;
    let on_remote = git::remote_tags(sh, &remote)?;
    let mut complete = true;
    for r in &releases {
        complete &=
            on_remote.contains(&r.tag) && git::tag_commit(sh, &r.tag)?.as_deref() == Some(&head);
    }
    if complete || rolled_back(sh, &remote, &branch, &head, &releases, &on_remote)? {
        return Ok(None);
    }
    // The tags already at HEAD are done: the next step is the first one
    // missing, or the push.
    let (mut made, mut missing) = (Vec::new(), Vec::new());
    for action in actions {
        let at_head = match &action {
            Action::Tag { name, .. } => {
                git::tag_commit(sh, name)?.as_deref() == Some(head.as_str())
            }
            _ => false,
        };
        match at_head {
            true => made.push(action),
            false => missing.push(action),
        }
    }
    let done = made.len();
    actions = made;
    actions.extend(missing);
    actions.push(Action::Push {
        remote: remote.clone(),
        refs: std::iter::once(branch.clone())
            .chain(releases.iter().map(|r| r.tag.clone()))
            .collect(),
        new_branch: false,
        lease: None,
    });
    let Some(parent) = parent else {
        return Ok(None);
    };
    let paths = git::changed_files(sh, &parent, &head)?;
    let (edits, files) = commit_edits(sh, &parent, &head, &paths)?;
    let journal = Journal {
        start: parent.clone(),
        branch,
        remote,
        releases,
        index: git::tree_entries(sh, &parent, &paths)?,
        files,
        next_files: Vec::new(),
        existing_tags: Vec::new(),
        actions,
        done,
        commit: Some(head),
        next_commit: None,
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
        next_edits: Vec::new(),
        fresh: false,
    }))
}

/// Whether HEAD is a release commit of the tag flow (its own subject, the
/// `commit-message` form, not a merge or a squash of one) that was rolled
/// back: see [`rolled_back`]. A release pull request's commit is never
/// pushed with its tags, so this never applies to it.
pub fn head_rolled_back(sh: &Shell, ws: &Workspace) -> Result<bool> {
    let head = git::head(sh)?;
    let (subject, _) = git::subject_and_parent(sh, &head)?;
    let Some((releases, _)) = named_releases(ws, &subject)? else {
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
/// `None` unless it is one and each version is the one the tree has.
fn named_releases(ws: &Workspace, subject: &str) -> Result<Option<(Vec<Entry>, Vec<Action>)>> {
    let Some(named) = parse_commit_subject(&ws.config.commit_message, subject) else {
        return Ok(None);
    };
    let mut releases = Vec::new();
    let mut actions = Vec::new();
    for (name, text) in named {
        let Some(package) = ws.package(&name) else {
            return Ok(None);
        };
        match crate::text::version::parse_any(&text) {
            Ok(version) if package.tag.same(&version, &package.version) => {}
            _ => return Ok(None),
        }
        let tag = package.tag.render(&package.version)?;
        actions.push(Action::Tag {
            name: tag.clone(),
            message: planner::tag_message(ws, package, &text),
        });
        releases.push(Entry {
            package: name,
            display: package.labelled(&package.version),
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
        let edit = FileEdit {
            path: path.clone(),
            before: git::show(sh, parent, path)?,
            after: git::show(sh, head, path)?,
        };
        files.push(journal_file(sh, &edit)?);
        edits.push(edit);
    }
    Ok((edits, files))
}
