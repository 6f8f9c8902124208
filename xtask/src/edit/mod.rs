//! File edits: every change a command will make to the files, computed from
//! the model before anything is written (bumps, changelog promotion), and
//! composed per file. A dry run prints them; a real run writes them.
//!
//! Floor: edits, the plan of file changes (this file), the edits that repair
//! drift, and their all-or-nothing write.
//! Uses: model, changelog, text, adapters, out, worktree.

pub mod atomic_write;
pub mod drift;
pub mod file_edits;
pub mod planned_text;

use anyhow::{Context, Result, bail};
use semver::Version;

pub use self::file_edits::{Edits, FileEdit};
use crate::changelog::{self, Promote};
use crate::model::group;
use crate::model::package::{Member, Package, ROOT_MANIFEST};
use crate::model::workspace::Workspace;
use crate::text::manifest::DepRef;
use crate::text::requirement::DependentVersion;
use crate::text::toml::StrValue;
use crate::text::version::{self, Target, to_pep440};
use crate::text::{lockfile, manifest, pyproject};

/// What a new changelog section holds beyond `[Unreleased]`'s entries, and
/// what it compares with.
pub struct NewSection<'a> {
    /// Notes drafted from the commits, appended after any hand-written text.
    pub generated: Option<&'a str>,
    pub allow_empty: bool,
    /// The previous release's tag (the previous-release rule's): the base of
    /// the section's compare links.
    pub previous_tag: Option<&'a str>,
}

/// Promotes `[Unreleased]` of `package`'s changelog to `version`.
pub fn promote_changelog(
    edits: &mut Edits,
    ws: &Workspace,
    package: &Package,
    version: &Version,
    date: chrono::NaiveDate,
    new: &NewSection,
) -> Result<()> {
    let Some(path) = &package.changelog else {
        bail!(
            "{} has no changelog: set `changelog` in the release configuration",
            package.name
        );
    };
    let display = package.display(version)?;
    let series = ws.series(package);
    let opts = Promote {
        version,
        display: &display,
        date,
        tag_template: &package.tag.template,
        repo_url: package.repository.as_deref(),
        allow_empty: new.allow_empty,
        generated: new.generated,
        series: &series,
        previous_tag: new.previous_tag,
    };
    let absent = ws.files.is_absent(path);
    edits.splice(ws, path, |text| match absent && text.is_empty() {
        // A new file: the whole of it replaces nothing.
        true => {
            let new = changelog::promote(path, changelog::NEW_CHANGELOG, &opts)?;
            Ok(vec![(0..0, new)])
        }
        false => changelog::promote_splices(path, text, &opts),
    })
}

/// One package moving from one version to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bump {
    pub package: String,
    pub from: Version,
    pub to: Version,
}

/// The new version of each selected package, validated: greater than the
/// current one (unless `allow_downgrade`), and with a PEP 440 form where a
/// `pyproject.toml` needs one.
/// `auto` asks `suggest` for the level the package's commits call for.
pub fn bumps(
    packages: &[&Package],
    target: &Target,
    allow_downgrade: bool,
    suggest: &dyn Fn(&Package) -> Result<version::Level>,
) -> Result<Vec<Bump>> {
    let mut out = Vec::new();
    for package in packages {
        let from = package.version.clone();
        let to = target.resolve(&from, package.pre_start, || suggest(package))?;
        if to == from {
            bail!(
                "{} is already at {from}: choose a level or a different version",
                package.name
            );
        }
        // A crate's versions in SemVer's order, a train's numbers as numbers
        // (`rc9` → `rc10`); a Python package's in PEP 440's, below.
        let python = package.pyproject.is_some();
        if !python && version::order(&to, &from).is_lt() && !allow_downgrade {
            bail!(
                "{} {to} is not greater than the current {from}: pass --allow-downgrade to go back",
                package.name
            );
        }
        if let Some(path) = &package.pyproject {
            let pep = to_pep440(&to).with_context(|| {
                format!(
                    "{} cannot take {to} because {path} needs a PEP 440 version",
                    package.name
                )
            })?;
            // PyPI orders `.devN` before `aN`: greater in SemVer is not enough.
            let older = version::pep440_cmp(&to, &from) != std::cmp::Ordering::Greater;
            if older && !allow_downgrade {
                bail!(
                    "{} {pep} is not greater than the current {} in PEP 440 order (a .devN release sorts before aN, bN and rcN): choose a later version, or pass --allow-downgrade",
                    package.name,
                    to_pep440(&from).unwrap_or_else(|_| from.to_string())
                );
            }
        }
        out.push(Bump {
            package: package.name.clone(),
            from,
            to,
        });
    }
    Ok(out)
}

/// Released packages that inherit `[workspace.package] version` share one
/// field: they can only move together, to the same version.
fn check_inherited(ws: &Workspace, bumps: &[Bump]) -> Result<()> {
    let inheriting: Vec<&str> = ws
        .packages
        .iter()
        .filter(|p| group::holds_workspace_version(ws, p))
        .map(|p| p.name.as_str())
        .collect();
    let moving: Vec<&Bump> = bumps
        .iter()
        .filter(|b| inheriting.contains(&b.package.as_str()))
        .collect();
    let Some(first) = moving.first() else {
        return Ok(());
    };
    if moving.len() < inheriting.len() || moving.iter().any(|b| b.to != first.to) {
        bail!(
            "{} inherit [workspace.package] version from {ROOT_MANIFEST}: select them all, to one version, or give each its own `version`",
            inheriting.join(", ")
        );
    }
    Ok(())
}

/// Moves the member `name` from `old` to `new` in every live lock that
/// lists it: its own workspace's (which must), and any other that locks it
/// as a path dependency (a standalone binding's lock of the crate it embeds).
fn lock_edits(edits: &mut Edits, ws: &Workspace, name: &str, old: &str, new: &str) -> Result<()> {
    let own = ws.member(name).map(|m| m.cargo_root.as_str());
    for lock in ws.locks.iter().filter(|l| l.is_live()) {
        let listed = lock.entries(&ws.files).iter().any(|e| e.name == name);
        if listed || own == Some(lock.dir.as_str()) {
            edits.edit_string(ws, &lock.path, |t| {
                lockfile::set_member_version(&lock.path, t, name, old, new)
            })?;
        }
    }
    Ok(())
}

/// The pin `dep` of `dependent` in `text` moved for `new` as `mode` says.
/// While `text` is the manifest as the model read it, the requirement is
/// where the model found it: 3,000 dependents are not parsed once more each.
pub fn follow_pin(
    ws: &Workspace,
    text: &str,
    (dependent, dep, req): (&Member, &DepRef, &StrValue),
    new: &Version,
    mode: DependentVersion,
) -> Result<String> {
    let path = &dependent.manifest;
    let known = (ws.files.get(path) == Some(text)).then_some(req);
    manifest::follow_dependency_req(path, text, known, &dep.table, &dep.key, new, mode)
}

/// Every edit the bumps imply: manifests, pins, `pyproject.toml`, `Cargo.lock`, mentions.
pub fn bump_edits(ws: &Workspace, bumps: &[Bump]) -> Result<Edits> {
    check_inherited(ws, bumps)?;
    let mut edits = Edits::default();
    // Members whose lock entry has moved: inheriting members move together, once.
    let mut locked: Vec<&str> = Vec::new();
    for bump in bumps {
        let package = ws.package(&bump.package).expect("bumps name packages");
        let member = ws.member(&bump.package).expect("packages are members");
        let new = bump.to.to_string();

        // Members whose version moves: the package and its crate group, each
        // in its own manifest; every member inheriting the workspace version
        // through one edit of the root's, when the package or its group does.
        let mut moved: Vec<&str> = Vec::new();
        for grouped in
            std::iter::once(member).chain(package.crates.iter().filter_map(|n| ws.member(n)))
        {
            if !grouped.inherited {
                edits.edit(ws, &grouped.manifest, |t| {
                    manifest::set_package_version(&grouped.manifest, t, &new)
                })?;
                moved.push(&grouped.name);
            }
        }
        if group::holds_workspace_version(ws, package) {
            edits.edit(ws, ROOT_MANIFEST, |t| {
                manifest::set_workspace_version(ROOT_MANIFEST, t, &new)
            })?;
            moved.extend(
                ws.members
                    .iter()
                    .filter(|m| m.inherited)
                    .map(|m| m.name.as_str()),
            );
        }

        let group_pyprojects = package.group_pyprojects.iter().map(|(_, p)| p);
        for path in package.pyproject.iter().chain(group_pyprojects) {
            // A dynamic version is maturin's to take from Cargo.toml: left alone.
            edits.edit(ws, path, |t| match pyproject::version(path, t)? {
                Some(_) => pyproject::set_version(path, t, &to_pep440(&bump.to)?),
                None => Ok(t.to_string()),
            })?;
        }

        for (dependent, dep, req) in moved.iter().flat_map(|name| ws.pins(name)) {
            let mode = ws.config.dependent_version;
            edits.edit_string(ws, &dependent.manifest, |t| {
                follow_pin(ws, t, (dependent, dep, req), &bump.to, mode)
            })?;
        }

        for name in moved.iter().filter(|n| !locked.contains(n)) {
            let old = ws
                .member(name)
                .map_or_else(|| bump.from.to_string(), |m| m.version.to_string());
            lock_edits(&mut edits, ws, name, &old, &new)?;
        }
        locked.extend(moved.iter().copied());

        for mention in package.mentions.iter().filter(|m| !ws.skipped(m)) {
            edits.edit(ws, &mention.file, |t| mention.replace(t, &bump.to))?;
        }
    }
    edits.check_toml()?;
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::workspace::test_texts::{krate, load};
    use crate::out::diff;

    /// A promotion is held as ranges over the text the model read, and its
    /// diff is made from them: the changelog is never copied whole.
    #[test]
    fn a_promotion_is_ranges_over_the_changelog_read() {
        let changelog = "# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- a bug\n\n## [1.0.0] - 2026-01-01\n\n- first\n\n[Unreleased]: https://github.com/o/r/compare/v1.0.0...HEAD\n[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n";
        let ws = load(&[
            ("Cargo.toml", &krate("a", "1.0.0", "")),
            ("CHANGELOG.md", changelog),
        ]);
        let package = &ws.packages[0];
        let mut edits = Edits::default();
        let date = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let new = NewSection {
            generated: None,
            allow_empty: false,
            previous_tag: Some("v1.0.0"),
        };
        let version = Version::new(1, 0, 1);
        promote_changelog(&mut edits, &ws, package, &version, date, &new).unwrap();
        let edit = edits.changed().next().unwrap();
        let read = ws.files.shared("CHANGELOG.md").unwrap();
        assert!(Arc::ptr_eq(&edit.before, &read), "before is the text read");
        let (base, splices) = edit.after.splices().unwrap();
        assert!(std::ptr::eq(base, read.as_str()), "after is ranges over it");
        assert_eq!(splices.len(), 3, "{splices:?}");
        let diff = edits.diff();
        assert!(!edit.after.made_whole(), "diffed without a copy");
        assert_eq!(
            diff,
            diff::unified("CHANGELOG.md", changelog, &edit.after, 3)
        );
        assert!(diff.contains("+## [1.0.1] - 2026-02-01\n"), "{diff}");
    }
}
