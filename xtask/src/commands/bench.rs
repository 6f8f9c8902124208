//! `cargo xtask bench`: the measurements live in `crate::bench`.

use std::process::ExitCode;

use anyhow::Result;
use clap::ArgMatches;

use crate::Ctx;

pub fn run(ctx: &Ctx, args: &ArgMatches) -> Result<ExitCode> {
    crate::bench::run(ctx, args)
}
