//! One row of the benchmark: how its command is made for each run, and its
//! measurement (warm-up, runs, median, peak memory).

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use super::measure;
use super::report::{self, Outcome, Row, Target};
use crate::out::ui::{self, Tone};

/// One row to measure: how to build its command for each run.
pub struct Spec<'a> {
    pub name: &'static str,
    pub group: &'static str,
    pub target: Target,
    pub runs: usize,
    /// One unmeasured run first, so caches are as warm as in daily use.
    pub warm_up: bool,
    pub ok_codes: &'static [i32],
    pub make: Box<dyn Fn() -> Result<Command> + 'a>,
    /// Set when the row cannot run here, with the reason.
    pub unavailable: Option<String>,
}

pub fn command_in(program: impl AsRef<std::ffi::OsStr>, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// A row of the xtask binary `exe` run in `dir` with `--root dir` and `args`.
pub fn xtask_row<'a>(
    name: &'static str,
    group: &'static str,
    target: Target,
    runs: usize,
    exe: &'a Path,
    dir: std::path::PathBuf,
    args: &'static [&'static str],
) -> Spec<'a> {
    Spec {
        name,
        group,
        target,
        runs,
        warm_up: true,
        ok_codes: &[0],
        make: Box::new(move || {
            let root = dir.to_string_lossy().into_owned();
            let mut all = vec!["--root", root.as_str()];
            all.extend_from_slice(args);
            Ok(command_in(exe, &dir, &all))
        }),
        unavailable: None,
    }
}

/// Measures each row in turn; a peer tool that is not installed is noted.
pub fn measure_all<'a>(specs: &[Spec<'a>], log: &Path, notes: &mut Vec<String>) -> Vec<Row> {
    let mut rows = Vec::new();
    for spec in specs {
        let outcome = measure_row(spec, log);
        if let Outcome::NotAvailable(why) = &outcome
            && why.contains("not found")
        {
            notes.push(format!("{}: {why}", spec.name));
        }
        rows.push(Row {
            name: spec.name,
            target: spec.target,
            outcome,
        });
    }
    rows
}

fn measure_row(spec: &Spec, log: &Path) -> Outcome {
    if let Some(why) = &spec.unavailable {
        return Outcome::NotAvailable(why.clone());
    }
    ui::status(
        Tone::Good,
        "Measuring",
        &format!("{} ({} run(s))", spec.name, spec.runs),
    );
    let once = || -> Result<measure::Run> {
        let mut cmd = (spec.make)()?;
        let run = measure::run(&mut cmd, log)?;
        match run.code {
            Some(code) if spec.ok_codes.contains(&code) => Ok(run),
            code => {
                let why = run
                    .stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("no output");
                bail!(
                    "{cmd:?} exited with {}: {why}",
                    code.map_or("a signal".into(), |c| c.to_string())
                )
            }
        }
    };
    let mut samples = Vec::new();
    let mut peak = None;
    let warm_ups = usize::from(spec.warm_up);
    for i in 0..warm_ups + spec.runs {
        match once() {
            Ok(run) if i >= warm_ups => {
                samples.push(run.wall);
                peak = peak.max(run.max_rss_kib);
            }
            Ok(_) => {}
            Err(err) => return Outcome::Failed(format!("{err:#}")),
        }
    }
    let summary = report::summarize(&samples).expect("at least one run");
    ui::status(
        Tone::Good,
        "Measured",
        &format!("{}: median {}", spec.name, report::time(summary.median)),
    );
    Outcome::Measured {
        summary,
        max_rss_kib: peak,
    }
}
