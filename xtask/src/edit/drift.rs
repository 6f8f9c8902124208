//! Drift repair: the edits that set every version field (dependents' pins,
//! `pyproject.toml`, `Cargo.lock` member entries, mentions) back to its
//! package's manifest version. Pure over the model; `sync` prints or writes
//! them, and a release plan starts from them so it repairs what it touches.

use anyhow::{Context, Result};

use crate::edit::{Bump, Edits, bump_edits, follow_pin};
use crate::model::group;
use crate::model::package::{Package, ROOT_MANIFEST};
use crate::model::workspace::Workspace;
use crate::text::manifest;
use crate::text::requirement::DependentVersion;
use crate::text::version::{pep440_matches, to_pep440};
use crate::text::{lockfile, pyproject, requirement};

/// The model of the tree `edits` would leave, read in memory.
pub fn planned(ws: &Workspace, edits: &Edits) -> Result<Workspace> {
    ws.with_texts(
        edits
            .changed()
            .map(|e| (e.path.clone(), e.after.to_string())),
    )
    .context("the planned files do not load as a workspace")
}

/// Every field of every package set to the package's version.
pub fn sync_edits(ws: &Workspace) -> Result<Edits> {
    sync_edits_of(ws, &synced(ws))
}

/// What `sync` repairs: the packages, and every member, whose lock entry
/// must be kept right even when it is not released.
pub fn synced(ws: &Workspace) -> Vec<&str> {
    ws.packages
        .iter()
        .map(|p| p.name.as_str())
        .chain(ws.members.iter().map(|m| m.name.as_str()))
        .collect()
}

/// The fields that follow the packages `names` (and their `Cargo.lock`
/// entries) set to each package's version. A field already right is not
/// touched, so a tree without drift gives no changed edit.
pub fn sync_edits_of(ws: &Workspace, names: &[&str]) -> Result<Edits> {
    let mut edits = Edits::default();
    // `sync` names every member: looked up, not scanned for.
    let names: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    for package in ws
        .packages
        .iter()
        .filter(|p| names.contains(&p.name.as_str()))
    {
        let current = &package.version;
        group_edits(ws, package, &mut edits)?;
        let grouped = std::iter::once(&package.name).chain(&package.crates);
        for (dependent, dep, req) in grouped.flat_map(|name| ws.pins(name)) {
            if !requirement::satisfies(&req.value, current) {
                edits.edit_string(ws, &dependent.manifest, |t| {
                    // Drift: only a requirement the version leaves moves.
                    let pin = (dependent, dep, req);
                    follow_pin(ws, t, pin, current, DependentVersion::Fix)
                })?;
            }
        }

        let group_pyprojects = package.group_pyprojects.iter().map(|(_, p)| p);
        for path in package.pyproject.iter().chain(group_pyprojects) {
            let Some(found) = pyproject::version(path, ws.files.text(path))? else {
                continue;
            };
            if pep440_matches(&found.value, current) {
                continue;
            }
            let pep = to_pep440(current).with_context(|| {
                format!(
                    "{path}:{}: {} {current} has no PEP 440 form to write there",
                    found.line, package.name
                )
            })?;
            edits.edit(ws, path, |t| pyproject::set_version(path, t, &pep))?;
        }

        for mention in package.mentions.iter().filter(|m| !ws.skipped(m)) {
            let wanted = mention.wanted(current)?;
            let stale = mention
                .find(ws.files.text(&mention.file))?
                .iter()
                .any(|found| found.value != wanted);
            if stale {
                edits.edit(ws, &mention.file, |t| mention.replace(t, current))?;
            }
        }
    }

    for lock in ws.locks.iter().filter(|l| l.is_live()) {
        let entries = lock.entries(&ws.files);
        for member in ws
            .members
            .iter()
            .filter(|m| names.contains(&m.name.as_str()))
        {
            let Some(entry) = entries.iter().find(|e| e.name == member.name) else {
                continue; // no entry to set: `check` says to regenerate the lock
            };
            // A crate of a group is locked at its package's version.
            let owner = ws.packages.iter().find(|p| p.crates.contains(&member.name));
            let new = owner.map_or(&member.version, |p| &p.version).to_string();
            if entry.version != new {
                edits.edit_string(ws, &lock.path, |t| {
                    lockfile::set_member_version(&lock.path, t, &member.name, &entry.version, &new)
                })?;
            }
        }
    }
    edits.check_toml()?;
    Ok(edits)
}

/// A package's crate group set to its version: each member's own
/// `version`, and the root's `[workspace.package] version` its members inherit.
fn group_edits(ws: &Workspace, package: &Package, edits: &mut Edits) -> Result<()> {
    let current = &package.version;
    // Its crate group follows it: each member's own version, the
    // root's `[workspace.package] version` its members inherit.
    let new = current.to_string();
    for member in package.crates.iter().filter_map(|n| ws.member(n)) {
        if !member.inherited && member.version != *current {
            edits.edit(ws, &member.manifest, |t| {
                manifest::set_package_version(&member.manifest, t, &new)
            })?;
        }
    }
    if group::holds_workspace_version(ws, package) && ws.workspace_version.as_ref() != Some(current)
    {
        edits.edit(ws, ROOT_MANIFEST, |t| {
            manifest::set_workspace_version(ROOT_MANIFEST, t, &new)
        })?;
    }
    Ok(())
}

/// `later`, planned on the tree `earlier` leaves, composed after `earlier`:
/// each file goes from its content on disk to its final content.
pub fn then(ws: &Workspace, earlier: Edits, later: &Edits) -> Result<Edits> {
    let mut out = earlier;
    for edit in later.changed() {
        out.edit(ws, &edit.path, |_| Ok(edit.after.to_string()))?;
    }
    Ok(out)
}

/// Warning lines for a release plan: the drift of the bumped packages,
/// which `with_sync` repairs.
pub fn warnings(ws: &Workspace, bumps: &[Bump]) -> Vec<String> {
    let names: Vec<&str> = bumps.iter().map(|b| b.package.as_str()).collect();
    crate::model::fields::drift(ws, &names)
        .iter()
        .filter_map(|f| f.what())
        .map(|what| format!("{what}: the release sets it"))
        .collect()
}

/// A release's file edits: the released packages' drift repaired first (so a
/// stale pin or lock entry does not stop the bump), then the bumps.
pub fn with_sync(ws: &Workspace, bumps: &[Bump]) -> Result<Edits> {
    let names: Vec<&str> = bumps.iter().map(|b| b.package.as_str()).collect();
    let sync = sync_edits_of(ws, &names)?;
    // Without drift the tree is the one loaded: no second model of it.
    let planned_tree;
    let synced = match sync.changed().next() {
        None => ws,
        Some(_) => {
            planned_tree = planned(ws, &sync)?;
            &planned_tree
        }
    };
    let bumped = bump_edits(synced, bumps)?;
    then(ws, sync, &bumped)
}

#[cfg(test)]
mod tests {
    use semver::Version;

    use super::*;

    fn builtin() -> std::collections::BTreeSet<String> {
        crate::checks::validate::builtin_names(&crate::cli::command(&[]))
    }
    use crate::model::fields;
    use crate::model::workspace::test_texts::replaced;
    use crate::text::tag_index::TagIndex;

    const ROOT: &str = r#"[workspace]
members = ["core", "py"]

[[workspace.metadata.xtask-release.package]]
name = "core"
mentions = [{ file = "README.md", pattern = 'core = "{version}"' }]

[[workspace.metadata.xtask-release.package]]
name = "py"
"#;

    /// `core` 0.4.0 and its binding `py` 0.3.0, with `drift` applied as
    /// (file, from, to) replacements.
    fn load(drift: &[(&str, &str, &str)]) -> Workspace {
        let files = [
            ("Cargo.toml", ROOT),
            ("README.md", "core = \"0.4.0\"\n"),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"0.4.0\"\n",
            ),
            (
                "py/Cargo.toml",
                "[package]\nname = \"py\"\nversion = \"0.3.0\"\npublish = false\n\n[dependencies]\ncore = { path = \"../core\", version = \"=0.4.0\" }\n",
            ),
            (
                "py/pyproject.toml",
                "[project]\nname = \"py\"\nversion = \"0.3.0\"\n",
            ),
            (
                "Cargo.lock",
                "version = 4\n\n[[package]]\nname = \"core\"\nversion = \"0.4.0\"\n\n[[package]]\nname = \"py\"\nversion = \"0.3.0\"\ndependencies = [\n \"core\",\n]\n",
            ),
        ];
        replaced(&files, drift)
    }

    const DRIFT: [(&str, &str, &str); 4] = [
        ("py/Cargo.toml", "\"=0.4.0\"", "\"=0.3.9\""),
        ("py/pyproject.toml", "\"0.3.0\"", "\"0.3.0rc1\""),
        ("Cargo.lock", "\"0.4.0\"", "\"0.3.9\""),
        ("README.md", "0.4.0", "0.2.0"),
    ];

    fn after<'a>(edits: &'a Edits, path: &str) -> &'a str {
        &edits.changed().find(|e| e.path == path).unwrap().after
    }

    /// A release of `core` that 40 members pin, by path and version, in
    /// one workspace with its lock: each manifest is parsed once to load
    /// it; the plan parses none of the 40 again (a pin is moved where the
    /// load found it, and a string's contents replaced is TOML still) and
    /// makes no second model of a tree without drift.
    #[test]
    fn a_release_many_members_pin_parses_each_edited_file_once() {
        let mut files: Vec<(String, String)> = vec![
            (
                "Cargo.toml".into(),
                "[workspace]\nmembers = [\"core\", \"m/*\"]\n".into(),
            ),
            (
                "core/Cargo.toml".into(),
                "[package]\nname = \"core\"\nversion = \"1.0.0\"\n".into(),
            ),
        ];
        let mut lock =
            "version = 4\n\n[[package]]\nname = \"core\"\nversion = \"1.0.0\"\n".to_string();
        for i in 0..40 {
            files.push((
                format!("m/m{i:02}/Cargo.toml"),
                format!("[package]\nname = \"m{i:02}\"\nversion = \"0.1.0\"\n\n[dependencies]\ncore = {{ path = \"../../core\", version = \"1.0.0\" }}\n"),
            ));
            lock.push_str(&format!("\n[[package]]\nname = \"m{i:02}\"\nversion = \"0.1.0\"\ndependencies = [\"core\"]\n"));
        }
        files.push(("Cargo.lock".into(), lock));
        let texts: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let parsed = || crate::text::toml::PARSED.with(std::cell::Cell::get);
        let start = parsed();
        let ws = crate::model::workspace::Workspace::from_texts(&texts, None).unwrap();
        // The root, 41 manifests, the lock (whose entries are read without a parse).
        assert_eq!(parsed() - start, 1 + 41);
        let start = parsed();
        let bump = Bump {
            package: "core".into(),
            from: Version::new(1, 0, 0),
            to: Version::new(1, 1, 0),
        };
        let edits = with_sync(&ws, &[bump]).unwrap();
        let changed: Vec<&str> = edits.changed().map(|e| e.path.as_str()).collect();
        assert_eq!(changed.len(), 1 + 40 + 1, "{changed:?}");
        // Core's manifest: its version found, and the result checked. Not
        // the 40 dependents, not the lock: only strings' contents changed.
        assert_eq!(parsed() - start, 2);
    }

    #[test]
    fn a_tree_without_drift_needs_no_edit() {
        let ws = load(&[]);
        assert_eq!(sync_edits(&ws).unwrap().changed().count(), 0);
        assert!(fields::drift(&ws, &["core", "py"]).is_empty());
    }

    #[test]
    fn every_drifted_field_is_set_to_its_package_version() {
        let ws = load(&DRIFT);
        assert_eq!(fields::drift(&ws, &["core", "py"]).len(), 4);
        let edits = sync_edits(&ws).unwrap();
        let paths: Vec<&str> = edits.changed().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Cargo.lock",
                "README.md",
                "py/Cargo.toml",
                "py/pyproject.toml"
            ]
        );
        assert!(after(&edits, "py/Cargo.toml").contains("version = \"=0.4.0\" }"));
        assert!(after(&edits, "py/pyproject.toml").contains("version = \"0.3.0\"\n"));
        assert_eq!(after(&edits, "README.md"), "core = \"0.4.0\"\n");
        assert!(after(&edits, "Cargo.lock").contains("name = \"core\"\nversion = \"0.4.0\"\n"));
        let planned = planned(&ws, &edits).unwrap();
        assert!(fields::drift(&planned, &["core", "py"]).is_empty());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert!(
            !crate::checks::problems::problems_after(
                &ws,
                &Edits::default(),
                &TagIndex::default(),
                today,
                &builtin()
            )
            .unwrap()
            .is_empty()
        );
        assert_eq!(
            crate::checks::problems::problems_after(
                &ws,
                &edits,
                &TagIndex::default(),
                today,
                &builtin()
            )
            .unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_subset_syncs_only_the_fields_that_follow_it() {
        let ws = load(&DRIFT);
        let edits = sync_edits_of(&ws, &["py"]).unwrap();
        let paths: Vec<&str> = edits.changed().map(|e| e.path.as_str()).collect();
        // The pin and lock entry of `core` follow `core`, not `py`.
        assert_eq!(paths, ["py/pyproject.toml"]);
    }

    #[test]
    fn a_release_syncs_first_so_a_stale_lock_does_not_stop_the_bump() {
        let ws = load(&DRIFT);
        let bumps = [Bump {
            package: "core".into(),
            from: Version::new(0, 4, 0),
            to: Version::new(0, 5, 0),
        }];
        let err = bump_edits(&ws, &bumps).unwrap_err().to_string();
        assert!(err.contains("`core` is locked at 0.3.9"), "{err}");

        let edits = with_sync(&ws, &bumps).unwrap();
        let lock = edits.changed().find(|e| e.path == "Cargo.lock").unwrap();
        assert_eq!(
            lock.before.as_str(),
            ws.files.text("Cargo.lock"),
            "before is the disk text"
        );
        assert!(
            lock.after
                .contains("name = \"core\"\nversion = \"0.5.0\"\n")
        );
        assert!(after(&edits, "py/Cargo.toml").contains("version = \"=0.5.0\" }"));
        assert_eq!(after(&edits, "README.md"), "core = \"0.5.0\"\n");
        // `py` is not released: its stale pyproject stays as it is.
        assert!(edits.changed().all(|e| e.path != "py/pyproject.toml"));
        let planned = planned(&ws, &edits).unwrap();
        assert_eq!(
            planned.package("core").unwrap().version,
            Version::new(0, 5, 0)
        );
        assert!(fields::drift(&planned, &["core"]).is_empty());
    }

    #[test]
    fn a_requirement_with_no_single_pin_is_refused_with_its_line() {
        let ws = load(&[("py/Cargo.toml", "\"=0.4.0\"", "\">=0.3, <0.4\"")]);
        let err = format!("{:#}", sync_edits(&ws).unwrap_err());
        assert!(
            err.starts_with(
                "py/Cargo.toml:7: dependency `core`: cannot rewrite the requirement `>=0.3, <0.4`"
            ),
            "{err}"
        );
    }

    /// `core` 0.4.0 in the root workspace and the binding `py` outside it,
    /// whose own lock locks `core` (at `core_locked`); `ignored`: the locks git ignores.
    fn beside(core_locked: &str, ignored: &[&str]) -> Workspace {
        let root = "[workspace]\nmembers = [\"core\"]\n\n[[workspace.metadata.xtask-release.package]]\nname = \"core\"\n\n[[workspace.metadata.xtask-release.package]]\nname = \"py\"\nmanifest = \"py/Cargo.toml\"\n";
        let py = "[package]\nname = \"py\"\nversion = \"0.3.0\"\n\n[workspace]\n\n[dependencies]\ncore = { path = \"../core\", version = \"0.4.0\" }\n";
        let py_lock = format!(
            "version = 4\n\n[[package]]\nname = \"core\"\nversion = \"{core_locked}\"\n\n[[package]]\nname = \"py\"\nversion = \"0.3.0\"\ndependencies = [\n \"core\",\n]\n"
        );
        let files = [
            ("Cargo.toml", root),
            (
                "core/Cargo.toml",
                "[package]\nname = \"core\"\nversion = \"0.4.0\"\n",
            ),
            (
                "Cargo.lock",
                "version = 4\n\n[[package]]\nname = \"core\"\nversion = \"0.4.0\"\n",
            ),
            ("py/Cargo.toml", py),
            ("py/Cargo.lock", &py_lock),
        ];
        Workspace::from_texts_ignoring(&files, None, ignored).unwrap_or_else(|e| panic!("{e:#}"))
    }

    #[test]
    fn every_live_lock_that_lists_a_bumped_crate_moves_with_it() {
        let bumps = [Bump {
            package: "core".into(),
            from: Version::new(0, 4, 0),
            to: Version::new(0, 5, 0),
        }];
        let edits = bump_edits(&beside("0.4.0", &[]), &bumps).unwrap();
        let paths: Vec<&str> = edits.changed().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Cargo.lock",
                "core/Cargo.toml",
                "py/Cargo.lock",
                "py/Cargo.toml"
            ]
        );
        assert!(after(&edits, "py/Cargo.lock").contains("name = \"core\"\nversion = \"0.5.0\"\n"));
        assert!(after(&edits, "py/Cargo.lock").contains("name = \"py\"\nversion = \"0.3.0\"\n"));
        // A lock git ignores is left alone, stale or not.
        let edits = bump_edits(&beside("0.4.0", &["py/Cargo.lock"]), &bumps).unwrap();
        assert!(edits.changed().all(|e| e.path != "py/Cargo.lock"));
        let edits = with_sync(&beside("0.3.9", &["py/Cargo.lock"]), &bumps).unwrap();
        assert!(edits.changed().all(|e| e.path != "py/Cargo.lock"));
    }

    #[test]
    fn sync_sets_every_live_lock() {
        let ws = beside("0.3.9", &[]);
        let edits = sync_edits(&ws).unwrap();
        let paths: Vec<&str> = edits.changed().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["py/Cargo.lock"]);
        assert!(after(&edits, "py/Cargo.lock").contains("name = \"core\"\nversion = \"0.4.0\"\n"));
        assert_eq!(
            sync_edits(&beside("0.3.9", &["py/Cargo.lock"]))
                .unwrap()
                .changed()
                .count(),
            0
        );
    }
}
