//! `cargo xtask publish crate|py`: what CI runs once the release tags are
//! pushed. Each prints its plan (the commands it will run), then runs it; a
//! version the registry already serves is skipped, so a re-run is harmless.
//! Without `--execute` nothing is uploaded: `cargo publish --dry-run` and
//! `twine check` stand in for the uploads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use xshell::Shell;

use crate::adapters::python::{self, Venv};
use crate::adapters::{git, rate_limit, run_plan};
use crate::cli::flags::{Publish, PublishCrate, PublishPy};
use crate::ctx::Ctx;
use crate::model::package::Package;
use crate::model::selection;
use crate::out::ui::{self, Tone};
use crate::publish::registry::{self, CrateRegistry};
use crate::publish::{self, PyPlan, PyTarget};

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
    let name = package.name.as_str();
    let version = package.version.to_string();
    check_release_tag(&ctx.sh, package, flags.allow_untagged)?;

    let plan = publish::crate_plan(name, &version, &registry, execute);
    ui::status(
        Tone::Good,
        "Publishing",
        &format!("{name} {version} to {registry}"),
    );
    run_plan::print(&[
        ("", plan.package.line()),
        (
            "skip the upload when the registry already has this version",
            plan.query.line(),
        ),
        (&plan.upload_note, plan.publish.line()),
    ]);

    plan.package.run(&ctx.sh)?;
    if registry::crate_published(&ctx.sh, &registry, name, &version)? {
        ui::status(
            Tone::Good,
            "Skipped",
            &format!("{name} {version} is already published on {registry}"),
        );
        return Ok(ExitCode::SUCCESS);
    }
    rate_limit::run(&ctx.sh, &plan.publish)?;
    if execute {
        ui::status(
            Tone::Good,
            "Published",
            &format!("{name} {version} to {registry}"),
        );
    } else {
        ui::status(
            Tone::Warn,
            "Dry run",
            &format!("{name} {version} is ready for {registry}; pass --execute to upload"),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The venv whose maturin and twine publish: `XTASK_VENV` (as `cargo xtask
/// ci` passes it to the end-to-end test), else `.venv/` at the root, created
/// and filled from `package`'s requirements file when it has one.
fn venv(ctx: &Ctx, package: &Package) -> Result<Venv> {
    let venv = python::project_venv(&ctx.root);
    venv.ensure(&ctx.sh)?;
    let requirements = selection::python_dir(ctx.ws()?, [package])
        .map(|dir| ctx.root.join(dir).join(python::REQUIREMENTS));
    if let Some(requirements) = requirements.filter(|r| r.is_file()) {
        venv.install_requirements(&ctx.sh, &requirements)?;
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
    let missing = not_on_index(ctx, &python, index_url, &project, &built)?;
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
    println!("$ {}", upload.line());
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

/// The files of `built` the index does not list; those it lists are named.
fn not_on_index<'a>(
    ctx: &Ctx,
    python: &Path,
    index_url: &str,
    project: &str,
    built: &'a [PathBuf],
) -> Result<Vec<&'a PathBuf>> {
    let listed = registry::python_files(&ctx.sh, python, index_url, project)?;
    let (present, missing): (Vec<&PathBuf>, Vec<&PathBuf>) = built
        .iter()
        .partition(|f| listed.iter().any(|l| l.name == file_name(f)));
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
