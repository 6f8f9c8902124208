//! `cargo xtask bump`: one new version, written to every field at once.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::flags;
use crate::ctx::Ctx;
use crate::edit::{self, atomic_write};
use crate::facts::history;
use crate::model::fields;
use crate::model::package::Package;
use crate::model::selection::{self, Chosen};
use crate::out::ui::{self, Tone};
use crate::text::tag_index::TagIndex;
use crate::text::version::{Level, Target};

/// The level `auto` means for `package`: what its commits since the previous tag call for.
pub fn auto_level(ctx: &Ctx, package: &Package, tags: &TagIndex) -> Result<Level> {
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

/// Each selected package with its own value or the LEVEL argument. With no
/// LEVEL, a lone value also serves the bare flags, as in `--rust --py minor`.
pub fn resolve<'a>(
    requests: &[Chosen<'a>],
    level: Option<&str>,
) -> Result<Vec<(&'a Package, String)>> {
    let given: Vec<&str> = requests.iter().filter_map(|r| r.value.as_deref()).collect();
    let fallback = match (level, given.as_slice()) {
        (Some(level), _) => Some(level),
        (None, [one]) => Some(*one),
        (None, _) => None,
    };
    if let Some(level) = level
        && requests.iter().all(|r| r.value.is_some())
    {
        bail!(
            "LEVEL `{level}` applies to no package: every selected flag has its own value; drop `{level}`, or give it to a flag without one"
        );
    }
    requests
        .iter()
        .map(|r| match (&r.value, fallback) {
            (Some(own), _) => Ok((r.package, own.clone())),
            (None, Some(level)) => Ok((r.package, level.to_string())),
            (None, None) => bail!(
                "no level for {}: give one per flag (`--{} minor`, `--{} 1.2.0`) or one LEVEL for all",
                r.package.name,
                r.package.flag,
                r.package.flag
            ),
        })
        .collect()
}

pub fn run(ctx: &Ctx, flags: flags::Bump) -> Result<ExitCode> {
    let ws = ctx.checked()?;
    let mut chosen = selection::choose(&ws.packages, &flags.selection)?;
    // A lone package is not a guess.
    if chosen.is_empty() && ws.packages.len() == 1 {
        chosen.push(Chosen {
            package: &ws.packages[0],
            value: None,
        });
    }
    if chosen.is_empty() {
        bail!(
            "choose what to bump: {}",
            selection::describe_flags(&ws.packages)
        );
    }
    let level = flags.level.as_deref();
    let tags = crate::facts::tags::read(&ctx.sh, ws)?;
    let suggest = |package: &Package| auto_level(ctx, package, &tags);
    let mut bumps = Vec::new();
    for (package, text) in resolve(&chosen, level)? {
        let target = Target::parse(&text)?.with_pre(flags.pre)?;
        if target == Target::Exact(package.version.clone()) {
            let drift = fields::drift(ws, &[package.name.as_str()]);
            if !drift.is_empty() {
                let places: Vec<String> = drift.iter().map(|f| f.location()).collect();
                bail!(
                    "{} is already at {}, but {} still disagree(s) with it: run `cargo xtask sync` to set every field to {}",
                    package.name,
                    package.version,
                    places.join(", "),
                    package.version
                );
            }
        }
        bumps.extend(edit::bumps(
            &[package],
            &target,
            flags.allow_downgrade,
            &suggest,
        )?);
    }
    let edits = edit::bump_edits(ws, &bumps)?;
    for bump in &bumps {
        ui::status(
            Tone::Good,
            "Bumping",
            &format!(
                "{} {} -> {}",
                bump.package,
                bump.from,
                ws.package(&bump.package)
                    .map_or_else(|| bump.to.to_string(), |p| p.labelled(&bump.to))
            ),
        );
    }
    ui::print(&edits.diff());
    atomic_write::apply_unless_dry_run(&ctx.root, &edits, flags.dry_run)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selection::tests::package;

    fn resolved(values: [Option<&str>; 2], level: Option<&str>) -> Result<Vec<String>> {
        let (core, py) = (package("core", "rust", false), package("py", "py", true));
        let requests = [
            Chosen {
                package: &core,
                value: values[0].map(String::from),
            },
            Chosen {
                package: &py,
                value: values[1].map(String::from),
            },
        ];
        Ok(resolve(&requests, level)?
            .into_iter()
            .map(|(p, v)| format!("{} {v}", p.name))
            .collect())
    }

    #[test]
    fn each_flag_keeps_its_value_and_bare_flags_take_the_level() {
        assert_eq!(
            resolved([Some("0.3.0"), Some("0.2.0")], None).unwrap(),
            ["core 0.3.0", "py 0.2.0"]
        );
        assert_eq!(
            resolved([None, None], Some("minor")).unwrap(),
            ["core minor", "py minor"]
        );
        assert_eq!(
            resolved([Some("major"), None], Some("patch")).unwrap(),
            ["core major", "py patch"]
        );
        // `--rust --py minor`: clap gives `minor` to --py; it is the level for both.
        assert_eq!(
            resolved([None, Some("minor")], None).unwrap(),
            ["core minor", "py minor"]
        );
    }

    #[test]
    fn a_missing_or_unused_level_is_refused() {
        assert_eq!(
            resolved([None, None], None).unwrap_err().to_string(),
            "no level for core: give one per flag (`--rust minor`, `--rust 1.2.0`) or one LEVEL for all"
        );
        assert!(
            resolved([Some("minor"), Some("patch")], Some("major"))
                .unwrap_err()
                .to_string()
                .starts_with("LEVEL `major` applies to no package")
        );
    }
}
