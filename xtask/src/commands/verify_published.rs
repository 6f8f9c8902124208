//! `cargo xtask verify-published`: waits until each registry serves the
//! release, so a later job (or a person) can rely on it: a crate at its
//! version; a Python package's sdist and every wheel its `wheels` patterns
//! promise, none yanked.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use semver::Version;

use crate::adapters::python;
use crate::cli::flags::VerifyPublished;
use crate::ctx::Ctx;
use crate::model::package::Package;
use crate::model::selection;
use crate::out::ui::{self, Tone};
use crate::publish::artifacts;
use crate::publish::registry::{self, CrateRegistry};
use crate::text::version::parse_any;

/// What a lookup found lacking: `None` when the release is complete there,
/// else the artifacts still missing (none named for a crate: its version).
type Missing = Option<Vec<String>>;

/// One thing to wait for.
struct Target<'a> {
    package: &'a Package,
    version: Version,
    /// The version as the registry spells it.
    display: String,
    /// Where: the registry's name, for messages.
    place: String,
    /// The Python project's name on the index (`None` for a crate).
    project: Option<String>,
}

pub fn run(ctx: &Ctx, flags: VerifyPublished) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    // A flag with a version waits for that version; a bare flag, or no flag
    // at all (every package), waits for the manifest's current version.
    let mut chosen: Vec<(&Package, Version)> = Vec::new();
    for c in selection::choose(&ws.packages, &flags.selection)? {
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
    let timeout = Duration::from_secs(flags.timeout_secs);
    let registries = &ws.config.registries;
    let crates = CrateRegistry::choose(
        registries,
        flags.registry.as_deref(),
        flags.index.as_deref(),
    );
    let index_url = flags.index_url.as_ref().unwrap_or(&registries.python_index);
    let python = python::project_venv(&ctx.root).python_or_system();

    // A project name that cannot be read is an error now, not a lookup to retry.
    let targets = targets(chosen, &crates, index_url, |p| {
        registry::project_name(ws, p)
    })?;
    let lookup = |target: &Target| -> Result<Missing> {
        if let Some(project) = &target.project {
            let files = registry::python_files(&ctx.sh, &python, index_url, project)?;
            let missing =
                artifacts::missing(project, &target.display, &files, &target.package.wheels);
            Ok((!missing.is_empty()).then_some(missing))
        } else {
            let version = target.version.to_string();
            let found =
                registry::crate_published(&ctx.sh, &crates, &target.package.name, &version)?;
            Ok((!found).then(Vec::new))
        }
    };
    poll(targets, timeout, lookup, std::thread::sleep)?;
    Ok(ExitCode::SUCCESS)
}

/// Each chosen package and version, as its registry spells and names it
/// (`project_of` reads a Python package's project name).
fn targets<'a>(
    chosen: Vec<(&'a Package, Version)>,
    crates: &CrateRegistry,
    index_url: &str,
    project_of: impl Fn(&Package) -> Result<String>,
) -> Result<Vec<Target<'a>>> {
    let mut targets = Vec::new();
    for (package, version) in chosen {
        let display = package.display(&version)?;
        let (place, project) = if package.pyproject.is_some() {
            (index_url.to_string(), Some(project_of(package)?))
        } else {
            (crates.to_string(), None)
        };
        targets.push(Target {
            package,
            version,
            display,
            place,
            project,
        });
    }
    Ok(targets)
}

/// Asks `lookup` about every pending target, a line per attempt, pausing
/// with `sleep` (1 s, doubling up to 15 s) until all are complete or
/// `timeout` has passed; a failed lookup is retried, and its error told at
/// the end with what each target still lacked.
fn poll(
    targets: Vec<Target>,
    timeout: Duration,
    mut lookup: impl FnMut(&Target) -> Result<Missing>,
    mut sleep: impl FnMut(Duration),
) -> Result<()> {
    let start = Instant::now();
    let mut pause = Duration::from_secs(1);
    let mut last_error: Option<String> = None;
    let mut pending: Vec<(Target, Vec<String>)> =
        targets.into_iter().map(|t| (t, Vec::new())).collect();
    loop {
        pending.retain_mut(|(target, lacking)| {
            let found = lookup(target);
            if let Ok(Some(missing)) = &found {
                lacking.clone_from(missing);
            }
            let waited = start.elapsed().as_secs();
            report(target, found, waited, timeout, &mut last_error)
        });
        if pending.is_empty() {
            return Ok(());
        }
        if start.elapsed() >= timeout {
            let missing: Vec<String> = pending
                .iter()
                .map(|(t, lacking)| {
                    let what = format!("{} {} on {}", t.package.name, t.display, t.place);
                    match lacking.is_empty() {
                        true => what,
                        false => format!("{what} (missing {})", lacking.join(", ")),
                    }
                })
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
        sleep(pause.min(left));
        pause = (pause * 2).min(Duration::from_secs(15));
    }
}

/// Prints what one lookup found; whether the target is still pending.
fn report(
    target: &Target,
    found: Result<Missing>,
    waited: u64,
    timeout: Duration,
    last_error: &mut Option<String>,
) -> bool {
    match found {
        Ok(None) => {
            ui::status(
                Tone::Good,
                "Available",
                &format!(
                    "{} {} on {} after {waited}s",
                    target.package.name, target.display, target.place
                ),
            );
            false
        }
        Ok(Some(missing)) => {
            let lacking = match missing.is_empty() {
                true => String::new(),
                false => format!(": missing {}", missing.join(", ")),
            };
            ui::status(
                Tone::Warn,
                "Waiting",
                &format!(
                    "{} {} is not on {} yet ({waited}s of {}s){lacking}",
                    target.package.name,
                    target.display,
                    target.place,
                    timeout.as_secs()
                ),
            );
            true
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
            *last_error = Some(why);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::selection::tests::package;

    fn target(package: &Package) -> Target<'_> {
        Target {
            package,
            version: package.version.clone(),
            display: package.version.to_string(),
            place: "the index".into(),
            project: None,
        }
    }

    #[test]
    fn polling_retries_failures_and_pauses_longer_each_time() {
        let (core, py) = (package("core", "rust", false), package("py", "py", true));
        let mut answers = vec![
            Err(anyhow::anyhow!("connection refused")),
            Ok(None),
            Ok(Some(vec![])),
            Ok(Some(vec!["core-0.1.0.tar.gz".into()])),
            Ok(None),
        ]
        .into_iter();
        let mut asked = Vec::new();
        let mut pauses = Vec::new();
        poll(
            vec![target(&core), target(&py)],
            Duration::from_secs(300),
            |t| {
                asked.push(t.package.name.clone());
                answers.next().unwrap()
            },
            |d| pauses.push(d.as_secs()),
        )
        .unwrap();
        assert_eq!(asked, ["core", "py", "core", "core", "core"]);
        assert_eq!(pauses, [1, 2, 4]);
    }

    #[test]
    fn polling_gives_up_at_the_timeout_naming_what_is_missing_and_the_last_error() {
        let core = package("core", "rust", false);
        let err = poll(
            vec![target(&core)],
            Duration::ZERO,
            |_| Err(anyhow::anyhow!("HTTP 503")),
            |_| panic!("no pause after the timeout"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "not published after 0s: core 0.1.0 on the index (last lookup error: HTTP 503): check the publish job's log, or wait longer with --timeout SECS"
        );
    }

    #[test]
    fn polling_names_the_artifacts_still_missing_at_the_timeout() {
        let py = package("py", "py", true);
        let err = poll(
            vec![target(&py)],
            Duration::ZERO,
            |_| Ok(Some(vec!["py-0.1.0-*-abi3-win_amd64.whl".into()])),
            |_| panic!("no pause after the timeout"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "not published after 0s: py 0.1.0 on the index (missing py-0.1.0-*-abi3-win_amd64.whl): check the publish job's log, or wait longer with --timeout SECS"
        );
    }

    #[test]
    fn each_target_is_spelled_and_placed_as_its_registry_knows_it() {
        let (core, py) = (package("core", "rust", false), package("py", "py", true));
        let v = Version::parse("1.0.0-rc.1").unwrap();
        let crates = CrateRegistry::Named("local".into());
        let found = targets(
            vec![(&core, v.clone()), (&py, v)],
            &crates,
            "https://pypi.org/simple/",
            |p| Ok(format!("{}-project", p.name)),
        )
        .unwrap();
        let shown: Vec<(&str, &str, Option<&str>)> = found
            .iter()
            .map(|t| (t.display.as_str(), t.place.as_str(), t.project.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("1.0.0-rc.1", "registry `local`", None),
                ("1.0.0rc1", "https://pypi.org/simple/", Some("py-project"))
            ]
        );
        let unreadable = targets(
            vec![(&py, Version::new(1, 0, 0))],
            &crates,
            "https://pypi.org/simple/",
            |_| anyhow::bail!("py/pyproject.toml:1: expected a table"),
        );
        assert!(
            unreadable.is_err(),
            "an unreadable project name stops before polling"
        );
    }
}
