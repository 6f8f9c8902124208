//! The change files and news fragments a release commit consumed for one
//! package, read back from git: what that release's notes hold when the
//! package keeps no changelog (`changelog = false`), where else its entries
//! would be lost with the files the release deleted.

use anyhow::Result;
use xshell::Shell;

use crate::adapters::git;
use crate::facts::changes::{self, Changes, Pending, of_texts};
use crate::model::package::Package;
use crate::model::workspace::Workspace;

/// The files the commit `rev` (a release's tag) consumed for `package`: those
/// it deleted, or rewrote without the package's line, as they were before
/// it, each with the commit that added it. A file that no longer reads (it
/// names a package since removed) is left out with the others' problems.
pub fn consumed_by(sh: &Shell, ws: &Workspace, package: &Package, rev: &str) -> Result<Changes> {
    let (_, parent) = git::subject_and_parent(sh, rev)?;
    let Some(parent) = parent else {
        return Ok(Changes::default());
    };
    let mut folders = vec![ws.config.changes.clone()];
    folders.extend(ws.packages.iter().filter_map(|p| p.fragments.clone()));
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for path in git::changed_files(sh, &parent, rev)? {
        let (folder, name) = path.rsplit_once('/').unwrap_or((".", &path));
        if !folders.iter().any(|f| f == folder) || changes::ignored(name) {
            continue;
        }
        let old = git::show(sh, &parent, &path)?;
        if old.is_empty() {
            continue; // added by the commit, not consumed
        }
        let new = git::show(sh, rev, &path)?;
        if !new.is_empty() {
            after.push((path.clone(), new));
        }
        before.push((path, old));
    }
    let kept = of_texts(ws, &after);
    let still_names = |p: &Pending| {
        kept.pending
            .iter()
            .any(|k| k.path == p.path && k.kind_for(&package.name).is_some())
    };
    let mut out = of_texts(ws, &before);
    out.pending
        .retain(|p| p.kind_for(&package.name).is_some() && !still_names(p));
    out.problems.clear();
    changes::added_by(sh, &mut out)?;
    Ok(out)
}
