//! What a release plan is computed from, read off git once: tags, each
//! package's history since its previous release, the branch, ignored files.
//! The planner takes these as values, so it runs (and is tested) without git.
//!
//! Floor: facts, what git says about the packages (tags, histories, the
//! branch) and the change files waiting for them, read once so the layers
//! above take them as values.
//! Uses: model, changelog, text, adapters, worktree.

pub mod api;
pub mod changes;
pub mod consumed;
pub mod history;
pub mod tags;

use std::collections::BTreeMap;

use anyhow::Result;
use xshell::Shell;

use crate::adapters::git;
use crate::facts::history::History;
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::tag_index::TagIndex;

#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The tags of the configured series: a version tagged anywhere was released.
    pub tags: TagIndex,
    /// By package name: the commits since the newest tag of its series that
    /// HEAD contains (a maintenance branch compares with its own past).
    pub histories: BTreeMap<String, History>,
    /// Tags of each package's series that point at HEAD, by package name:
    /// the version at HEAD is released already.
    pub at_head: BTreeMap<String, Vec<String>>,
    /// When HEAD is the tool's move to the next development version
    /// (`next-dev`), the tags of the release commit below it: that release
    /// is done, nothing since.
    pub below_next_dev: Vec<String>,
    /// The checked-out branch; `None` when HEAD is detached.
    pub branch: Option<String>,
    /// Files of the model that git ignores (written, never committed).
    pub ignored: Vec<String>,
    /// A shallow clone: the history and the tags above are incomplete.
    pub shallow: bool,
    /// Where the release PR's branch is on the remote, when it is there (the
    /// PR flow asks; the new release replaces it with a lease on this commit).
    pub pr_tip: Option<String>,
    /// Each package's API verdict against its previous release, by name
    /// (filled by `api::gather`; a package missing here is "not computed").
    pub api: BTreeMap<String, crate::text::api::Verdict>,
    /// The change files and news fragments waiting for a release.
    pub changes: changes::Changes,
}

/// Reads the facts a release of `packages` needs.
pub fn gather(sh: &Shell, ws: &Workspace, packages: &[&Package]) -> Result<Facts> {
    let tags = tags::read(sh, ws)?;
    // The tags at HEAD, from the commits the index read: no scan of them all.
    let head = match git::head_exists(sh)? {
        true => git::head(sh)?,
        false => String::new(),
    };
    let below_next_dev = below_next_dev(sh)?;
    let mut histories = BTreeMap::new();
    let mut at_head = BTreeMap::new();
    for package in packages {
        histories.insert(
            package.name.clone(),
            history::read(sh, package, &tags, None)?,
        );
        let series: Vec<String> = tags
            .at(&head)
            .filter(|t| package.release_of(t).is_some())
            .map(String::from)
            .collect();
        at_head.insert(package.name.clone(), series);
    }
    let files: Vec<String> = ws.files.paths().map(str::to_string).collect();
    let mut pending = changes::read(&crate::worktree::Tree::new(&ws.root), ws);
    if !pending.problems.is_empty() {
        anyhow::bail!(
            "{}\n{} change file(s) to fix before a release is planned (`cargo xtask check` lists them)",
            pending.problems.join("\n"),
            pending.problems.len()
        );
    }
    changes::added_by(sh, &mut pending)?;
    Ok(Facts {
        tags,
        histories,
        at_head,
        below_next_dev,
        branch: git::branch(sh)?,
        ignored: git::ignored(sh, &files)?,
        shallow: git::is_shallow(sh)?,
        pr_tip: None,
        api: BTreeMap::new(),
        changes: pending,
    })
}

/// The tags of HEAD's parent when HEAD is the tool's move to the next
/// development version (`next-dev`) on top of a release.
fn below_next_dev(sh: &Shell) -> Result<Vec<String>> {
    if !git::head_exists(sh)? {
        return Ok(Vec::new());
    }
    let (subject, parent) = git::subject_and_parent(sh, "HEAD")?;
    let next_dev = crate::model::config::NEXT_DEV_MESSAGE;
    let ours = crate::changelog::without_release_commits(
        &[crate::changelog::Commit {
            subject,
            ..Default::default()
        }],
        &[next_dev],
    )
    .is_empty();
    match (ours, parent) {
        (true, Some(parent)) => git::tags_at(sh, &parent),
        _ => Ok(Vec::new()),
    }
}

/// A shallow clone lacks history and tags: what it proposes may be wrong.
/// The dry run says so; `--execute` refuses.
pub fn shallow_clone(execute: bool) -> Result<()> {
    if execute {
        anyhow::bail!(
            "this clone is shallow: its history and tags are incomplete: run `git fetch --unshallow --tags`, then plan again; nothing was changed"
        );
    }
    crate::out::ui::status(
        crate::out::ui::Tone::Warn,
        "warning",
        "this clone is shallow: its history and tags are incomplete, so the versions and notes proposed may be wrong: run `git fetch --unshallow --tags`",
    );
    Ok(())
}
