//! `cargo xtask check`: every version inconsistency, each with its fix.

use std::process::ExitCode;

use anyhow::Result;

use crate::ui::{self, Tone};
use crate::{Ctx, fields, git};

/// Every problem found; empty when the workspace is consistent.
pub fn problems(ctx: &Ctx) -> Result<Vec<String>> {
    let ws = ctx.ws()?;
    let tags = git::tags(&ctx.sh)?;
    let fields = fields::fields(ws, &tags);
    Ok(fields::problems(ws, &fields))
}

pub fn run(ctx: &Ctx) -> Result<ExitCode> {
    let problems = problems(ctx)?;
    for problem in &problems {
        ui::error(problem);
    }
    if problems.is_empty() {
        ui::status(Tone::Good, "Checked", "every version field agrees");
        Ok(ExitCode::SUCCESS)
    } else {
        ui::status(
            Tone::Bad,
            "Failed",
            &format!("{} problem(s)", problems.len()),
        );
        Ok(ExitCode::FAILURE)
    }
}
