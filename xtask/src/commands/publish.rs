//! `cargo xtask publish crate|py`: what CI runs once the release tags are
//! pushed. Each prints its plan (the commands it will run), then runs it; a
//! version the registry already serves is skipped, so a re-run finishes
//! exactly what is missing. A crate group goes in dependency order, a
//! failure skipping only the crates that need the failed one.
//! Without `--execute` nothing is uploaded: `cargo publish --dry-run` and
//! `twine check` stand in for the uploads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Result, bail};
use xshell::Shell;

use crate::adapters::python::{self, Venv};
use crate::adapters::{git, rate_limit, run_plan};
use crate::cli::flags::{Publish, PublishCrate, PublishPy};
use crate::ctx::Ctx;
use crate::model::locks::{self, CargoRoot};
use crate::model::package::{Member, Package, rel_join};
use crate::model::selection;
use crate::model::workspace::Workspace;
use crate::out::ui::{self, Tone};
use crate::publish::crate_run::{self, Outcome};
use crate::publish::order::Node;
use crate::publish::presence::Target;
use crate::publish::registry::{self, CrateRegistry};
use crate::publish::{self, CratePlan, CrateSteps, PyPlan, PyTarget, artifacts, order, wait};
use crate::worktree::{Kind, Tree};

pub fn run(ctx: &Ctx, flags: Publish) -> Result<ExitCode> {
    match flags {
        Publish::Crate(f) => publish_crate(ctx, f),
        Publish::Py(f) => publish_py(ctx, f),
    }
}

/// Refuses to publish from a commit that is not the package's release tag.
fn check_release_tag(sh: &Shell, package: &Package, allow_untagged: bool) -> Result<()> {
    let tag = package.tag.render(&package.version)?;
    if is_tagged(package, &tag, &git::tags_at_head(sh)?, allow_untagged)? {
        ui::status(Tone::Good, "Tagged", &format!("HEAD is {tag}"));
    } else {
        ui::status(
            Tone::Warn,
            "Untagged",
            &format!("HEAD is not {tag}; publishing anyway (--allow-untagged)"),
        );
    }
    Ok(())
}

/// Whether HEAD, which carries `at_head`, is the release `tag`; when it is
/// not, only `allow_untagged` lets the publishing go on.
fn is_tagged(
    package: &Package,
    tag: &str,
    at_head: &[String],
    allow_untagged: bool,
) -> Result<bool> {
    if at_head.iter().any(|t| t == tag) {
        return Ok(true);
    }
    if allow_untagged {
        return Ok(false);
    }
    let there = if at_head.is_empty() {
        "HEAD has no tag".to_string()
    } else {
        format!("HEAD has {}", at_head.join(", "))
    };
    bail!(
        "HEAD is not the release tag {tag} of {} {} ({there}): check out the tag (git checkout {tag}), or pass --allow-untagged",
        package.name,
        package.version
    )
}

fn publish_crate(ctx: &Ctx, flags: PublishCrate) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let package = selection::one_of_kind(&ws.packages, flags.package.as_deref(), false)?;
    let registry = CrateRegistry::choose(
        &ws.config.registries,
        flags.registry.as_deref(),
        flags.index.as_deref(),
    );
    let execute = flags.execute;
    let version = package.version.to_string();
    check_release_tag(&ctx.sh, package, flags.allow_untagged)?;

    let order = order::group(ws, package)?;
    let root = cargo_root(ws, package, &order)?;
    let plan = publish::crate_plan(&order, &version, &registry, execute, &root);
    let names: Vec<&str> = order.iter().map(|n| n.name.as_str()).collect();
    let group = match names.len() {
        1 => String::new(),
        _ => format!(" (its crates in this order: {})", names.join(", ")),
    };
    ui::status(
        Tone::Good,
        "Publishing",
        &format!("{} {version} to {registry}{group}", package.name),
    );
    let lines = plan.lines(&registry, SERVED_TIMEOUT_SECS);
    let lines: Vec<(&str, String)> = lines.iter().map(|(n, l)| (n.as_str(), l.clone())).collect();
    run_plan::print(&lines);

    plan.package.run(&ctx.sh)?;
    if !execute {
        return dry_run(ctx, &plan, &registry, &version);
    }
    let outcomes = crate_run::run(&order, |node| {
        let steps = plan.crates.iter().find(|c| c.node.name == node.name);
        let steps = steps.expect("the plan has a step for every crate of the order");
        publish_one(&ctx.sh, steps, &registry, package)
    });
    crate_run::verdict(&version, &outcomes, "cargo xtask publish crate --execute")?;
    Ok(ExitCode::SUCCESS)
}

/// The one Cargo workspace the crates of `order` are published from: cargo
/// packs a group together, so crates of several workspaces are refused.
fn cargo_root(ws: &Workspace, package: &Package, order: &[Node]) -> Result<CargoRoot> {
    let members: Vec<&Member> = order.iter().filter_map(|n| ws.member(&n.name)).collect();
    let roots = locks::cargo_roots(members.iter().copied(), &ws.locks);
    match roots.as_slice() {
        [] => Ok(CargoRoot::here()),
        [one] => Ok(one.clone()),
        several => {
            let dirs: Vec<&str> = several.iter().map(|r| r.dir.as_str()).collect();
            bail!(
                "the crates of `{}` to publish live in several Cargo workspaces ({}): cargo packs a group in one workspace: give them one workspace, or release them as packages of their own",
                package.name,
                dirs.join(", ")
            )
        }
    }
}

/// How long the crates that need a crate wait for the registry to serve it.
const SERVED_TIMEOUT_SECS: u64 = 300;

/// Uploads one crate unless the registry has it, then, when crates after
/// it need it, waits until the registry serves it.
fn publish_one(
    sh: &Shell,
    steps: &CrateSteps,
    registry: &CrateRegistry,
    package: &Package,
) -> Result<Outcome> {
    let (name, version) = (&steps.node.name, &package.version);
    if registry::crate_published(sh, registry, name, &version.to_string())? {
        ui::status(
            Tone::Good,
            "Skipped",
            &format!("{name} {version} is already published on {registry}"),
        );
        return Ok(Outcome::AlreadyThere);
    }
    rate_limit::run(sh, &steps.publish)?;
    ui::status(
        Tone::Good,
        "Published",
        &format!("{name} {version} to {registry}"),
    );
    if steps.wait {
        let target = Target::one_crate(package, name, version, registry);
        let lookup = |t: &Target| {
            let found = registry::crate_published(sh, registry, &t.name, &t.display)?;
            Ok((!found).then(Vec::new))
        };
        let timeout = Duration::from_secs(SERVED_TIMEOUT_SECS);
        let advice = "it was uploaded, and the crates that need it wait for it: run this again once the registry serves it (what is there is skipped)";
        wait::poll(vec![target], timeout, lookup, std::thread::sleep, advice)?;
    }
    Ok(Outcome::Published)
}

/// Without `--execute`: the crates the registry lacks, in one
/// `cargo publish --dry-run` (cargo verifies each against the others).
fn dry_run(
    ctx: &Ctx,
    plan: &CratePlan,
    registry: &CrateRegistry,
    version: &str,
) -> Result<ExitCode> {
    let mut missing: Vec<&str> = Vec::new();
    for c in &plan.crates {
        let name = c.node.name.as_str();
        if registry::crate_published(&ctx.sh, registry, name, version)? {
            ui::status(
                Tone::Good,
                "Skipped",
                &format!("{name} {version} is already published on {registry}"),
            );
        } else {
            missing.push(name);
        }
    }
    if missing.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let step = publish::publish_step(&missing, registry, false, &plan.root);
    if missing.len() < plan.crates.len() {
        ui::println(&format!("$ {}", step.line()));
    }
    step.run(&ctx.sh)?;
    ui::status(
        Tone::Warn,
        "Dry run",
        &format!(
            "{} {version} is ready for {registry}; pass --execute to upload",
            missing.join(", ")
        ),
    );
    Ok(ExitCode::SUCCESS)
}

/// The venv whose maturin and twine publish: `XTASK_VENV` (as `cargo xtask
/// ci` passes it to the end-to-end test), else `.venv/` at the root, created
/// and filled from `package`'s requirements file when it has one.
fn venv(ctx: &Ctx, package: &Package) -> Result<Venv> {
    let venv = python::project_venv(&ctx.root);
    venv.ensure(&ctx.sh)?;
    let requirements =
        selection::python_dir(ctx.ws()?, [package]).map(|dir| rel_join(&dir, python::REQUIREMENTS));
    let tree = Tree::new(&ctx.root);
    if let Some(requirements) = requirements.filter(|r| tree.kind(r) != Ok(Kind::Absent)) {
        venv.install_requirements(&ctx.sh, &ctx.root, &requirements)?;
    }
    for tool in ["maturin", "twine"] {
        if !venv.bin(tool).exists() {
            bail!(
                "{tool} is missing from the venv {}: add it to {} (or install it there: {} -m pip install {tool})",
                venv.dir().display(),
                python::REQUIREMENTS,
                venv.python().display()
            );
        }
    }
    Ok(venv)
}

fn publish_py(ctx: &Ctx, flags: PublishPy) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let package = selection::one_of_kind(&ws.packages, flags.package.as_deref(), true)?;
    let execute = flags.execute;
    let registries = &ws.config.registries;
    let upload_url = flags
        .repository_url
        .as_ref()
        .unwrap_or(&registries.python_upload);
    let index_url = flags.index_url.as_ref().unwrap_or(&registries.python_index);
    let project = registry::project_name(ws, package)?;
    let version = package.display(&package.version)?;
    let venv = venv(ctx, package)?;
    let python = venv.python();
    let dist = ctx.root.join("dist");
    let plan = publish::py_plan(&PyTarget {
        maturin: &venv.bin("maturin"),
        python: &python,
        manifest: &ctx.root.join(&package.manifest),
        dist: &dist,
        target_dir: ctx.root.join("target/maturin"),
        upload_url,
        execute,
    });
    ui::status(
        Tone::Good,
        "Publishing",
        &format!("{project} {version} to {upload_url}"),
    );
    print_py_plan(&plan, index_url, &project);
    let built = build(ctx, &plan, &dist, &project, &version)?;
    if built.is_empty() {
        bail!(
            "maturin built no file of {project} {version} in {}: check that {} says version = \"{version}\"",
            dist.display(),
            package.pyproject.as_deref().unwrap_or("pyproject.toml")
        );
    }
    let missing = not_on_index(ctx, &python, (index_url, &project, &version), &built)?;
    if missing.is_empty() {
        ui::status(
            Tone::Good,
            "Skipped",
            &format!("{project} {version} is already published on {index_url}"),
        );
        return Ok(ExitCode::SUCCESS);
    }
    // The plan's FILE... named: the line printed is the command that runs.
    let upload = plan.upload(&missing);
    ui::println(&format!("$ {}", upload.line()));
    rate_limit::run(&ctx.sh, &upload)?;
    let files: Vec<String> = missing.iter().map(|f| file_name(f)).collect();
    if execute {
        ui::status(
            Tone::Good,
            "Published",
            &format!("{project} {version} to {upload_url}: {}", files.join(", ")),
        );
    } else {
        ui::status(
            Tone::Warn,
            "Dry run",
            &format!(
                "would upload {} to {upload_url}; pass --execute to upload",
                files.join(", ")
            ),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_py_plan(plan: &PyPlan, index_url: &str, project: &str) {
    run_plan::print(&[
        (
            "after removing this project's older files from dist/",
            plan.sdist.line(),
        ),
        ("", plan.wheel.line()),
        (
            "skip the files the index already lists",
            format!("GET {}", registry::project_page(index_url, project)),
        ),
        (plan.upload_note, plan.upload_template().line()),
    ]);
}

/// The files of `built` the index does not list (`artifacts::not_listed`);
/// those it lists are named.
fn not_on_index<'a>(
    ctx: &Ctx,
    python: &Path,
    (index_url, project, version): (&str, &str, &str),
    built: &'a [PathBuf],
) -> Result<Vec<&'a PathBuf>> {
    let listed = registry::python_files(&ctx.sh, python, index_url, project)?;
    let names: Vec<String> = built.iter().map(|f| file_name(f)).collect();
    let lacking = artifacts::not_listed(project, version, &names, &listed);
    let (missing, present): (Vec<&PathBuf>, Vec<&PathBuf>) =
        built.iter().partition(|f| lacking.contains(&&file_name(f)));
    for file in &present {
        ui::status(
            Tone::Good,
            "Skipping",
            &format!("{} (already on {index_url})", file_name(file)),
        );
    }
    Ok(missing)
}

/// Clears the project's earlier builds from `dist` (only this release's
/// files go up), builds the sdist and the wheel, and returns the files of
/// `version` there.
fn build(
    ctx: &Ctx,
    plan: &PyPlan,
    dist: &Path,
    project: &str,
    version: &str,
) -> Result<Vec<PathBuf>> {
    // `dist/` holds build output (git-ignored), not repository files.
    ctx.sh.create_dir(dist)?;
    for file in ctx.sh.read_dir(dist)? {
        if registry::file_version(project, &file_name(&file)).is_some() {
            ctx.sh.remove_path(&file)?;
        }
    }
    plan.sdist.run(&ctx.sh)?;
    plan.wheel.run(&ctx.sh)?;
    Ok(ctx
        .sh
        .read_dir(dist)?
        .into_iter()
        .filter(|f| registry::file_version(project, &file_name(f)).as_deref() == Some(version))
        .collect())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selection::tests::package;

    #[test]
    fn only_the_release_tag_at_head_publishes_unless_untagged_is_allowed() {
        let core = package("core", "rust", false);
        let tags = |list: &[&str]| list.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert!(is_tagged(&core, "v0.1.0", &tags(&["py-v0.1.0", "v0.1.0"]), false).unwrap());
        assert!(!is_tagged(&core, "v0.1.0", &tags(&[]), true).unwrap());
        let refused = |at_head: &[&str]| {
            is_tagged(&core, "v0.1.0", &tags(at_head), false)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused(&[]),
            "HEAD is not the release tag v0.1.0 of core 0.1.0 (HEAD has no tag): check out the tag (git checkout v0.1.0), or pass --allow-untagged"
        );
        assert!(refused(&["py-v0.1.0", "x"]).contains("(HEAD has py-v0.1.0, x)"));
    }
}
