//! `cargo xtask bump`: one new version, written to every field at once.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::ArgMatches;

use crate::ui::{self, Tone};
use crate::version::Level;
use crate::version::Target;
use crate::workspace::{Package, Workspace};
use crate::{Ctx, execute, git, history, plan};

/// The level `auto` means for `package`: what its commits since the previous tag call for.
pub fn auto_level(ctx: &Ctx, package: &Package, tags: &[String]) -> Result<Level> {
    let history = history::read(&ctx.sh, package, tags, None)?;
    let since = history
        .previous_tag
        .as_deref()
        .unwrap_or("the first commit");
    match history.suggest(package) {
        Some((level, why)) => {
            ui::status(
                Tone::Good,
                "Suggested",
                &format!("{level} for {}: {why}", package.name),
            );
            Ok(level)
        }
        None => bail!(
            "{} has no commits since {since} in {}: nothing calls for a release",
            package.name,
            package.paths.join(", ")
        ),
    }
}

/// The packages chosen by their flags and by `--package NAME`.
pub fn selected<'a>(ws: &'a Workspace, args: &ArgMatches) -> Result<Vec<&'a Package>> {
    let names: Vec<&String> = args
        .get_many::<String>("package")
        .into_iter()
        .flatten()
        .collect();
    for name in &names {
        if ws.package(name).is_none() {
            bail!(
                "unknown package `{name}`: the released packages are {}",
                describe(ws)
            );
        }
    }
    let chosen: Vec<&Package> = ws
        .packages
        .iter()
        .filter(|p| {
            names.contains(&&p.name)
                || args.try_get_one::<bool>(&p.flag).ok().flatten() == Some(&true)
        })
        .collect();
    Ok(chosen)
}

/// `--rust (edgequake-llm 0.1.0), --py (edgequake-litellm 0.1.0)`.
pub fn describe(ws: &Workspace) -> String {
    let list: Vec<String> = ws
        .packages
        .iter()
        .map(|p| format!("--{} ({} {})", p.flag, p.name, p.version))
        .collect();
    list.join(", ")
}

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.checked()?;
    let mut chosen = selected(ws, args)?;
    // A lone package is not a guess.
    if chosen.is_empty() && ws.packages.len() == 1 {
        chosen.push(&ws.packages[0]);
    }
    if chosen.is_empty() {
        bail!("choose what to bump: {}", describe(ws));
    }
    let target = Target::parse(args.get_one::<String>("level").expect("required"))?;
    let tags = git::tags(&ctx.sh)?;
    let suggest = |package: &Package| auto_level(ctx, package, &tags);
    let bumps = plan::bumps(&chosen, &target, args.get_flag("allow-downgrade"), &suggest)?;
    let edits = plan::bump_edits(ws, &bumps)?;
    for bump in &bumps {
        ui::status(
            Tone::Good,
            "Bumping",
            &format!("{} {} -> {}", bump.package, bump.from, bump.to),
        );
    }
    print!("{}", edits.diff());
    let changed: Vec<_> = edits.changed().collect();
    if args.get_flag("dry-run") {
        ui::status(
            Tone::Warn,
            "Dry run",
            &format!(
                "{} file(s) would change; nothing was written",
                changed.len()
            ),
        );
    } else {
        execute::apply(&ctx.root, &changed)?;
        ui::status(Tone::Good, "Wrote", &format!("{} file(s)", changed.len()));
    }
    Ok(ExitCode::SUCCESS)
}
