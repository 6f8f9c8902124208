//! `cargo xtask changelog …`: promote, notes, port, generate, suggest, lint.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::adapters::git;
use crate::changelog;
use crate::checks::{problem_report, problems};
use crate::cli::flags::{Changelog, Generate, Lint, Notes, Port, Promote};
use crate::ctx::Ctx;
use crate::edit::{self, Edits, atomic_write};
use crate::facts::{self, history};
use crate::model::package::Package;
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
        Changelog::Notes(f) => notes(ctx, ws, package(&f.package)?, f),
        Changelog::Port(f) => port(ctx, ws, f),
        Changelog::Generate(f) => generate(ctx, ws, package(&f.package)?, f),
        Changelog::Suggest(key) => suggest(ctx, ws, package(&key)?),
        Changelog::Lint(f) => lint(ctx, ws, f),
    }
}

fn promote(ctx: &Ctx, ws: &Workspace, package: &Package, flags: Promote) -> Result<ExitCode> {
    let version = parse_any(&flags.version)?;
    let date = flags.date.unwrap_or_else(date::today);
    let tags = facts::tags::read(&ctx.sh, ws)?;
    // The previous release of `version`: the rule's release below it.
    let previous = package.release_before(&tags, &version);
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
    if shown_or_written(ctx, &edits, flags.dry_run)? {
        ui::status(
            Tone::Good,
            "Promoted",
            &format!("{} {} ({date})", package.name, package.display(&version)?),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn notes(ctx: &Ctx, ws: &Workspace, package: &Package, flags: Notes) -> Result<ExitCode> {
    let notes = match &package.changelog {
        Some(path) => {
            let series = ws.series(package);
            changelog::notes(path, ws.files.text(path), &flags.version, &series)?
        }
        None => drafted_notes(ctx, ws, package, &flags.version)?,
    };
    if flags.json {
        ui::println(&changelog::notes_json(&notes));
    } else {
        ui::println(&notes.body);
    }
    Ok(ExitCode::SUCCESS)
}

/// The notes of a release of a package that keeps no changelog: the change
/// files its release commit consumed for it, then the notes drafted from
/// the commits since its previous release, as the release drafted them.
fn drafted_notes(
    ctx: &Ctx,
    ws: &Workspace,
    package: &Package,
    version: &str,
) -> Result<changelog::Notes> {
    let sh = &ctx.sh;
    let version = parse_any(version)?;
    let tags = facts::tags::read(sh, ws)?;
    let tag = package.tag_of(&version, &tags)?;
    if !tags.contains(&tag) {
        bail!(
            "{} keeps no changelog: its notes are drafted from the commits up to the release's tag, and there is no tag {tag}: release {version} first, or name a released version",
            package.name
        );
    }
    let previous = package.release_before(&tags, &version);
    let history = history::read_range(sh, package, previous.as_ref().map(|p| p.0.as_str()), &tag)?;
    let consumed = crate::facts::consumed::consumed_by(sh, ws, package, &tag)?;
    let files = crate::release::changes::of(&consumed, package);
    let described: Vec<&crate::facts::changes::Pending> = consumed.pending.iter().collect();
    let body =
        crate::release::changes::release_notes(ws, package, (&history, &tag), &files, &described);
    Ok(changelog::Notes {
        version: version.to_string(),
        date: None,
        body: body.trim().to_string(),
    })
}

/// `changelog port VERSION --from BRANCH`: each package's section of
/// VERSION in its changelog on BRANCH, brought into this branch's file
/// (see `changelog::port`); the diff printed, then written unless `--dry-run`.
fn port(ctx: &Ctx, ws: &Workspace, flags: Port) -> Result<ExitCode> {
    let version = parse_any(&flags.version)?;
    let from = &flags.from;
    git::rev_parse(&ctx.sh, &format!("{from}^{{commit}}")).map_err(|_| {
        anyhow::anyhow!("--from {from}: no branch or commit of that name here: fetch it (`git fetch origin {from}`), or name it as `origin/{from}`")
    })?;
    let chosen: Vec<&Package> = match flags.packages.is_empty() {
        true => ws.packages.iter().collect(),
        false => flags
            .packages
            .iter()
            .map(|p| selection::one(&ws.packages, p))
            .collect::<Result<_>>()?,
    };
    let mut edits = Edits::default();
    let mut said = Vec::new();
    for package in chosen {
        let Some(path) = &package.changelog else {
            continue;
        };
        let source = git::show(&ctx.sh, from, path)?;
        let series = ws.series(package);
        let has = changelog::parse_in(path, &source, &series)
            .is_ok_and(|cl| cl.release(&version).is_some());
        if !has && flags.packages.is_empty() {
            continue;
        }
        let source_path = format!("{from}:{path}");
        let mut outcome = None;
        edits.edit(ws, path, |text| {
            let ported = changelog::port((path, text), (&source_path, &source), &version, &series)?;
            let after = match &ported {
                changelog::Ported::Written { text, .. } => text.clone(),
                changelog::Ported::Present(_) => text.to_string(),
            };
            outcome = Some(ported);
            Ok(after)
        })?;
        if let Some(changelog::Ported::Written { .. }) = outcome {
            said.extend(released_changes(ctx, ws, package, &version, &mut edits)?);
        }
        said.push(match outcome {
            Some(changelog::Ported::Present(line)) => format!("{path}:{} has {version} already", line + 1),
            Some(changelog::Ported::Written { released, .. }) => format!("{version} from {from} into {path} ({released} entr{} of [Unreleased] released by it)", if released == 1 { "y" } else { "ies" }),
            None => unreachable!("the edit ran"),
        });
    }
    if said.is_empty() {
        bail!(
            "no changelog on {from} has a section for {version}: name the version as its heading does, or the branch it was released on"
        );
    }
    let label = match shown_or_written(ctx, &edits, flags.dry_run)? {
        true => "Ported",
        false => "Would port",
    };
    for line in said {
        ui::status(Tone::Good, label, &line);
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the diff of `edits`, then writes them unless `dry_run`; whether
/// it wrote.
fn shown_or_written(ctx: &Ctx, edits: &Edits, dry_run: bool) -> Result<bool> {
    ui::print(&edits.diff());
    if dry_run {
        ui::status(Tone::Warn, "Dry run", "nothing was written");
        return Ok(false);
    }
    atomic_write::apply(&ctx.root, &edits.changed().collect::<Vec<_>>())?;
    Ok(true)
}

/// The change files of this branch that the release of `version` (its tag)
/// consumed for `package` on its own branch, consumed here too (deleted,
/// or without the package's line): they are released, and the next release
/// of this branch would list them again. One line said per file.
fn released_changes(
    ctx: &Ctx,
    ws: &Workspace,
    package: &Package,
    version: &semver::Version,
    edits: &mut Edits,
) -> Result<Vec<String>> {
    let tags = facts::tags::read(&ctx.sh, ws)?;
    let tag = package.tag_of(version, &tags)?;
    if !tags.contains(&tag) {
        return Ok(Vec::new());
    }
    let consumed = crate::facts::consumed::consumed_by(&ctx.sh, ws, package, &tag)?;
    let mut here = crate::facts::changes::read(&crate::worktree::Tree::new(&ctx.root), ws);
    here.pending.retain(|p| {
        consumed
            .pending
            .iter()
            .any(|c| c.path == p.path && c.text == p.text)
    });
    crate::release::changes::consume(edits, &here, &[package.name.as_str()]);
    Ok(here
        .pending
        .iter()
        .map(|p| format!("{}: released by {tag}, consumed here too", p.path))
        .collect())
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
        let series: Vec<(semver::Version, String)> = package
            .releases(tags)
            .into_iter()
            .map(|(t, v)| (v, t.to_string()))
            .collect();
        let days = package.dated_releases(tags);
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
