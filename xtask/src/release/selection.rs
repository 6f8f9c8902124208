//! Which selected packages release and which stay as they are: no commits
//! with `auto`, HEAD already that release, a merged release PR awaiting its
//! tags. Pure, on the facts read before.

use anyhow::{Result, anyhow};

use crate::changelog::Kind;
use crate::facts::Facts;
use crate::facts::changes::Pending;
use crate::facts::history::History;
use crate::model::package::Package;
use crate::model::workspace::Workspace;
use crate::text::api::Verdict;
use crate::text::train;
use crate::text::version::Target;

/// A selected package that has something to release, and what.
pub struct Chosen<'a> {
    pub package: &'a Package,
    pub target: Target,
    pub history: &'a History,
    /// The API verdict against the previous release.
    pub api: Verdict,
    /// The pending change files and fragments naming it, with what each is for it.
    pub changes: Vec<(&'a Pending, &'a Kind)>,
}

/// The selection sorted into what releases and what stays as it is.
pub struct Selected<'a> {
    pub chosen: Vec<Chosen<'a>>,
    /// `(package, why)` of each package with nothing to release.
    pub unchanged: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Sorts `selection` (`(package, target)`) into what releases and what
/// stays: with `auto`, a package with no commits since its previous release
/// and no change file stays; a level or version asked for releases anyway, with a warning —
/// unless HEAD already carries the tag of the package's current version, so a
/// re-run never releases twice. The release that ends a pre-release train is
/// made even then, without a warning: a tested rc released as it is.
pub fn select<'a>(
    ws: &Workspace,
    facts: &'a Facts,
    selection: &[(&'a Package, Target)],
    empty: &'a History,
) -> Result<Selected<'a>> {
    let mut out = Selected {
        chosen: Vec::new(),
        unchanged: Vec::new(),
        warnings: Vec::new(),
    };
    for (package, target) in selection {
        let history = facts.histories.get(&package.name).unwrap_or(empty);
        let changes = super::changes::of(&facts.changes, package);
        // A change file is something to release, also with no commit.
        let quiet_history = history.commits.is_empty() && changes.is_empty();
        // The manifest's version tagged at HEAD, in its series or an earlier one.
        let current_tag = package.tag_of(&package.version, &facts.tags)?;
        let released_here = facts.at_head.get(&package.name).is_some_and(|tags| {
            tags.iter()
                .filter_map(|t| package.release_of(t))
                .any(|v| package.tag.same(&v, &package.version))
        });
        if let Some(why) = moved_on(facts, package).filter(|_| quiet_history) {
            out.unchanged.push((package.name.clone(), why));
            continue;
        }
        let quiet = match &history.previous_tag {
            Some(tag) => format!("no commits since {tag}"),
            None => "no commits touch its paths".to_string(),
        };
        let merged = (*target == Target::Auto && !facts.tags.contains(&current_tag))
            .then(|| merged_release(ws, package, history))
            .flatten();
        if released_here && !ends_train(package, target) {
            // Asked again right after releasing: HEAD is that release.
            out.unchanged.push((
                package.name.clone(),
                format!("no commits since {current_tag}"),
            ));
        } else if let Some(commit) = merged {
            // A release PR merged, its tags not made yet: not a new release.
            out.unchanged.push((
                package.name.clone(),
                format!(
                    "{} is merged ({} {}) and waits for its tag {current_tag}, which CI makes (release.yml)",
                    package.version,
                    commit.hash.get(..7).unwrap_or(&commit.hash),
                    commit.subject
                ),
            ));
        } else if quiet_history && *target == Target::Auto {
            out.unchanged.push((package.name.clone(), quiet));
        } else {
            // A tested pre-release released as it is: the normal end of a train.
            if quiet_history && !ends_train(package, target) {
                out.warnings
                    .push(format!("{}: {quiet}; releasing as asked", package.name));
            }
            let api = facts
                .api
                .get(&package.name)
                .cloned()
                .unwrap_or_else(|| Verdict::Skipped("not computed".into()));
            out.chosen.push(Chosen {
                package,
                target: target.clone(),
                history,
                api,
                changes,
            });
        }
    }
    Ok(out)
}

/// Why `package` is done when HEAD moved on to the next development version
/// right after its release (`next-dev`) and nothing came since: that
/// release's tag is below HEAD.
fn moved_on(facts: &Facts, package: &Package) -> Option<String> {
    let tag = facts
        .below_next_dev
        .iter()
        .find(|t| package.release_of(t).is_some())?;
    Some(format!(
        "no commits since {tag}, whose release HEAD moves on from (next-dev)"
    ))
}

/// Whether `target` makes the release that ends the pre-release `package`
/// is at (`release`, `0.2.0` of `0.2.0-rc.2`): made with no commit since.
fn ends_train(package: &Package, target: &Target) -> bool {
    let version = &package.version;
    train::graduate(version).is_ok_and(|end| {
        target
            .resolve(version, package.pre_start, || Err(anyhow!("not asked")))
            .is_ok_and(|v| v == end)
    })
}

/// The merged release PR commit among `history`'s commits that names
/// `package` at its manifest's version, if there is one: that version is
/// released once CI tags it.
fn merged_release<'a>(
    ws: &Workspace,
    package: &Package,
    history: &'a History,
) -> Option<&'a crate::changelog::Commit> {
    use crate::release::subject::{Named, parse_pr_subject};
    let version = package.version.to_string();
    let first = ws.packages.first().map(|p| p.name.as_str());
    history.commits.iter().find(|c| {
        match parse_pr_subject(&ws.config.pr_commit_message, &c.subject) {
            Some(Named::First(v)) => first == Some(package.name.as_str()) && v == version,
            Some(Named::Packages(list)) => list
                .iter()
                .any(|(n, v)| *n == package.name && *v == version),
            None => false,
        }
    })
}
