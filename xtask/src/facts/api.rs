//! Each package's API verdict against its previous release, computed by the
//! real checkers: cargo-semver-checks for a crate (and each crate of its
//! group), the griffe script over the `.pyi` stubs for a Python package.
//! A checker that is missing or skipped gives a verdict that says so; one
//! that fails gives `Failed`, never a pass.

use std::path::Path;

use xshell::Shell;

use crate::adapters::api_tools;
use crate::adapters::python::Venv;
use crate::model::package::{Package, rel_join};
use crate::model::workspace::Workspace;
use crate::text::api::{self, Verdict};

/// The pre-flight step that checks a crate's API, and a Python package's.
pub const RUST_STEP: &str = "semver-checks";
pub const PY_STEP: &str = "griffe";

/// The step that checks `package`'s API.
pub fn step_of(package: &Package) -> &'static str {
    if package.pyproject.is_some() {
        PY_STEP
    } else {
        RUST_STEP
    }
}

/// The verdict of `package` against `baseline` (its previous release's
/// tag), unless `skipped` says why not (`--skip griffe`).
pub fn verdict(
    sh: &Shell,
    root: &Path,
    ws: &Workspace,
    package: &Package,
    baseline: Option<&str>,
    skipped: Option<&str>,
) -> Verdict {
    let Some(baseline) = baseline else {
        return Verdict::NoBaseline;
    };
    if let Some(why) = skipped {
        return Verdict::Skipped(why.to_string());
    }
    match &package.pyproject {
        Some(pyproject) => python(sh, root, ws, pyproject, baseline),
        None => rust(sh, root, ws, package, baseline),
    }
}

fn rust(sh: &Shell, root: &Path, ws: &Workspace, package: &Package, baseline: &str) -> Verdict {
    let Some(bin) = api_tools::semver_checks(sh, root) else {
        return Verdict::Skipped(
            "cargo-semver-checks is not installed: cargo xtask api --install".into(),
        );
    };
    let mut breaking = Vec::new();
    let mut additions = Vec::new();
    // A group's crates are released as one: each is checked, the verdicts merge.
    for (name, dir) in checked_crates(ws, package) {
        let _dir = sh.push_dir(dir);
        let verdict = match api_tools::run_semver_checks(sh, &bin, name, baseline) {
            Ok(out) => api::from_semver_checks(&out.both(), out.ok),
            Err(err) => Verdict::Failed(format!("{err:#}")),
        };
        match verdict {
            Verdict::Breaking(items) => breaking.extend(items),
            Verdict::Additions(items) => additions.extend(items),
            Verdict::Compatible => {}
            other => return other,
        }
    }
    merged(breaking, additions)
}

/// The crates whose API a release of `package` answers for, each with the
/// folder of its Cargo workspace (a standalone package is none of the
/// root's): the package, then each crate of its group that is published (a
/// binding maturin builds has no Rust API anyone depends on).
fn checked_crates<'a>(ws: &'a Workspace, package: &'a Package) -> Vec<(&'a str, &'a str)> {
    let published = |name: &&String| ws.member(name).is_none_or(|m| m.publish);
    let grouped = package.crates.iter().filter(published);
    std::iter::once(&package.name)
        .chain(grouped)
        .map(|name| {
            let dir = ws.member(name).map_or(".", |m| m.cargo_root.as_str());
            (name.as_str(), dir)
        })
        .collect()
}

fn merged(breaking: Vec<String>, additions: Vec<String>) -> Verdict {
    if !breaking.is_empty() {
        Verdict::Breaking(breaking)
    } else if !additions.is_empty() {
        Verdict::Additions(additions)
    } else {
        Verdict::Compatible
    }
}

fn python(sh: &Shell, root: &Path, ws: &Workspace, pyproject: &str, baseline: &str) -> Verdict {
    let venv = crate::adapters::python::project_venv(root);
    if !api_tools::has_griffe(sh, &venv) {
        return Verdict::Skipped(format!(
            "griffe is not installed in {}: cargo xtask api --install",
            venv.dir().display()
        ));
    }
    let Some(text) = ws.files.get(pyproject) else {
        return Verdict::Failed(format!("{pyproject} was not read"));
    };
    let (module, source) = match crate::text::pyproject::module(pyproject, text) {
        Ok(found) => found,
        Err(err) => return Verdict::Failed(format!("{err:#}")),
    };
    let dir = Path::new(pyproject)
        .parent()
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_default();
    let search = rel_join(if dir.is_empty() { "." } else { &dir }, &source);
    match api_tools::run_griffe(sh, &venv, &module, &search, baseline, root) {
        Ok(out) => api::from_griffe(&out.stdout, &out.stderr, out.ok),
        Err(err) => Verdict::Failed(format!("{err:#}")),
    }
}

/// stubtest of the Python package's module as the venv imports it (the
/// wheel built from HEAD): `Err` with its findings when a stub lies.
pub fn stubtest(sh: &Shell, venv: &Venv, ws: &Workspace, package: &Package) -> anyhow::Result<()> {
    let Some(pyproject) = &package.pyproject else {
        return Ok(());
    };
    let text = ws
        .files
        .get(pyproject)
        .ok_or_else(|| anyhow::anyhow!("{pyproject} was not read"))?;
    let (module, _) = crate::text::pyproject::module(pyproject, text)?;
    let dir = Path::new(pyproject).parent().unwrap_or(Path::new("."));
    let out = api_tools::run_stubtest(sh, venv, &module, &ws.root.join(dir))?;
    if out.ok {
        return Ok(());
    }
    anyhow::bail!(
        "the stubs of {module} disagree with the built module (mypy.stubtest): {}",
        api::stubtest_failure(&out.both())
    )
}

/// Fills `facts.api` for `packages`: each against its previous release (the
/// history's base), unless `skipped(package)` says why not.
pub fn gather(
    sh: &Shell,
    ws: &Workspace,
    facts: &mut super::Facts,
    packages: &[&Package],
    skipped: &dyn Fn(&Package) -> Option<String>,
) {
    for package in packages {
        let baseline = facts
            .histories
            .get(&package.name)
            .and_then(|h| h.previous_tag.clone());
        let why = skipped(package);
        let verdict = verdict(
            sh,
            &ws.root,
            ws,
            package,
            baseline.as_deref(),
            why.as_deref(),
        );
        facts.api.insert(package.name.clone(), verdict);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::workspace::test_texts::krate;

    #[test]
    fn a_group_is_checked_crate_by_crate_in_each_workspace_but_a_binding() {
        let config = "[[package]]\nname = \"core\"\nmanifest = \"core/Cargo.toml\"\ncrates = [\"derive/Cargo.toml\", \"py/Cargo.toml\"]\n";
        let core = krate("core", "1.0.0", "");
        let derive = krate("core-derive", "1.0.0", "");
        let py = krate("core-py", "1.0.0", "publish = false\n");
        let files = [
            ("xtask-release.toml", config),
            ("core/Cargo.toml", core.as_str()),
            ("derive/Cargo.toml", derive.as_str()),
            ("py/Cargo.toml", py.as_str()),
        ];
        let ws = Workspace::from_texts(&files, None).unwrap();
        assert_eq!(
            checked_crates(&ws, &ws.packages[0]),
            [("core", "core"), ("core-derive", "derive")]
        );
    }
}
