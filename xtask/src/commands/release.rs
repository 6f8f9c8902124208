//! `cargo xtask release`: the release checklist as one command that is a dry run unless told otherwise, and never leaves a
//! release half made.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::adapters::git;
use crate::checks::{self, preflight};
use crate::cli::flags::Release;
use crate::ctx::Ctx;
use crate::facts;
use crate::model::config::Mode;
use crate::model::package::Package;
use crate::model::selection;
use crate::model::workspace::Workspace;
use crate::out::ui::{self, Tone};
use crate::release::{self, Action, Options, ReleasePlan, executor};
use crate::text::version::Target;

/// `(package, target)` for each package flag given a value (`--rust minor`).
fn selection<'a>(ws: &'a Workspace, flags: &Release) -> Result<Vec<(&'a Package, Target)>> {
    let chosen = selection::choose(&ws.packages, &flags.selection)?;
    if let Some(label) = flags.pre
        && chosen.is_empty()
    {
        // Alone, `--pre rc` moves each package at a development version
        // (`0.8.0-dev.0`) to that label: `0.8.0-rc.N`.
        let dev: Vec<(&Package, Target)> = ws
            .packages
            .iter()
            .filter(|p| crate::text::train::is_dev(&p.version))
            .map(|p| (p, Target::Pre(label)))
            .collect();
        if dev.is_empty() {
            bail!(
                "--pre {label} starts a train for the packages given a level (alone, it takes those at a development version, and none is): name them, e.g. {}",
                ws.packages.first().map_or(String::new(), |p| format!(
                    "--{} minor --pre {label}",
                    p.flag
                ))
            );
        }
        return Ok(dev);
    }
    chosen
        .into_iter()
        // clap gives every release flag a value.
        .map(|c| {
            let target = Target::parse(c.value.as_deref().unwrap_or("auto"))?;
            let target = target
                .with_pre(flags.pre)
                .with_context(|| format!("--{}", c.package.flag))?;
            Ok((c.package, target))
        })
        .collect()
}

fn emit(flags: &Release, plan: &ReleasePlan, status: &str) {
    if flags.json {
        ui::println(&plan.to_json(status));
    }
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        let summary = ui::written(&plan.markdown(status));
        // The runner's file, outside the repository: appended with `std::fs`.
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

pub fn run(ctx: &Ctx, flags: Release) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let json = flags.json;
    ui::set_quiet(flags.quiet || json);
    let execute = flags.execute;
    let sh = &ctx.sh;
    // One release at a time: held until this function returns, however.
    let _lock = if execute || flags.abort {
        Some(executor::hold(sh)?)
    } else {
        executor::not_running(sh)?;
        None
    };

    // A release under way (journal), or a release commit whose tags or
    // push are missing (no journal): finish or undo it before anything new.
    let pending = match executor::pending(sh, &ctx.root)? {
        Some(run) => Some(run),
        None => executor::recover(sh, &ctx.root, ws)?,
    };
    if flags.abort {
        let Some(run) = pending else {
            bail!(
                "no pending release to abort: no release is in progress and HEAD is not a release commit missing tags or a push to {}",
                ws.config.remote
            );
        };
        return abort(sh, run);
    }
    if let Some(run) = pending {
        return resume(ws, run, &flags);
    }

    // Validated after the pending release: finishing or undoing one is never refused.
    ctx.checked()?;
    let opts = options(ctx, ws, &flags);
    let chosen = chosen(ws, &flags, opts.mode == Mode::Pr)?;
    let packages: Vec<&Package> = chosen.iter().map(|(p, _)| *p).collect();
    let facts = gather(ctx, ws, &flags, &opts, &packages)?;
    let mut plan = release::planner::plan(ws, &facts, &chosen, &opts)?;
    // Signing is git's: its configuration signs the commit and the tags.
    plan.signing = git::signing(sh)?.plan_line(opts.mode == Mode::Tag);
    for warning in &plan.warnings {
        ui::status(Tone::Warn, "warning", warning);
    }
    // Only committed content is released: `--execute` stops after its
    // pre-flight (whose git-clean says it first), whatever is skipped.
    let swept = release::uncommitted_problems(&git::uncommitted(sh, &plan.files())?);
    if !execute {
        for problem in &swept {
            ui::status(Tone::Warn, "warning", problem);
        }
    }

    if plan.is_empty() {
        return nothing(ctx, ws, &plan, facts.pr_tip.as_deref(), &flags);
    }
    if let Some(tip) = facts.pr_tip.as_deref()
        && release::pr_branch::refresh_if_current(sh, ws, &plan, tip, (execute, json))?
    {
        emit(&flags, &plan, "current");
        return Ok(ExitCode::SUCCESS);
    }
    if !execute {
        if !json {
            ui::print(&plan.render());
        }
        ui::status(Tone::Warn, "Dry run", "nothing was changed");
        ui::status(Tone::Good, "Execute", &plan.execute);
        for next in &plan.next {
            ui::status(Tone::Good, "Then", next);
        }
        emit(&flags, &plan, "dry-run");
        return Ok(ExitCode::SUCCESS);
    }

    execute_plan(ctx, ws, &plan, &flags, &swept, &facts.api)
}

/// What the plan is computed from: git's facts, the release PR's branch,
/// each package's API verdict. A shallow clone stops `--execute`.
fn gather(
    ctx: &Ctx,
    ws: &Workspace,
    flags: &Release,
    opts: &Options,
    packages: &[&Package],
) -> Result<facts::Facts> {
    let (sh, execute) = (&ctx.sh, flags.execute);
    let mut facts = facts::gather(sh, ws, packages)?;
    if facts.shallow {
        facts::shallow_clone(execute)?;
    }
    if opts.mode == Mode::Pr {
        // The release PR's branch is replaced only while it holds nobody's work.
        let base = ws.config.release_branch(facts.branch.as_deref());
        let branch = ws.config.pr_branch_for(base);
        facts.pr_tip = release::pr_branch::look(sh, ws, &branch, execute)?;
    }
    let skips = (flags.skip_preflight, flags.preflight.skip.as_slice());
    checks::api::verdicts(ctx, ws, &mut facts, packages, execute, skips)?;
    Ok(facts)
}

/// Nothing to release: said; a release PR's branch still on the remote is
/// closed with `--execute` (the dry run says so).
fn nothing(
    ctx: &Ctx,
    ws: &Workspace,
    plan: &ReleasePlan,
    pr_tip: Option<&str>,
    flags: &Release,
) -> Result<ExitCode> {
    if !flags.json {
        ui::print(&plan.render());
    }
    if let Some(tip) = pr_tip {
        let branch = &plan.branch;
        match flags.execute {
            true => release::pr_branch::close(&ctx.sh, ws, branch, tip)?,
            false => ui::status(
                Tone::Good,
                "Execute",
                &format!(
                    "{} closes the pull request of {branch} and deletes the branch",
                    plan.execute
                ),
            ),
        }
    }
    ui::status(Tone::Good, "Finished", "nothing to release");
    emit(flags, plan, "nothing");
    Ok(ExitCode::SUCCESS)
}

/// The packages to release and how far: the flags given, or with none, a
/// proposal of what the commits call for (a dry run, or the release PR,
/// which is rebuilt from main at each run).
fn chosen<'a>(ws: &'a Workspace, flags: &Release, pr: bool) -> Result<Vec<(&'a Package, Target)>> {
    let chosen = selection(ws, flags)?;
    if chosen.is_empty() {
        if flags.execute && !pr {
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
    flags: &Release,
    swept: &[String],
    verdicts: &std::collections::BTreeMap<String, crate::text::api::Verdict>,
) -> Result<ExitCode> {
    if !flags.skip_preflight {
        let packages: Vec<&Package> = plan
            .releases
            .iter()
            .filter_map(|r| ws.package(&r.package))
            .collect();
        // In the PR flow CI makes the tags after the merge; they must not exist now either.
        let tags: Vec<String> = plan.releases.iter().map(|r| r.tag.clone()).collect();
        let gates = checks::api::Gates::of(verdicts, plan.api_refusals());
        let report = preflight::run(
            ctx,
            &packages,
            &tags,
            Some(&plan.edits),
            &gates,
            &flags.preflight,
        )?;
        if !report.failed().is_empty() {
            emit(flags, plan, "preflight-failed");
            bail!(
                "pre-flight failed ({}): nothing was changed",
                report.failed().join(", ")
            );
        }
    }
    if !swept.is_empty() {
        emit(flags, plan, "uncommitted");
        bail!("{}: nothing was changed", swept.join("\n"));
    }
    // Both flows start from a release branch, also without the pre-flight.
    on_release_branch(ctx, &ws.config)?;
    let result = executor::begin(&ctx.sh, &ctx.root, plan)
        .and_then(|run| run.run(!flags.no_push, flags.json));
    match &result {
        Ok(outcome) => {
            for next in &plan.next {
                ui::status(Tone::Good, "Next", next);
            }
            emit(flags, plan, outcome.status())
        }
        Err(_) => emit(flags, plan, "failed"),
    }
    result.map(|_| ExitCode::SUCCESS)
}

/// The planning options from the command line.
fn options(ctx: &Ctx, ws: &Workspace, flags: &Release) -> Options {
    let mode = if flags.pr {
        Mode::Pr
    } else {
        ws.config.mode.clone()
    };
    let date = flags.date.unwrap_or_else(crate::text::date::today);
    let repeat = release::repeat(ctx.other_root(), ctx.config.as_deref(), flags.date);
    Options {
        mode,
        date,
        generate: flags.generate,
        allow_empty: flags.allow_empty,
        allow_breaking: flags.preflight.allow_breaking,
        allow_dev: flags.allow_dev,
        repeat,
    }
}

/// A release under way: the dry run says so; `--execute` finishes it.
fn resume(ws: &Workspace, run: executor::Run, flags: &Release) -> Result<ExitCode> {
    let next_is_push = matches!(
        run.journal.actions.get(run.journal.done),
        Some(Action::Push {
            new_branch: false,
            ..
        })
    );
    if !flags.execute {
        let note = if next_is_push {
            run.pending_push_note(&ws.config.remote)
        } else {
            executor::in_progress_note(&run.journal)
        };
        ui::status(Tone::Warn, "Pending", &note);
        return Ok(ExitCode::SUCCESS);
    }
    if !selection(ws, flags)?.is_empty() {
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
    run.run(!flags.no_push, flags.json)
        .context("the release is still pending")?;
    Ok(ExitCode::SUCCESS)
}

fn abort(sh: &xshell::Shell, run: executor::Run) -> Result<ExitCode> {
    let head = git::head(sh)?;
    let tags = git::tag_names(sh)?;
    run.abort()?;
    // Said from what the repository shows now, not from the journal.
    let now = git::head(sh)?;
    let left = git::tag_names(sh)?;
    let mut deleted: Vec<&String> = tags.iter().filter(|t| !left.contains(t)).collect();
    deleted.sort();
    let short = |sha: &str| sha.get(..7).unwrap_or(sha).to_string();
    let mut what = if head != now {
        format!(
            "the release commit is undone (HEAD reset from {} to {}); the files, the index and the tags are as they were",
            short(&head),
            short(&now)
        )
    } else {
        "HEAD is not a release commit and stays; the files and the index are as they were".into()
    };
    if !deleted.is_empty() {
        let list: Vec<&str> = deleted.iter().map(|t| t.as_str()).collect();
        what.push_str(&format!("; deleted the tags {} here", list.join(", ")));
    }
    ui::status(Tone::Good, "Aborted", &what);
    Ok(ExitCode::SUCCESS)
}

/// The release must be made from a release branch (`branches`), also
/// when the pre-flight is skipped: the push names that branch.
fn on_release_branch(ctx: &Ctx, config: &crate::model::config::Config) -> Result<()> {
    let branch = &config.branch;
    match git::branch(&ctx.sh)? {
        Some(current) if config.releases_on(&current) => Ok(()),
        current => bail!(
            "releases are made from {}, HEAD is on {}: run `git switch {branch}`; nothing was changed",
            config.releases_from(),
            current.map_or("no branch".to_string(), |c| format!("`{c}`"))
        ),
    }
}
