//! Runs named steps in order, times them, and reports every outcome.
//!
//! A failing step does not stop the run: later steps still run unless they
//! need a step that failed or was skipped, so one run shows every problem.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::out::ui::{self, Tone};

type Body<'a> = Box<dyn FnMut() -> Result<Option<String>> + 'a>;

/// A step body that returns this error is reported as skipped, not failed
/// (a tool that is optional and missing, say); the report lists it apart from
/// steps skipped on request, so a caller can refuse a run where it happened.
#[derive(Debug)]
pub struct Skip(pub String);

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Skip {}

/// A step body that returns this error had nothing to check here (an API
/// check with no previous release to compare with): reported as skipped
/// with the reason, not as passed, and not as a failure either.
#[derive(Debug)]
pub struct NothingToCheck(pub String);

impl std::fmt::Display for NothingToCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NothingToCheck {}

pub struct Step<'a> {
    pub name: &'static str,
    /// Steps that must have passed for this one to make sense.
    pub needs: &'static [&'static str],
    /// The work; `Ok(Some(note))` adds a note to the status line.
    body: Body<'a>,
}

impl<'a> Step<'a> {
    pub fn new(
        name: &'static str,
        needs: &'static [&'static str],
        body: impl FnMut() -> Result<Option<String>> + 'a,
    ) -> Self {
        Step {
            name,
            needs,
            body: Box::new(body),
        }
    }
}

#[derive(Debug)]
pub enum Outcome {
    Passed(Duration),
    Failed(Duration, String),
    /// Left out on request (`--skip`) or because a step it needs did not pass.
    Skipped(String),
    /// Started, but could not run here: its body returned [`Skip`].
    Unavailable(String),
}

pub struct Report {
    pub outcomes: Vec<(&'static str, Outcome)>,
    pub total: Duration,
}

impl Report {
    pub fn failed(&self) -> Vec<&'static str> {
        self.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Failed(..)))
            .map(|(name, _)| *name)
            .collect()
    }

    /// Every step that was to run ran and passed: what `ci` requires. (The
    /// pre-flight accepts an optional tool that is missing: it asks `failed`.)
    pub fn all_ran_and_passed(&self) -> bool {
        self.failed().is_empty() && self.unavailable().is_empty()
    }

    /// Steps that could not run here, with the reason each gave.
    pub fn unavailable(&self) -> Vec<(&'static str, &str)> {
        self.outcomes
            .iter()
            .filter_map(|(name, o)| match o {
                Outcome::Unavailable(why) => Some((*name, why.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// The `--skip` list that runs only `only` and the steps they need.
pub fn skip_all_but(steps: &[Step<'_>], only: &[String]) -> Result<Vec<String>> {
    let names: Vec<&str> = steps.iter().map(|s| s.name).collect();
    let mut keep: Vec<&str> = Vec::new();
    for name in only {
        if !names.contains(&name.as_str()) {
            bail!(
                "unknown step `{name}` in --only: the steps are {}",
                names.join(", ")
            );
        }
        keep.push(name);
    }
    // Steps only need earlier steps, so one backwards pass closes the set.
    for step in steps.iter().rev() {
        if keep.contains(&step.name) {
            keep.extend(step.needs.iter().copied());
        }
    }
    Ok(names
        .iter()
        .filter(|n| !keep.contains(n))
        .map(|n| n.to_string())
        .collect())
}

/// Runs `steps`, skipping those named in `skip`; an unknown name is an error
/// before anything runs.
pub fn run_all(steps: Vec<Step<'_>>, skip: &[String]) -> Result<Report> {
    let names: Vec<&str> = steps.iter().map(|s| s.name).collect();
    for name in skip {
        if !names.contains(&name.as_str()) {
            bail!(
                "unknown step `{name}` in --skip: the steps are {}",
                names.join(", ")
            );
        }
    }
    let start = Instant::now();
    let mut outcomes: Vec<(&'static str, Outcome)> = Vec::new();
    for mut step in steps {
        let blocked = step.needs.iter().find(|need| {
            !outcomes
                .iter()
                .any(|(n, o)| n == *need && matches!(o, Outcome::Passed(_)))
        });
        let outcome = if skip.iter().any(|s| s == step.name) {
            Outcome::Skipped("--skip".into())
        } else if let Some(need) = blocked {
            Outcome::Skipped(format!("needs `{need}`"))
        } else {
            ui::status(Tone::Good, "Running", step.name);
            let started = Instant::now();
            match (step.body)() {
                Ok(note) => {
                    let took = started.elapsed();
                    let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
                    ui::status(
                        Tone::Good,
                        "Passed",
                        &format!("{} in {}{note}", step.name, ui::duration(took)),
                    );
                    Outcome::Passed(took)
                }
                Err(err) if err.downcast_ref::<Skip>().is_some() => {
                    Outcome::Unavailable(err.to_string())
                }
                Err(err) if err.downcast_ref::<NothingToCheck>().is_some() => {
                    Outcome::Skipped(err.to_string())
                }
                Err(err) => {
                    let took = started.elapsed();
                    let why = format!("{err:#}");
                    ui::status(
                        Tone::Bad,
                        "Failed",
                        &format!("{} in {}: {why}", step.name, ui::duration(took)),
                    );
                    Outcome::Failed(took, why)
                }
            }
        };
        if let Outcome::Skipped(why) | Outcome::Unavailable(why) = &outcome {
            ui::status(Tone::Warn, "Skipped", &format!("{}: {why}", step.name));
        }
        outcomes.push((step.name, outcome));
    }
    let report = Report {
        outcomes,
        total: start.elapsed(),
    };
    print_summary(&report);
    Ok(report)
}

fn print_summary(report: &Report) {
    ui::eprintln("");
    ui::eprintln(&format!("{:<14} {:<8} {:>9}", "step", "result", "time"));
    for (name, outcome) in &report.outcomes {
        let (result, took, why) = match outcome {
            Outcome::Passed(d) => ("ok", ui::duration(*d), String::new()),
            Outcome::Failed(d, why) => ("FAILED", ui::duration(*d), first_line(why)),
            Outcome::Skipped(why) | Outcome::Unavailable(why) => {
                ("skipped", "-".into(), why.clone())
            }
        };
        let line = format!("{name:<14} {result:<8} {took:>9}  {why}");
        ui::eprintln(line.trim_end());
    }
    let failed = report.failed();
    let unavailable: Vec<&str> = report.unavailable().iter().map(|(n, _)| *n).collect();
    let left_out = report
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Skipped(_)))
        .count();
    let verdict = if !failed.is_empty() {
        format!("failed: {}", failed.join(", "))
    } else if !unavailable.is_empty() {
        format!("did not run: {}", unavailable.join(", "))
    } else if left_out > 0 {
        format!("the steps that ran passed ({left_out} left out)")
    } else {
        "all steps passed".to_string()
    };
    ui::eprintln(&format!(
        "{:<14} {:<8} {:>9}  {verdict}",
        "total",
        "",
        ui::duration(report.total)
    ));
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xshell::{Shell, cmd};

    #[test]
    fn nothing_to_check_is_skipped_with_its_reason_never_passed_nor_failed() {
        let steps = vec![
            Step::new("api", &[], || {
                Err(NothingToCheck("no previous release".into()).into())
            }),
            Step::new("after-api", &["api"], || Ok(None)),
        ];
        let report = run_all(steps, &[]).unwrap();
        assert!(
            matches!(&report.outcomes[0].1, Outcome::Skipped(why) if why == "no previous release")
        );
        assert!(matches!(&report.outcomes[1].1, Outcome::Skipped(why) if why == "needs `api`"));
        assert!(report.failed().is_empty() && report.unavailable().is_empty());
        assert!(
            report.all_ran_and_passed(),
            "nothing to check is no failure"
        );
    }

    #[test]
    fn a_failure_is_reported_and_blocks_only_its_dependents() {
        let sh = Shell::new().unwrap();
        let steps = vec![
            Step::new("good", &[], || {
                cmd!(sh, "git --version").quiet().ignore_stdout().run()?;
                Ok(None)
            }),
            Step::new("bad", &[], || {
                cmd!(sh, "git no-such-subcommand")
                    .quiet()
                    .ignore_stderr()
                    .run()?;
                Ok(None)
            }),
            Step::new("after-bad", &["bad"], || Ok(None)),
            Step::new("after-good", &["good"], || Ok(Some("note".into()))),
            Step::new("skipped", &[], || panic!("must not run")),
            Step::new("optional", &[], || {
                Err(Skip("skipped: tool not installed".into()).into())
            }),
        ];
        let report = run_all(steps, &["skipped".to_string()]).unwrap();
        assert_eq!(report.failed(), ["bad"]);
        let describe: Vec<String> = report
            .outcomes
            .iter()
            .map(|(name, o)| match o {
                Outcome::Passed(_) => format!("{name}: passed"),
                Outcome::Failed(_, why) => format!("{name}: failed {}", why.contains("git")),
                Outcome::Skipped(why) | Outcome::Unavailable(why) => {
                    format!("{name}: skipped {why}")
                }
            })
            .collect();
        assert_eq!(
            report.unavailable(),
            [("optional", "skipped: tool not installed")]
        );
        assert!(!report.all_ran_and_passed());
        let steps = vec![
            Step::new("left-out", &[], || panic!("must not run")),
            Step::new("fine", &[], || Ok(None)),
        ];
        let left_out = run_all(steps, &["left-out".to_string()]).unwrap();
        assert!(
            left_out.all_ran_and_passed(),
            "a step left out on purpose is no failure"
        );
        let steps = vec![Step::new("cannot", &[], || {
            Err(Skip("no tool".into()).into())
        })];
        let cannot = run_all(steps, &[]).unwrap();
        assert!(cannot.failed().is_empty() && !cannot.all_ran_and_passed());
        assert_eq!(
            describe,
            [
                "good: passed",
                "bad: failed true",
                "after-bad: skipped needs `bad`",
                "after-good: passed",
                "skipped: skipped --skip",
                "optional: skipped skipped: tool not installed",
            ]
        );
    }

    #[test]
    fn only_keeps_the_steps_asked_for_and_what_they_need() {
        let steps = vec![
            Step::new("env", &[], || Ok(None)),
            Step::new("wheel", &["env"], || Ok(None)),
            Step::new("lint", &["env"], || Ok(None)),
            Step::new("pytest", &["wheel"], || Ok(None)),
            Step::new("fmt", &[], || Ok(None)),
        ];
        assert_eq!(
            skip_all_but(&steps, &["pytest".into()]).unwrap(),
            ["lint", "fmt"]
        );
        assert_eq!(
            skip_all_but(&steps, &["fmt".into()]).unwrap(),
            ["env", "wheel", "lint", "pytest"]
        );
        let err = skip_all_but(&steps, &["nope".into()])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown step `nope` in --only: the steps are env, wheel, lint, pytest, fmt"
        );
    }

    #[test]
    fn an_unknown_skip_name_is_an_error_before_anything_runs() {
        let steps = vec![Step::new("only", &[], || panic!("must not run"))];
        let err = run_all(steps, &["typo".to_string()]).err().unwrap();
        assert_eq!(
            err.to_string(),
            "unknown step `typo` in --skip: the steps are only"
        );
    }
}
