//! The pre-flight of a release: which checks a release of which packages
//! runs (git state, versions, Rust, Python), shared by `release --execute`
//! and `cargo xtask preflight`.

use anyhow::Result;

use crate::adapters::python::{self, Venv};
use crate::checks;
use crate::checks::api::Gates;
use crate::checks::step_runner::{self, Report, Step};
use crate::ctx::Ctx;
use crate::edit::Edits;
use crate::model::locks::CargoRoot;
use crate::model::package::Package;
use crate::model::selection;
use crate::model::workspace::Workspace;

/// What the pre-flight leaves out and requires.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PreflightOptions {
    /// `--skip CHECK`, repeatable.
    pub skip: Vec<String>,
    pub require_audit: bool,
    /// `--allow-breaking`: an API verdict above the level is released anyway.
    pub allow_breaking: bool,
}

/// Runs the pre-flight of `packages` (creating `tags`), leaving out the
/// checks `options` skip.
pub fn run(
    ctx: &Ctx,
    packages: &[&Package],
    tags: &[String],
    edits: Option<&Edits>,
    gates: &Gates,
    options: &PreflightOptions,
) -> Result<Report> {
    let venv = python::project_venv(&ctx.root);
    let gates = Gates {
        allow_breaking: options.allow_breaking,
        ..gates.clone()
    };
    let run = steps(
        ctx,
        (&venv, &gates),
        packages,
        tags,
        (options.require_audit, &options.skip),
        edits,
    );
    let skip = applicable(ctx, &venv, &run, &options.skip)?;
    step_runner::run_all(run, &skip)
}

/// The `--skip` names that concern this run. A name of a step another
/// selection runs (`fmt` when only the Python package is released) is fine:
/// one skip list serves every package. A name of no pre-flight step is an
/// error before anything runs.
fn applicable(ctx: &Ctx, venv: &Venv, run: &[Step<'_>], skip: &[String]) -> Result<Vec<String>> {
    let here: Vec<&str> = run.iter().map(|s| s.name).collect();
    let all: Vec<&Package> = ctx
        .ws()
        .map(|ws| ws.packages.iter().collect())
        .unwrap_or_default();
    let none = Gates::default();
    let every = steps(ctx, (venv, &none), &all, &[], (false, &[]), None);
    let mut known: Vec<&str> = every.iter().map(|s| s.name).collect();
    for name in &here {
        if !known.contains(name) {
            known.push(name);
        }
    }
    if let Some(name) = skip.iter().find(|s| !known.contains(&s.as_str())) {
        anyhow::bail!(
            "unknown step `{name}` in --skip: the steps are {}",
            known.join(", ")
        );
    }
    Ok(skip
        .iter()
        .filter(|s| here.contains(&s.as_str()))
        .cloned()
        .collect())
}

/// The pre-flight of a release of `packages`, which creates `tags`.
fn steps<'a>(
    ctx: &'a Ctx,
    (venv, gates): (&'a Venv, &'a Gates),
    packages: &[&Package],
    tags: &'a [String],
    // `--require-audit`, and the `--skip` names (the API steps wait for
    // git-clean unless it is skipped).
    (require_audit, skip): (bool, &[String]),
    // A release's edits: the versions check judges the tree they leave.
    edits: Option<&'a Edits>,
) -> Vec<Step<'a>> {
    let mut steps = checks::git(ctx, tags);
    steps.push(edits.map_or_else(
        || checks::versions(ctx),
        |e| checks::versions_after(ctx, e, tags),
    ));
    let crates: Vec<&Package> = packages
        .iter()
        .copied()
        .filter(|p| p.pyproject.is_none())
        .collect();
    if !crates.is_empty() {
        let (roots, by_root) = match ctx.ws() {
            Ok(ws) => (ws.cargo_roots(&crates), by_root(ws, &crates)),
            Err(_) => (Vec::new(), Vec::new()),
        };
        steps.extend(checks::rust(&ctx.sh, &roots));
        steps.extend(checks::publishing(&ctx.sh, by_root, require_audit));
        let crates = packages.iter().filter(|p| p.pyproject.is_none());
        steps.push(checks::api::rust(
            ctx,
            gates,
            crates.map(|p| (*p).clone()).collect(),
            checks::api::needs(skip),
        ));
    }
    if let Some(dir) = ctx
        .ws()
        .ok()
        .and_then(|ws| selection::python_dir(ws, packages.iter().copied()))
    {
        steps.extend(checks::python(&ctx.sh, venv, dir));
        let python = packages.iter().filter(|p| p.pyproject.is_some());
        steps.extend(checks::api::python(
            ctx,
            venv,
            gates,
            python.map(|p| (*p).clone()).collect(),
            checks::api::needs(skip),
        ));
    }
    steps
}

/// The crates among `packages` grouped by the Cargo workspace they are
/// packed in.
fn by_root(ws: &Workspace, crates: &[&Package]) -> Vec<(CargoRoot, Vec<String>)> {
    let mut out: Vec<(CargoRoot, Vec<String>)> = Vec::new();
    for package in crates {
        let Some(root) = ws.cargo_roots(&[package]).into_iter().next() else {
            continue;
        };
        match out.iter_mut().find(|(r, _)| r.dir == root.dir) {
            Some((_, names)) => names.push(package.name.clone()),
            None => out.push((root, vec![package.name.clone()])),
        }
    }
    out
}
