//! `cargo xtask bench`: median wall times and peak memory of the xtask's
//! commands on this workspace and on generated inputs, next to peer tools.
//! A benchmark, not a test: targets are reported, never asserted.
//!
//! Floor: above the command line (it takes its typed flags), below the
//! commands. Uses: cli, ctx, adapters, out.
//!
//! Its files (generated inputs under `target/bench-inputs/`, scratch
//! repositories, the naive crate) are the build's, not the repository's:
//! they are read and written with `std::fs`, not through `worktree`.

mod big_changelog;
mod generated_rows;
mod history_repo;
mod inputs;
mod many_members;
mod measure;
mod naive_crate;
mod peers;
mod report;
mod rows;
mod scale_rows;
mod spec;
mod tag_repo;
mod verdict;

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use xshell::cmd;

use self::inputs::Inputs;
use self::report::Outcome;
use self::rows::ROWS;
use self::spec::Spec;
use crate::ctx::Ctx;
use crate::out::ui::{self, Tone};

/// Set in the fresh bench process that measures after inputs were generated.
const CHILD: &str = "XTASK_BENCH_MEASURE_ONLY";

pub fn run(ctx: &Ctx, flags: crate::cli::flags::Bench) -> Result<ExitCode> {
    let runs = flags.runs as usize;
    let only = flags.only;
    if let Some(name) = &only
        && !ROWS.iter().any(|(row, group)| row == name || group == name)
    {
        let names: Vec<&str> = ROWS.iter().map(|(row, _)| *row).collect();
        bail!(
            "--only {name}: no such row or group: the rows are {} (groups: {})",
            names.join(", "),
            rows::groups().join(", ")
        );
    }
    let wanted = |group: &str| {
        only.as_deref()
            .is_none_or(|o| o == group || ROWS.iter().any(|(r, g)| *r == o && *g == group))
    };
    let started = Instant::now();
    let venv = crate::adapters::python::project_venv(&ctx.root);
    if flags.install_peers && std::env::var_os(CHILD).is_none() {
        peers::install(&ctx.sh, &venv)?;
    }
    // The binary the default build's `bench` names (the release path's), else this one.
    let exe = match std::env::var_os(crate::cli::flags::BENCH_EXE) {
        Some(exe) => std::path::PathBuf::from(exe),
        None => std::env::current_exe().context("cannot find the running xtask binary")?,
    };
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
    for scratch in ["cold-target", "cold-target-naive"] {
        let _ = std::fs::remove_dir_all(inputs.dir.join(scratch));
    }

    if flags.json {
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
