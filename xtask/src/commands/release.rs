//! `cargo xtask release`, `preflight` and `rollback`: the release checklist as
//! one command that is a dry run unless told otherwise, and never leaves a
//! release half made.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::ArgMatches;

use super::changelog::today;
use crate::config::Mode;
use crate::execute;
use crate::plan::FileEdit;
use crate::python::Venv;
use crate::release::{self, Action, Options, ReleasePlan};
use crate::steps::{self, Step};
use crate::ui::{self, Tone};
use crate::version::Target;
use crate::workspace::{Package, Workspace};
use crate::{Ctx, checks, cli, git};

/// `(package, target)` for each package flag given a value (`--rust minor`).
fn selection<'a>(ws: &'a Workspace, args: &ArgMatches) -> Result<Vec<(&'a Package, Target)>> {
    let mut out = Vec::new();
    for package in &ws.packages {
        if let Some(value) = args.try_get_one::<String>(&package.flag).ok().flatten() {
            out.push((package, Target::parse(value)?));
        }
    }
    Ok(out)
}

/// The release tags at HEAD that this tool made (annotated, with the
/// configured message), and those of them the remote lacks: a release whose
/// push did not happen or failed. A stray tag of the user's is not one.
struct AtHead {
    tags: Vec<String>,
    unpushed: Vec<String>,
}

fn at_head(ctx: &Ctx, ws: &Workspace) -> Result<AtHead> {
    let mut tags = Vec::new();
    for tag in git::tags_at_head(&ctx.sh)? {
        let Ok((package, version)) = ws.package_of_tag(&tag) else {
            continue;
        };
        let expected = ws
            .config
            .tag_message
            .replace("{name}", &package.name)
            .replace("{version}", &package.display(&version)?);
        if git::annotation(&ctx.sh, &tag)?.as_deref() == Some(expected.as_str()) {
            tags.push(tag);
        }
    }
    if tags.is_empty() {
        return Ok(AtHead {
            tags,
            unpushed: Vec::new(),
        });
    }
    let remote = git::remote_tags(&ctx.sh, &ws.config.remote)?;
    let unpushed = tags
        .iter()
        .filter(|t| !remote.contains(t))
        .cloned()
        .collect();
    Ok(AtHead { tags, unpushed })
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
    let ws = ctx.checked()?;
    let json = args.get_flag("json");
    ui::set_quiet(args.get_flag("quiet") || json);
    if args.get_flag("abort") {
        return abort(ctx, ws);
    }
    let execute = args.get_flag("execute");

    let head = at_head(ctx, ws)?;
    if !head.unpushed.is_empty() {
        let refs: Vec<String> = std::iter::once(ws.config.branch.clone())
            .chain(head.unpushed.iter().cloned())
            .collect();
        if !execute {
            ui::status(
                Tone::Warn,
                "Pending",
                &format!(
                    "HEAD is a release whose tags {} are not on {}: `cargo xtask release --execute` pushes them, `--abort` undoes the release commit and tags",
                    head.unpushed.join(", "),
                    ws.config.remote
                ),
            );
            return Ok(ExitCode::SUCCESS);
        }
        on_release_branch(ctx, &ws.config.branch)?;
        ui::status(
            Tone::Good,
            "Resuming",
            &format!("pushing the pending release {}", head.unpushed.join(", ")),
        );
        git::push_atomic(&ctx.sh, &ws.config.remote, &refs).context(
            "the push failed again: the release commit and tags stay local; retry later, or undo them with `cargo xtask release --abort`",
        )?;
        ui::status(
            Tone::Good,
            "Pushed",
            &format!("git push --atomic {} {}", ws.config.remote, refs.join(" ")),
        );
        return Ok(ExitCode::SUCCESS);
    }

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
    let mode = if args.get_flag("pr") {
        Mode::Pr
    } else {
        ws.config.mode.clone()
    };
    let date = match args.get_one::<String>("date") {
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .with_context(|| format!("--date `{text}` is not a date: write YYYY-MM-DD"))?,
        None => today(),
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
    let opts = Options {
        mode,
        date,
        generate: args.get_flag("generate"),
        repeat,
    };
    let plan = release::plan(ctx, ws, &chosen, &opts)?;

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
        let report = run_preflight(ctx, args, &packages, &tags)?;
        if !report.failed().is_empty() {
            emit(args, &plan, "preflight-failed");
            bail!(
                "pre-flight failed ({}): nothing was changed",
                report.failed().join(", ")
            );
        }
    }
    let result = run_plan(ctx, &plan, !args.get_flag("no-push"), json);
    match &result {
        Ok(status) => emit(args, &plan, status),
        Err(_) => emit(args, &plan, "failed"),
    }
    result.map(|_| ExitCode::SUCCESS)
}

/// What a failure before the push must undo: tags made, the commit, the
/// files, the release branch.
struct Undo<'a> {
    ctx: &'a Ctx,
    start: String,
    edits: Vec<&'a FileEdit>,
    written: bool,
    committed: bool,
    tags: Vec<String>,
    /// `(release branch, branch it was made from)` in the PR flow.
    branch: Option<(String, String)>,
}

impl Undo<'_> {
    fn run(&self, failure: anyhow::Error) -> anyhow::Error {
        let sh = &self.ctx.sh;
        let files: Vec<String> = self.edits.iter().map(|e| e.path.clone()).collect();
        let mut problems = Vec::new();
        let mut note = |result: Result<()>| {
            if let Err(e) = result {
                problems.push(format!("{e:#}"));
            }
        };
        for tag in &self.tags {
            note(git::delete_tag(sh, tag));
        }
        if self.committed {
            note(git::reset_soft(sh, &self.start));
        }
        // With no paths, `git reset` would unstage everything: only ours.
        if self.written && !files.is_empty() {
            note(git::unstage(sh, &self.start, &files));
            note(execute::undo(&self.ctx.root, &self.edits));
        }
        if let Some((release, original)) = &self.branch {
            note(git::switch(sh, original).and_then(|()| git::delete_branch(sh, release)));
        }
        if problems.is_empty() {
            failure.context(
                "the release was undone: files, commit, tags and branches are as they were",
            )
        } else {
            failure.context(format!(
                "undoing the release failed too: {}",
                problems.join("; ")
            ))
        }
    }
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

/// Runs the plan's actions in order; a failure before the push undoes
/// what was done. `push: false` stops before the push.
fn run_plan(ctx: &Ctx, plan: &ReleasePlan, push: bool, json: bool) -> Result<&'static str> {
    let sh = &ctx.sh;
    let mut undo = Undo {
        ctx,
        start: git::head(sh)?,
        edits: plan.edits.changed().collect(),
        written: false,
        committed: false,
        tags: Vec::new(),
        branch: None,
    };
    if plan.mode == Mode::Tag {
        on_release_branch(ctx, &plan.branch)?;
    }
    for action in &plan.actions {
        match action {
            Action::Branch(name) => {
                let original = git::branch(sh)?
                    .context("HEAD is detached: switch to the release branch first")?;
                if git::branch_exists(sh, name) {
                    bail!(
                        "the branch {name} exists already: delete it (`git branch -D {name}`) or release another version"
                    );
                }
                ui::status(Tone::Good, "Branching", name);
                git::switch_new(sh, name)?;
                undo.branch = Some((name.clone(), original));
            }
            Action::Write => {
                for r in &plan.releases {
                    ui::status(
                        Tone::Good,
                        "Bumping",
                        &format!("{} {} -> {}", r.package, r.from, r.display),
                    );
                }
                // `apply` is all or nothing by itself.
                if let Err(e) = execute::apply(&ctx.root, &undo.edits) {
                    return Err(undo.run(e));
                }
                undo.written = true;
            }
            Action::Commit { message, files } => {
                ui::status(Tone::Good, "Committing", message);
                if let Err(e) = git::commit(sh, files, message) {
                    return Err(undo.run(e));
                }
                undo.committed = true;
            }
            Action::Tag { name, message } => {
                ui::status(Tone::Good, "Tagging", name);
                if let Err(e) = failpoint("tag").and_then(|()| git::tag(sh, name, message)) {
                    return Err(undo.run(e));
                }
                undo.tags.push(name.clone());
            }
            Action::Push {
                remote,
                refs,
                new_branch,
            } => {
                if !push {
                    if let Some((release, original)) = &undo.branch {
                        git::switch(sh, original)?;
                        ui::status(
                            Tone::Warn,
                            "Stopped",
                            &format!(
                                "before pushing (--no-push): push the branch with `git push --set-upstream {remote} {release}`"
                            ),
                        );
                    } else {
                        ui::status(
                            Tone::Warn,
                            "Stopped",
                            "before pushing (--no-push): `cargo xtask release --execute` pushes this release, `--abort` undoes it",
                        );
                    }
                    return Ok("committed");
                }
                ui::status(Tone::Good, "Pushing", &action.render(&plan.edits));
                if *new_branch {
                    let pushed = git::push_branch(sh, remote, &refs[0]);
                    if let Some((release, original)) = &undo.branch {
                        git::switch(sh, original)?;
                        pushed.with_context(|| {
                            format!(
                                "the push failed: the branch {release} stays local; push it with `git push --set-upstream {remote} {release}`, or delete it with `git branch -D {release}`"
                            )
                        })?;
                    }
                } else {
                    git::push_atomic(sh, remote, refs).context(
                        "the push failed: the release commit and tags stay local; rerun `cargo xtask release --execute` to push them, or `cargo xtask release --abort` to undo them",
                    )?;
                }
            }
            Action::SwitchBack(branch) => {
                if git::branch(sh)?.as_deref() != Some(branch.as_str()) {
                    git::switch(sh, branch)?;
                }
            }
            Action::PullRequest {
                base,
                head,
                title,
                body,
            } => {
                if !json {
                    println!("{body}");
                }
                let signed_in = xshell::cmd!(sh, "gh auth status")
                    .quiet()
                    .ignore_stdout()
                    .ignore_stderr()
                    .run()
                    .is_ok();
                if signed_in {
                    xshell::cmd!(
                        sh,
                        "gh pr create --base {base} --head {head} --title {title} --body {body}"
                    )
                    .run()?;
                    ui::status(Tone::Good, "Opened", &format!("a pull request for {head}"));
                } else {
                    ui::status(
                        Tone::Warn,
                        "Next",
                        &format!(
                            "gh is not installed or not signed in; open the pull request with: {}",
                            action.render(&plan.edits)
                        ),
                    );
                }
                return Ok("pull-request");
            }
        }
    }
    ui::status(Tone::Good, "Released", &plan.tags().join(", "));
    Ok("released")
}

/// Test hook: `XTASK_FAIL_AT=tag` makes that step fail, so the tests can
/// prove the undo after a commit (a tag can otherwise fail only by racing).
fn failpoint(step: &str) -> Result<()> {
    match std::env::var("XTASK_FAIL_AT") {
        Ok(at) if at == step => bail!("injected failure (XTASK_FAIL_AT={at})"),
        _ => Ok(()),
    }
}

fn abort(ctx: &Ctx, ws: &Workspace) -> Result<ExitCode> {
    let sh = &ctx.sh;
    let head = at_head(ctx, ws)?;
    if head.unpushed.is_empty() {
        bail!(
            "no pending release to abort: HEAD carries no release tag missing from {}",
            ws.config.remote
        );
    }
    // The commit is undone only if it is a release commit that is not on the
    // remote; a first release may have tagged the user's own commit.
    let release_commit = super::gh::is_release_subject(ws, &git::head_subject(sh)?);
    let head_sha = git::head(sh)?;
    let pushed = git::remote_branch(sh, &ws.config.remote, &ws.config.branch)?.as_deref()
        == Some(head_sha.as_str());
    if release_commit && pushed {
        bail!(
            "the release commit is on {} already (only its tags are not): push the tags with `cargo xtask release --execute` instead",
            ws.config.remote
        );
    }
    let files = git::head_files(sh)?;
    if release_commit && git::modified(sh, &files)? {
        bail!(
            "{} changed since the release commit: commit or stash those changes, then rerun --abort",
            files.join(", ")
        );
    }
    for tag in &head.tags {
        git::delete_tag(sh, tag)?;
        ui::status(Tone::Good, "Deleted", &format!("tag {tag}"));
    }
    if release_commit {
        let parent = git::rev_parse(sh, "HEAD~1")?;
        git::reset_soft(sh, &parent)?;
        git::restore(sh, &parent, &files)?;
        ui::status(
            Tone::Good,
            "Aborted",
            &format!(
                "the release commit is undone; {} restored",
                files.join(", ")
            ),
        );
    } else {
        ui::status(
            Tone::Good,
            "Aborted",
            "the release tags are deleted; HEAD is not a release commit and stays",
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The pre-flight of a release of `packages`, which creates `tags`.
fn preflight_steps<'a>(
    ctx: &'a Ctx,
    venv: &'a Venv,
    packages: &[&Package],
    tags: &'a [String],
    require_audit: bool,
) -> Vec<Step<'a>> {
    let mut steps = checks::git(ctx, tags);
    steps.push(checks::versions(ctx));
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
    let mut packages = super::bump::selected(ws, args)?;
    if packages.is_empty() {
        packages = ws.packages.iter().collect();
    }
    // The tags a release of the current versions would create.
    let tags: Vec<String> = packages
        .iter()
        .map(|p| p.tag.render(&p.version))
        .collect::<Result<_>>()?;
    let report = run_preflight(ctx, args, &packages, &tags)?;
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
) -> Result<steps::Report> {
    let venv = Venv::new(ctx.root.join(".venv"));
    let steps = preflight_steps(ctx, &venv, packages, tags, args.get_flag("require-audit"));
    steps::run_all(steps, &cli::values(args, "skip"))
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
