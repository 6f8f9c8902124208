//! `cargo xtask check`: every version inconsistency, each with its fix.

use std::process::ExitCode;

use anyhow::Result;

use super::changelog;
use crate::ui::{self, Tone};
use crate::{Ctx, fields, git};

/// Every problem found (version fields, tag series, changelog lint errors),
/// and the changelog lint warnings.
pub fn problems(ctx: &Ctx) -> Result<(Vec<String>, Vec<String>)> {
    let ws = ctx.ws()?;
    let tags = git::tags(&ctx.sh)?;
    let fields = fields::fields(ws, &tags);
    let mut problems = fields::problems(ws, &fields);
    let dates = git::tag_dates(&ctx.sh)?;
    let (errors, warnings) = changelog::lint_all(ws, &tags, &dates, changelog::today());
    problems.extend(errors);
    Ok((problems, warnings))
}

pub fn run(ctx: &Ctx) -> Result<ExitCode> {
    let (problems, warnings) = problems(ctx)?;
    for warning in &warnings {
        ui::status(Tone::Warn, "warning", warning);
    }
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
