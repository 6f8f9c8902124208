//! The release planner: `(workspace, facts, selection, options) -> ReleasePlan`.
//! Pure — every value it needs from git arrives in `Facts` — so the dry run
//! and `--execute` share one plan, and the tests build facts in memory.

use anyhow::{Context, Result, anyhow};

use super::facts::Facts;
use super::{Action, Options, Release, ReleasePlan};
use crate::config::Mode;
use crate::history::{Format, History};
use crate::plan::{self, Edits};
use crate::version::Target;
use crate::workspace::{Package, Workspace};

/// A selected package that has something to release, and what.
struct Chosen<'a> {
    package: &'a Package,
    target: Target,
    history: &'a History,
}

/// Builds the plan for `selection` (`(package, target)`, `Target::Auto` for a
/// suggestion). With `auto`, a package with no commits since its previous
/// release has nothing to release; a level or version asked for explicitly
/// releases anyway, with a warning — unless HEAD already carries the tag of
/// the package's current version, so a re-run never releases twice.
pub fn plan(
    ws: &Workspace,
    facts: &Facts,
    selection: &[(&Package, Target)],
    opts: &Options,
) -> Result<ReleasePlan> {
    let empty = History::default();
    let mut chosen = Vec::new();
    let mut unchanged = Vec::new();
    let mut warnings = Vec::new();
    for (package, target) in selection {
        let history = facts.histories.get(&package.name).unwrap_or(&empty);
        let current_tag = package.tag.render(&package.version)?;
        let released_here = facts
            .at_head
            .get(&package.name)
            .is_some_and(|tags| tags.contains(&current_tag));
        let quiet = match &history.previous_tag {
            Some(tag) => format!("no commits since {tag}"),
            None => "no commits touch its paths".to_string(),
        };
        if released_here {
            // Asked again right after releasing: HEAD is that release.
            unchanged.push((
                package.name.clone(),
                format!("no commits since {current_tag}"),
            ));
        } else if history.commits.is_empty() && *target == Target::Auto {
            unchanged.push((package.name.clone(), quiet));
        } else {
            if history.commits.is_empty() {
                warnings.push(format!("{}: {quiet}; releasing as asked", package.name));
            }
            chosen.push(Chosen {
                package,
                target: target.clone(),
                history,
            });
        }
    }

    let mut releases = Vec::new();
    let mut bumps = Vec::new();
    for c in &chosen {
        let (bump, why) = version_of(c, &facts.tags)?;
        let display = c.package.display(&bump.to)?;
        releases.push(Release {
            package: c.package.name.clone(),
            from: bump.from.clone(),
            to: bump.to.clone(),
            tag: c.package.tag.render(&bump.to)?,
            tag_message: tag_message(ws, c.package, &display),
            display,
            why,
        });
        bumps.push(bump);
    }
    warnings.extend(crate::drift::warnings(ws, &bumps));
    let edits = edits(ws, &chosen, &releases, &bumps, opts)?;
    let (commit_message, branch) = commit_and_branch(ws, &releases, &opts.mode);
    // Git-ignored files (a lock kept out of git) are written but not committed.
    let files: Vec<String> = edits
        .changed()
        .map(|e| e.path.clone())
        .filter(|f| !facts.ignored.contains(f))
        .collect();
    let original = facts
        .branch
        .clone()
        .unwrap_or_else(|| ws.config.branch.clone());
    let actions = actions(
        ws,
        &releases,
        &edits,
        files,
        &commit_message,
        &branch,
        &original,
        &opts.mode,
    );
    let execute = execute_command(ws, &chosen, &releases, opts);
    Ok(ReleasePlan {
        mode: opts.mode.clone(),
        releases,
        unchanged,
        warnings,
        edits,
        commit_message,
        branch,
        actions,
        execute,
    })
}

/// The annotated tag's message for `package` at `display`.
pub fn tag_message(ws: &Workspace, package: &Package, display: &str) -> String {
    ws.config
        .tag_message
        .replace("{name}", &package.name)
        .replace("{version}", display)
}

/// The new version and why. A version that was never tagged is released as
/// it is the first time (`auto`, or that very version asked for), not bumped past.
fn version_of(c: &Chosen, tags: &[String]) -> Result<(plan::Bump, String)> {
    let package = c.package;
    let untagged =
        c.history.previous_tag.is_none() && !tags.contains(&package.tag.render(&package.version)?);
    let first = match &c.target {
        Target::Auto => untagged,
        Target::Exact(v) => untagged && *v == package.version,
        Target::Level(_) => false,
    };
    if first {
        let bump = plan::Bump {
            package: package.name.clone(),
            from: package.version.clone(),
            to: package.version.clone(),
        };
        return Ok((bump, format!("first release of {}", package.version)));
    }
    let suggest = |p: &Package| {
        c.history
            .suggest(p)
            .map(|(level, _)| level)
            .context("no commits call for a release")
    };
    let bump = plan::bumps(&[package], &c.target, false, &suggest)?.remove(0);
    let why = match &c.target {
        Target::Auto => c
            .history
            .suggest(package)
            .map_or_else(String::new, |(level, why)| format!("{level}: {why}")),
        Target::Level(level) => level.to_string(),
        Target::Exact(v) => format!("version {v} asked for"),
    };
    Ok((bump, why))
}

/// Bumps first (they compose across packages), then each changelog.
fn edits(
    ws: &Workspace,
    chosen: &[Chosen],
    releases: &[Release],
    bumps: &[plan::Bump],
    opts: &Options,
) -> Result<Edits> {
    let mut edits = if bumps.is_empty() {
        Edits::default()
    } else {
        crate::drift::with_sync(ws, bumps)?
    };
    for (c, release) in chosen.iter().zip(releases) {
        let Some(path) = &c.package.changelog else {
            continue;
        };
        // A first release of a version the changelog already documents keeps that section.
        let documented = release.from == release.to
            && crate::changelog::parse(path, ws.files.text(path))
                .is_ok_and(|cl| cl.release(&release.to).is_some());
        if documented {
            continue;
        }
        let generated = opts.generate.then(|| {
            c.history.render(
                c.package,
                &ws.config.exclude_types,
                Format::KeepAChangelog,
                &release.tag,
            )
        });
        plan::promote_changelog(
            &mut edits,
            ws,
            c.package,
            &release.to,
            opts.date,
            generated.as_deref(),
            opts.allow_empty,
        )
        .map_err(|e| {
            anyhow!(
                "{e:#}; or pass --generate to draft the section from the commits, or --allow-empty to release it empty"
            )
        })?;
    }
    Ok(edits)
}

/// The release commit's message and the branch it goes on.
fn commit_and_branch(ws: &Workspace, releases: &[Release], mode: &Mode) -> (String, String) {
    let first = releases
        .first()
        .map_or(String::new(), |r| r.display.clone());
    if *mode == Mode::Pr {
        return (
            ws.config.pr_commit_message.replace("{version}", &first),
            ws.config.pr_branch.replace("{version}", &first),
        );
    }
    let list: Vec<String> = releases
        .iter()
        .map(|r| format!("{} v{}", r.package, r.display))
        .collect();
    (
        ws.config
            .commit_message
            .replace("{releases}", &list.join(" + ")),
        ws.config.branch.clone(),
    )
}

/// The steps, in order.
#[allow(clippy::too_many_arguments)]
fn actions(
    ws: &Workspace,
    releases: &[Release],
    edits: &Edits,
    files: Vec<String>,
    commit_message: &str,
    branch: &str,
    original: &str,
    mode: &Mode,
) -> Vec<Action> {
    let remote = ws.config.remote.clone();
    let mut actions = Vec::new();
    match mode {
        Mode::Tag => {
            actions.push(Action::Write);
            // A first release whose files already say everything tags HEAD as it is.
            if !files.is_empty() {
                actions.push(Action::Commit {
                    message: commit_message.to_string(),
                    files,
                });
            }
            for r in releases {
                actions.push(Action::Tag {
                    name: r.tag.clone(),
                    message: r.tag_message.clone(),
                });
            }
            let refs = std::iter::once(branch.to_string())
                .chain(releases.iter().map(|r| r.tag.clone()))
                .collect();
            actions.push(Action::Push {
                remote,
                refs,
                new_branch: false,
            });
        }
        Mode::Pr => {
            let body = pr_body(ws, edits, releases.first());
            actions.push(Action::Branch(branch.to_string()));
            actions.push(Action::Write);
            actions.push(Action::Commit {
                message: commit_message.to_string(),
                files,
            });
            actions.push(Action::Push {
                remote,
                refs: vec![branch.to_string()],
                new_branch: true,
            });
            actions.push(Action::SwitchBack(original.to_string()));
            actions.push(Action::PullRequest {
                base: ws.config.branch.clone(),
                head: branch.to_string(),
                title: commit_message.to_string(),
                body,
            });
        }
    }
    actions
}

/// The command that executes this plan, repeating what the plan was made with.
fn execute_command(
    ws: &Workspace,
    chosen: &[Chosen],
    releases: &[Release],
    opts: &Options,
) -> String {
    let mut execute = String::from("cargo xtask release");
    for (release, c) in releases.iter().zip(chosen) {
        let value = match &c.target {
            Target::Auto => release.to.to_string(),
            Target::Level(level) => level.to_string(),
            Target::Exact(v) => v.to_string(),
        };
        execute.push_str(&format!(" --{} {value}", c.package.flag));
    }
    if opts.mode == Mode::Pr && ws.config.mode != Mode::Pr {
        execute.push_str(" --pr");
    }
    if opts.generate {
        execute.push_str(" --generate");
    }
    if opts.allow_empty {
        execute.push_str(" --allow-empty");
    }
    for option in &opts.repeat {
        execute.push(' ');
        execute.push_str(option);
    }
    execute.push_str(" --execute");
    execute
}

/// The pull request's body: the first release's new changelog section.
fn pr_body(ws: &Workspace, edits: &Edits, first: Option<&Release>) -> String {
    first
        .and_then(|r| {
            let path = ws.package(&r.package)?.changelog.as_ref()?;
            let text = &edits.changed().find(|e| &e.path == path)?.after;
            crate::changelog::notes(path, text, &r.display).ok()
        })
        .map_or_else(String::new, |n| n.body)
}
