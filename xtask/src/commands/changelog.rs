//! `cargo xtask changelog …`: promote, notes, generate, suggest, lint.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::ArgMatches;

use crate::changelog::{self, LintContext, Severity};
use crate::history::{self, Format};
use crate::plan::{self, Edits};
use crate::ui::{self, Tone};
use crate::version::parse_any;
use crate::workspace::{Package, Workspace};
use crate::{Ctx, execute, git};

/// A package by name or by its flag (`rust`, `py`).
pub fn find<'a>(ws: &'a Workspace, key: &str) -> Result<&'a Package> {
    let key = key.trim_start_matches("--");
    ws.packages
        .iter()
        .find(|p| p.name == key || p.flag == key)
        .with_context(|| {
            let known: Vec<String> = ws
                .packages
                .iter()
                .map(|p| format!("{} ({})", p.name, p.flag))
                .collect();
            format!(
                "unknown package `{key}`: the released packages are {}",
                known.join(", ")
            )
        })
}

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("--date `{text}` is not a date: write YYYY-MM-DD"))
}

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let (name, sub) = args.subcommand().expect("clap requires a subcommand");
    let package = || find(ws, sub.get_one::<String>("package").expect("required"));
    match name {
        "promote" => promote(ctx, ws, package()?, sub),
        "notes" => notes(ws, package()?, sub),
        "generate" => generate(ctx, ws, package()?, sub),
        "suggest" => suggest(ctx, package()?),
        "lint" => lint(ctx, ws),
        _ => unreachable!("clap rejects unknown subcommands"),
    }
}

fn promote(ctx: &Ctx, ws: &Workspace, package: &Package, args: &ArgMatches) -> Result<ExitCode> {
    let version = parse_any(args.get_one::<String>("version").expect("required"))?;
    let date = match args.get_one::<String>("date") {
        Some(text) => parse_date(text)?,
        None => today(),
    };
    let generated = if args.get_flag("generate") {
        let tags = git::merged_tags(&ctx.sh)?;
        let history = history::read(&ctx.sh, package, &tags, None)?;
        let format = Format::parse(
            args.get_one::<String>("format")
                .map_or("keepachangelog", String::as_str),
        );
        Some(history.render(
            package,
            &ws.config.exclude_types,
            format,
            &package.tag.render(&version)?,
        ))
    } else {
        None
    };
    let mut edits = Edits::default();
    plan::promote_changelog(
        &mut edits,
        ws,
        package,
        &version,
        date,
        generated.as_deref(),
        args.get_flag("allow-empty"),
    )?;
    print!("{}", edits.diff());
    let changed: Vec<_> = edits.changed().collect();
    if args.get_flag("dry-run") {
        ui::status(Tone::Warn, "Dry run", "nothing was written");
    } else {
        execute::apply(&ctx.root, &changed)?;
        ui::status(
            Tone::Good,
            "Promoted",
            &format!("{} {} ({date})", package.name, package.display(&version)?),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn notes(ws: &Workspace, package: &Package, args: &ArgMatches) -> Result<ExitCode> {
    let Some(path) = &package.changelog else {
        bail!(
            "{} has no changelog: set `changelog` in the release configuration",
            package.name
        );
    };
    let notes = changelog::notes(
        path,
        ws.files.text(path),
        args.get_one::<String>("version").expect("required"),
    )?;
    if args.get_flag("json") {
        println!("{}", changelog::notes_json(&notes));
    } else {
        println!("{}", notes.body);
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(ctx: &Ctx, ws: &Workspace, package: &Package, args: &ArgMatches) -> Result<ExitCode> {
    let tags = git::merged_tags(&ctx.sh)?;
    let since = args.get_one::<String>("since").map(String::as_str);
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
    let format = Format::parse(
        args.get_one::<String>("format")
            .map_or("keepachangelog", String::as_str),
    );
    // The tag the notes are for: the next patch release unless the commits call for more.
    let next = match history.suggest(package) {
        Some((level, _)) => crate::version::bump(&package.version, level),
        None => package.version.clone(),
    };
    let text = history.render(
        package,
        &ws.config.exclude_types,
        format,
        &package.tag.render(&next)?,
    );
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn suggest(ctx: &Ctx, package: &Package) -> Result<ExitCode> {
    let tags = git::merged_tags(&ctx.sh)?;
    let history = history::read(&ctx.sh, package, &tags, None)?;
    let since = history
        .previous_tag
        .clone()
        .unwrap_or_else(|| "the first commit".into());
    match history.suggest(package) {
        Some((level, why)) => {
            println!("{level}");
            ui::status(
                Tone::Good,
                "Suggested",
                &format!(
                    "{level}: {} {} -> {} ({why})",
                    package.name,
                    package.version,
                    crate::version::bump(&package.version, level)
                ),
            );
        }
        None => {
            println!("none");
            ui::status(
                Tone::Warn,
                "Unchanged",
                &format!("{} has no commits since {since}", package.name),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Lint findings of every package's changelog: `(errors, warnings)`.
pub fn lint_all(ws: &Workspace, tags: &[String], today: NaiveDate) -> (Vec<String>, Vec<String>) {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for package in &ws.packages {
        let Some(path) = &package.changelog else {
            continue;
        };
        let tagged: Vec<semver::Version> =
            tags.iter().filter_map(|t| package.tag.parse(t)).collect();
        let ctx = LintContext {
            today,
            released: tagged.contains(&package.version),
            tags: tagged,
            current: Some(package.version.clone()),
        };
        for problem in changelog::lint(path, ws.files.text(path), &ctx) {
            match problem.severity {
                Severity::Error => errors.push(problem.message),
                Severity::Warning => warnings.push(problem.message),
            }
        }
    }
    (errors, warnings)
}

fn lint(ctx: &Ctx, ws: &Workspace) -> Result<ExitCode> {
    let tags = git::tags(&ctx.sh)?;
    let (errors, warnings) = lint_all(ws, &tags, today());
    for warning in &warnings {
        ui::status(Tone::Warn, "warning", warning);
    }
    for error in &errors {
        ui::error(error);
    }
    let summary = format!("{} error(s), {} warning(s)", errors.len(), warnings.len());
    if errors.is_empty() {
        ui::status(Tone::Good, "Linted", &summary);
        Ok(ExitCode::SUCCESS)
    } else {
        ui::status(Tone::Bad, "Failed", &summary);
        Ok(ExitCode::FAILURE)
    }
}
