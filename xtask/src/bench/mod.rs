//! `cargo xtask bench`: median wall times and peak memory of the xtask's
//! commands on this workspace and on generated inputs, next to peer tools.
//! A benchmark, not a test: targets are reported, never asserted.

mod big_changelog;
mod generated_rows;
mod history_repo;
mod inputs;
mod many_members;
mod measure;
mod peers;
mod report;
mod rows;
mod spec;

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Arg, ArgAction, ArgMatches, value_parser};
use xshell::cmd;

use self::inputs::Inputs;
use self::report::Outcome;
use self::rows::ROWS;
use self::spec::Spec;
use crate::Ctx;
use crate::python::Venv;
use crate::ui::{self, Tone};

/// Set in the fresh bench process that measures after inputs were generated.
const CHILD: &str = "XTASK_BENCH_MEASURE_ONLY";

pub fn command() -> clap::Command {
    clap::Command::new("bench")
        .about("Median wall time and peak memory of the xtask's commands, next to parse-changelog and git-cliff")
        .arg(
            Arg::new("runs")
                .long("runs")
                .value_name("N")
                .default_value("5")
                .value_parser(value_parser!(u32).range(1..))
                .help("Measured runs per row (the cold build does at most 3)"),
        )
        .arg(Arg::new("quick").long("quick").action(ArgAction::SetTrue).help("One run per row"))
        .arg(
            Arg::new("only")
                .long("only")
                .value_name("NAME")
                .help("Run one row, or one group: cold-build, versions, release, notes, generate, bump"),
        )
        .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print JSON instead of a table"))
        .arg(
            Arg::new("install-peers")
                .long("install-peers")
                .action(ArgAction::SetTrue)
                .help("First install parse-changelog (cargo install) and git-cliff (into .venv)"),
        )
}

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    let runs = if args.get_flag("quick") {
        1
    } else {
        *args.get_one::<u32>("runs").expect("defaulted") as usize
    };
    let only = args.get_one::<String>("only").cloned();
    if let Some(name) = &only
        && !ROWS.iter().any(|(row, group)| row == name || group == name)
    {
        let names: Vec<&str> = ROWS.iter().map(|(row, _)| *row).collect();
        bail!(
            "--only {name}: no such row or group: the rows are {} (groups: cold-build, versions, release, notes, generate, bump)",
            names.join(", ")
        );
    }
    let wanted = |group: &str| {
        only.as_deref()
            .is_none_or(|o| o == group || ROWS.iter().any(|(r, g)| *r == o && *g == group))
    };
    let started = Instant::now();
    let venv = Venv::new(ctx.root.join(".venv"));
    if args.get_flag("install-peers") && std::env::var_os(CHILD).is_none() {
        peers::install(&ctx.sh, &venv)?;
    }
    let exe = std::env::current_exe().context("cannot find the running xtask binary")?;
    let inputs = Inputs::new(ctx.root.join("target/bench-inputs"));
    std::fs::create_dir_all(&inputs.dir)
        .with_context(|| format!("cannot create {}", inputs.dir.display()))?;
    let mut notes: Vec<String> = Vec::new();

    let specs = rows::specs(ctx, &inputs, &exe, &venv, runs, wanted, &mut notes)?;
    if inputs.generated.get() && std::env::var_os(CHILD).is_none() {
        // A forked child's peak RSS counts the parent's anonymous pages, and
        // generating left this process's heap large: measure from a fresh one.
        drop(specs);
        let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
        let sh = &ctx.sh;
        return Ok(
            match cmd!(sh, "{exe} {args...}").env(CHILD, "1").quiet().run() {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::FAILURE,
            },
        );
    }
    let specs: Vec<Spec> = specs
        .into_iter()
        .filter(|s| only.as_deref().is_none_or(|o| o == s.name || o == s.group))
        .collect();

    let log = inputs.dir.join("stderr.log");
    let rows = spec::measure_all(&specs, &log, &mut notes);
    let _ = std::fs::remove_dir_all(inputs.dir.join("cold-target"));

    if args.get_flag("json") {
        println!("{}", report::to_json(&rows));
    } else {
        print!("{}", report::table(&rows));
        for note in &notes {
            println!("{note}");
        }
    }
    ui::status(
        Tone::Good,
        "Finished",
        &format!("bench in {}", ui::duration(started.elapsed())),
    );
    let failed = rows.iter().any(|r| matches!(r.outcome, Outcome::Failed(_)));
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
