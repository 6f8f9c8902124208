//! `cargo xtask changelog …`: promote, notes, generate, suggest, lint.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::adapters::git;
use crate::changelog;
use crate::checks::{problem_report, problems};
use crate::cli::flags::{Changelog, Generate, Lint, Notes, Promote};
use crate::ctx::Ctx;
use crate::edit::{self, Edits, atomic_write};
use crate::facts::{self, history};
use crate::model::package::{Package, Previous};
use crate::model::selection;
use crate::model::workspace::Workspace;
use crate::out::ui::{self, Tone};
use crate::text::date;
use crate::text::tag_index::TagIndex;
use crate::text::version::parse_any;

pub fn run(ctx: &Ctx, flags: Changelog) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let package = |key: &str| selection::one(&ws.packages, key);
    match flags {
        Changelog::Promote(f) => promote(ctx, ws, package(&f.package)?, f),
        Changelog::Notes(f) => notes(ws, package(&f.package)?, f),
        Changelog::Generate(f) => generate(ctx, ws, package(&f.package)?, f),
        Changelog::Suggest(key) => suggest(ctx, ws, package(&key)?),
        Changelog::Lint(f) => lint(ctx, ws, f),
    }
}

fn promote(ctx: &Ctx, ws: &Workspace, package: &Package, flags: Promote) -> Result<ExitCode> {
    let version = parse_any(&flags.version)?;
    let date = flags.date.unwrap_or_else(date::today);
    let tags = facts::tags::read(&ctx.sh, ws)?;
    // The previous release of `version`: the rule's tag, below it.
    let previous = package.previous_release(&tags, &version, Previous::Below);
    let generated = if flags.generate {
        let history = history::read(&ctx.sh, package, &tags, None)?;
        Some(history.render(
            ws.link_base(package).as_deref(),
            &ws.config,
            flags.format,
            &package.tag.render(&version)?,
        ))
    } else {
        None
    };
    let mut edits = Edits::default();
    edit::promote_changelog(
        &mut edits,
        ws,
        package,
        &version,
        date,
        &edit::NewSection {
            generated: generated.as_deref(),
            allow_empty: flags.allow_empty,
            previous_tag: previous.as_ref().map(|(tag, _)| tag.as_str()),
        },
    )?;
    ui::print(&edits.diff());
    let changed: Vec<_> = edits.changed().collect();
    if flags.dry_run {
        ui::status(Tone::Warn, "Dry run", "nothing was written");
    } else {
        atomic_write::apply(&ctx.root, &changed)?;
        ui::status(
            Tone::Good,
            "Promoted",
            &format!("{} {} ({date})", package.name, package.display(&version)?),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn notes(ws: &Workspace, package: &Package, flags: Notes) -> Result<ExitCode> {
    let Some(path) = &package.changelog else {
        bail!(
            "{} has no changelog: set `changelog` in the release configuration",
            package.name
        );
    };
    let series = ws.series(package);
    let notes = changelog::notes(path, ws.files.text(path), &flags.version, &series)?;
    if flags.json {
        ui::println(&changelog::notes_json(&notes));
    } else {
        ui::println(&notes.body);
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(ctx: &Ctx, ws: &Workspace, package: &Package, flags: Generate) -> Result<ExitCode> {
    let tags = facts::tags::read(&ctx.sh, ws)?;
    let since = flags.since.as_deref();
    if let Some(since) = since
        && git::rev_parse(&ctx.sh, &format!("{since}^{{commit}}")).is_err()
    {
        let newest =
            history::previous_tag(package, &tags).map_or("none yet".to_string(), |(tag, _)| tag);
        bail!(
            "--since {since}: no tag or commit of that name in this repository: give a tag of the `{}` series of {} (the newest is {newest}) or a commit (`git tag --list` shows the tags)",
            package.tag.template,
            package.name
        );
    }
    let history = history::read(&ctx.sh, package, &tags, since)?;
    // The tag the notes are for: the next patch release unless the commits call for more.
    let next = match history.suggest(package) {
        Some((level, _)) => crate::text::version::bump(&package.version, level),
        None => package.version.clone(),
    };
    let text = history.render(
        ws.link_base(package).as_deref(),
        &ws.config,
        flags.format,
        &package.tag.render(&next)?,
    );
    // Lists as the changelog writes them: marker and entry order.
    let text = match &package.changelog {
        Some(path) => changelog::restyle(ws.files.text(path), &text),
        None => text,
    };
    ui::print(&text);
    Ok(ExitCode::SUCCESS)
}

fn suggest(ctx: &Ctx, ws: &Workspace, package: &Package) -> Result<ExitCode> {
    let tags = facts::tags::read(&ctx.sh, ws)?;
    let history = history::read(&ctx.sh, package, &tags, None)?;
    let since = history
        .previous_tag
        .clone()
        .unwrap_or_else(|| "the first commit".into());
    match history.suggest(package) {
        Some((level, why)) => {
            ui::println(&level.to_string());
            ui::status(
                Tone::Good,
                "Suggested",
                &format!(
                    "{level}: {} {} -> {} ({why})",
                    package.name,
                    package.version,
                    crate::text::version::bump(&package.version, level)
                ),
            );
        }
        None => {
            ui::println("none");
            ui::status(
                Tone::Warn,
                "Unchanged",
                &format!("{} has no commits since {since}", package.name),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds the missing link definitions and the dates the tags prove to every changelog,
/// prints the diff and writes it; the workspace re-read when anything changed.
fn fix(ctx: &Ctx, ws: &Workspace, tags: &TagIndex) -> Result<Option<Workspace>> {
    let mut edits = Edits::default();
    for package in &ws.packages {
        let Some(path) = &package.changelog else {
            continue;
        };
        let series: Vec<(semver::Version, String)> = tags
            .of(&package.tag)
            .into_iter()
            .map(|(t, v)| (v, t.to_string()))
            .collect();
        let days = tags.dated(&package.tag);
        let own = ws.series(package);
        edits.edit(ws, path, |text| {
            let repo = package.repository.as_deref();
            let text = changelog::fix_links(path, text, &series, repo, &own)?;
            changelog::fix_dates(path, &text, &days, &own)
        })?;
    }
    let changed: Vec<_> = edits.changed().collect();
    if changed.is_empty() {
        ui::status(Tone::Good, "Fixed", "nothing to fix");
        return Ok(None);
    }
    ui::print(&edits.diff());
    atomic_write::apply(&ctx.root, &changed)?;
    ui::status(
        Tone::Good,
        "Fixed",
        &format!(
            "{} file(s): link definitions and dates from the tags",
            changed.len()
        ),
    );
    Ok(Some(ctx.reload()?))
}

fn lint(ctx: &Ctx, ws: &Workspace, flags: Lint) -> Result<ExitCode> {
    let tags = facts::tags::read_dated(&ctx.sh, ws)?;
    let fixed;
    let ws = if flags.fix {
        fixed = fix(ctx, ws, &tags)?;
        fixed.as_ref().unwrap_or(ws)
    } else {
        ws
    };
    let (errors, warnings) = problems::lint_changelogs_dated(ws, &tags, &tags, date::today());
    problem_report::report(&errors, &warnings, flags.verbose);
    let summary = format!("{} error(s), {} warning(s)", errors.len(), warnings.len());
    if errors.is_empty() {
        ui::status(Tone::Good, "Linted", &summary);
        Ok(ExitCode::SUCCESS)
    } else {
        ui::status(Tone::Bad, "Failed", &summary);
        Ok(ExitCode::FAILURE)
    }
}
