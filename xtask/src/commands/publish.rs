//! `cargo xtask publish crate|py`: what CI runs once the release tags are
//! pushed. Each prints its plan (the commands it will run), then runs it; a
//! version the registry already serves is skipped, so a re-run is harmless.
//! Without `--execute` nothing is uploaded: `cargo publish --dry-run` and
//! `twine check` stand in for the uploads.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::ArgMatches;
use xshell::{Shell, cmd};

use crate::python::{self, Venv};
use crate::registry::{self, CrateRegistry};
use crate::ui::{self, Tone};
use crate::workspace::Package;
use crate::{Ctx, git, selection};

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    match args.subcommand() {
        Some(("crate", sub)) => publish_crate(ctx, sub),
        Some(("py", sub)) => publish_py(ctx, sub),
        _ => unreachable!("clap requires a subcommand"),
    }
}

/// A command of a plan: printed as is, then run as is.
struct Step {
    program: String,
    args: Vec<String>,
    env: Vec<(&'static str, PathBuf)>,
}

impl Step {
    fn new(program: impl Into<String>, args: &[&str]) -> Step {
        Step {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
        }
    }

    fn arg(mut self, arg: impl Into<String>) -> Step {
        self.args.push(arg.into());
        self
    }

    fn args(mut self, args: impl IntoIterator<Item = String>) -> Step {
        self.args.extend(args);
        self
    }

    fn line(&self) -> String {
        let env: String = self
            .env
            .iter()
            .map(|(k, v)| format!("{k}={} ", v.display()))
            .collect();
        format!("{env}{} {}", self.program, self.args.join(" "))
    }

    fn run(&self, sh: &Shell) -> Result<()> {
        let (program, args) = (&self.program, &self.args);
        let mut command = cmd!(sh, "{program} {args...}");
        for (key, value) in &self.env {
            command = command.env(key, value);
        }
        command
            .run()
            .with_context(|| format!("`{}` failed", self.line()))
    }
}

fn print_plan(steps: &[(&str, String)]) {
    println!("plan:");
    for (i, (what, line)) in steps.iter().enumerate() {
        println!("  {}. {line}", i + 1);
        if !what.is_empty() {
            println!("     {what}");
        }
    }
}

/// Refuses to publish from a commit that is not the package's release tag.
fn check_release_tag(sh: &Shell, package: &Package, allow_untagged: bool) -> Result<()> {
    let tag = package.tag.render(&package.version)?;
    let at_head = git::tags_at_head(sh)?;
    if at_head.contains(&tag) {
        ui::status(Tone::Good, "Tagged", &format!("HEAD is {tag}"));
        return Ok(());
    }
    if allow_untagged {
        ui::status(
            Tone::Warn,
            "Untagged",
            &format!("HEAD is not {tag}; publishing anyway (--allow-untagged)"),
        );
        return Ok(());
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

fn publish_crate(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let package = selection::one_of_kind(
        &ws.packages,
        args.get_one::<String>("package").map(String::as_str),
        false,
    )?;
    let registry = CrateRegistry::choose(
        &ws.config.registries,
        args.get_one::<String>("registry").map(String::as_str),
        args.get_one::<String>("index").map(String::as_str),
    );
    let execute = args.get_flag("execute");
    let name = package.name.as_str();
    let version = package.version.to_string();
    check_release_tag(&ctx.sh, package, args.get_flag("allow-untagged"))?;

    let package_step =
        Step::new("cargo", &["package", "--locked", "-p", name]).args(registry.args());
    let mut publish_step =
        Step::new("cargo", &["publish", "--locked", "-p", name]).args(registry.args());
    if !execute {
        publish_step = publish_step.arg("--dry-run");
    }
    let upload_note = if execute {
        format!(
            "upload, with the token from {} (never printed)",
            registry.token_env()
        )
    } else {
        "dry run: packs and verifies, uploads nothing (pass --execute to upload)".into()
    };
    ui::status(
        Tone::Good,
        "Publishing",
        &format!("{name} {version} to {registry}"),
    );
    print_plan(&[
        ("", package_step.line()),
        (
            "skip the upload when the registry already has this version",
            registry::crate_query_line(&registry, name, &version),
        ),
        (&upload_note, publish_step.line()),
    ]);

    package_step.run(&ctx.sh)?;
    if registry::crate_published(&ctx.sh, &registry, name, &version)? {
        ui::status(
            Tone::Good,
            "Skipped",
            &format!("{name} {version} is already published on {registry}"),
        );
        return Ok(ExitCode::SUCCESS);
    }
    publish_step.run(&ctx.sh)?;
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
/// and filled from the requirements file when the workspace has one.
fn venv(ctx: &Ctx) -> Result<Venv> {
    let venv = python::project_venv(&ctx.root);
    venv.ensure(&ctx.sh)?;
    let requirements = crate::checks::binding(ctx.ws()?)
        .map(|(_, dir)| ctx.root.join(dir).join(python::REQUIREMENTS));
    if let Some(requirements) = requirements.filter(|r| r.is_file()) {
        venv.install_requirements(&ctx.sh, &requirements)?;
    }
    for tool in ["maturin", "twine"] {
        if !venv.bin(tool).exists() {
            bail!(
                "{tool} is missing from the venv {}: add it to {} (or install it there: {} -m pip install {tool})",
                venv.python()
                    .parent()
                    .and_then(Path::parent)
                    .unwrap_or(Path::new("."))
                    .display(),
                python::REQUIREMENTS,
                venv.python().display()
            );
        }
    }
    Ok(venv)
}

fn publish_py(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let package = selection::one_of_kind(
        &ws.packages,
        args.get_one::<String>("package").map(String::as_str),
        true,
    )?;
    let execute = args.get_flag("execute");
    let registries = &ws.config.registries;
    let upload_url = args
        .get_one::<String>("repository-url")
        .unwrap_or(&registries.python_upload);
    let index_url = args
        .get_one::<String>("index-url")
        .unwrap_or(&registries.python_index);
    let project = registry::project_name(ws, package)?;
    let version = package.display(&package.version)?;
    let venv = venv(ctx)?;
    let python = venv.python();
    let maturin = venv.bin("maturin");
    let dist = ctx.root.join("dist");
    let manifest = ctx.root.join(&package.manifest);

    let sdist = Step::new(maturin.display().to_string(), &["sdist"])
        .arg("--manifest-path")
        .arg(manifest.display().to_string())
        .arg("--out")
        .arg(dist.display().to_string());
    let mut wheel = Step::new(maturin.display().to_string(), &["build", "--release"])
        .arg("--manifest-path")
        .arg(manifest.display().to_string())
        .arg("--interpreter")
        .arg(python.display().to_string())
        .arg("--out")
        .arg(dist.display().to_string());
    // The target folder `cargo xtask ci` builds the binding in: pyo3 is
    // built for an extension module there, and stays apart from `target/`.
    wheel
        .env
        .push(("CARGO_TARGET_DIR", ctx.root.join("target/maturin")));
    let twine = |verb: &str| {
        let mut step = Step::new(python.display().to_string(), &["-m", "twine", verb]);
        if verb == "upload" {
            step = step.args(["--non-interactive", "--disable-progress-bar"].map(String::from));
            // Files already on the index are left out before twine runs (any
            // index); twine's own --skip-existing also covers a race with
            // another upload, but twine accepts it for PyPI only.
            if upload_url.contains("pypi.org") {
                step = step.arg("--skip-existing");
            }
            step = step.arg("--repository-url").arg(upload_url.clone());
        }
        step.arg(format!("{}/*", dist.display()))
    };
    let upload = if execute {
        twine("upload")
    } else {
        twine("check")
    };
    let upload_note = if execute {
        "only the files the index does not list; credentials from TWINE_USERNAME / TWINE_PASSWORD (never printed)".to_string()
    } else {
        "dry run: checks the files, uploads nothing (pass --execute to upload)".into()
    };
    ui::status(
        Tone::Good,
        "Publishing",
        &format!("{project} {version} to {upload_url}"),
    );
    print_plan(&[
        (
            "after removing this project's older files from dist/",
            sdist.line(),
        ),
        ("", wheel.line()),
        (
            "skip the files the index already lists",
            format!("GET {}", registry::project_page(index_url, &project)),
        ),
        (&upload_note, upload.line()),
    ]);

    // Only this release's files go up: clear the project's earlier builds.
    ctx.sh.create_dir(&dist)?;
    for file in ctx.sh.read_dir(&dist)? {
        let name = file_name(&file);
        if registry::file_version(&project, &name).is_some() {
            ctx.sh.remove_path(&file)?;
        }
    }
    sdist.run(&ctx.sh)?;
    wheel.run(&ctx.sh)?;
    let built: Vec<PathBuf> = ctx
        .sh
        .read_dir(&dist)?
        .into_iter()
        .filter(|f| registry::file_version(&project, &file_name(f)).as_deref() == Some(&version))
        .collect();
    if built.is_empty() {
        bail!(
            "maturin built no file of {project} {version} in {}: check that {} says version = \"{version}\"",
            dist.display(),
            package.pyproject.as_deref().unwrap_or("pyproject.toml")
        );
    }

    let listed = registry::python_files(&ctx.sh, &python, index_url, &project)?;
    let (present, missing): (Vec<&PathBuf>, Vec<&PathBuf>) =
        built.iter().partition(|f| listed.contains(&file_name(f)));
    for file in &present {
        ui::status(
            Tone::Good,
            "Skipping",
            &format!("{} (already on {index_url})", file_name(file)),
        );
    }
    if missing.is_empty() {
        ui::status(
            Tone::Good,
            "Skipped",
            &format!("{project} {version} is already published on {index_url}"),
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut upload = upload;
    upload.args.pop();
    let upload = upload.args(missing.iter().map(|f| f.display().to_string()));
    upload.run(&ctx.sh)?;
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

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
