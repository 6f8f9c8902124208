//! `cargo xtask bench`: the measurements live in `crate::bench`.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::flags;
use crate::ctx::Ctx;

pub fn run(ctx: &Ctx, flags: flags::Bench) -> Result<ExitCode> {
    crate::bench::run(ctx, flags)
}
