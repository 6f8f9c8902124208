//! The API checks of the pre-flight and `cargo xtask ci`: `semver-checks`
//! for the crates, `stubtest` and `griffe` for a Python package. Each judges
//! the verdict the plan computed (or computes it, with no plan), fails when
//! the checker failed, and refuses a version below what the API needs
//! unless `--allow-breaking`.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use xshell::Shell;

use crate::adapters::python::{self, Venv};
use crate::adapters::{api_tools, tool_cache};
use crate::checks::step_runner::{NothingToCheck, Step};
use crate::ctx::Ctx;
use crate::facts::api::{self as verdicts, PY_STEP, RUST_STEP};
use crate::facts::history;
use crate::model::package::{Package, rel_join};
use crate::model::selection;
use crate::model::workspace::Workspace;
use crate::text::api::Verdict;
use crate::worktree::{Kind, Tree};

/// What a release plan knows of the API: each package's verdict and the
/// refusal of its version, by package name. Empty without a plan.
#[derive(Debug, Default, Clone)]
pub struct Gates {
    pub verdicts: BTreeMap<String, Verdict>,
    pub refusals: BTreeMap<String, String>,
    pub allow_breaking: bool,
}

impl Gates {
    /// A plan's verdicts and the refusals of its versions; the pre-flight
    /// sets `allow_breaking` from its options.
    pub fn of(verdicts: &BTreeMap<String, Verdict>, refusals: BTreeMap<String, String>) -> Gates {
        Gates {
            verdicts: verdicts.clone(),
            refusals,
            allow_breaking: false,
        }
    }
}

/// Each package's API verdict in `facts`, for a plan. `--execute` installs
/// the checkers first (a failed install leaves the verdict open and the
/// pre-flight step fails on it); a dry run uses what is installed and says
/// what is not. `skip` holds the pre-flight's `--skip` names.
pub fn verdicts(
    ctx: &Ctx,
    ws: &Workspace,
    facts: &mut crate::facts::Facts,
    packages: &[&Package],
    execute: bool,
    (skip_preflight, skip): (bool, &[String]),
) -> Result<()> {
    // `--execute --skip-preflight` checks nothing.
    let skip_all = execute && skip_preflight;
    // Only a package with a previous release has an API to compare.
    let compared: Vec<&Package> = packages
        .iter()
        .copied()
        .filter(|p| {
            facts
                .histories
                .get(&p.name)
                .is_some_and(|h| h.previous_tag.is_some())
        })
        .collect();
    // A work tree with changes fails the pre-flight's git-clean in
    // milliseconds, and the API steps wait for it: minutes of building a
    // checker first would only delay that answer.
    let install = execute && !skip_all;
    let clean = match install && !skip.iter().any(|s| s == CLEAN_STEP) {
        true => crate::adapters::git::status(&ctx.sh)?.trim().is_empty(),
        false => true,
    };
    if install
        && clean
        && let Err(err) = ensure_tools(&ctx.sh, ws, &compared, skip)
    {
        crate::out::ui::status(crate::out::ui::Tone::Warn, "warning", &format!("{err:#}"));
    }
    let skipped = |p: &Package| {
        let step = verdicts::step_of(p);
        if skip_all {
            Some("--skip-preflight".to_string())
        } else {
            skip.iter()
                .any(|s| s == step)
                .then(|| format!("--skip {step}"))
        }
    };
    verdicts::gather(&ctx.sh, ws, facts, packages, &skipped);
    Ok(())
}

/// Installs what the API checks of `packages` need and `skip` leaves in:
/// cargo-semver-checks (pinned, once) and the venv with griffe and mypy.
pub fn ensure_tools(
    sh: &Shell,
    ws: &Workspace,
    packages: &[&Package],
    skip: &[String],
) -> Result<()> {
    let wanted = |step: &str| {
        !skip.iter().any(|s| s == step) && packages.iter().any(|p| verdicts::step_of(p) == step)
    };
    if wanted(RUST_STEP) {
        api_tools::install_semver_checks(sh, &ws.root)?;
    }
    if wanted(PY_STEP)
        && let Some(dir) = selection::python_dir(ws, packages.iter().copied())
    {
        let venv = python::project_venv(&ws.root);
        venv.ensure(sh)?;
        // A repository without the file has its own way; the step says what is missing.
        let requirements = rel_join(&dir, python::REQUIREMENTS);
        if Tree::new(&ws.root).kind(&requirements) != Ok(Kind::Absent) {
            venv.install_requirements(sh, &ws.root, &requirements)?;
        }
    }
    Ok(())
}

/// The verdict of `package`: the plan's, or computed now against its previous release.
/// `tags` are read once, by the first package that needs them.
fn verdict_of(
    ctx: &Ctx,
    gates: &Gates,
    package: &Package,
    tags: &mut Option<crate::text::tag_index::TagIndex>,
) -> Result<Verdict> {
    match gates.verdicts.get(&package.name) {
        Some(v) if !matches!(v, Verdict::Skipped(_)) => Ok(v.clone()),
        _ => {
            let ws = ctx.ws()?;
            let tags = match tags {
                Some(tags) => tags,
                None => tags.insert(crate::facts::tags::read(&ctx.sh, ws)?),
            };
            let base = history::previous_tag(package, tags).map(|(tag, _)| tag);
            // Installed only when there is something to compare with.
            if base.is_some() && package.pyproject.is_none() {
                api_tools::install_semver_checks(&ctx.sh, &ctx.root)?;
            }
            Ok(verdicts::verdict(
                &ctx.sh,
                &ctx.root,
                ws,
                package,
                base.as_deref(),
                None,
            ))
        }
    }
}

/// Judges each package's verdict: a failed or missing checker fails, a
/// refused version fails unless allowed. The note lists the verdicts.
fn judge(ctx: &Ctx, gates: &Gates, packages: &[Package]) -> Result<Option<String>> {
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut tags = None;
    for package in packages {
        let verdict = verdict_of(ctx, gates, package, &mut tags)?;
        if verdict != Verdict::NoBaseline {
            compared += 1;
        }
        match (&verdict, gates.refusals.get(&package.name)) {
            (Verdict::Failed(why) | Verdict::Skipped(why), _) => {
                problems.push(format!("{}: {why}", package.name));
            }
            (_, Some(refusal)) if !gates.allow_breaking => problems.push(refusal.clone()),
            (_, Some(_)) => notes.push(format!(
                "{}: {} (allowed: --allow-breaking)",
                package.name,
                verdict.describe()
            )),
            _ => notes.push(format!("{}: {}", package.name, verdict.describe())),
        }
    }
    if problems.is_empty() && compared == 0 {
        // Not a pass: no checker ran.
        Err(NothingToCheck(notes.join("; ")).into())
    } else if problems.is_empty() {
        Ok(Some(notes.join("; ")))
    } else {
        bail!("{}", problems.join("\n"))
    }
}

/// The pre-flight step an API step waits for: a verdict is of the committed
/// tree, and a checker is not built for a release git-clean refuses.
pub const CLEAN_STEP: &str = "git-clean";

/// What an API step needs: git-clean, unless `skip` leaves it out.
pub fn needs(skip: &[String]) -> &'static [&'static str] {
    match skip.iter().any(|s| s == CLEAN_STEP) {
        true => &[],
        false => &[CLEAN_STEP],
    }
}

/// `semver-checks` for the crates among `packages`.
pub fn rust<'a>(
    ctx: &'a Ctx,
    gates: &'a Gates,
    packages: Vec<Package>,
    needs: &'static [&'static str],
) -> Step<'a> {
    Step::new(RUST_STEP, needs, move || judge(ctx, gates, &packages))
}

/// `stubtest` (the stubs against the wheel the `wheel` step installed) and
/// `griffe` (the stubs against the previous release's), for the Python
/// package among `packages`. Each reports on its own: a lying stub does not
/// hide a break.
pub fn python<'a>(
    ctx: &'a Ctx,
    venv: &'a Venv,
    gates: &'a Gates,
    packages: Vec<Package>,
    needs: &'static [&'static str],
) -> Vec<Step<'a>> {
    let stubbed = packages.clone();
    vec![
        Step::new("stubtest", &["wheel"], move || {
            let ws = ctx.ws()?;
            for package in &stubbed {
                verdicts::stubtest(&ctx.sh, venv, ws, package)?;
            }
            Ok(None)
        }),
        Step::new(PY_STEP, needs, move || judge(ctx, gates, &packages)),
    ]
}

/// The API gating end-to-end tests (`xtask/tests/api_gating.rs`, ignored by a
/// plain `cargo test`): fixture crates and Python packages checked by the
/// real tools, which this step installs first.
pub fn e2e<'a>(ctx: &'a Ctx, venv: &'a Venv) -> Step<'a> {
    Step::new("api-e2e", &["python-env"], move || {
        let sh = &ctx.sh;
        api_tools::install_semver_checks(sh, &ctx.root)?;
        let tools = tool_cache::dir(&api_tools::SEMVER_CHECKS, &ctx.root);
        xshell::cmd!(
            sh,
            "cargo test -p xtask --locked --test api_gating -- --ignored --nocapture"
        )
        .env(python::VENV_ENV, venv.dir())
        .env(tool_cache::TOOLS_ENV, tools)
        .run()?;
        Ok(None)
    })
}
