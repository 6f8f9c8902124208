//! `next-dev`: after a release on the main line, a second commit moves each
//! released package that sets it to the next version's `-dev.0` (`minor`:
//! 0.8.0 is followed by 0.9.0-dev.0; `patch`: by 0.8.1-dev.0), exactly as
//! `bump` would: manifests, pins, locks, pyproject, mentions — never a
//! changelog or a change file. The tags stay on the release commit. A
//! pre-release is followed by nothing (its version goes on with its
//! train), and neither is a release on another branch than the main line,
//! where the plan says how to move the main line instead. Pure.

use anyhow::Result;
use semver::Version;

use super::Release;
use crate::edit::{self, Bump, Edits};
use crate::model::config::NEXT_DEV_MESSAGE;
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::train::{self, Label};
use crate::text::version::bump;

/// The second commit of a release: its edits (on the tree the release
/// commit leaves) and its message.
pub struct NextDev {
    pub edits: Edits,
    pub message: String,
}

/// The version that follows the release `to` of `package`, if it sets
/// `next-dev` and `to` is no pre-release.
pub fn version_after(package: &Package, to: &Version) -> Option<Version> {
    let level = package.next_dev?;
    to.pre
        .is_empty()
        .then(|| train::with_pre(&bump(to, level), Label::Dev, 0))
}

/// The second commit after `releases` made on `base`, whose first commit
/// writes `edits`; `None` when no package moves on.
pub fn plan(
    ws: &Workspace,
    edits: &Edits,
    releases: &[Release],
    base: &str,
) -> Result<Option<NextDev>> {
    if base != ws.config.branch {
        return Ok(None);
    }
    let bumps: Vec<Bump> = releases
        .iter()
        .filter_map(|r| {
            let package = ws.package(&r.package)?;
            Some(Bump {
                package: r.package.clone(),
                from: r.to.clone(),
                to: version_after(package, &r.to)?,
            })
        })
        .collect();
    if bumps.is_empty() {
        return Ok(None);
    }
    let released = edit::drift::planned(ws, edits)?;
    let edits = edit::drift::with_sync(&released, &bumps)?;
    let versions: Vec<(&str, String)> = bumps
        .iter()
        .map(|b| (b.package.as_str(), b.to.to_string()))
        .collect();
    let list = super::subject::release_list(versions.iter().map(|(n, v)| (*n, v.as_str())));
    Ok(Some(NextDev {
        edits,
        message: NEXT_DEV_MESSAGE.replace("{releases}", &list),
    }))
}

/// On another branch than the main line, how to move the main line to the
/// next development version after a release of `releases` there.
pub fn hint(ws: &Workspace, releases: &[Release], base: &str) -> Option<String> {
    let main = &ws.config.branch;
    if base == main {
        return None;
    }
    let moves: Vec<String> = releases
        .iter()
        .filter_map(|r| {
            let package = ws.package(&r.package)?;
            let next = version_after(package, &r.to)?;
            Some(format!("--{} {next}", package.flag))
        })
        .collect();
    (!moves.is_empty()).then(|| {
        format!(
            "move {main} to the next development version, if it is not there yet: `git switch {main} && cargo xtask bump {}`",
            moves.join(" ")
        )
    })
}
