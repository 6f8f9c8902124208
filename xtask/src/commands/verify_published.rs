//! `cargo xtask verify-published`: waits until each registry serves the
//! release, so a later job (or a person) can rely on it: a crate at its
//! version; a Python package's sdist and every wheel its `wheels` patterns
//! promise, none yanked.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;

use crate::cli::flags::VerifyPublished;
use crate::ctx::Ctx;
use crate::publish::presence::{self, Target};
use crate::publish::wait;

pub fn run(ctx: &Ctx, flags: VerifyPublished) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let timeout = Duration::from_secs(flags.timeout_secs);
    let where_ = presence::Registries::choose(
        &ctx.root,
        ws,
        &flags.registry,
        &flags.index,
        &flags.index_url,
    );
    // A project name that cannot be read is an error now, not a lookup to retry.
    let targets = presence::targets(
        ws,
        &flags.selection,
        &where_,
        &crate::facts::tags::read(&ctx.sh, ws)?,
    )?;
    let lookup = |target: &Target| where_.missing(&ctx.sh, target);
    let advice = "check the publish job's log, or wait longer with --timeout SECS";
    wait::poll(targets, timeout, lookup, std::thread::sleep, advice)?;
    Ok(ExitCode::SUCCESS)
}
