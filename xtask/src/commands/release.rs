//! `cargo xtask release`: the release checklist as one command that is a dry run unless told otherwise, and never leaves a
//! release half made.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::ArgMatches;

use crate::config::Mode;
use crate::release::{self, Action, Options, ReleasePlan, executor};
use crate::ui::{self, Tone};
use crate::version::Target;
use crate::workspace::{Package, Workspace};
use crate::{Ctx, cli, git, preflight, selection};

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
    let chosen = chosen(ws, args, execute)?;
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

    execute_plan(ctx, ws, &plan, args)
}

/// The packages to release and how far: the flags given, or with none, a
/// proposal of what the commits call for (a dry run only).
fn chosen<'a>(
    ws: &'a Workspace,
    args: &ArgMatches,
    execute: bool,
) -> Result<Vec<(&'a Package, Target)>> {
    let chosen = selection(ws, args)?;
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
        return Ok(ws.packages.iter().map(|p| (p, Target::Auto)).collect());
    }
    Ok(chosen)
}

/// `--execute`: the pre-flight, then the plan's actions from the journal.
fn execute_plan(
    ctx: &Ctx,
    ws: &Workspace,
    plan: &ReleasePlan,
    args: &ArgMatches,
) -> Result<ExitCode> {
    if !args.get_flag("skip-preflight") {
        let packages: Vec<&Package> = plan
            .releases
            .iter()
            .filter_map(|r| ws.package(&r.package))
            .collect();
        // In the PR flow CI makes the tags after the merge; they must not exist now either.
        let tags: Vec<String> = plan.releases.iter().map(|r| r.tag.clone()).collect();
        let report = preflight::run(
            ctx,
            &packages,
            &tags,
            Some(&plan.edits),
            &cli::values(args, "skip"),
            args.get_flag("require-audit"),
        )?;
        if !report.failed().is_empty() {
            emit(args, plan, "preflight-failed");
            bail!(
                "pre-flight failed ({}): nothing was changed",
                report.failed().join(", ")
            );
        }
    }
    if plan.mode == Mode::Tag {
        on_release_branch(ctx, &plan.branch)?;
    }
    let result = executor::begin(&ctx.sh, &ctx.root, plan)
        .and_then(|run| run.run(!args.get_flag("no-push"), args.get_flag("json")));
    match &result {
        Ok(outcome) => emit(args, plan, outcome.status()),
        Err(_) => emit(args, plan, "failed"),
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
