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

/// Measures every row; a peer tool that is not installed is noted. The
/// rows of a group are measured in rounds, one run of each in turn: a row
/// and its floor meet the same moments of the machine (a noisy host or a
/// CPU changing speed moves both, not their ratio).
pub fn measure_all<'a>(specs: &[Spec<'a>], log: &Path, notes: &mut Vec<String>) -> Vec<Row> {
    let mut outcomes: Vec<Option<Outcome>> = specs.iter().map(|_| None).collect();
    let mut groups: Vec<&str> = Vec::new();
    for spec in specs {
        if !groups.contains(&spec.group) {
            groups.push(spec.group);
        }
    }
    for group in groups {
        let members: Vec<usize> = (0..specs.len())
            .filter(|&i| specs[i].group == group)
            .collect();
        measure_group(specs, &members, log, &mut outcomes);
    }
    specs
        .iter()
        .zip(outcomes)
        .map(|(spec, outcome)| {
            let outcome = outcome.expect("every row is in its group");
            if let Outcome::NotAvailable(why) = &outcome
                && why.contains("not found")
            {
                notes.push(format!("{}: {why}", spec.name));
            }
            Row {
                name: spec.name,
                target: spec.target,
                outcome,
            }
        })
        .collect()
}

/// A row's runs so far.
struct Samples {
    row: usize,
    walls: Vec<std::time::Duration>,
    peak: Option<u64>,
}

/// The rows `members` of one group, in rounds; each row's outcome goes to
/// `outcomes`.
fn measure_group(specs: &[Spec], members: &[usize], log: &Path, outcomes: &mut [Option<Outcome>]) {
    let mut active = Vec::new();
    for &row in members {
        match &specs[row].unavailable {
            Some(why) => outcomes[row] = Some(Outcome::NotAvailable(why.clone())),
            None => active.push(Samples {
                row,
                walls: Vec::new(),
                peak: None,
            }),
        }
    }
    let rounds = active
        .iter()
        .map(|s| usize::from(specs[s.row].warm_up) + specs[s.row].runs)
        .max()
        .unwrap_or(0);
    if !active.is_empty() {
        let names: Vec<&str> = active.iter().map(|s| specs[s.row].name).collect();
        ui::status(
            Tone::Good,
            "Measuring",
            &format!(
                "{} (in turn, up to {} run(s) each)",
                names.join(", "),
                active.iter().map(|s| specs[s.row].runs).max().unwrap_or(0)
            ),
        );
    }
    for round in 0..rounds {
        active.retain_mut(|samples| {
            let spec = &specs[samples.row];
            let warm_ups = usize::from(spec.warm_up);
            if round >= warm_ups + spec.runs {
                return true;
            }
            match run_once(spec, log) {
                Ok(run) if round >= warm_ups => {
                    samples.walls.push(run.wall);
                    samples.peak = samples.peak.max(run.max_rss_kib);
                    true
                }
                Ok(_) => true,
                Err(err) => {
                    outcomes[samples.row] = Some(Outcome::Failed(format!("{err:#}")));
                    false
                }
            }
        });
    }
    for samples in active {
        let spec = &specs[samples.row];
        let summary = report::summarize(&samples.walls).expect("at least one run");
        ui::status(
            Tone::Good,
            "Measured",
            &format!("{}: median {}", spec.name, report::time(summary.median)),
        );
        outcomes[samples.row] = Some(Outcome::Measured {
            summary,
            max_rss_kib: samples.peak,
        });
    }
}

/// One run of `spec`'s command; an exit code it does not expect fails it.
fn run_once(spec: &Spec, log: &Path) -> Result<measure::Run> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row whose every run appends `mark` to `file`, exiting `code` (`sh`).
    #[cfg(unix)]
    fn row<'a>(name: &'static str, file: &'a Path, mark: &'a str, code: i32) -> Spec<'a> {
        Spec {
            name,
            group: "g",
            target: Target::None,
            runs: 3,
            warm_up: false,
            ok_codes: &[0],
            make: Box::new(move || {
                let mut cmd = Command::new("sh");
                cmd.arg("-c").arg(format!(
                    "printf {mark} >> '{}'; exit {code}",
                    file.display()
                ));
                Ok(cmd)
            }),
            unavailable: None,
        }
    }

    #[test]
    #[cfg(unix)]
    fn the_rows_of_a_group_run_in_turn_and_a_failed_one_stops_alone() {
        let dir = std::env::temp_dir().join(format!("xtask-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (file, log) = (dir.join("order"), dir.join("stderr"));
        let mut absent = row("absent", &file, "x", 0);
        absent.unavailable = Some("not here".into());
        let mut other = row("other", &file, "o", 0);
        other.group = "h";
        other.runs = 1;
        let specs = [
            row("a", &file, "a", 0),
            row("b", &file, "b", 0),
            row("fails", &file, "f", 3),
            absent,
            other,
        ];
        let rows = measure_all(&specs, &log, &mut Vec::new());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "abfababo");
        let measured = |i: usize| match &rows[i].outcome {
            Outcome::Measured { summary, .. } => summary.runs,
            other => panic!("{}: {other:?}", rows[i].name),
        };
        assert_eq!((measured(0), measured(1), measured(4)), (3, 3, 1));
        assert!(matches!(&rows[2].outcome, Outcome::Failed(why) if why.contains("exited with 3")));
        assert_eq!(rows[3].outcome, Outcome::NotAvailable("not here".into()));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
