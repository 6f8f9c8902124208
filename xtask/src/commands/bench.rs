//! `cargo xtask bench`: the measurements live in `crate::bench`, compiled
//! only with the `bench` feature. Without it, this runs the same command line
//! through a build that has it (its own target folder), measuring the binary
//! that was asked: the one the release path builds.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::flags;
use crate::ctx::Ctx;

#[cfg(feature = "bench")]
pub fn run(ctx: &Ctx, flags: flags::Bench) -> Result<ExitCode> {
    crate::bench::run(ctx, flags)
}

#[cfg(not(feature = "bench"))]
pub fn run(ctx: &Ctx, _: flags::Bench) -> Result<ExitCode> {
    use anyhow::Context;

    use crate::adapters::run_plan::Step;
    use crate::out::ui::{self, Tone};

    let xtask = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = xtask.parent().unwrap_or(xtask).join("target/xtask-bench");
    let exe = std::env::current_exe().context("cannot find the running xtask binary")?;
    let step = Step::new("cargo", &["run", "-q", "--manifest-path"])
        .arg(xtask.join("Cargo.toml").to_string_lossy())
        .args(["--features", "bench", "--target-dir"].map(String::from))
        .arg(target.to_string_lossy())
        .arg("--")
        .args(std::env::args().skip(1))
        .env(crate::cli::flags::BENCH_EXE, exe);
    ui::status(Tone::Good, "Running", &step.line());
    Ok(match step.run(&ctx.sh) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    })
}
