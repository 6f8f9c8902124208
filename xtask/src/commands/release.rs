//! `cargo xtask release`, `preflight` and `rollback`: the release checklist as
//! one command that is a dry run unless told otherwise, and never leaves a
//! release half made.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::ArgMatches;

use crate::config::Mode;
use crate::edits::Edits;
use crate::python::{self, Venv};
use crate::release::{self, Action, Options, ReleasePlan, executor};
use crate::step_runner::{self, Step};
use crate::ui::{self, Tone};
use crate::version::Target;
use crate::workspace::{Package, Workspace};
use crate::{Ctx, checks, cli, git, selection};

/// `(package, target)` for each package flag given a value (`--rust minor`).
fn selection<'a>(ws: &'a Workspace, args: &ArgMatches) -> Result<Vec<(&'a Package, Target)>> {
    selection::choose(&ws.packages, &cli::selection(args, &ws.packages))?
        .into_iter()
        // clap gives every release flag a value.
        .map(|c| {
            Ok((
                c.package,
                Target::parse(c.value.as_deref().unwrap_or("auto"))?,
            ))
        })
        .collect()
}

fn emit(args: &ArgMatches, plan: &ReleasePlan, status: &str) {
    if args.get_flag("json") {
        println!("{}", plan.to_json(status));
    }
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        let summary = plan.markdown(status);
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, summary.as_bytes()));
        if let Err(err) = appended {
            ui::status(
                Tone::Warn,
                "warning",
                &format!("cannot append to GITHUB_STEP_SUMMARY: {err}"),
            );
        }
    }
}

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let json = args.get_flag("json");
    ui::set_quiet(args.get_flag("quiet") || json);
    let execute = args.get_flag("execute");
    let sh = &ctx.sh;

    // A release under way (journal), or a release commit whose tags or
    // push are missing (no journal): finish or undo it before anything new.
    let pending = match executor::pending(sh, &ctx.root)? {
        Some(run) => Some(run),
        None => executor::recover(sh, &ctx.root, ws)?,
    };
    if args.get_flag("abort") {
        let Some(run) = pending else {
            bail!(
                "no pending release to abort: no release is in progress and HEAD is not a release commit missing tags or a push to {}",
                ws.config.remote
            );
        };
        return abort(run);
    }
    if let Some(run) = pending {
        return resume(ws, run, args, execute);
    }

    // Validated after the pending release: finishing or undoing one is never refused.
    ctx.checked()?;
    let mut chosen = selection(ws, args)?;
    if chosen.is_empty() {
        if execute {
            let flags: Vec<String> = ws
                .packages
                .iter()
                .map(|p| format!("--{} LEVEL", p.flag))
                .collect();
            bail!(
                "choose what to release: {} (LEVEL is major, minor, patch, auto or a version); `cargo xtask release` alone shows a proposal",
                flags.join(", ")
            );
        }
        // A dry run without a selection proposes what the commits call for.
        chosen = ws.packages.iter().map(|p| (p, Target::Auto)).collect();
    }
    let opts = options(ctx, ws, args)?;
    let packages: Vec<&Package> = chosen.iter().map(|(p, _)| *p).collect();
    let facts = release::facts::gather(sh, ws, &packages)?;
    let plan = release::planner::plan(ws, &facts, &chosen, &opts)?;
    for warning in &plan.warnings {
        ui::status(Tone::Warn, "warning", warning);
    }

    if plan.is_empty() {
        if !json {
            print!("{}", plan.render());
        }
        ui::status(Tone::Good, "Finished", "nothing to release");
        emit(args, &plan, "nothing");
        return Ok(ExitCode::SUCCESS);
    }
    if !execute {
        if !json {
            print!("{}", plan.render());
        }
        ui::status(Tone::Warn, "Dry run", "nothing was changed");
        ui::status(Tone::Good, "Execute", &plan.execute);
        emit(args, &plan, "dry-run");
        return Ok(ExitCode::SUCCESS);
    }

    if !args.get_flag("skip-preflight") {
        let packages: Vec<&Package> = plan
            .releases
            .iter()
            .filter_map(|r| ws.package(&r.package))
            .collect();
        // In the PR flow CI makes the tags after the merge; they must not exist now either.
        let tags: Vec<String> = plan.releases.iter().map(|r| r.tag.clone()).collect();
        let report = run_preflight(ctx, args, &packages, &tags, Some(&plan.edits))?;
        if !report.failed().is_empty() {
            emit(args, &plan, "preflight-failed");
            bail!(
                "pre-flight failed ({}): nothing was changed",
                report.failed().join(", ")
            );
        }
    }
    if plan.mode == Mode::Tag {
        on_release_branch(ctx, &plan.branch)?;
    }
    let result = executor::begin(sh, &ctx.root, &plan)
        .and_then(|run| run.run(!args.get_flag("no-push"), json));
    match &result {
        Ok(outcome) => emit(args, &plan, outcome.status()),
        Err(_) => emit(args, &plan, "failed"),
    }
    result.map(|_| ExitCode::SUCCESS)
}

/// The planning options from the command line.
fn options(ctx: &Ctx, ws: &Workspace, args: &ArgMatches) -> Result<Options> {
    let mode = if args.get_flag("pr") {
        Mode::Pr
    } else {
        ws.config.mode.clone()
    };
    let date = match args.get_one::<String>("date") {
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .with_context(|| format!("--date `{text}` is not a date: write YYYY-MM-DD"))?,
        None => crate::clock::today(),
    };
    let quote = |p: &std::path::Path| {
        let text = p.display().to_string();
        if text.contains(char::is_whitespace) {
            format!("'{text}'")
        } else {
            text
        }
    };
    let mut repeat = Vec::new();
    if ctx.root != crate::project_root() {
        repeat.push(format!("--root {}", quote(&ctx.root)));
    }
    if let Some(config) = &ctx.config {
        repeat.push(format!("--config {}", quote(config)));
    }
    if let Some(text) = args.get_one::<String>("date") {
        repeat.push(format!("--date {text}"));
    }
    Ok(Options {
        mode,
        date,
        generate: args.get_flag("generate"),
        allow_empty: args.get_flag("allow-empty"),
        repeat,
    })
}

/// A release under way: the dry run says so; `--execute` finishes it.
fn resume(
    ws: &Workspace,
    run: executor::Run,
    args: &ArgMatches,
    execute: bool,
) -> Result<ExitCode> {
    let next_is_push = matches!(
        run.journal.actions.get(run.journal.done),
        Some(Action::Push {
            new_branch: false,
            ..
        })
    );
    if !execute {
        let note = if next_is_push {
            format!(
                "HEAD is a release whose tags {} are not on {}: `cargo xtask release --execute` pushes them, `--abort` undoes the release commit and tags",
                run.unpushed_tags().join(", "),
                ws.config.remote
            )
        } else {
            executor::in_progress_note(&run.journal)
        };
        ui::status(Tone::Warn, "Pending", &note);
        return Ok(ExitCode::SUCCESS);
    }
    if !selection(ws, args)?.is_empty() {
        ui::status(
            Tone::Warn,
            "warning",
            "a release is in progress: finishing it; the packages given on the command line are not looked at",
        );
    }
    let what = if next_is_push {
        format!(
            "pushing the pending release {}",
            run.unpushed_tags().join(", ")
        )
    } else {
        format!("the release of {}", run.journal.summary())
    };
    ui::status(Tone::Good, "Resuming", &what);
    run.run(!args.get_flag("no-push"), args.get_flag("json"))
        .context("the release is still pending")?;
    Ok(ExitCode::SUCCESS)
}

fn abort(run: executor::Run) -> Result<ExitCode> {
    let made_commit = run.journal.commit.is_some();
    run.abort()?;
    ui::status(
        Tone::Good,
        "Aborted",
        if made_commit {
            "the release commit is undone; the files, the index and the tags are as they were"
        } else {
            "the release tags are deleted; HEAD is not a release commit and stays"
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// The release must be made from the release branch, also when the
/// pre-flight is skipped: the push names that branch.
fn on_release_branch(ctx: &Ctx, branch: &str) -> Result<()> {
    match git::branch(&ctx.sh)? {
        Some(current) if current == branch => Ok(()),
        current => bail!(
            "releases are made from `{branch}`, HEAD is on {}: run `git switch {branch}`; nothing was changed",
            current.map_or("no branch".to_string(), |c| format!("`{c}`"))
        ),
    }
}

/// The pre-flight of a release of `packages`, which creates `tags`.
fn preflight_steps<'a>(
    ctx: &'a Ctx,
    venv: &'a Venv,
    packages: &[&Package],
    tags: &'a [String],
    require_audit: bool,
    // A release's edits: the versions check judges the tree they leave.
    edits: Option<&'a Edits>,
) -> Vec<Step<'a>> {
    let mut steps = checks::git(ctx, tags);
    steps.push(edits.map_or_else(
        || checks::versions(ctx),
        |e| checks::versions_after(ctx, e, tags),
    ));
    let crates: Vec<String> = packages
        .iter()
        .filter(|p| p.pyproject.is_none())
        .map(|p| p.name.clone())
        .collect();
    if !crates.is_empty() {
        steps.extend(checks::rust(&ctx.sh));
        steps.extend(checks::publishing(&ctx.sh, crates, require_audit));
    }
    if packages.iter().any(|p| p.pyproject.is_some())
        && let Some((_, dir)) = ctx.ws().ok().and_then(checks::binding)
    {
        steps.extend(checks::python(&ctx.sh, venv, dir));
    }
    steps
}

/// `cargo xtask preflight`: every check a release of the selected packages runs.
pub fn preflight(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let mut packages: Vec<&Package> =
        selection::choose(&ws.packages, &cli::selection(args, &ws.packages))?
            .into_iter()
            .map(|c| c.package)
            .collect();
    if packages.is_empty() {
        packages = ws.packages.iter().collect();
    }
    // The tags a release of the current versions would create.
    let tags: Vec<String> = packages
        .iter()
        .map(|p| p.tag.render(&p.version))
        .collect::<Result<_>>()?;
    let report = run_preflight(ctx, args, &packages, &tags, None)?;
    Ok(if report.failed().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs the pre-flight of `packages` (creating `tags`) with the `--skip`
/// and `--require-audit` of `args`.
fn run_preflight(
    ctx: &Ctx,
    args: &ArgMatches,
    packages: &[&Package],
    tags: &[String],
    edits: Option<&Edits>,
) -> Result<step_runner::Report> {
    let venv = python::project_venv(&ctx.root);
    let steps = preflight_steps(
        ctx,
        &venv,
        packages,
        tags,
        args.get_flag("require-audit"),
        edits,
    );
    step_runner::run_all(steps, &cli::values(args, "skip"))
}

/// `cargo xtask rollback <tag>`: delete a release tag here and on the remote,
/// and say (or, with --yank, run) how to yank the published version.
pub fn rollback(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let sh = &ctx.sh;
    let tag = args.get_one::<String>("tag").expect("required");
    let (package, version) = ws.package_of_tag(tag)?;
    let remote = &ws.config.remote;
    let local = git::tags(sh)?.contains(tag);
    let on_remote = git::remote_tags(sh, remote)?.contains(tag);
    let yank = if package.pyproject.is_none() {
        let registry = ws
            .config
            .registries
            .crate_registry
            .as_ref()
            .map_or(String::new(), |r| format!("--registry {r} "));
        format!("cargo yank --version {version} {registry}{}", package.name)
    } else {
        format!(
            "yank {} {} on the Python index's web page (Manage → Releases → Yank)",
            package.name,
            package.display(&version)?
        )
    };
    let mut commands = Vec::new();
    if local {
        commands.push(format!("git tag --delete {tag}"));
    }
    if on_remote {
        commands.push(format!("git push {remote} :refs/tags/{tag}"));
    }
    if commands.is_empty() {
        bail!("{tag} exists neither here nor on {remote}: nothing to roll back");
    }
    for command in &commands {
        println!("$ {command}");
    }
    if !args.get_flag("execute") {
        println!("then: {yank}");
        ui::status(
            Tone::Warn,
            "Dry run",
            "nothing was changed; add --execute to delete the tag",
        );
        return Ok(ExitCode::SUCCESS);
    }
    if local {
        git::delete_tag(sh, tag)?;
        ui::status(Tone::Good, "Deleted", &format!("{tag} locally"));
    }
    if on_remote {
        git::push_delete_tag(sh, remote, tag)?;
        ui::status(Tone::Good, "Deleted", &format!("{tag} on {remote}"));
    }
    if args.get_flag("yank") && package.pyproject.is_none() {
        let name = &package.name;
        let version = version.to_string();
        // The registry `publish crate` uploads to, when one is configured.
        let registry: Vec<String> = ws
            .config
            .registries
            .crate_registry
            .iter()
            .flat_map(|r| ["--registry".to_string(), r.clone()])
            .collect();
        xshell::cmd!(sh, "cargo yank --version {version} {registry...} {name}").run()?;
        ui::status(Tone::Good, "Yanked", &format!("{name} {version}"));
    } else {
        ui::status(Tone::Warn, "Next", &yank);
    }
    Ok(ExitCode::SUCCESS)
}
