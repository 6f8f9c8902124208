//! `cargo xtask preflight`: every check a release of the selected packages runs.

use std::process::ExitCode;

use anyhow::Result;

use crate::checks::preflight;
use crate::cli::flags::Preflight;
use crate::ctx::Ctx;
use crate::model::selection;

/// The selected packages (all without a selection), checked for a release
/// of their current versions.
pub fn run(ctx: &Ctx, flags: Preflight) -> Result<ExitCode> {
    let ws = ctx.ws()?;
    let packages = selection::named_or_all(&ws.packages, &flags.selection)?;
    // The tags a release of the current versions would create.
    let tags: Vec<String> = packages
        .iter()
        .map(|p| p.tag.render(&p.version))
        .collect::<Result<_>>()?;
    let report = preflight::run(
        ctx,
        &packages,
        &tags,
        None,
        &Default::default(),
        &flags.options,
    )?;
    Ok(if report.failed().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
