//! `cargo xtask verify-published`: waits until each registry serves the
//! release, so a later job (or a person) can rely on it.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::ArgMatches;
use semver::Version;

use crate::python;
use crate::registry::{self, CrateRegistry};
use crate::ui::{self, Tone};
use crate::version::{parse_any, to_pep440};
use crate::workspace::Package;
use crate::{Ctx, cli, selection};

/// One thing to wait for.
struct Target<'a> {
    package: &'a Package,
    version: Version,
    /// The version as the registry spells it.
    display: String,
    /// Where: the registry's name, for messages.
    place: String,
}

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    // A flag with a version waits for that version; a bare flag, or no flag
    // at all (every package), waits for the manifest's current version.
    let mut chosen: Vec<(&Package, Version)> = Vec::new();
    for c in selection::choose(&ws.packages, &cli::selection(args, &ws.packages))? {
        let version = match &c.value {
            None => c.package.version.clone(),
            Some(value) => {
                parse_any(value).with_context(|| format!("--{} {value}", c.package.flag))?
            }
        };
        chosen.push((c.package, version));
    }
    if chosen.is_empty() {
        chosen = ws.packages.iter().map(|p| (p, p.version.clone())).collect();
    }
    let timeout = Duration::from_secs(*args.get_one::<u64>("timeout").expect("defaulted"));
    let registries = &ws.config.registries;
    let crates = CrateRegistry::choose(
        registries,
        args.get_one::<String>("registry").map(String::as_str),
        args.get_one::<String>("index").map(String::as_str),
    );
    let index_url = args
        .get_one::<String>("index-url")
        .unwrap_or(&registries.python_index);
    // Any Python reads an index page: the venv's when there is one.
    let venv = python::project_venv(&ctx.root);
    let python = if venv.python().exists() {
        venv.python()
    } else {
        "python3".into()
    };

    let mut targets = Vec::new();
    for (package, version) in chosen {
        let (display, place) = if package.pyproject.is_some() {
            (to_pep440(&version)?, index_url.clone())
        } else {
            (version.to_string(), crates.to_string())
        };
        targets.push(Target {
            package,
            version,
            display,
            place,
        });
    }

    let start = Instant::now();
    let mut pending: Vec<Target> = targets;
    let mut pause = Duration::from_secs(1);
    let mut last_error: Option<String> = None;
    loop {
        let mut still = Vec::new();
        for target in pending {
            let found = if target.package.pyproject.is_some() {
                let project = registry::project_name(ws, target.package)?;
                registry::python_files(&ctx.sh, &python, index_url, &project).map(|files| {
                    files.iter().any(|f| {
                        registry::file_version(&project, f).as_deref() == Some(&target.display)
                    })
                })
            } else {
                registry::crate_published(
                    &ctx.sh,
                    &crates,
                    &target.package.name,
                    &target.version.to_string(),
                )
            };
            let waited = start.elapsed().as_secs();
            match found {
                Ok(true) => ui::status(
                    Tone::Good,
                    "Available",
                    &format!(
                        "{} {} on {} after {waited}s",
                        target.package.name, target.display, target.place
                    ),
                ),
                Ok(false) => {
                    ui::status(
                        Tone::Warn,
                        "Waiting",
                        &format!(
                            "{} {} is not on {} yet ({waited}s of {}s)",
                            target.package.name,
                            target.display,
                            target.place,
                            timeout.as_secs()
                        ),
                    );
                    still.push(target);
                }
                Err(err) => {
                    let why = format!("{err:#}");
                    ui::status(
                        Tone::Warn,
                        "Waiting",
                        &format!(
                            "{} {}: the lookup failed ({waited}s of {}s): {why}",
                            target.package.name,
                            target.display,
                            timeout.as_secs()
                        ),
                    );
                    last_error = Some(why);
                    still.push(target);
                }
            }
        }
        pending = still;
        if pending.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        if start.elapsed() >= timeout {
            let missing: Vec<String> = pending
                .iter()
                .map(|t| format!("{} {} on {}", t.package.name, t.display, t.place))
                .collect();
            let cause = last_error
                .map(|e| format!(" (last lookup error: {e})"))
                .unwrap_or_default();
            bail!(
                "not published after {}s: {}{cause}: check the publish job's log, or wait longer with --timeout SECS",
                timeout.as_secs(),
                missing.join(", ")
            );
        }
        let left = timeout.saturating_sub(start.elapsed());
        std::thread::sleep(pause.min(left));
        pause = (pause * 2).min(Duration::from_secs(15));
    }
}
