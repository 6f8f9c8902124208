//! Waiting until registries serve what a release promises: a line per
//! lookup, pauses that double, a timeout that names what is still missing.
//! Shared by `verify-published` and `publish` (which waits for a crate
//! before the crates that need it).

use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::out::ui::{self, Tone};
use crate::publish::presence::{Missing, Target};

/// Asks `lookup` about every pending target, a line per attempt, pausing
/// with `sleep` (1 s, doubling up to 15 s) until all are complete or
/// `timeout` has passed; a failed lookup is retried, and its error told at
/// the end with what each target still lacked.
pub fn poll(
    targets: Vec<Target>,
    timeout: Duration,
    mut lookup: impl FnMut(&Target) -> Result<Missing>,
    mut sleep: impl FnMut(Duration),
    advice: &str,
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
                    let what = format!("{} {} on {}", t.name, t.display, t.place);
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
                "not published after {}s: {}{cause}: {advice}",
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
                    target.name, target.display, target.place
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
                    target.name,
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
                    target.name,
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
    use crate::model::package::Package;
    use crate::model::selection::tests::package;

    const VERIFY: &str = "check the publish job's log, or wait longer with --timeout SECS";

    fn target(package: &Package) -> Target<'_> {
        Target {
            package,
            name: package.name.clone(),
            version: package.version.clone(),
            display: package.version.to_string(),
            place: "the index".into(),
            project: None,
            crates: vec![package.name.clone()],
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
            VERIFY,
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
            VERIFY,
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
            VERIFY,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "not published after 0s: py 0.1.0 on the index (missing py-0.1.0-*-abi3-win_amd64.whl): check the publish job's log, or wait longer with --timeout SECS"
        );
    }
}
